"""The minimal public pages of the foundation, in French and English."""

import pytest

from tests.factories import make_call, make_cluster, make_region, make_sector, make_type
from tests.helpers import url

pytestmark = pytest.mark.django_db


def test_the_root_sends_visitors_to_french_by_default(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_the_root_sends_english_speaking_browsers_to_english(client):
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.8"})

    assert response["Location"] == "/en/"
    assert "Accept-Language" in response["Vary"]


def test_the_home_page_groups_types_by_level_with_published_counts(client):
    poles = make_type(name_fr="Pôle de compétitivité", name_en="Competitiveness cluster")
    make_cluster(cluster_type=poles)
    make_cluster(cluster_type=poles)
    make_cluster(cluster_type=poles, is_published=False)
    make_type(name_fr="Cluster régional", level="regional")

    french = client.get(url("guide:home")).content.decode()
    english = client.get(url("guide:home", "en")).content.decode()

    assert '<html lang="fr">' in french
    assert "Politique nationale" in french and "Politique régionale" in french
    assert "2 clusters dans le guide" in french
    assert "0 cluster dans le guide" in french
    assert '<html lang="en">' in english
    assert "Competitiveness cluster" in english and "2 clusters in the guide" in english


def test_a_cluster_page_shows_its_facts_in_the_page_language(client):
    sector = make_sector(
        slug="economie-numerique", name_fr="Économie numérique", name_en="Digital economy"
    )
    region = make_region(slug="auvergne-rhone-alpes", name_fr="Auvergne-Rhône-Alpes")
    cluster = make_cluster(
        slug="minalogic",
        name_fr="Minalogic",
        description_fr="Pôle des technologies du numérique.",
        description_en="Digital technology cluster.",
        sectors=[sector],
        regions=[region],
    )

    french = client.get(url("guide:cluster-detail", slug=cluster.slug))
    english = client.get(url("guide:cluster-detail", "en", slug=cluster.slug))

    assert french.status_code == english.status_code == 200
    assert "Pôle des technologies du numérique." in french.content.decode()
    assert "Digital technology cluster." in english.content.decode()
    assert 'href="/en/clusters/?sector=economie-numerique"' in english.content.decode()
    assert 'href="/fr/clusters/?region=auvergne-rhone-alpes"' in french.content.decode()


def test_the_language_switcher_leads_to_the_same_cluster(client):
    cluster = make_cluster(slug="derbi")

    html = client.get(url("guide:cluster-detail", slug="derbi")).content.decode()

    assert 'href="/en/clusters/derbi/" hreflang="en"' in html
    assert (
        '<link rel="alternate" hreflang="en" href="http://testserver/en/clusters/derbi/">' in html
    )
    assert cluster.get_absolute_url() == "/fr/clusters/derbi/"


def test_an_english_page_shows_french_text_when_english_is_missing(client):
    make_cluster(slug="clubtex", description_fr="Réseau du textile.", description_en="")

    html = client.get(url("guide:cluster-detail", "en", slug="clubtex")).content.decode()

    assert "Réseau du textile." in html


def test_unpublished_and_unknown_clusters_are_not_found(client):
    make_cluster(slug="hidden", is_published=False)

    assert client.get(url("guide:cluster-detail", slug="hidden")).status_code == 404
    response = client.get(url("guide:cluster-detail", "en", slug="nope"))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_cluster_page_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    cluster_type = make_type()
    make_call(eligible_types=[cluster_type])
    cluster = make_cluster(
        cluster_type=cluster_type,
        sectors=[make_sector() for _ in range(5)],
        regions=[make_region() for _ in range(5)],
    )
    # cluster with its type, sectors, regions, label history, contacts, events; open calls
    with django_assert_num_queries(7):
        assert client.get(cluster.get_absolute_url()).status_code == 200


def test_a_nul_byte_in_the_query_string_is_refused_with_400(client):
    response = client.get(url("guide:cluster-list"), {"q": "pole\x00mer"})

    assert response.status_code == 400


def test_the_calls_page_shows_status_badges_in_the_page_language(client):
    make_call(title_fr="Appel ouvert", title_en="Open call")

    french = client.get(url("guide:call-list")).content.decode()
    english = client.get(url("guide:call-list", "en")).content.decode()

    assert "Appel ouvert" in french and "Ouvert" in french
    assert "Open call" in english and 'class="badge badge--open">Open<' in english
