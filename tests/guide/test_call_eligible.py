"""Who can apply to a call: its eligible clusters, narrowed by sector and region, as a shortlist."""

import csv
import io

import pytest

from tests.factories import make_call, make_cluster, make_region, make_sector, make_type
from tests.helpers import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def call_and_clusters():
    """A call open to one type, clusters of that type in two sectors and regions, and others."""
    eligible, other = make_type(name_fr="Grappe"), make_type(name_fr="Pôle")
    bois, mer = make_sector(slug="bois", name_fr="Bois"), make_sector(slug="mer", name_fr="Mer")
    bretagne = make_region(slug="bretagne", name_fr="Bretagne")
    corse = make_region(slug="corse", name_fr="Corse")
    make_cluster(
        name_fr="Arbres de Bretagne", cluster_type=eligible, sectors=[bois], regions=[bretagne]
    )
    make_cluster(
        name_fr="Marins de Bretagne", cluster_type=eligible, sectors=[mer], regions=[bretagne]
    )
    make_cluster(name_fr="Marins de Corse", cluster_type=eligible, sectors=[mer], regions=[corse])
    make_cluster(
        name_fr="Caché", cluster_type=eligible, sectors=[mer], regions=[corse], is_published=False
    )
    make_cluster(name_fr="Pôle marin", cluster_type=other, sectors=[mer], regions=[bretagne])
    return make_call(slug="appel", title_fr="Appel aux grappes", eligible_types=[eligible])


def page(client, **params):
    return client.get(url("guide:call-detail", slug="appel"), params)


def test_a_call_lists_the_published_clusters_of_its_eligible_types(client, call_and_clusters):
    html = page(client).content.decode()

    assert "3 grappes éligibles" in html or "3 clusters éligibles" in html
    for name in ("Arbres de Bretagne", "Marins de Bretagne", "Marins de Corse"):
        assert name in html
    assert "Caché" not in html and "Pôle marin" not in html


def test_sector_and_region_narrow_the_list_with_counts_like_the_directory(
    client, call_and_clusters
):
    html = page(client, sector="mer").content.decode()
    assert "Marins de Bretagne" in html and "Marins de Corse" in html
    assert "Arbres de Bretagne" not in html
    # The region counts apply the sector; the sector counts leave it out.
    assert 'id="id_region_bretagne"' in html and 'Bretagne <span class="count">(1)</span>' in html
    assert 'Bois <span class="count">(1)</span>' in html
    assert 'Mer <span class="count">(2)</span>' in html

    html = page(client, sector="mer", region="corse").content.decode()
    assert "Marins de Corse" in html and "Marins de Bretagne" not in html


def test_an_unknown_value_is_left_out_with_a_message(client, call_and_clusters):
    response = page(client, region="atlantide")

    assert response.status_code == 200
    assert (
        "« atlantide »" in response.content.decode() or "“atlantide”" in response.content.decode()
    )


def test_the_shortlist_downloads_as_csv_with_the_same_filters(client, call_and_clusters):
    response = client.get(url("guide:call-eligible-csv", slug="appel"), {"sector": "mer"})
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )

    assert response.status_code == 200
    assert sorted(row["name_fr"] for row in rows) == ["Marins de Bretagne", "Marins de Corse"]
    assert 'filename="eligible-appel-fr.csv"' in response["Content-Disposition"]


def test_the_eligible_list_is_paginated(client):
    grappe, region, sector = make_type(), make_region(), make_sector()
    for n in range(30):
        make_cluster(
            name_fr=f"Grappe {n:02}", cluster_type=grappe, regions=[region], sectors=[sector]
        )
    make_call(slug="appel", eligible_types=[grappe])

    first, second = page(client).content.decode(), page(client, page=2).content.decode()

    assert "Grappe 00" in first and "Grappe 29" not in first
    assert "Grappe 29" in second and "Page 2" in second


def test_a_call_open_to_no_cluster_type_shows_no_list(client):
    make_call(slug="appel")
    html = page(client).content.decode()
    assert 'id="eligible-title"' not in html


@pytest.mark.parametrize("count", [1, 30])
def test_the_call_page_runs_a_constant_number_of_queries(client, django_assert_num_queries, count):
    grappe, region, sector = make_type(), make_region(), make_sector()
    for _ in range(count):
        make_cluster(cluster_type=grappe, regions=[region], sectors=[sector])
    make_call(slug="appel", eligible_types=[grappe])
    page(client)  # reads the facet values into the cache

    # content version, the call, its eligible types, sector counts, region
    # counts, the number of eligible clusters, their page
    with django_assert_num_queries(7):
        page(client, sector=sector.slug)
