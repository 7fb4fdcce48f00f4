"""The open-data page: how to reuse the guide's data, in both languages."""

import html
import re

import extruct
import pytest
from django.core.cache import cache, caches
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.formats import date_format

from directory import content_version
from guide.structured_data import LICENCE_URL
from tests.helpers import url

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "en"]
SERVER = "http://testserver"

# What the page links to, by URL name.
LINKED = [
    "guide:export-csv",
    "guide:export-json",
    "guide:figures",
    "guide:calls-atom",
    "guide:calls-ics",
    "guide:events-ics",
    "guide:cluster-list",
    "guide:privacy",
    "api:root",
    "api:docs",
    "api:schema",
    "opendata:catalog-ttl",
    "opendata:catalog-jsonld",
]


def page(client, language):
    response = client.get(url("guide:open-data", language))
    assert response.status_code == 200
    return response, response.content.decode()


def main_links(text):
    main = re.search(r"<main[^>]*>(.*?)</main>", text, re.S).group(1)
    return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', main)]


def dataset(response):
    address = SERVER + response.wsgi_request.path
    items = extruct.extract(response.content.decode(), base_url=address, syntaxes=["json-ld"])
    (web_page,) = items["json-ld"]
    assert web_page["@type"] == "WebPage"
    return web_page, web_page["mainEntity"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_says_how_to_reuse_the_data_in_each_language(client, shipped_guide, language):
    _response, text = page(client, language)

    title = {"fr": "Données ouvertes", "en": "Open data"}[language]
    assert f"<h1>{title}</h1>" in text
    assert f'<html lang="{language}">' in text
    links = main_links(text)
    for name in LINKED:
        assert url(name, language) in links, name
    api_words = ["ETag", "If-None-Match", "429", "Retry-After", "CORS", "application/problem+json"]
    for words in api_words:
        assert words in text, words
    assert "DCAT-AP 3" in text and "data.gouv.fr" in text and "data.europa.eu" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_link_of_the_page_leads_to_a_page(client, shipped_guide, language):
    _response, text = page(client, language)

    for link in main_links(text):
        if link.startswith("http"):
            assert link == LICENCE_URL
            continue
        match = resolve(link.split("?")[0])
        if match.namespace == "guide":  # the API and catalogue are other apps' to test
            assert client.get(link).status_code == 200, link


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_licence_is_the_open_licence_with_its_attribution(client, shipped_guide, language):
    _response, text = page(client, language)

    assert f'<a href="{LICENCE_URL}" rel="license external" hreflang="fr">' in text
    assert "Licence Ouverte 2.0" in text
    assert {"fr": "y compris commerciale", "en": "commercial use included"}[language] in text
    assert "Guide des clusters français, CACIMA" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_gives_the_time_of_the_last_change_in_its_language(
    client, shipped_guide, language
):
    changed_at = content_version.changed_at()
    _response, text = page(client, language)

    with translation.override(language):
        shown = date_format(timezone.localtime(changed_at), "DATETIME_FORMAT")
        day = date_format(timezone.localtime(changed_at), "DATE_FORMAT")
    stamp = timezone.localtime(changed_at).strftime("%Y-%m-%dT%H:%M:%S%z")
    assert f'<time datetime="{stamp}">{html.escape(shown)}</time>' in text
    data_of = {"fr": "données du", "en": "data of"}[language]
    assert f"Guide des clusters français, CACIMA, {data_of} {html.escape(day)}" in text


def test_without_a_recorded_change_the_page_says_so(client, db, monkeypatch):
    monkeypatch.setattr(content_version, "changed_at", lambda: None)

    response, text = page(client, "fr")

    assert "Aucune modification n’a encore été enregistrée." in text
    assert "<time" not in text
    assert "dateModified" not in dataset(response)[1]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_describes_the_dataset_for_search_engines(client, shipped_guide, language):
    response, _text = page(client, language)
    web_page, data = dataset(response)

    assert web_page["inLanguage"] == language
    assert web_page["url"] == SERVER + url("guide:open-data", language)
    assert data["@type"] == "Dataset"
    assert data["name"] and data["description"]
    assert data["license"] == LICENCE_URL
    assert data["creator"]["@type"] == data["publisher"]["@type"] == "Organization"
    assert data["creator"]["name"] == data["publisher"]["name"] == "CACIMA"
    assert data["dateModified"] == content_version.changed_at().isoformat(timespec="seconds")
    assert data["spatialCoverage"]["@type"] == "Place"
    assert "Saint-Pierre-et-Miquelon" in data["spatialCoverage"]["name"]
    assert data["inLanguage"] == ["fr", "en"]
    assert data["isAccessibleForFree"] is True
    files = [(f["@type"], f["encodingFormat"], f["contentUrl"]) for f in data["distribution"]]
    assert files == [
        ("DataDownload", "text/csv", SERVER + url("guide:export-csv", language)),
        ("DataDownload", "application/json", SERVER + url("guide:export-json", language)),
        ("DataDownload", "text/turtle", SERVER + url("opendata:catalog-ttl")),
        ("DataDownload", "application/ld+json", SERVER + url("opendata:catalog-jsonld")),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_links_to_it_from_its_footer(client, shipped_guide, language):
    address = url("guide:open-data", language)
    home = client.get(url("guide:home", language)).content.decode()
    footer = re.search(r'<footer class="site-footer">(.*?)</footer>', home, re.S).group(1)
    assert f'<a href="{address}">' in footer

    own = page(client, language)[1]
    assert f'<a href="{address}" aria-current="page">' in own


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_directory_links_to_it_beside_its_downloads(client, shipped_guide, language):
    text = client.get(url("guide:cluster-list", language)).content.decode()
    export = re.search(r'<p class="export">(.*?)</p>', text, re.S).group(1)

    assert f'<a href="{url("guide:open-data", language)}">' in export


def test_the_page_runs_one_query(client, shipped_guide, django_assert_max_num_queries):
    page(client, "fr")
    with django_assert_max_num_queries(1):  # the content version's row
        page(client, "en")


def test_the_page_is_cached_once_whatever_its_query(client, shipped_guide, settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    caches["pages"].clear()
    address = url("guide:open-data", "fr")
    first = client.get(address)

    second = client.get(address + "?utm_source=lettre")

    assert "X-Page-Cache" not in first and second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_the_page_is_in_the_sitemap_in_both_languages(client):
    pages = client.get("/sitemap-pages.xml").content.decode()

    assert "<loc>http://testserver/fr/open-data/</loc>" in pages
    assert "<loc>http://testserver/en/open-data/</loc>" in pages
