"""The facet registry: one definition, the same meaning in SQL and in Python."""

import pytest

from directory.facets import BY_NAME, FACETS, facet_options, narrow
from directory.models import Cluster

pytestmark = pytest.mark.django_db


def test_each_facet_value_finds_the_same_clusters_in_sql_and_in_python(shipped_guide):
    columns = list(dict.fromkeys(facet.column for facet in FACETS))
    rows = list(Cluster.objects.values_list("pk", *columns))
    options = facet_options()
    checked = 0
    for facet in FACETS:
        position = 1 + columns.index(facet.column)
        for option in options[facet.name]:
            accepts = facet.accepts(frozenset(option.keys))
            in_python = {row[0] for row in rows if accepts(row[position])}
            in_sql = set(
                narrow(Cluster.objects.all(), **{facet.name: [option.slug]}).values_list(
                    "pk", flat=True
                )
            )
            assert in_sql == in_python, (facet.name, option.slug)
            checked += bool(in_sql)
    assert checked >= 30  # most values of the shipped guide have clusters


def test_the_registry_lists_the_directory_parameters_in_the_page_order():
    assert [facet.name for facet in FACETS] == ["type", "level", "label", "sector", "region"]
    assert BY_NAME["sector"].many and BY_NAME["region"].many
    assert not BY_NAME["type"].many and BY_NAME["level"].column == BY_NAME["type"].column


def test_a_level_stands_for_the_types_at_that_level(shipped_guide):
    options = facet_options()
    types_by_level = {}
    for option in options["type"]:
        types_by_level.setdefault(option.group, set()).update(option.keys)
    assert {o.slug: set(o.keys) for o in options["level"]} == types_by_level


def test_unknown_or_empty_choices_narrow_to_nothing_or_leave_everything(shipped_guide):
    everything = Cluster.objects.count()
    assert narrow(Cluster.objects.all(), region=["atlantide"]).count() == 0
    assert narrow(Cluster.objects.all(), region=[]).count() == everything
