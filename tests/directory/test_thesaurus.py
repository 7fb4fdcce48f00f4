"""The search's thesaurus: kept by editors in the admin, used by the next search."""

import re

import pytest
from django.test import Client

from directory.models import SynonymGroup
from tests.factories import make_cluster
from tests.helpers import editor_client, url

pytestmark = pytest.mark.django_db


def found(client, query, language="en"):
    response = client.get(url("guide:cluster-list", language), {"q": query})
    return response, re.findall(
        r'class="card__title"><a href="/\w\w/clusters/([\w-]+)/"', response.content.decode()
    )


def test_a_synonym_added_in_the_admin_is_used_by_the_next_search_with_the_page_cache_on(
    settings,
):
    settings.PAGE_CACHE_SECONDS = 600
    make_cluster(slug="hippolia", name_fr="Hippolia", description_fr="La filière équine.")
    visitor = Client()
    assert found(visitor, "zebrule")[1] == []
    assert found(visitor, "zebrule")[0]["X-Page-Cache"] == "hit"  # the page is cached

    editor = editor_client()
    response = editor.post(
        "/admin/directory/synonymgroup/add/",
        {"key": "zebrule", "terms": "zébrule\néquine", "note": "A test word"},
    )
    assert response.status_code == 302
    response, slugs = found(visitor, "Zébrules")  # plural, accents: the same group
    assert slugs == ["hippolia"] and "X-Page-Cache" not in response

    group = SynonymGroup.objects.get(key="zebrule")
    editor.post(
        f"/admin/directory/synonymgroup/{group.pk}/change/",
        {"key": "zebrule", "terms": "zébrule\nmaritime", "note": ""},
    )
    assert found(visitor, "zebrule")[1] == []
    editor.post(f"/admin/directory/synonymgroup/{group.pk}/delete/", {"post": "yes"})
    assert not SynonymGroup.objects.exists()


def test_editors_see_the_thesaurus_in_the_admin():
    SynonymGroup.objects.create(key="cheval", terms="cheval\nchevaux\nhorse")
    html = editor_client().get("/admin/directory/synonymgroup/").content.decode()
    assert "cheval, chevaux, horse" in html


def test_a_search_that_names_a_region_offers_the_filter_and_a_typo_gets_a_suggestion(client):
    from tests.factories import make_region

    brittany = make_region(slug="bretagne", name_fr="Bretagne", name_en="Brittany")
    make_cluster(name_fr="Pôle Mer Bretagne Atlantique", regions=[brittany])
    html = found(client, "Brittany")[0].content.decode()
    assert '<a href="?region=bretagne">' in html
    html = found(client, "Britany")[0].content.decode()
    assert "Did you mean" in html and 'href="?q=brittany"' in html.lower()


def test_a_name_too_far_for_the_typos_is_still_offered_as_a_suggestion(client):
    make_cluster(name_fr="Minalogic")
    response, names = found(client, "mminalogiq")  # 0.58 alike: under the typos' 0.6
    html = response.content.decode()
    assert names == [] and "Did you mean" in html and 'href="?q=Minalogic"' in html
