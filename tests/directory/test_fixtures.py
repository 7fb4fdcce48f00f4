"""The guide as shipped in fixtures/: complete, and safe to load again."""

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from directory.models import (
    CallForProposals,
    Cluster,
    ClusterType,
    Contact,
    OfficialFigure,
    Organisation,
    Region,
    Sector,
)
from tests.helpers import SPEC_SECTORS, SPEC_TYPES

pytestmark = pytest.mark.django_db

FIXTURES = sorted(path.stem for path in (Path(settings.BASE_DIR) / "fixtures").glob("*.json"))


def snapshot():
    """Every row of the guide's tables, as plain values."""
    return {
        model._meta.label: sorted(map(repr, model.objects.order_by("pk").values()))
        for model in apps.get_app_config("directory").get_models()
        if model._meta.model_name != "contentversion"  # it counts the loads themselves
    }


def test_the_fixtures_load_twice_without_changing_anything():
    call_command("loaddata", *FIXTURES, stdout=io.StringIO())
    first = snapshot()
    call_command("loaddata", *FIXTURES, stdout=io.StringIO())

    assert snapshot() == first
    assert Cluster.objects.count() >= 10


def test_seeding_adds_missing_rows_but_never_overwrites_a_staff_edit(shipped_guide):
    cluster = Cluster.objects.get(slug="minalogic")
    cluster.description_en = "Edited by staff."
    cluster.save()
    Cluster.objects.get(slug="clubtex").delete()

    out = io.StringIO()
    call_command("seed_guide", stdout=out)

    assert Cluster.objects.get(slug="minalogic").description_en == "Edited by staff."
    assert Cluster.objects.filter(slug="clubtex").exists()
    assert "1 rows added" in out.getvalue()


def test_the_six_types_have_the_spec_slugs_levels_and_bilingual_explainers(shipped_guide):
    types = {t.slug: t for t in ClusterType.objects.all()}

    assert {slug: t.level for slug, t in types.items()} == SPEC_TYPES
    for cluster_type in types.values():
        assert cluster_type.explainer_fr and cluster_type.explainer_en, cluster_type.slug
        assert cluster_type.summary_fr and cluster_type.summary_en, cluster_type.slug


def test_official_figures_carry_their_year_and_source(shipped_guide):
    figures = OfficialFigure.objects.select_related("cluster_type")
    facts = {
        (f.cluster_type.slug if f.cluster_type else None, int(f.value), f.year) for f in figures
    }

    assert ("pole-de-competitivite", 71, 2015) in facts
    assert ("pole-de-competitivite", 55, 2023) in facts
    assert ("grappe-d-entreprises", 126, 2011) in facts
    assert ("ptce", 23, 2013) in facts
    assert all(f.source and f.label_en for f in figures)


def test_the_sectors_include_the_bulletins_ten_and_the_six_craft_themes(shipped_guide):
    activity = set(Sector.objects.filter(family="activity").values_list("slug", flat=True))
    craft = Sector.objects.filter(family="craft")

    assert activity == SPEC_SECTORS
    assert craft.count() == 6
    assert all(s.name_en for s in Sector.objects.all())


def test_every_region_and_overseas_collectivity_is_there_with_its_insee_code(shipped_guide):
    regions = {r.slug: r for r in Region.objects.all()}

    assert Region.objects.filter(kind="metropolitan").count() == 13
    assert Region.objects.filter(kind="overseas-region").count() == 5
    assert regions["saint-pierre-et-miquelon"].insee_code == "975"
    assert regions["saint-pierre-et-miquelon"].kind == "overseas-collectivity"
    assert regions["auvergne-rhone-alpes"].insee_code == "84"
    assert regions["ile-de-france"].insee_code == "11"
    assert regions["la-reunion"].insee_code == "04"


def test_the_people_named_in_the_seeds_are_contacts(shipped_guide):
    people = {(c.first_name, c.last_name, c.organisation.slug) for c in Contact.objects.all()}

    assert ("Mathilde", "Jacquemet", "ism") in people
    assert ("Janick", "Cormier", "cacima") in people
    assert ("Jeannette", "Boiret", "cacima") in people
    assert ("Lisa", "Besnard", "france-clusters") in people
    assert ("Philippe", "Clerc", "cci-france") in people


def test_the_funders_and_calls_the_bulletin_names_are_there(shipped_guide):
    funders = set(Organisation.objects.filter(kind="funder").values_list("slug", flat=True))
    calls = set(CallForProposals.objects.values_list("slug", flat=True))

    assert {"bpifrance", "ademe", "anr", "feder"} <= funders
    assert {"fui-bpifrance", "ademe-appels-a-projets", "anr-appels-a-projets", "feder"} <= calls
    assert {"grappes-d-entreprises-2010", "grappes-d-entreprises-2011"} <= calls
    assert {"ptce-2013", "ptce-2015"} <= calls


def test_every_shipped_cluster_is_complete_in_both_languages(shipped_guide):
    clusters = Cluster.objects.published().prefetch_related("sectors", "regions")

    assert clusters.count() >= 10
    assert {c.cluster_type.slug for c in clusters} == set(SPEC_TYPES)
    for cluster in clusters:
        assert cluster.description_fr and cluster.description_en, cluster.slug
        assert cluster.sources, cluster.slug
        assert cluster.sectors.all() and cluster.regions.all(), cluster.slug


def test_a_fact_from_memory_is_shipped_as_not_yet_verified(shipped_guide):
    # The reference data recalls Minalogic's website from memory.
    assert Cluster.objects.get(slug="minalogic").verification == "partial"
    assert Cluster.objects.get(slug="aerospace-valley").verification == "verified"


def test_english_names_fall_back_to_french_for_proper_nouns(shipped_guide):
    with translation.override("en"):
        assert Cluster.objects.get(slug="pole-mer-bretagne-atlantique").name == (
            "Pôle Mer Bretagne Atlantique"
        )
