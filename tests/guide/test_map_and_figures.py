"""The map of France and the key-figures charts."""

import csv
import gzip
import html as html_module
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Count, Q
from django.utils import translation

from directory.facets import narrow
from directory.models import Cluster, ClusterType, Region, Sector
from guide.maps import legend, outlines, shade_of
from tests.factories import make_cluster, make_region, make_sector, make_type
from tests.helpers import url

pytestmark = pytest.mark.django_db

ALL_CODES = {
    "11",
    "24",
    "27",
    "28",
    "32",
    "44",
    "52",
    "53",
    "75",
    "76",
    "84",
    "93",
    "94",
    "01",
    "02",
    "03",
    "04",
    "06",
    "975",
    "977",
    "978",
    "986",
    "987",
    "988",
}


def map_links(html, map_id):
    """{href: aria-label} of the areas of one map."""
    svg = html.split(f'id="{map_id}"', 1)[1].split("</svg>", 1)[0]
    found = re.findall(r'<a href="([^"]+)" class="map__area[^"]*" aria-label="([^"]+)"', svg)
    return {href: html_module.unescape(label) for href, label in found}


def test_the_map_asset_holds_every_region_and_overseas_territory():
    assert set(outlines()["regions"]) == ALL_CODES
    size = Path(settings.BASE_DIR, "guide", "mapdata.json").stat().st_size
    assert size < 60_000  # simplified once by tools/build_map.py


def test_shades_grow_with_counts_and_the_legend_covers_them():
    assert [shade_of(n, 20) for n in (0, 1, 5, 6, 10, 11, 16, 20)] == [0, 1, 1, 2, 2, 3, 4, 4]
    assert legend(20) == [
        ("#eef1f4", "0"),
        ("#c6dbef", "1–5"),
        ("#8fbbe0", "6–10"),
        ("#2f6aa8", "11–15"),
        ("#17487f", "16–20"),
    ]
    assert legend(0) == [("#eef1f4", "0")]


def test_the_home_map_shows_every_territory_with_its_count_and_link(client, shipped_guide):
    html = client.get(url("guide:home", "en")).content.decode()
    links = map_links(html, "home-map")
    expected = Region.objects.annotate(n=Count("clusters", filter=Q(clusters__is_published=True)))

    assert len(links) == 24
    for region in expected:
        with translation.override("en"):
            href = region.get_absolute_url()
            label = f"{region.name}: {region.n} cluster" + ("s" if region.n != 1 else "")
        assert links[href] == label
    assert "Saint Pierre and Miquelon: 1 cluster" in links.values()  # its maritime cluster
    assert "IGN – Admin Express, INSEE" in html and "Natural Earth" in html


def test_the_directory_map_counts_follow_the_filters_and_its_links_keep_them(client, db):
    sector, other = make_sector(slug="services"), make_sector(slug="logistique")
    bretagne = make_region(slug="bretagne", name_fr="Bretagne", insee_code="53")
    spm = make_region(
        slug="saint-pierre-et-miquelon",
        name_fr="Saint-Pierre-et-Miquelon",
        insee_code="975",
        kind="overseas-collectivity",
    )
    make_cluster(sectors=[sector], regions=[bretagne])
    make_cluster(sectors=[sector], regions=[spm])
    make_cluster(sectors=[sector], regions=[spm])
    make_cluster(sectors=[other], regions=[spm])

    html = client.get(
        url("guide:cluster-list"), {"sector": "services", "region": "bretagne"}
    ).content.decode()
    links = map_links(html, "results-map")

    assert links["?region=bretagne&amp;sector=services"] == "Bretagne : 1 cluster"
    assert links["?region=saint-pierre-et-miquelon&amp;sector=services"] == (
        "Saint-Pierre-et-Miquelon : 2 clusters"
    )
    # following a link gives as many results as its label says
    response = client.get(
        url("guide:cluster-list"), {"sector": "services", "region": "saint-pierre-et-miquelon"}
    )
    assert response.context["page"].paginator.count == 2


def test_the_map_is_an_accessible_group_of_links_with_a_table_beside_it(client, shipped_guide):
    html = client.get(url("guide:home")).content.decode()

    assert 'role="group" aria-labelledby="home-map-title home-map-desc"' in html
    assert '<title id="home-map-title">' in html and '<desc id="home-map-desc">' in html
    assert "Les mêmes chiffres sous forme de tableau" in html


def test_the_figures_page_numbers_equal_the_database_counts(client, shipped_guide):
    response = client.get(url("guide:figures", "en"))
    charts = {
        chart.slug: {bar.label: bar.value for bar in chart.bars}
        for chart in response.context["charts"]
    }
    published = Cluster.objects.published()

    with translation.override("en"):
        for cluster_type in ClusterType.objects.all():
            label = cluster_type.short_name or cluster_type.name
            assert charts["types"][label] == published.filter(cluster_type=cluster_type).count()
        for sector in Sector.objects.all():
            assert charts["sectors"][sector.name] == narrow(published, sector=[sector.slug]).count()
        for region in Region.objects.all():
            assert charts["regions"][region.name] == narrow(published, region=[region.slug]).count()
        assert charts["levels"]["National policy"] == narrow(published, level=["national"]).count()
    assert sum(charts["types"].values()) == published.count()
    assert charts["labelling"]["2023"] == 55  # the phase V pôles
    html = response.content.decode()
    assert '<svg class="chart__svg"' in html and "The numbers as a table" in html


def test_the_figures_page_says_how_many_of_each_type_are_labelled_now(client, shipped_guide):
    response = client.get(url("guide:figures", "en"))
    types = next(chart for chart in response.context["charts"] if chart.slug == "types")
    labelled = {bar.url: bar.labelled_now for bar in types.bars}
    published = Cluster.objects.published()

    for cluster_type in ClusterType.objects.all():
        with translation.override("en"):
            address = cluster_type.get_absolute_url()
        expected = narrow(published, type=[cluster_type.slug], label=["labelled"]).count()
        assert labelled[address] == expected, cluster_type.slug
    assert labelled["/en/types/pole-de-competitivite/"] > 40  # phase V runs to 2026
    html = response.content.decode()
    assert '<th scope="col">Of which labelled now</th>' in html
    rows = list(
        csv.reader(
            io.StringIO(client.get(url("guide:figures-csv", chart="types")).content.decode())
        )
    )
    assert rows[0][:3] == ["Clusters par type", "Dans ce guide", "Dont labellisés aujourd’hui"]


def test_each_chart_downloads_as_csv_in_the_page_language(client, shipped_guide):
    response = client.get(url("guide:figures-csv", "fr", chart="regions"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="clusters-regions-fr.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Clusters par région, outre-mer compris"
    assert ["Saint-Pierre-et-Miquelon", "1"] in rows
    assert len(rows) == 1 + 24
    assert client.get(url("guide:figures-csv", chart="nope")).status_code == 404


def test_the_figures_page_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    cluster_type = make_type()
    for _ in range(20):
        make_cluster(cluster_type=cluster_type, regions=[make_region()], sectors=[make_sector()])
    # the content version, the facet index (once per process after a change), types,
    # headline figures, sectors, regions, labelling per year, official figures,
    # introduction requests per month with the median time to a first answer
    with django_assert_num_queries(9):
        client.get(url("guide:figures"))
    with django_assert_num_queries(8):  # the index is held
        client.get(url("guide:figures"))


def test_the_home_page_stays_light_on_a_slow_link(client, shipped_guide):
    html = client.get(url("guide:home")).content
    css = Path(settings.BASE_DIR, "static", "css", "guide.css").read_bytes()

    weight = len(gzip.compress(html)) + len(gzip.compress(css))
    assert weight < 150_000, weight
    # The page needs no script at all: its one script element is a data block (JSON-LD).
    assert re.findall(rb"<script[^>]*>", html) == [b'<script type="application/ld+json">']
