import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from directory.facets import narrow
from directory.models import CallForProposals, Cluster, Contact, Region
from tests.factories import (
    make_call,
    make_cluster,
    make_contact,
    make_region,
    make_sector,
    make_type,
)

pytestmark = pytest.mark.django_db

Status = CallForProposals.Status


def test_the_database_rejects_a_duplicate_cluster_slug():
    make_cluster(slug="pole-mer")
    with pytest.raises(IntegrityError, match="directory_cluster_slug_unique"):
        make_cluster(slug="pole-mer")


def test_a_cluster_name_differing_only_in_accents_and_case_is_a_duplicate():
    make_cluster(name_fr="Pôle Mer Bretagne Atlantique")
    duplicate = Cluster(name_fr="POLE MER bretagne atlantique", slug="other")
    with pytest.raises(ValidationError, match="Un cluster porte déjà ce nom"):
        duplicate.validate_constraints()


def test_clusters_sort_in_french_alphabetical_order_whatever_the_accents_and_case():
    for name in ["Zoé", "abc", "Élise", "eric", "Émile", "Yves"]:
        make_cluster(name_fr=name)

    names = [c.name for c in Cluster.objects.alphabetical("fr")]

    assert names == ["abc", "Élise", "Émile", "eric", "Yves", "Zoé"]


def test_english_order_uses_the_english_name_and_falls_back_to_french():
    make_cluster(name_fr="Bretagne", name_en="Brittany")
    make_cluster(name_fr="Corse", name_en="Corsica")
    make_cluster(name_fr="Cluster sans nom anglais")

    with translation.override("en"):
        names = [c.name for c in Cluster.objects.alphabetical()]

    assert names == ["Brittany", "Cluster sans nom anglais", "Corsica"]


def test_regions_sort_by_their_name_in_the_page_language():
    make_region(slug="ile-de-france", name_fr="Île-de-France", name_en="Île-de-France")
    make_region(slug="bretagne", name_fr="Bretagne", name_en="Brittany")
    make_region(slug="guyane", name_fr="Guyane", name_en="French Guiana")

    assert [r.slug for r in Region.objects.alphabetical("fr")] == [
        "bretagne",
        "guyane",
        "ile-de-france",
    ]
    assert [r.slug for r in Region.objects.alphabetical("en")] == [
        "bretagne",
        "guyane",
        "ile-de-france",
    ]


def test_english_pages_fall_back_to_french_text_when_english_is_empty():
    cluster = make_cluster(name_fr="Minalogic", description_fr="Pôle du numérique.")

    with translation.override("en"):
        cluster = Cluster.objects.get(pk=cluster.pk)
        assert cluster.description == "Pôle du numérique."
        assert cluster.name == "Minalogic"

    cluster.description_en = "Digital technology cluster."
    cluster.save()
    with translation.override("en"):
        assert Cluster.objects.get(pk=cluster.pk).description == "Digital technology cluster."


def test_published_hides_unpublished_clusters():
    shown = make_cluster()
    make_cluster(is_published=False)

    assert list(Cluster.objects.published()) == [shown]


def test_domain_filters_combine():
    national, regional = make_type(level="national"), make_type(level="regional")
    brittany, corsica = make_region(slug="bretagne"), make_region(slug="corse")
    in_both = make_cluster(cluster_type=national, regions=[brittany, corsica])
    make_cluster(cluster_type=regional, regions=[brittany])

    found = narrow(Cluster.objects.all(), level=["national"], region=["bretagne", "corse"])

    assert list(found) == [in_both]  # once, though it is in both regions


TODAY = datetime.date(2026, 6, 15)


@pytest.mark.parametrize(
    ("opens_on", "closes_on", "expected"),
    [
        (TODAY + datetime.timedelta(days=1), TODAY + datetime.timedelta(days=90), Status.UPCOMING),
        (TODAY - datetime.timedelta(days=10), TODAY + datetime.timedelta(days=30), Status.OPEN),
        (
            TODAY - datetime.timedelta(days=10),
            TODAY + datetime.timedelta(days=29),
            Status.CLOSING_SOON,
        ),
        (TODAY - datetime.timedelta(days=10), TODAY, Status.CLOSING_SOON),
        (TODAY - datetime.timedelta(days=10), TODAY - datetime.timedelta(days=1), Status.CLOSED),
        (TODAY, None, Status.OPEN),
        (None, None, Status.OPEN),
        (None, TODAY - datetime.timedelta(days=400), Status.CLOSED),
    ],
)
def test_call_status_follows_the_dates_in_python_and_in_sql(opens_on, closes_on, expected):
    call = make_call(opens_on=opens_on, closes_on=closes_on)

    assert call.status_on(TODAY) == expected
    assert CallForProposals.objects.with_status(TODAY).get(pk=call.pk).status == expected


def test_calls_list_open_ones_first_then_upcoming_then_closed():
    day = datetime.timedelta(days=1)
    closed_long_ago = make_call(opens_on=TODAY - 400 * day, closes_on=TODAY - 300 * day)
    closed_recently = make_call(opens_on=TODAY - 30 * day, closes_on=TODAY - 3 * day)
    closed_undated_start = make_call(closes_on=TODAY - 100 * day)
    upcoming = make_call(opens_on=TODAY + 5 * day, closes_on=TODAY + 60 * day)
    open_late = make_call(closes_on=TODAY + 90 * day)
    no_deadline = make_call()
    closing_soon = make_call(closes_on=TODAY + 3 * day)

    ordered = list(CallForProposals.objects.by_status(TODAY))

    assert ordered == [
        closing_soon,
        open_late,
        no_deadline,
        upcoming,
        closed_recently,
        closed_undated_start,
        closed_long_ago,
    ]


def test_a_call_cannot_close_before_it_opens():
    call = make_call()
    call.opens_on, call.closes_on = TODAY, TODAY - datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="La date de clôture ne peut pas précéder"):
        call.full_clean()
    with pytest.raises(IntegrityError, match="directory_call_closes_after_opening"):
        call.save()


def test_a_contact_belongs_to_an_organisation_or_a_cluster():
    with pytest.raises(IntegrityError, match="directory_contact_has_affiliation"):
        Contact.objects.create(first_name="Ana", last_name="Lopes")


def test_a_contact_sorts_by_last_name_ignoring_accents():
    cluster = make_cluster()
    for last in ["Zola", "Émery", "dupont"]:
        make_contact(last_name=last, cluster=cluster)

    assert [c.last_name for c in Contact.objects.all()] == ["dupont", "Émery", "Zola"]


def test_each_cluster_keeps_an_exact_copy_of_its_sector_and_region_ids():
    a, b = make_sector(), make_sector()
    region = make_region()
    cluster = make_cluster(sectors=[a], regions=[region])

    def copies():
        cluster.refresh_from_db()
        return cluster.sector_ids, cluster.region_ids

    assert copies() == ([a.pk], [region.pk])
    b.clusters.add(cluster)  # from the other side
    assert copies() == (sorted([a.pk, b.pk]), [region.pk])
    cluster.sectors.remove(a)
    cluster.regions.clear()
    assert copies() == ([b.pk], [])
    cluster.sector_ids = [999]  # a stale in-memory copy written back by a save
    cluster.save()
    assert copies() == ([b.pk], [])


def test_an_entry_is_dated_when_published_and_news_again_when_published_again():
    from tests.factories import make_cluster

    cluster = make_cluster(slug="dated")
    first = cluster.published_at
    assert first is not None

    cluster.is_published = False
    cluster.save(update_fields=["is_published"])
    cluster.refresh_from_db()
    assert cluster.published_at is None

    cluster.is_published = True
    cluster.save(update_fields=["is_published"])
    cluster.refresh_from_db()
    assert cluster.published_at > first
