"""The schema.org data (JSON-LD) of every page type, read as a search engine would (extruct)."""

import html
import json
import re

import extruct
import pytest
from django.urls import resolve

from directory.models import CallForProposals, Cluster, Event, Organisation
from guide.structured_data import LICENCE_URL
from tests.factories import make_cluster, make_contact
from tests.helpers import PAGE_TYPES, url

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "en"]
SERVER = "http://testserver"

# The schema.org types each page type gives at its top level.
EXPECTED_TYPES = {
    "home": ["WebSite"],
    "directory": ["CollectionPage"],
    "directory-filtered": ["CollectionPage"],
    "cluster": ["Organization", "BreadcrumbList"],
    "type": ["CollectionPage"],
    "calls": ["CollectionPage"],
    "call": ["MonetaryGrant", "BreadcrumbList"],
    "events": ["CollectionPage"],
    "event": ["Event", "BreadcrumbList"],
    "figures": ["WebPage"],
    "contacts": ["CollectionPage"],
    "open-data": ["WebPage"],
}  # any other page: a plain WebPage


def structured(response):
    """The JSON-LD items of a response, as extruct reads them."""
    address = SERVER + response.wsgi_request.get_full_path()
    found = extruct.extract(response.content.decode(), base_url=address, syntaxes=["json-ld"])
    return found["json-ld"]


def get(client, address, status=200):
    response = client.get(address)
    assert response.status_code == status, address
    return response, structured(response)


def one(items, schema_type):
    found = [item for item in items if item.get("@type") == schema_type]
    assert len(found) == 1, (schema_type, items)
    return found[0]


def listed(item_list):
    """An ItemList's (position, name, url) triples."""
    return [(i["position"], i["name"], i["url"]) for i in item_list["itemListElement"]]


def absolute(path):
    return SERVER + path


def visible_breadcrumb(page):
    """The (name, absolute address) links of the page's breadcrumb."""
    nav = re.search(r'<nav [^>]*class="breadcrumb">(.*?)</nav>', page, re.S).group(1)
    return [
        (html.unescape(name), absolute(html.unescape(href)))
        for href, name in re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)
    ]


def addresses(value):
    """Every address in the data (url, item, contentUrl, target...)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in ("url", "item", "contentUrl", "target", "@id") and isinstance(inner, str):
                yield inner
            else:
                yield from addresses(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from addresses(inner)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_every_page_type_has_its_schema_org_data(client, shipped_guide, name, language):
    status = 404 if name == "not-found" else 200
    response, items = get(client, PAGE_TYPES[name].format(lang=language), status)

    assert [item["@type"] for item in items] == EXPECTED_TYPES.get(name, ["WebPage"])
    for item in items:
        assert item["@context"] == "https://schema.org"
        if item["@type"] not in ("Organization", "BreadcrumbList"):
            assert item["inLanguage"] == language
    found = list(addresses(items))
    assert found and all(address.startswith(f"{SERVER}/") for address in found)  # absolute
    this_page = absolute(response.wsgi_request.path)
    for address in found:  # each leads to a page of the guide (the 404 page's own aside)
        if address != this_page:
            resolve(address.removeprefix(SERVER).split("?")[0].split("#")[0])


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_is_the_website_with_its_search(client, shipped_guide, language):
    _response, items = get(client, url("guide:home", language))
    site = one(items, "WebSite")

    names = {"fr": "Guide des clusters français", "en": "Guide to French clusters"}
    assert site["name"] == names[language]
    assert site["url"] == absolute(f"/{language}/")
    assert site["publisher"]["@type"] == "Organization"
    assert site["publisher"]["name"] == "CACIMA"
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"] == absolute(f"/{language}/clusters/?q={{search_term_string}}")
    assert action["query-input"] == "required name=search_term_string"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "query", ["", "?q=pole&type=pole-de-competitivite&region=bretagne", "?page=2"]
)
def test_the_directory_lists_the_clusters_it_shows(client, shipped_guide, language, query):
    response, items = get(client, url("guide:cluster-list", language) + query)
    page = response.context["page"]
    shown = list(page.object_list)

    collection = one(items, "CollectionPage")
    assert collection["url"] == absolute(response.wsgi_request.get_full_path())
    assert collection["mainEntity"]["numberOfItems"] == len(shown) > 0
    assert listed(collection["mainEntity"]) == [
        (page.start_index() + i, cluster.name, absolute(cluster.get_absolute_url()))
        for i, cluster in enumerate(shown)
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_calls_events_and_contacts_list_what_they_show(client, shipped_guide, language):
    response, items = get(client, url("guide:call-list", language))
    calls = list(response.context["filter"].qs)
    assert listed(one(items, "CollectionPage")["mainEntity"]) == [
        (i, call.title, absolute(call.get_absolute_url())) for i, call in enumerate(calls, 1)
    ]
    assert response.content.decode().count('class="card') >= len(calls) > 0

    response, items = get(client, url("guide:event-list", language))
    events = response.context["upcoming"] + response.context["past"]
    assert [name for _n, name, _u in listed(one(items, "CollectionPage")["mainEntity"])] == [
        event.title for event in events
    ]
    assert len(events) == Event.objects.published().count()

    response, items = get(client, url("guide:contacts", language))
    organisations = re.findall(r'<li class="card" id="([^"]+)">', response.content.decode())
    entries = listed(one(items, "CollectionPage")["mainEntity"])
    assert [address for _p, _n, address in entries] == [
        absolute(url("guide:contacts", language)) + f"#{slug}" for slug in organisations
    ]
    assert entries[0][1] == Organisation.objects.get(slug=organisations[0]).name


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cluster_page_keeps_its_organization_and_gives_its_breadcrumb(
    client, shipped_guide, language
):
    response, items = get(client, url("guide:cluster-detail", language, slug="cosmetic-valley"))
    cluster = response.context["cluster"]

    organization = one(items, "Organization")
    assert organization["name"] == cluster.name == "Cosmetic Valley"
    assert organization["address"]["addressLocality"] == "Chartres"
    trail = one(items, "BreadcrumbList")["itemListElement"]
    visible = visible_breadcrumb(response.content.decode())
    assert [(i["name"], i["item"]) for i in trail] == [
        *visible,
        (cluster.name, absolute(cluster.get_absolute_url())),
    ]
    assert [i["position"] for i in trail] == [1, 2, 3]
    assert visible[1][0] == cluster.cluster_type.name


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_type_page_is_a_collection_about_the_type(client, shipped_guide, language):
    response, items = get(client, url("guide:type-detail", language, slug="ptce"))
    cluster_type = response.context["cluster_type"]
    shown = list(response.context["page"].object_list)

    collection = one(items, "CollectionPage")
    assert collection["about"]["@type"] == "DefinedTerm"
    assert collection["about"]["name"] == collection["name"] == cluster_type.name
    assert collection["about"]["url"] == absolute(cluster_type.get_absolute_url())
    assert [name for _p, name, _u in listed(collection["mainEntity"])] == [c.name for c in shown]
    assert collection["mainEntity"]["numberOfItems"] == len(shown) > 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_event_gives_its_dates_place_and_organiser(client, shipped_guide, language):
    event = Event.objects.get(slug="vivatech-2026")
    response, items = get(client, url("guide:event-detail", language, slug=event.slug))

    data = one(items, "Event")
    assert data["name"] == event.title
    assert data["startDate"] == event.starts_on.isoformat()
    assert data["endDate"] == (event.ends_on or event.starts_on).isoformat()
    assert data["url"] == absolute(event.get_absolute_url())
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"]["addressLocality"] == "Paris"
    assert data["location"]["address"]["addressCountry"] == "France"
    assert data["organizer"]["name"] == event.organiser.name
    trail = one(items, "BreadcrumbList")["itemListElement"]
    assert [(i["name"], i["item"]) for i in trail] == [
        *visible_breadcrumb(response.content.decode()),
        (event.title, absolute(event.get_absolute_url())),
    ]


def test_an_event_known_to_the_year_says_only_the_year(client, shipped_guide):
    event = Event.objects.get(slug="world-innovation-cosmetic-cluster-summit-2016")
    _response, items = get(client, url("guide:event-detail", "en", slug=event.slug))

    assert event.date_precision == "year"
    assert one(items, "Event")["startDate"] == str(event.starts_on.year) == "2016"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_call_is_a_monetary_grant_with_its_funder_and_dates(client, shipped_guide, language):
    call = CallForProposals.objects.select_related("funder").get(slug="i3-2026-inv1")
    response, items = get(client, url("guide:call-detail", language, slug=call.slug))

    grant = one(items, "MonetaryGrant")
    assert grant["name"] == call.title
    assert grant["url"] == absolute(call.get_absolute_url())
    assert grant["funder"]["@type"] == "Organization"
    assert grant["funder"]["name"] == call.funder.name
    assert call.funder.name in response.content.decode()
    amount = grant["amount"]
    assert amount["@type"] == "MonetaryAmount" and amount["currency"] == "EUR"
    assert amount["validFrom"] == call.opens_on.isoformat()
    assert amount["validThrough"] == call.closes_on.isoformat()
    assert amount["value"] == int(call.budget_eur) == 28_200_000
    trail = one(items, "BreadcrumbList")["itemListElement"]
    assert [(i["name"], i["item"]) for i in trail] == [
        *visible_breadcrumb(response.content.decode()),
        (call.title, absolute(call.get_absolute_url())),
    ]


def test_a_call_without_budget_or_known_deadline_says_neither(client, shipped_guide):
    _response, items = get(client, url("guide:call-detail", "fr", slug="fui-bpifrance"))
    amount = one(items, "MonetaryGrant")["amount"]

    assert amount == {"@type": "MonetaryAmount", "currency": "EUR"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_figures_are_a_dataset_of_csv_files(client, shipped_guide, language):
    response, items = get(client, url("guide:figures", language))
    dataset = one(items, "WebPage")["mainEntity"]

    assert dataset["@type"] == "Dataset"
    assert dataset["license"] == LICENCE_URL
    assert dataset["creator"]["name"] == "CACIMA"
    files = dataset["distribution"]
    assert [f["name"] for f in files] == [str(chart.title) for chart in response.context["charts"]]
    for data_file in files:
        assert data_file["@type"] == "DataDownload" and data_file["encodingFormat"] == "text/csv"
        download = client.get(data_file["contentUrl"].removeprefix(SERVER))
        assert download.status_code == 200
        assert download["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["accessibility", "legal", "privacy", "introduction", "not-found"])
def test_other_pages_are_a_web_page_named_by_their_title(client, shipped_guide, name, language):
    status = 404 if name == "not-found" else 200
    response, items = get(client, PAGE_TYPES[name].format(lang=language), status)
    title = re.search(r"<title>(.*?) · ", response.content.decode()).group(1)

    page = one(items, "WebPage")
    assert page["name"] == html.unescape(title)
    assert page["url"] == absolute(response.wsgi_request.path)
    assert page["isPartOf"]["@type"] == "WebSite"
    assert page["isPartOf"]["url"] == absolute(f"/{language}/")


def test_no_contact_persons_email_is_in_the_data(client, shipped_guide):
    cluster = Cluster.objects.get(slug="cosmetic-valley")
    organisation = Organisation.objects.get(slug="bpifrance")
    emails = ["jeanne.martin@exemple.fr", "paul.durand@exemple.fr"]
    make_contact(cluster=cluster, organisation=organisation, email=emails[0], is_public=True)
    make_contact(organisation=organisation, email=emails[1], is_public=True)

    for language in LANGUAGES:
        for name, path in PAGE_TYPES.items():
            response = client.get(path.format(lang=language))
            data = json.dumps(structured(response))
            assert not any(email in data for email in emails), (name, language)
        # The pages show them, their data do not.
        cluster_page = client.get(url("guide:cluster-detail", language, slug=cluster.slug))
        assert emails[0] in cluster_page.content.decode()
        assert emails[1] in client.get(url("guide:contacts", language)).content.decode()


def test_the_data_block_cannot_end_early_or_run(client, db):
    name = 'Bad </script><script>alert("x")</script> & <!-- co'
    make_cluster(slug="bad", name_fr=name)

    response = client.get(url("guide:cluster-detail", "fr", slug="bad"))
    page = response.content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)

    assert "<" not in block and ">" not in block and "&" not in block
    assert one(structured(response), "Organization")["name"] == name
