"""The read API: what it answers, in both languages, and how it refuses."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.models import Cluster, Labelling
from tests.factories import (
    make_call,
    make_cluster,
    make_contact,
    make_event,
    make_organisation,
    make_region,
    make_sector,
    make_type,
)

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def guide(db):
    poles = make_type(slug="pole-de-competitivite", level="national", name_en="Competitiveness")
    grappes = make_type(slug="grappe-d-entreprises", level="national")
    brittany = make_region(slug="bretagne", name_fr="Bretagne", name_en="Brittany")
    spm = make_region(
        slug="saint-pierre-et-miquelon",
        name_fr="Saint-Pierre-et-Miquelon",
        insee_code="975",
        kind="overseas-collectivity",
    )
    sea = make_sector(slug="mer", name_fr="Mer", name_en="Sea")
    pole_mer = make_cluster(
        slug="pole-mer",
        name_fr="Pôle Mer Bretagne",
        name_en="Brittany Sea Cluster",
        description_fr="Innovation maritime.",
        description_en="Maritime innovation.",
        cluster_type=poles,
        regions=[brittany],
        sectors=[sea],
        email="contact@pole-mer.example",
    )
    year = timezone.localdate().year
    Labelling.objects.create(cluster=pole_mer, phase_fr="Phase V", year=year - 1, until_year=year)
    make_cluster(slug="archipel", name_fr="Archipel", cluster_type=grappes, regions=[spm])
    make_cluster(slug="brouillon", name_fr="Brouillon", is_published=False, regions=[brittany])
    funder = make_organisation(slug="bpi", name_fr="Bpifrance", kind="funder")
    make_contact(
        first_name="Anne",
        last_name="Le Goff",
        email="anne.legoff@pole-mer.example",
        cluster=pole_mer,
    )
    today = timezone.localdate()
    make_call(
        slug="appel-mer",
        title_fr="Appel mer",
        funder=funder,
        eligible_types=[poles],
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=30),
    )
    event = make_event(slug="salon-mer", title_fr="Salon de la mer", starts_on=today)
    event.clusters.add(pole_mer)
    return pole_mer


def test_the_root_lists_every_collection_and_the_openapi_document(client, guide):
    data = client.get("/api/v1/").json()

    for name in ("clusters", "types", "sectors", "regions", "calls", "events", "organisations"):
        assert client.get(data[name]).status_code == 200
    assert data["openapi"] == "http://testserver/api/v1/openapi.json"


def test_a_cluster_has_both_languages_and_links_to_its_resources(client, guide):
    data = client.get("/api/v1/clusters/pole-mer/").json()

    assert data["name_fr"] == "Pôle Mer Bretagne" and data["name_en"] == "Brittany Sea Cluster"
    assert data["description_en"] == "Maritime innovation."
    assert data["pages"] == {
        "fr": "http://testserver/fr/clusters/pole-mer/",
        "en": "http://testserver/en/clusters/pole-mer/",
    }
    assert data["type"]["url"] == "http://testserver/api/v1/types/pole-de-competitivite/"
    assert data["type"]["name_en"] == "Competitiveness"
    assert [r["name_en"] for r in data["regions"]] == ["Brittany"]
    assert client.get(data["sectors"][0]["url"]).json()["name_en"] == "Sea"
    assert data["label_status"] == "labelled"
    assert data["label_history"][0]["phase_fr"] == "Phase V"
    assert [e["slug"] for e in data["events"]] == ["salon-mer"]
    assert client.get(data["events"][0]["url"]).json()["clusters"][0]["slug"] == "pole-mer"


def test_nothing_personal_is_in_the_api(client, guide):
    everything = "".join(
        client.get(address).content.decode()
        for address in (
            "/api/v1/clusters/",
            "/api/v1/clusters/pole-mer/",
            "/api/v1/organisations/",
            "/api/v1/organisations/bpi/",
            "/api/v1/calls/",
            "/api/v1/events/",
        )
    )
    assert "anne.legoff" not in everything and "Le Goff" not in everything
    assert "contact@pole-mer.example" in everything  # the cluster's public address
    assert "brouillon" not in everything  # unpublished


def test_the_cluster_list_takes_the_directorys_filters_search_and_sort(client, guide):
    def slugs(**params):
        return [c["slug"] for c in client.get("/api/v1/clusters/", params).json()["results"]]

    assert slugs() == ["archipel", "pole-mer"]  # by French name, unpublished left out
    assert slugs(region="bretagne") == ["pole-mer"]
    assert slugs(region=["bretagne", "saint-pierre-et-miquelon"]) == ["archipel", "pole-mer"]
    assert slugs(type="grappe-d-entreprises") == ["archipel"]
    assert slugs(label="labelled") == ["pole-mer"]
    assert slugs(q="maritime") == ["pole-mer"]
    assert slugs(q="brittany sea") == ["pole-mer"]  # English words find it too


def test_pages_are_stable_and_linked(client, guide):
    for i in range(5):
        make_cluster(slug=f"extra-{i}", name_fr=f"Zeta {i}")
    first = client.get("/api/v1/clusters/", {"page_size": 3}).json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()

    assert first["count"] == 7 and first["previous"] is None and third["next"] is None
    seen = [c["slug"] for page in (first, second, third) for c in page["results"]]
    assert len(seen) == len(set(seen)) == 7
    assert client.get(second["previous"]).json() == first


def test_calls_carry_their_status_and_events_their_dates(client, guide):
    call = client.get("/api/v1/calls/appel-mer/").json()
    assert call["status"] == "open" and call["funder"]["slug"] == "bpi"
    assert [t["slug"] for t in call["eligible_types"]] == ["pole-de-competitivite"]
    assert client.get("/api/v1/calls/", {"status": "closed"}).json()["count"] == 0
    assert client.get("/api/v1/calls/", {"status": "open"}).json()["count"] == 1
    event = client.get("/api/v1/events/salon-mer/").json()
    assert event["starts_on"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("/api/v1/clusters/?region=atlantide", 400),
        ("/api/v1/clusters/?sort=colour", 400),
        ("/api/v1/calls/?status=someday", 400),
        ("/api/v1/events/?year=nineteen", 400),
        ("/api/v1/clusters/?page=999", 404),
        ("/api/v1/clusters/brouillon/", 404),
        ("/api/v1/nowhere/", 404),
        ("/api/v1/clusters/%00/", 400),
        ("/api/v1/clusters/?q=%00", 400),
    ],
)
def test_refusals_are_problem_documents_in_the_readers_language(client, guide, address, status):
    response = client.get(address, HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
    assert "<html" not in response.content.decode().lower()


def test_an_unknown_value_is_named_in_the_problem(client, guide):
    problem = client.get(
        "/api/v1/clusters/", {"region": ["bretagne", "atlantide"]}, HTTP_ACCEPT_LANGUAGE="en"
    ).json()

    assert problem["errors"] == {"region": ["Unknown value: atlantide"]}


def test_only_reading_is_allowed(client, guide):
    response = client.post("/api/v1/clusters/", {"name": "x"})

    assert response.status_code == 405 and response["Content-Type"] == PROBLEM
    assert "GET" in response["Allow"]


def test_a_conditional_request_gets_304_until_the_content_changes(client, guide):
    response = client.get("/api/v1/clusters/")
    etag, modified = response["ETag"], response["Last-Modified"]

    assert client.get("/api/v1/clusters/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/api/v1/clusters/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    not_modified = client.get("/api/v1/calls/appel-mer/", HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""

    Cluster.objects.get(slug="archipel").save()  # an edit in the admin: a new version
    changed = client.get("/api/v1/clusters/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    # A refusal is never "not modified".
    assert client.get("/api/v1/clusters/nope/", HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_any_site_may_read_the_api_from_a_script(client, guide):
    response = client.get("/api/v1/clusters/", HTTP_ORIGIN="https://data.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]

    preflight = client.options(
        "/api/v1/clusters/",
        HTTP_ORIGIN="https://data.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    # The guide's pages are not opened to other sites.
    page = client.get("/fr/clusters/", HTTP_ORIGIN="https://data.example.org")
    assert "Access-Control-Allow-Origin" not in page


def test_an_address_that_asks_too_often_gets_429_with_retry_after(client, guide, settings):
    settings.API_RATE = "3/min"
    for _ in range(3):
        assert client.get("/api/v1/types/").status_code == 200

    refused = client.get("/api/v1/types/", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429 and refused["Content-Type"] == PROBLEM
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"].lower()
    # Another address is not held back.
    assert client.get("/api/v1/types/", REMOTE_ADDR="192.0.2.7").status_code == 200


LISTS = [
    "/api/v1/clusters/",
    "/api/v1/clusters/?region=bretagne&region=saint-pierre-et-miquelon",
    "/api/v1/clusters/?q=cluster",
    "/api/v1/types/",
    "/api/v1/sectors/",
    "/api/v1/regions/",
    "/api/v1/calls/",
    "/api/v1/calls/?status=open",
    "/api/v1/events/",
    "/api/v1/organisations/",
]


def _queries(client, address) -> int:
    client.get(address)  # what a process reads once (facet index, names) is read
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


@pytest.mark.parametrize("address", LISTS)
def test_a_list_takes_the_same_few_queries_for_one_result_or_many(client, guide, address):
    one = _queries(client, address + ("&" if "?" in address else "?") + "page_size=1")
    brittany = make_region(slug="finistere-nord", name_fr="Finistère", insee_code="29")
    for i in range(12):
        cluster = make_cluster(slug=f"cluster-{i}", name_fr=f"Cluster {i}", regions=[brittany])
        event = make_event(slug=f"evenement-{i}")
        event.clusters.add(cluster)
        make_call(slug=f"appel-{i}", funder=make_organisation(slug=f"org-{i}"))
        make_sector(slug=f"secteur-{i}")
        make_type(slug=f"type-{i}")
    many = _queries(client, address + ("&" if "?" in address else "?") + "page_size=50")

    assert one == many
    # The version, the count, the rows, a prefetch; the events' filter reads its years
    # and countries.
    assert many <= 6


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/clusters/pole-mer/",
        "/api/v1/types/pole-de-competitivite/",
        "/api/v1/sectors/mer/",
        "/api/v1/regions/bretagne/",
        "/api/v1/calls/appel-mer/",
        "/api/v1/events/salon-mer/",
        "/api/v1/organisations/bpi/",
    ],
)
def test_a_detail_takes_a_few_queries(client, guide, address):
    assert _queries(client, address) <= 5
