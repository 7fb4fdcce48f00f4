"""The DCAT-AP 3 catalogue (/catalog.ttl, /catalog.jsonld) against the official shapes."""

import datetime
import functools
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import resolve, reverse
from django.utils import translation
from pyshacl import validate
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, RDF, SH

from directory.models import Cluster, Contact, ContentVersion
from guide.charts import all_charts
from opendata.catalog import CHARTS
from tests.factories import make_call, make_cluster, make_contact, make_event

pytestmark = pytest.mark.django_db

# A plain namespace: rdflib's own DCAT warns when pytest looks into the module's names.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SHAPES = Path(__file__).parent / "shapes"
CATALOGUES = {"opendata:catalog-ttl": "turtle", "opendata:catalog-jsonld": "json-ld"}
SITE = "http://testserver/"


@functools.cache
def shapes(*files) -> Graph:
    graph = Graph()
    for name in files:
        graph.parse(SHAPES / name, format="turtle")
    return graph


def fetch(client, name) -> Graph:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return Graph().parse(data=response.content.decode(), format=CATALOGUES[name])


def node(name) -> URIRef:
    return URIRef(f"{SITE}catalog.ttl#{name}")


@pytest.mark.parametrize("name", CATALOGUES)
def test_both_serialisations_conform_to_the_dcat_ap_shapes(client, shipped_guide, name):
    # The shapes check each property's class without inference: the catalogue
    # states the class of every vocabulary IRI it uses.
    conforms, _, report = validate(
        fetch(client, name),
        shacl_graph=shapes("shapes.ttl", "range.ttl"),
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
        meta_shacl=False,
        advanced=False,
    )
    assert conforms, report


@pytest.mark.parametrize("name", CATALOGUES)
def test_the_recommended_shapes_find_no_violation(client, shipped_guide, name):
    _, results, report = validate(
        fetch(client, name),
        shacl_graph=shapes("shapes_recommended.ttl"),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
    )
    assert not list(results.subjects(SH.resultSeverity, SH.Violation)), report


def test_the_catalogue_meets_every_recommendation(client, shipped_guide):
    # Not even a warning: temporal coverage, places' boxes, licence type, availability...
    conforms, _, report = validate(
        fetch(client, "opendata:catalog-ttl"),
        shacl_graph=shapes("shapes_recommended.ttl"),
        inference="none",
        allow_warnings=False,
    )
    assert conforms, report


def test_it_conforms_to_the_generated_shapes_of_the_profile_too(client, shipped_guide):
    # This graph wants every address to be an rdfs:Resource, which RDFS inference says.
    conforms, _, report = validate(
        fetch(client, "opendata:catalog-ttl"),
        shacl_graph=shapes("dcat-ap-SHACL.ttl"),
        inference="rdfs",
        allow_warnings=False,
    )
    assert conforms, report


def test_turtle_and_json_ld_are_the_same_graph(client, shipped_guide):
    turtle = fetch(client, "opendata:catalog-ttl")
    json_ld = fetch(client, "opendata:catalog-jsonld")
    assert len(turtle) > 500
    assert isomorphic(turtle, json_ld)


def test_the_json_ld_reads_with_prefixes(client, shipped_guide):
    body = client.get(reverse("opendata:catalog-jsonld")).json()
    assert body["@context"]["dcat"] == str(DCAT)
    types = set()
    for item in body["@graph"]:
        kinds = item.get("@type", [])
        types.update([kinds] if isinstance(kinds, str) else kinds)
    assert {"dcat:Catalog", "dcat:Dataset", "dcat:Distribution", "dcat:DataService"} <= types


def test_it_answers_turtle_and_json_ld_with_cache_headers(client, shipped_guide):
    turtle = client.get(reverse("opendata:catalog-ttl"))
    assert turtle["Content-Type"] == "text/turtle; charset=utf-8"
    json_ld = client.get(reverse("opendata:catalog-jsonld"))
    assert json_ld["Content-Type"] == "application/ld+json"
    for response in (turtle, json_ld):
        assert response["ETag"]
        assert response["Last-Modified"]
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Cache-Control"] == "public, max-age=300"


def test_a_conditional_request_gets_304(client, shipped_guide):
    first = client.get(reverse("opendata:catalog-ttl"))
    again = client.get(reverse("opendata:catalog-ttl"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    since = client.get(
        reverse("opendata:catalog-jsonld"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert since.status_code == 304


def test_it_answers_head_but_not_post(client, shipped_guide):
    assert client.head(reverse("opendata:catalog-ttl")).status_code == 200
    assert client.post(reverse("opendata:catalog-ttl")).status_code == 405


def test_an_edit_changes_the_etag_and_the_modification_dates(client, shipped_guide):
    # PostgreSQL's now() is the transaction's start: move the last change back first.
    long_ago = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    ContentVersion.objects.update(changed_at=long_ago)
    before = client.get(reverse("opendata:catalog-ttl"))
    graph = Graph().parse(data=before.content.decode(), format="turtle")
    assert graph.value(node("catalog"), DCTERMS.modified).toPython() == long_ago

    cluster = Cluster.objects.published().first()
    cluster.name_fr = f"{cluster.name_fr} (modifié)"
    cluster.save()

    after = client.get(reverse("opendata:catalog-ttl"), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after["Last-Modified"] != before["Last-Modified"]
    changed_at = ContentVersion.objects.get().changed_at.replace(microsecond=0)
    graph = Graph().parse(data=after.content.decode(), format="turtle")
    for subject in (node("catalog"), node("clusters"), node("clusters-csv-fr")):
        assert graph.value(subject, DCTERMS.modified).toPython() == changed_at


def test_it_reads_the_database_a_constant_few_times(
    client, shipped_guide, django_assert_max_num_queries
):
    # The content version (shared with the ETag and Last-Modified), then the
    # datasets' time spans: three aggregates.
    with django_assert_max_num_queries(4):
        client.get(reverse("opendata:catalog-ttl"))
    for _ in range(20):
        make_cluster()
        make_call()
        make_event()
    with django_assert_max_num_queries(4):
        client.get(reverse("opendata:catalog-jsonld"))
    # Kept until the content changes: the version alone.
    with django_assert_max_num_queries(1):
        client.get(reverse("opendata:catalog-jsonld"))


def test_it_holds_no_personal_data(client, shipped_guide):
    make_contact(
        first_name="Zéphyrine",
        last_name="Quelconque",
        email="zephyrine.quelconque@example.org",
        phone="+508 41 00 00",
        is_public=True,
    )
    for name in CATALOGUES:
        body = client.get(reverse(name)).content.decode()
        for contact in Contact.objects.all():
            assert f"{contact.first_name} {contact.last_name}" not in body
            if contact.email:
                assert contact.email not in body
            if contact.phone:
                assert contact.phone not in body
        graph = Graph().parse(data=body, format=CATALOGUES[name])
        mailboxes = {str(term) for term in graph.all_nodes() if str(term).startswith("mailto:")}
        assert mailboxes == {f"mailto:{settings.CONTACT_EMAIL}"}


def test_every_node_has_an_address_under_the_site(client, shipped_guide):
    graph = fetch(client, "opendata:catalog-ttl")
    assert not [term for term in graph.all_nodes() if isinstance(term, BNode)]
    for kind in (DCAT.Catalog, DCAT.Dataset, DCAT.Distribution, DCAT.DataService):
        for subject in graph.subjects(RDF.type, kind):
            assert str(subject).startswith(f"{SITE}catalog.ttl#")


def test_it_lists_four_datasets_and_the_api_serving_three(client, shipped_guide):
    graph = fetch(client, "opendata:catalog-ttl")
    datasets = {node(name) for name in ("clusters", "calls", "events", "figures")}
    assert set(graph.objects(node("catalog"), DCAT.dataset)) == datasets
    assert set(graph.objects(node("api"), DCAT.servesDataset)) == datasets - {node("figures")}
    assert graph.value(node("api"), DCAT.endpointURL) == URIRef(f"{SITE}api/v1/")
    assert graph.value(node("api"), DCAT.endpointDescription) == URIRef(
        f"{SITE}api/v1/openapi.json"
    )
    api_lists = set(graph.subjects(DCAT.accessService, node("api")))
    assert {graph.value(d, DCAT.accessURL) for d in api_lists} == {
        URIRef(f"{SITE}api/v1/{path}/") for path in ("clusters", "calls", "events")
    }


def test_the_files_it_lists_are_there(client, shipped_guide):
    graph = fetch(client, "opendata:catalog-ttl")
    files = set(graph.objects(None, DCAT.downloadURL))
    assert len(files) == 2 * (2 + 1 + 1 + 1 + len(CHARTS))  # both languages
    for url in files:
        assert url.startswith(SITE)
        assert client.get(url).status_code == 200, url
    pages = set(graph.objects(None, DCAT.landingPage)) | set(graph.objects(None, FOAF.homepage))
    api_docs = URIRef(f"{SITE}api/v1/docs/")
    for url in pages - {api_docs}:
        assert client.get(url).status_code in (200, 302), url  # / sends to /fr/ or /en/
    # The API's addresses: its views (tests/api tests what they answer).
    api = set(graph.objects(None, DCAT.accessURL)) - files | {api_docs}
    api |= {graph.value(node("api"), p) for p in (DCAT.endpointURL, DCAT.endpointDescription)}
    names = {resolve(url.removeprefix(SITE[:-1])).view_name for url in api}
    assert names == {
        f"api:{name}"
        for name in ("root", "schema", "docs", "cluster-list", "call-list", "event-list")
    }


def test_the_figures_files_follow_the_charts(shipped_guide):
    charts = all_charts()
    assert set(CHARTS) == {chart.slug for chart in charts}
    for language in ("fr", "en"):
        with translation.override(language):
            titles = {chart.slug: str(chart.title) for chart in charts}
        assert titles == {slug: title[language] for slug, title in CHARTS.items()}
