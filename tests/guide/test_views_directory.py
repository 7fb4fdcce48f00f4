"""The directory: counted facets, forgiving search, sorting, paging, bad input."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from directory.models import Cluster, Labelling
from tests.factories import make_cluster, make_region, make_sector, make_type

pytestmark = pytest.mark.django_db


def directory(client, language="fr", **params):
    with translation.override(language):
        path = reverse("guide:cluster-list")
    return client.get(path, params)


def names(response):
    return [c.name for c in response.context["page"].object_list]


def facet(response, name):
    """{slug: (count, selected)} of one facet as the page shows it."""
    for item in response.context["facets"]:
        if item["name"] == name:
            return {v.slug: (v.count, v.selected) for v in item["values"]}
    raise KeyError(name)


@pytest.fixture
def guide(db):
    """A small guide: two types at two levels, sectors, regions."""
    poles = make_type(
        slug="pole-de-competitivite", name_fr="Pôle de compétitivité", level="national"
    )
    regional = make_type(slug="cluster-regional", name_fr="Cluster régional", level="regional")
    numerique = make_sector(slug="economie-numerique", name_fr="Économie numérique")
    sante = make_sector(slug="industries-de-sante", name_fr="Industries de santé")
    make_sector(slug="logistique", name_fr="Logistique")
    bretagne = make_region(slug="bretagne", name_fr="Bretagne", name_en="Brittany")
    aura = make_region(slug="auvergne-rhone-alpes", name_fr="Auvergne-Rhône-Alpes")
    reunion = make_region(slug="la-reunion", name_fr="La Réunion", kind="overseas-region")
    make_cluster(
        name_fr="Pôle Mer Bretagne Atlantique",
        cluster_type=poles,
        sectors=[numerique],
        regions=[bretagne],
        description_fr="Économie maritime en Bretagne.",
    )
    make_cluster(
        name_fr="Minalogic",
        cluster_type=poles,
        sectors=[numerique],
        regions=[aura],
        description_fr="Micro-électronique et logiciel à Grenoble.",
        description_en="Microelectronics and software in Grenoble.",
    )
    make_cluster(
        name_fr="Lyonbiopôle",
        cluster_type=poles,
        sectors=[sante],
        regions=[aura],
        description_fr="Santé et hôpital de demain.",
    )
    make_cluster(
        name_fr="Cosmetic Valley",
        cluster_type=poles,
        sectors=[sante, numerique],
        regions=[bretagne, aura],
        description_fr="Parfumerie et cosmétique.",
    )
    make_cluster(
        name_fr="Novabuild",
        cluster_type=regional,
        sectors=[sante],
        regions=[reunion],
        description_fr="Bâtiment durable.",
    )
    make_cluster(name_fr="Caché", cluster_type=regional, regions=[bretagne], is_published=False)
    # Label history: Minalogic and Cosmetic Valley labelled now, Pôle Mer's
    # label ended, Lyonbiopôle's withdrawn (no official label), Novabuild none.
    year = timezone.localdate().year
    labels = [
        ("Minalogic", year - 1, year + 2, "labelled"),
        ("Cosmetic Valley", 2010, 2013, "labelled"),
        ("Cosmetic Valley", year, None, "probation"),
        ("Pôle Mer Bretagne Atlantique", 2010, 2013, "labelled"),
        ("Lyonbiopôle", year, year, "withdrawn"),
    ]
    for name, start, end, outcome in labels:
        Labelling.objects.create(
            cluster=Cluster.objects.get(name_fr=name),
            phase_fr=f"Label {start} {outcome}",
            year=start,
            until_year=end,
            outcome=outcome,
        )


def test_the_unfiltered_directory_lists_every_published_cluster_alphabetically(client, guide):
    response = directory(client)

    assert names(response) == [
        "Cosmetic Valley",
        "Lyonbiopôle",
        "Minalogic",
        "Novabuild",
        "Pôle Mer Bretagne Atlantique",
    ]
    assert "5 clusters" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "cluster-regional"}, ["Novabuild"]),
        ({"level": "regional"}, ["Novabuild"]),
        (
            {"sector": "economie-numerique"},
            ["Cosmetic Valley", "Minalogic", "Pôle Mer Bretagne Atlantique"],
        ),
        ({"region": "la-reunion"}, ["Novabuild"]),
        (
            {"region": ["bretagne", "la-reunion"]},
            ["Cosmetic Valley", "Novabuild", "Pôle Mer Bretagne Atlantique"],
        ),
        (
            {"region": "auvergne-rhone-alpes", "sector": "industries-de-sante"},
            ["Cosmetic Valley", "Lyonbiopôle"],
        ),
        (
            {
                "region": "auvergne-rhone-alpes",
                "sector": ["industries-de-sante", "economie-numerique"],
            },
            ["Cosmetic Valley", "Lyonbiopôle", "Minalogic"],
        ),
        ({"level": "national", "region": "la-reunion"}, []),
        ({"label": "labelled"}, ["Cosmetic Valley", "Minalogic"]),
        ({"label": "ended"}, ["Pôle Mer Bretagne Atlantique"]),
        (
            {"label": ["none", "ended"], "type": "pole-de-competitivite"},
            ["Lyonbiopôle", "Pôle Mer Bretagne Atlantique"],
        ),
        ({"label": "labelled", "q": "minalogik"}, ["Minalogic"]),
    ],
)
def test_facets_filter_or_within_a_facet_and_across_facets(client, guide, params, expected):
    assert names(directory(client, **params)) == expected


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"region": "auvergne-rhone-alpes"},
        {"sector": "industries-de-sante", "level": "national"},
        {"q": "pole", "type": "pole-de-competitivite"},
        {"q": "pole", "level": "national", "region": "auvergne-rhone-alpes"},
        {"q": "cluster", "sector": "industries-de-sante", "region": "auvergne-rhone-alpes"},
        {"label": "labelled"},
        {"label": ["ended", "none"], "region": "bretagne"},
        {"q": "pole", "label": "none"},
    ],
)
def test_each_facet_count_equals_the_results_that_value_would_give(client, guide, params):
    response = directory(client, **params)

    for name in ("type", "level", "label", "sector", "region"):
        for slug, (count, selected) in facet(response, name).items():
            if selected:
                continue
            # Ticking this value, on top of what is chosen in the other facets.
            other = {k: v for k, v in params.items() if k != name}
            assert count == len(names(directory(client, **other, **{name: slug}))), (name, slug)


def test_a_value_that_gives_nothing_stays_listed_but_disabled(client, guide):
    html = directory(client, region="la-reunion").content.decode()

    assert 'value="logistique" id="id_sector_logistique" disabled' in html
    assert 'Logistique <span class="count">(0)</span>' in html


def test_facet_values_keep_their_order_whatever_the_counts(client, guide):
    assert list(facet(directory(client), "region")) == list(
        facet(directory(client, sector="industries-de-sante"), "region")
    )
    # metropolitan regions first, then overseas
    assert list(facet(directory(client), "region")) == [
        "auvergne-rhone-alpes",
        "bretagne",
        "la-reunion",
    ]


def test_each_active_filter_has_a_link_that_removes_only_it(client, guide):
    html = directory(
        client, region=["bretagne", "la-reunion"], sector="industries-de-sante"
    ).content.decode()

    assert 'href="?region=la-reunion&amp;sector=industries-de-sante"' in html  # without Bretagne
    assert 'href="?region=bretagne&amp;region=la-reunion"' in html  # without the sector
    assert "Effacer tous les filtres" in html


@pytest.mark.parametrize(
    ("query", "language", "found"),
    [
        ("pole mer", "fr", "Pôle Mer Bretagne Atlantique"),
        ("pole mer", "en", "Pôle Mer Bretagne Atlantique"),
        ("POLE MER", "fr", "Pôle Mer Bretagne Atlantique"),
        ("cosmetique", "fr", "Cosmetic Valley"),
        ("cosmetique", "en", "Cosmetic Valley"),
        ("minalogik", "fr", "Minalogic"),
        ("minalogik", "en", "Minalogic"),
        ("hopital", "fr", "Lyonbiopôle"),
        ("software", "fr", "Minalogic"),
        ("logiciel", "en", "Minalogic"),
    ],
)
def test_search_ignores_accents_case_language_and_small_typos(
    client, guide, query, language, found
):
    response = directory(client, language, q=query)

    assert names(response)[0] == found


def test_search_results_are_ranked_by_relevance_then_can_be_sorted_by_name(client, guide):
    ranked = names(directory(client, q="pole"))
    by_name = names(directory(client, q="pole", sort="name"))

    assert ranked[0] == "Pôle Mer Bretagne Atlantique"
    assert by_name == sorted(by_name, key=lambda n: n.lower().replace("ô", "o"))


def test_english_pages_sort_by_the_english_name_with_french_fallback(client, db):
    make_cluster(name_fr="Zèbre", name_en="Alpha cluster")
    make_cluster(name_fr="Bêta")

    assert names(directory(client, "en")) == ["Alpha cluster", "Bêta"]
    assert names(directory(client, "fr")) == ["Bêta", "Zèbre"]


def test_sorting_by_last_review_puts_unreviewed_clusters_last(client, db):
    make_cluster(name_fr="Jamais relu")
    make_cluster(name_fr="Relu en 2025", last_reviewed="2025-03-01")
    make_cluster(name_fr="Relu en 2026", last_reviewed="2026-03-01")

    assert names(directory(client, sort="reviewed")) == [
        "Relu en 2026",
        "Relu en 2025",
        "Jamais relu",
    ]


def test_pages_keep_the_filters(client, db):
    region = make_region(slug="bretagne")
    for n in range(30):
        make_cluster(name_fr=f"Cluster {n:02}", regions=[region])

    first = directory(client, region="bretagne")
    second = directory(client, region="bretagne", page=2)

    assert 'href="?region=bretagne&amp;page=2"' in first.content.decode()
    assert len(names(first)) == 24 and len(names(second)) == 6


def test_the_language_switcher_keeps_the_filters(client, guide):
    html = directory(client, region="bretagne", q="pole").content.decode()

    # the address as the page reads it: normalised, parameters by name
    assert 'href="/en/clusters/?q=pole&amp;region=bretagne" hreflang="en"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "99999999999999999999"},
        {"page": "-5"},
        {"type": "nope"},
        {"level": "galactic"},
        {"sector": ["", "", "economie-numerique", "economie-numerique"]},
        {"region": "x" * 5000},
        {"q": "p" * 10_000},
        {"q": "'; DROP TABLE directory_cluster; --"},
        {"q": "!!! & | ( ) :* <-> "},
        {"q": ""},
        {"sort": "-id"},
        {"sort": ["name", "reviewed"]},
        {"q": "émoji 🌊 – “quotes”"},
    ],
)
def test_bad_input_gets_a_page_never_a_server_error(client, guide, params):
    response = directory(client, **params)

    assert response.status_code == 200
    assert "clusters" in response.content.decode()


def test_an_unknown_value_is_named_and_left_out(client, guide):
    response = directory(client, type=["nope", "cluster-regional"])

    assert names(response) == ["Novabuild"]
    assert "« nope » n’est pas une valeur connue" in response.content.decode()


def test_an_overlong_search_is_shortened_and_the_visitor_told(client, guide):
    response = directory(client, q="minalogic " + "x" * 10_000)

    assert response.context["filter"].form.cleaned_data["q"].startswith("minalogic")
    assert "200 premiers caractères" in response.content.decode()


def test_a_nul_byte_anywhere_is_refused_with_400(client, guide):
    assert directory(client, q="pole\x00").status_code == 400
    assert directory(client, region="bre\x00tagne").status_code == 400


@pytest.mark.parametrize("count", [1, 40])
@pytest.mark.parametrize(
    ("search", "queries"),
    [
        # content version, the page (the counts come from the facet index)
        ("", 2),
        # content version, the ranks of the results, the page: the matches'
        # ids were read by the first request, and the facet index keeps them
        ("cluster", 3),
    ],
)
def test_the_directory_runs_a_constant_number_of_queries(
    client, django_assert_num_queries, django_assert_max_num_queries, count, search, queries
):
    cluster_type, region, sector = make_type(), make_region(), make_sector()
    for _ in range(count):
        make_cluster(cluster_type=cluster_type, regions=[region], sectors=[sector])
    params = {"q": search, "region": region.slug, "sector": sector.slug, "page": 1}
    # Just after an edit, the facet index (1 query), the facet values (1) and the
    # search's lexicon (thesaurus, sectors' and regions' names: 1) are read again.
    with django_assert_max_num_queries(8):
        directory(client, **params)

    with django_assert_num_queries(queries):
        response = directory(client, **params)
    html = response.content.decode()
    assert len(re.findall('class="card"', html)) == min(count, 24)
    assert f'<p class="meta">{region.name}</p>' in html  # regions without a query
    if search:  # another choice of facets, the same search: its matches are not read again
        with django_assert_num_queries(queries):
            directory(client, q=search, sector=sector.slug)


def test_a_broad_search_lists_the_clusters_its_words_name_first(client, guide, monkeypatch):
    from directory import facets

    small = names(directory(client, q="pole"))
    monkeypatch.setattr(facets, "RANK_IN_ONE_QUERY", 0)  # every search is broad
    large = names(directory(client, q="pole"))

    assert sorted(large) == sorted(small) and len(small) > 1
    named = [name for name in large if re.search(r"\bp[oô]le", name.lower())]
    assert large[: len(named)] == named  # the names that say it first


def test_the_label_status_shows_on_cards_and_counts_in_its_facet(client, guide):
    response = directory(client, language="en")
    html = response.content.decode()

    assert facet(response, "label") == {
        "labelled": (2, False),
        "ended": (1, False),
        "none": (2, False),
    }
    assert "Pôle de compétitivité · Labelled now" in html
    assert "Cluster régional · No official label" in html
