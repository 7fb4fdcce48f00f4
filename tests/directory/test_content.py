"""Checks on the shipped content: what a reader of the guide relies on."""

import re
import unicodedata
from pathlib import Path

import pytest

from directory.facets import narrow
from directory.models import Cluster, Labelling, Region, Sector
from tests.helpers import SPEC_SECTORS, SPEC_TYPES

pytestmark = pytest.mark.django_db

SPEC_REGIONS = {
    "auvergne-rhone-alpes",
    "bourgogne-franche-comte",
    "bretagne",
    "centre-val-de-loire",
    "corse",
    "grand-est",
    "hauts-de-france",
    "ile-de-france",
    "normandie",
    "nouvelle-aquitaine",
    "occitanie",
    "pays-de-la-loire",
    "provence-alpes-cote-d-azur",
    "guadeloupe",
    "martinique",
    "guyane",
    "la-reunion",
    "mayotte",
    "saint-pierre-et-miquelon",
    "saint-barthelemy",
    "saint-martin",
    "wallis-et-futuna",
    "polynesie-francaise",
    "nouvelle-caledonie",
}
# Addresses already published: a slug may be added, never renamed or removed.
SHIPPED_SLUGS = Path(__file__).with_name("shipped_cluster_slugs.txt")


def fold(text):
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).lower()


def test_the_guide_ships_every_phase_v_pole_and_at_least_80_clusters(shipped_guide):
    assert narrow(Cluster.objects.all(), type=["pole-de-competitivite"]).count() >= 55
    assert Cluster.objects.count() >= 80
    assert Cluster.objects.published().count() >= 80


def test_every_published_cluster_is_complete(shipped_guide):
    for cluster in Cluster.objects.published().prefetch_related("sectors", "regions"):
        assert cluster.cluster_type_id, cluster.slug
        assert cluster.sectors.exists(), cluster.slug
        assert cluster.regions.exists(), cluster.slug
        assert cluster.description_fr.strip() and cluster.description_en.strip(), cluster.slug
        assert cluster.sources.strip(), cluster.slug
        sentences = len(re.findall(r"[.!?](\s|$)", cluster.description_en))
        assert 1 <= sentences <= 4, (cluster.slug, sentences)


def test_descriptions_are_not_left_in_the_other_language(shipped_guide):
    for cluster in Cluster.objects.all():
        assert cluster.description_fr != cluster.description_en, cluster.slug
        french = set(cluster.description_fr.lower().split())
        english = set(cluster.description_en.lower().split())
        assert french & {"le", "la", "les", "des", "et", "du"}, cluster.slug
        assert english & {"the", "and", "of", "its", "in"}, cluster.slug


def test_slugs_are_well_formed_unique_and_never_withdrawn(shipped_guide):
    slugs = list(Cluster.objects.values_list("slug", flat=True))

    assert len(slugs) == len(set(slugs))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in slugs)
    published_before = set(SHIPPED_SLUGS.read_text().split())
    assert published_before <= set(slugs), published_before - set(slugs)


def test_no_two_clusters_share_a_name(shipped_guide):
    names = [fold(name) for name in Cluster.objects.values_list("name_fr", flat=True)]
    assert len(names) == len(set(names))


def test_every_spec_slug_exists(shipped_guide):
    assert set(Region.objects.values_list("slug", flat=True)) >= SPEC_REGIONS
    assert set(Sector.objects.values_list("slug", flat=True)) >= SPEC_SECTORS
    assert set(Cluster.objects.values_list("cluster_type__slug", flat=True)) == set(SPEC_TYPES)


def test_facts_from_memory_are_flagged_for_review(shipped_guide):
    # S2E2's phase V label is recalled from memory in the reference data.
    s2e2 = Cluster.objects.get(slug="s2e2")
    assert s2e2.verification == "unverified"
    assert s2e2.labellings.get().verification == "unverified"
    assert Cluster.objects.exclude(verification="verified").count() > 0


def test_label_history_follows_the_data(shipped_guide):
    derbi = Labelling.objects.get(cluster__slug="derbi")
    assert (derbi.year, derbi.outcome) == (2023, "probation")
    assert Labelling.objects.filter(cluster__slug="cnisam").count() == 2  # 2009, then 2016
    # 2 shipped first, then the 8 emerging PTCE of Occitanie (phase 1 of the 2021 call)
    assert Labelling.objects.filter(outcome="laureate", year=2021).count() == 10
    assert Labelling.objects.filter(phase_fr__contains="Phase V", year=2023).count() == 55


def test_every_call_and_type_is_complete_in_both_languages(shipped_guide):
    from directory.models import CallForProposals, ClusterType

    for call in CallForProposals.objects.all():
        assert call.title_fr and call.title_en and call.description_fr and call.description_en, (
            call.slug
        )
        assert call.sources, call.slug
    for cluster_type in ClusterType.objects.all():
        assert cluster_type.explainer_fr and cluster_type.explainer_en, cluster_type.slug


def test_the_living_guide_ships_every_sourced_cluster(shipped_guide):
    published = Cluster.objects.published()
    assert published.count() >= 160
    assert narrow(published, type=["grappe-d-entreprises"]).count() >= 40
    assert narrow(published, region=["saint-pierre-et-miquelon"]).exists()


def test_no_organisation_has_two_entries_even_with_other_punctuation(shipped_guide):
    def key(name):
        return re.sub(r"[^a-z0-9]", "", fold(name))

    names = [key(name) for name in Cluster.objects.values_list("name_fr", flat=True)]
    assert len(names) == len(set(names))


def test_candidates_are_not_shipped_as_laureates(shipped_guide):
    # The two candidates of the emerging PTCE list were not selected.
    names = {fold(name) for name in Cluster.objects.values_list("name_fr", flat=True)}
    assert not any("3.eva" in name or name.startswith("pierre (pole") for name in names)


def test_calls_and_events_of_2025_to_2027_are_shipped_with_their_sources(shipped_guide):
    from directory.models import CallForProposals, Event

    calls = CallForProposals.objects.published()
    assert calls.filter(closes_on__year__in=[2025, 2026, 2027]).count() >= 10
    assert calls.open_on().filter(closes_on__isnull=False).exists()  # a deadline ahead
    assert Event.objects.published().filter(starts_on__gt="2026-12-31").exists()
    for call in calls.filter(closes_on__year__gte=2025):
        assert call.sources.strip(), call.slug


def test_the_calls_calendar_has_a_deadline_and_the_events_page_looks_ahead(client, shipped_guide):
    from tests.helpers import url

    calendar = client.get(url("guide:calls-ics")).content.decode()
    assert calendar.count("BEGIN:VEVENT") >= 1
    html = client.get(url("guide:event-list", "en")).content.decode()
    upcoming = html.split("Upcoming events", 1)[1].split("Past events", 1)[0]
    # An event ahead (the Paris Air Show of June 2027), or else the page says none is known.
    assert 'class="card"' in upcoming or "No event ahead is known" in upcoming
