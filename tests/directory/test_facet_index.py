"""The facet index (bitsets per process) counts and sorts exactly as SQL does."""

import datetime

import pytest
from django.http import QueryDict
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory import facet_index
from directory import facets as facets_module
from directory.facets import (
    FACETS,
    directory_facets,
    facet_counts,
    facet_options,
    search_results,
)
from directory.filters import ClusterFilter
from directory.models import Cluster
from tests.factories import make_cluster, make_region, make_sector

pytestmark = pytest.mark.django_db


def directory_filter(query: str) -> ClusterFilter:
    filterset = ClusterFilter(
        QueryDict(query), queryset=Cluster.objects.published().select_related("cluster_type")
    )
    assert filterset.is_valid()  # as the view asks first
    return filterset


@pytest.fixture
def slugs(shipped_guide):
    options = facet_options()
    return {facet.name: [o.slug for o in options[facet.name]] + ["inconnu"] for facet in FACETS}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_index_counts_every_facet_as_sql_does(slugs, data):
    # Some values of each facet ticked (unknown ones too), in any combination.
    ticked = [
        (name, slug)
        for name, values in slugs.items()
        for slug in data.draw(st.lists(st.sampled_from(values), max_size=2), label=name)
    ]
    query = "&".join(f"{name}={slug}" for name, slug in ticked)

    assert directory_facets(directory_filter(query)) == facet_counts(directory_filter(query))


@pytest.mark.parametrize(
    "query",
    [
        "q=energie",
        "q=bretagne&level=national",
        "q=numerique&sector=economie-numerique&region=bretagne",
        "q=minalogik",  # near spellings only
        "q=zzzzzz",  # nothing
    ],
)
def test_a_search_counts_its_facets_as_sql_does(shipped_guide, query):
    filterset = directory_filter(query)
    assert search_results(filterset)[0] == facet_counts(directory_filter(query))


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("sort", ["name", "reviewed"])
def test_search_results_are_sorted_as_sql_sorts_them(shipped_guide, language, sort):
    Cluster.objects.filter(slug__in=["vitagora", "aerospace-valley"]).update(
        last_reviewed=datetime.date(2026, 3, 1)
    )
    query = f"q=pole&sort={sort}"
    with translation.override(language):
        _facets, ids = search_results(directory_filter(query))
        filterset = directory_filter(query)
        in_sql = list(
            filterset.order_results(
                filterset.filter_queryset(filterset.queryset, exclude=["q"]).filter(pk__in=ids)
            ).values_list("pk", flat=True)
        )
    assert len(ids) > 10
    assert ids == in_sql


def test_a_broad_search_ranks_names_then_named_sectors_then_the_rest(db, monkeypatch):
    monkeypatch.setattr(facets_module, "RANK_IN_ONE_QUERY", 2)
    energy = make_sector(slug="energie", name_fr="Énergie", name_en="Energy")
    other = make_sector(slug="services", name_fr="Services", name_en="Services")
    region = make_region(slug="corse")
    make_cluster(
        slug="a-texte",
        name_fr="Alpha",
        description_fr="Des réseaux d’énergie.",
        sectors=[other],
        regions=[region],
    )
    make_cluster(slug="b-secteur", name_fr="Bravo", sectors=[energy], regions=[region])
    make_cluster(slug="c-nom", name_fr="Charlie Énergie", sectors=[other], regions=[region])
    make_cluster(slug="d-secteur", name_fr="Delta", sectors=[energy], regions=[region])

    _facets, ids = search_results(directory_filter("q=energie"))

    slugs = Cluster.objects.in_bulk(ids)
    assert [slugs[pk].slug for pk in ids] == ["c-nom", "b-secteur", "d-secteur", "a-texte"]


def test_the_index_follows_every_change(db):
    cluster = make_cluster(slug="vitagora", name_fr="Vitagora")
    assert facet_index.current().size == 1

    cluster.is_published = False
    cluster.save()

    assert facet_index.current().size == 0


def test_a_search_remembered_by_the_index_is_forgotten_with_the_next_change(db):
    make_cluster(slug="vitagora", name_fr="Vitagora")
    assert search_results(directory_filter("q=nutrition"))[1] == []

    make_cluster(slug="nutripole", name_fr="Nutrition Pôle")  # any save changes the content

    assert [
        Cluster.objects.get(pk=pk).slug for pk in search_results(directory_filter("q=nutrition"))[1]
    ] == ["nutripole"]
