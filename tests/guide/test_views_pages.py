"""Home, type, calls, contacts pages and what every page carries."""

import datetime
import re

import pytest
from django.utils import timezone

from directory.facets import narrow
from directory.models import CallForProposals, Cluster, OfficialFigure
from tests.factories import (
    make_call,
    make_cluster,
    make_contact,
    make_organisation,
    make_region,
    make_sector,
    make_type,
)
from tests.helpers import url

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_home_shows_sectors_with_counts_and_open_calls_first(client):
    sector = make_sector(name_fr="Économie numérique", name_en="Digital economy")
    make_cluster(sectors=[sector])
    today = timezone.localdate()
    make_call(title_fr="Appel clos", closes_on=today - DAY)
    make_call(title_fr="Appel bientôt clos", closes_on=today + 5 * DAY)

    html = client.get(url("guide:home")).content.decode()

    assert 'Économie numérique</a> <span class="count">(1)</span>' in html
    assert "Appel bientôt clos" in html and "Clôture proche" in html
    assert "Appel clos" not in html


def test_home_key_figures_come_from_the_database_beside_the_official_ones(client, shipped_guide):
    published = Cluster.objects.published()
    poles = narrow(published, type=["pole-de-competitivite"]).count()
    overseas = (
        published.filter(regions__kind__in=["overseas-region", "overseas-collectivity"])
        .distinct()
        .count()
    )

    html = client.get(url("guide:home", "en")).content.decode()

    assert f"{published.count()} French clusters described" in html
    assert f"<td>{poles}</td>" in html and "55 · Clusters labelled for phase V" in html
    assert f"{overseas} of them are overseas" in html
    national = narrow(published, level=["national"]).count()
    assert (
        f'href="/en/clusters/?level=national">National policy</a></th><td>{national}</td>' in html
    )
    reunion = narrow(published, region=["la-reunion"]).count()
    row = f"<td>Overseas region</td><td>{reunion}</td>"
    assert f'href="/en/clusters/?region=la-reunion">Réunion</a></th>{row}' in html


def test_home_runs_a_constant_number_of_queries(client, shipped_guide, django_assert_num_queries):
    # the content version, the facet index (once per process after a change),
    # types, sectors, headline figures, regions, open calls, ecosystem figures
    with django_assert_num_queries(8):
        client.get(url("guide:home"))
    with django_assert_num_queries(7):  # the index is held
        client.get(url("guide:home"))


def test_a_type_page_explains_the_type_and_lists_its_clusters(client, shipped_guide):
    html = client.get(url("guide:type-detail", "en", slug="ptce")).content.decode()

    assert "Territorial centre for economic cooperation (PTCE)" in html
    assert "15 July 2013" in html  # the explainer
    assert "182 applications" in html  # an official figure's note
    assert "Fontaine O Livres" in html
    assert 'href="/en/clusters/?type=ptce"' in html


def test_unknown_type_call_and_cluster_slugs_are_404(client):
    for name in ("guide:type-detail", "guide:call-detail", "guide:cluster-detail"):
        assert client.get(url(name, slug="nope")).status_code == 404


def test_calls_list_open_ones_first_with_badges_and_deadlines_in_the_page_language(client):
    today = timezone.localdate()
    make_call(title_en="Closed call", closes_on=today - 10 * DAY)
    make_call(title_en="Upcoming call", opens_on=today + 10 * DAY, closes_on=today + 90 * DAY)
    soon = make_call(title_en="Soon closing call", closes_on=today + 3 * DAY)

    english = client.get(url("guide:call-list", "en")).content.decode()
    french = client.get(url("guide:call-list")).content.decode()

    assert (
        english.index("Soon closing call")
        < english.index("Upcoming call")
        < english.index("Closed call")
    )
    assert "Closing soon" in english and "Upcoming" in english and "Closed" in english
    assert f"Deadline: {soon.closes_on.day} {soon.closes_on:%B} {soon.closes_on.year}" in english
    assert f"Date limite : {soon.closes_on.day} " in french


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "closed"}, ["Clos"]),
        ({"status": ["open", "closing-soon"]}, ["Ouvert"]),
        ({"type": "ptce"}, ["Ouvert"]),
        ({"kind": "labelling"}, ["Clos"]),
        ({"status": "nope"}, ["Ouvert", "Clos"]),
    ],
)
def test_calls_filter_by_status_type_and_kind(client, params, expected):
    ptce = make_type(slug="ptce")
    today = timezone.localdate()
    make_call(title_fr="Ouvert", eligible_types=[ptce])
    make_call(title_fr="Clos", closes_on=today - DAY, kind=CallForProposals.Kind.LABELLING)

    response = client.get(url("guide:call-list"), params)

    assert [c.title for c in response.context["filter"].qs] == expected


def test_the_calls_page_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    cluster_type = make_type()
    for _ in range(10):
        make_call(eligible_types=[cluster_type], funder=make_organisation())
    client.get(url("guide:call-list"))  # fills the cache of type names
    # content version (for the cached type names), calls with their funders
    # and status, their eligible types
    with django_assert_num_queries(3):
        client.get(url("guide:call-list"))


def test_a_call_page_shows_dates_as_precisely_as_they_are_known(client):
    make_call(
        slug="ptce-2015",
        opens_on=datetime.date(2015, 4, 1),
        opens_precision="month",
        closes_on=datetime.date(2016, 1, 14),
        closes_precision="before",
    )

    html = client.get(url("guide:call-detail", "en", slug="ptce-2015")).content.decode()

    assert "April 2015" in html
    assert "no later than 14 January 2016" in html


def test_contacts_are_grouped_by_kind_of_organisation_and_hide_private_details(client):
    ism = make_organisation(name_fr="Institut supérieur des métiers", kind="other")
    make_contact(
        organisation=ism,
        first_name="Mathilde",
        last_name="Jacquemet",
        email="m.jacquemet@example.org",
        is_public=True,
    )
    make_contact(
        organisation=ism,
        first_name="Privée",
        last_name="Personne",
        email="private@example.org",
        is_public=False,
    )

    html = client.get(url("guide:contacts")).content.decode()

    assert "Institut supérieur des métiers" in html and "Autre" in html
    assert "m.jacquemet@example.org" in html
    assert "Privée Personne" in html and "private@example.org" not in html


def test_a_cluster_page_links_everything_and_carries_organization_data(client):
    sector = make_sector(slug="industries-de-sante")
    region = make_region(slug="centre-val-de-loire")
    cluster_type = make_type(slug="cluster-prive")
    make_call(title_fr="Appel ouvert aux clusters privés", eligible_types=[cluster_type])
    make_call(title_fr="Appel pour d'autres")
    make_cluster(
        slug="polepharma",
        name_fr="Polepharma",
        city="Chartres",
        website="https://www.polepharma.com",
        cluster_type=cluster_type,
        sectors=[sector],
        regions=[region],
        sources="industriepharma.fr",
    )

    html = client.get(url("guide:cluster-detail", slug="polepharma")).content.decode()

    assert 'href="/fr/types/cluster-prive/"' in html
    assert 'href="/fr/clusters/?sector=industries-de-sante"' in html
    assert 'href="/fr/clusters/?region=centre-val-de-loire"' in html
    assert "Appel ouvert aux clusters privés" in html and "Appel pour d'autres" not in html
    assert '<script type="application/ld+json">' in html
    assert '"@type": "Organization"' in html and '"addressLocality": "Chartres"' in html
    assert "industriepharma.fr" in html


def test_every_page_has_its_language_alternates_canonical_and_title(client, shipped_guide):
    for name, kwargs in [
        ("guide:home", {}),
        ("guide:cluster-list", {}),
        ("guide:cluster-detail", {"slug": "minalogic"}),
        ("guide:type-detail", {"slug": "grappe-d-entreprises"}),
        ("guide:call-list", {}),
        ("guide:call-detail", {"slug": "ptce-2013"}),
        ("guide:contacts", {}),
    ]:
        for language, other in (("fr", "en"), ("en", "fr")):
            path = url(name, language, **kwargs)
            html = client.get(path).content.decode()
            assert f'<html lang="{language}">' in html, path
            assert f'<link rel="canonical" href="http://testserver{path}">' in html, path
            other_path = url(name, other, **kwargs)
            assert f'hreflang="{other}" href="http://testserver{other_path}"' in html, path
            assert f'<a href="{other_path}" hreflang="{other}"' in html, path
            assert "<title>" in html and "<title> ·" not in html, path


def test_the_sitemap_lists_every_page_in_both_languages(client, shipped_guide):
    index = client.get("/sitemap.xml")
    clusters = client.get("/sitemap-clusters.xml").content.decode()

    assert index.status_code == 200 and "sitemap-clusters.xml" in index.content.decode()
    assert "http://testserver/fr/clusters/minalogic/" in clusters
    assert "http://testserver/en/clusters/minalogic/" in clusters
    assert 'hreflang="en" href="http://testserver/en/clusters/minalogic/"' in clusters


def test_every_page_of_the_main_menu_is_in_the_sitemap_in_both_languages(client):
    home = client.get(url("guide:home")).content.decode()
    pages = client.get("/sitemap-pages.xml").content.decode()
    menu = re.search(r'<nav aria-label="Menu principal">(.*?)</nav>', home, re.S).group(1)
    addresses = re.findall(r'href="(/fr/[^"]*)"', menu)

    assert len(addresses) == 5  # directory, calls, events, figures, contacts
    for address in ["/fr/", *addresses]:
        assert f"<loc>http://testserver{address}</loc>" in pages
        assert f"<loc>http://testserver{address.replace('/fr/', '/en/')}</loc>" in pages
    assert "/fr/events/" in addresses and "/fr/figures/" in addresses


def test_the_home_page_gives_a_figure_in_euros_its_unit_like_the_other_pages(client):
    OfficialFigure.objects.create(
        label_fr="Budget des appels", value=12_000_000, unit="euros", year=2024, source="Essai"
    )
    home = client.get(url("guide:home")).content.decode()
    figures = client.get(url("guide:figures")).content.decode()

    assert re.search(r"<strong>12\W000\W000 €</strong> Budget des appels", home)
    assert re.search(r"<td>12\W000\W000 €</td>", figures)


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_the_admin(client):
    text = client.get("/robots.txt").content.decode()

    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_the_404_page_speaks_the_language_of_the_address(client):
    french = client.get("/fr/nulle-part/")
    english = client.get("/en/nowhere/")

    assert french.status_code == english.status_code == 404
    assert "Page introuvable" in french.content.decode()
    assert "Page not found" in english.content.decode()


def test_the_language_switch_of_a_404_leads_home_never_off_the_site(client):
    french = client.get("/fr/nulle-part/").content.decode()
    foreign = client.get("//evil.example").content.decode()

    assert 'href="/en/"' in french  # the English home, not /en/nulle-part/
    assert "//evil.example" not in foreign.replace("http://testserver//evil.example", "")


def test_the_500_page_is_bilingual_and_needs_no_database(client):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")

    assert "Une erreur s’est produite" in html and "Something went wrong" in html


@pytest.mark.parametrize("count", [1, 30])
def test_the_type_page_runs_a_constant_number_of_queries(client, django_assert_num_queries, count):
    cluster_type = make_type(slug="grappe-d-entreprises")
    region = make_region()
    for _ in range(count):
        make_cluster(cluster_type=cluster_type, regions=[region])
    page = url("guide:type-detail", slug="grappe-d-entreprises")
    # type, its figures, its calls, cluster count, page of clusters, their regions
    with django_assert_num_queries(6):
        html = client.get(page).content.decode()
    assert html.count(f'<p class="meta">{region.name}</p>') == min(count, 24)


def test_home_calls_no_open_ended_route_open_now_and_points_to_the_feeds(client):
    make_call(title_fr="Financement permanent", closes_on=None)
    make_call(title_fr="Appel clos", closes_on=timezone.localdate() - DAY)

    html = client.get(url("guide:home", "en")).content.decode()

    assert "Financement permanent" not in html
    assert "No call for proposals has a deadline ahead at the moment." in html
    assert 'href="/en/calls/feed.atom"' in html and 'href="/en/calls/feed.ics"' in html


def test_home_lists_a_call_with_a_deadline_ahead(client):
    make_call(title_fr="Appel daté", closes_on=timezone.localdate() + 60 * DAY)
    make_call(title_fr="Financement permanent", closes_on=None)

    html = client.get(url("guide:home")).content.decode()

    assert "Appel daté" in html and "Financement permanent" not in html


def test_a_type_page_says_how_many_are_labelled_now_beside_the_official_figures(
    client, shipped_guide
):
    published = Cluster.objects.published()
    total = narrow(published, type=["pole-de-competitivite"]).count()
    labelled = narrow(published, type=["pole-de-competitivite"], label=["labelled"]).count()

    html = client.get(url("guide:type-detail", "en", slug="pole-de-competitivite")).content.decode()

    assert f"Beside them, this guide: {total} clusters, {labelled} labelled now." in html
    assert 'href="/en/clusters/?type=pole-de-competitivite&amp;label=labelled"' in html


def test_a_cluster_page_gives_its_label_status(client, shipped_guide):
    html = client.get(url("guide:cluster-detail", "en", slug="minalogic")).content.decode()
    assert '<a href="/en/clusters/?label=labelled">Labelled now</a>' in html
    html = client.get(url("guide:cluster-detail", "en", slug="temergie")).content.decode()
    assert '<a href="/en/clusters/?label=ended">Label ended</a>' in html
