"""The directory's facets, defined once: cluster type, policy level, sector, region.

Each ``Facet`` says which column of a cluster holds its value and whether
that column holds one id or a list of ids. From that one definition come the
SQL condition (``condition()``) that the directory's filters apply, the
Python test (``accepts()``) that the one-pass count of a search applies to
each match, the grouped SQL counts, and the facets, chips and labels of the
page. The values each facet offers, in their display order, are ``Option``s,
each standing for one or more values of the column (a policy level stands
for the types at that level).

Repeated values of a facet mean OR, several facets mean AND. A facet's own
choice is left out of its counts: each value shows how many results ticking
it would give.
"""

import datetime
import functools
import operator
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connections
from django.db.models import Case, Count, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import search
from .content_version import versioned_key
from .models import (
    Cluster,
    ClusterType,
    LabelStatus,
    PolicyLevel,
    Region,
    Sector,
    current_language,
    label_status,
    label_status_conditions,
)


@dataclass(frozen=True)
class Facet:
    name: str  # its query parameter
    label: str
    column: str  # the column of a cluster that holds its value
    many: bool = False  # that column holds a list of ids (a cluster has several)
    starts_open: bool = False  # unfolded on the page even when unused

    def condition(self, keys) -> Q:
        """Clusters whose value is one of ``keys`` (for a list: shares one of them)."""
        lookup = "overlap" if self.many else "in"
        return Q(**{f"{self.column}__{lookup}": sorted(keys)})

    def accepts(self, keys):
        """``condition()`` in Python: a test of a cluster's value of ``column``."""
        if self.many:
            return lambda value: not keys.isdisjoint(value)
        return keys.__contains__

    def adder(self):
        """``add(counter, value, n)``: count ``n`` clusters having ``value`` (each of
        its ids, for a list). Made once per counting pass."""
        if self.many:
            return lambda counter, value, n: counter.update(dict.fromkeys(value, n))

        def add(counter, value, n):
            counter[value] += n

        return add


@dataclass(frozen=True)
class LabelStatusFacet(Facet):
    """The label status, computed for today from the copy of the years a
    cluster's label history covers (``label_years``): never stored."""

    @staticmethod
    def year() -> int:
        return timezone.localdate().year

    def condition(self, keys) -> Q:
        status = label_status_conditions(self.year())
        return functools.reduce(operator.or_, (status[key] for key in sorted(keys)), Q(pk__in=[]))

    def accepts(self, keys):
        year = self.year()
        return lambda years: label_status(years, year) in keys

    def adder(self):
        year = self.year()  # once per pass, not once per row

        def add(counter, value, n):
            counter[label_status(value, year)] += n

        return add


FACETS = (
    Facet("type", _("Cluster type"), "cluster_type_id", starts_open=True),
    Facet("level", _("Policy level"), "cluster_type_id", starts_open=True),
    LabelStatusFacet("label", _("Label status"), "label_years", starts_open=True),
    Facet("sector", _("Sector"), "sector_ids", many=True),
    Facet("region", _("Region"), "region_ids", many=True),
)
FACET_NAMES = tuple(facet.name for facet in FACETS)
BY_NAME = {facet.name: facet for facet in FACETS}


@dataclass(frozen=True)
class Option:
    """A value a facet offers, standing for these values (``keys``) of its column."""

    keys: tuple
    slug: str
    name: str
    group: str = ""  # sector family, region kind, type level
    code: str = ""  # a region's INSEE code


def facet_options() -> dict[str, list[Option]]:
    """The values each facet offers, in their display order, in the page language.

    Types, sectors and regions change rarely: they are cached under the content
    version, which any change to the guide increments.
    """
    language = current_language()
    key = versioned_key(f"facet-options:{language}")
    options = cache.get(key)
    if options is None:
        types = list(ClusterType.objects.all())
        options = {
            "type": [Option((t.pk,), t.slug, t.name, t.level) for t in types],
            "level": [
                Option(
                    tuple(t.pk for t in types if t.level == level), level.value, str(level.label)
                )
                for level in PolicyLevel
            ],
            "label": [
                Option((status.value,), status.value, str(status.label)) for status in LabelStatus
            ],
            "sector": [Option((s.pk,), s.slug, s.name, s.family) for s in Sector.objects.all()],
            # Metropolitan regions, then overseas regions and collectivities.
            "region": [
                Option(
                    (r.pk,),
                    r.slug,
                    r.name,
                    "overseas" if r.is_overseas else "metropolitan",
                    r.insee_code,
                )
                for r in Region.objects.order_by(
                    Case(When(kind=Region.Kind.METROPOLITAN, then=0), default=1),
                    f"sort_name_{language}",
                )
            ],
        }
        cache.set(key, options, timeout=None)
    return options


def chosen_keys(name: str, slugs) -> frozenset | None:
    """The column values that the ticked values of facet ``name`` stand for (None: none ticked)."""
    if not slugs:
        return None
    wanted = set(slugs)
    return frozenset(k for o in facet_options()[name] if o.slug in wanted for k in o.keys)


def narrow(clusters, **chosen):
    """``clusters`` narrowed by facet values given by slug: ``narrow(qs, region=["corse"])``."""
    for name, slugs in chosen.items():
        keys = chosen_keys(name, slugs)
        if keys is not None:
            clusters = clusters.filter(BY_NAME[name].condition(keys))
    return clusters


def with_region_names(clusters) -> list:
    """The clusters, each with its regions' names (``region_names``), read from
    the copy of its links and the cached facet values: no query."""
    options = facet_options()["region"]
    position = {o.keys[0]: i for i, o in enumerate(options)}
    clusters = list(clusters)
    for cluster in clusters:
        ids = sorted((pk for pk in cluster.region_ids if pk in position), key=position.get)
        cluster.region_names = [options[position[pk]].name for pk in ids]
    return clusters


@dataclass(frozen=True)
class FacetValue:
    slug: str
    name: str
    count: int
    selected: bool
    group: str = ""
    code: str = ""


def _tally(rows, facets, columns, chosen, counts, on_match=None, weighted=True) -> None:
    """Count each facet's values over ``rows``, a facet's own choice left out.

    Each row holds the values of ``columns`` (then its number of clusters when
    ``weighted``). A row counts for a facet when it passes every other facet;
    ``on_match`` receives the rows that pass them all.
    """
    # For each facet: its counter, its value's place in a row, how to count it.
    every = [(counts[facet.name], columns.index(facet.column), facet.adder()) for facet in facets]
    tests = [
        (counting, facet.accepts(chosen[facet.name]))
        for facet, counting in zip(facets, every, strict=True)
        if chosen[facet.name] is not None
    ]
    weight = len(columns)
    for row in rows:
        failed = [counting for counting, test in tests if not test(row[counting[1]])]
        if len(failed) > 1:
            continue
        n = row[weight] if weighted else 1
        if not failed and on_match is not None:
            on_match(row)
        for counter, position, add in failed or every:
            add(counter, row[position], n)


def _chosen(filterset) -> dict[str, frozenset | None]:
    return {name: chosen_keys(name, filterset.selected(name)) for name in FACET_NAMES}


def facet_counts(filterset, names=FACET_NAMES) -> dict[str, list[FacetValue]]:
    """Each facet's values (of the facets ``names``) with the number of results each would give.

    Three grouped queries for them all (see _count_groups()), each leaving out
    the facets it counts, read from one small index.
    """
    chosen = _chosen(filterset)
    counts = {name: Counter() for name in FACET_NAMES}
    counted = [facet for facet in FACETS if facet.name in names]
    for facets in _count_groups(counted):
        columns = list(dict.fromkeys(facet.column for facet in facets))
        queryset = filterset.filter_queryset(
            filterset.queryset.all(), exclude=[facet.name for facet in facets]
        )
        rows = queryset.order_by().rewrite(False).values_list(*columns).annotate(n=Count("*"))
        _tally(rows, facets, columns, chosen, counts)
    return _facet_values(filterset, counts, names)


def _count_groups(facets) -> list[list[Facet]]:
    """The facets counted by one grouped query each: those with one value per
    cluster together (few combinations: the type, the label years), and each
    list of ids (sectors, regions: a few hundred distinct lists) on its own."""
    single = [facet for facet in facets if not facet.many]
    return ([single] if single else []) + [[facet] for facet in facets if facet.many]


def result_count(facets) -> int:
    """How many clusters the page finds, from its type counts: each cluster has
    one type, and the type counts apply every other filter."""
    chosen = [value for value in facets["type"] if value.selected]
    return sum(value.count for value in chosen or facets["type"])


def search_results(filterset):
    """For a search: the facets and the ordered ids of the results, from one query.

    A search narrows the directory to a set of matches; reading, once, each
    match's facet columns and sort keys and counting in Python costs one pass
    where a GROUP BY per column would run the search three times.
    """
    language = current_language()
    name_key = "sort_name_en" if language == "en" else "sort_name_fr"
    text = filterset.form.cleaned_data["q"]
    columns = list(dict.fromkeys(facet.column for facet in FACETS))
    rows = _search_rows(filterset.queryset, text, columns, name_key)
    typos = not rows  # the words find nothing: their near spellings among the names
    if typos:
        rows = _search_rows(filterset.queryset, text, columns, name_key, typos=True)
    counts = {name: Counter() for name in FACET_NAMES}
    results = []
    _tally(rows, FACETS, columns, _chosen(filterset), counts, results.append, weighted=False)
    facets = _facet_values(filterset, counts)

    name, reviewed, pk = len(columns), len(columns) + 1, len(columns) + 2
    order = filterset.sort_order
    if order == "reviewed":
        results.sort(key=lambda r: (r[name], r[pk]))
        results.sort(key=lambda r: r[reviewed] or datetime.date.min, reverse=True)
    elif order == "relevance":
        if len(results) > RANK_IN_ONE_QUERY:
            # Many results: PostgreSQL ranks them and returns one page at a time.
            filterset.typos = typos
            return facets, RankedPages(filterset.qs, len(results))
        # Few results: rank only them (ranking every match costs more).
        _condition, relevance = search.search_parts(text, typos)
        ranks = dict(
            Cluster.objects.filter(pk__in=[r[pk] for r in results])
            .annotate(relevance=relevance)
            .values_list("pk", "relevance")
        )
        results.sort(key=lambda r: (-ranks[r[pk]], r[name], r[pk]))
    else:
        results.sort(key=lambda r: (r[name], r[pk]))
    return facets, [row[pk] for row in results]


RANK_IN_ONE_QUERY = 1000


def _search_rows(queryset, text, columns, name_key, typos=False) -> list[tuple]:
    """Each match's facet columns, name key, review date and id."""
    rows = (
        search.matching(queryset, text, typos)
        # None of these columns is translated: plain tuples, without
        # modeltranslation's per-row fallback pass (half the page's time).
        .rewrite(False)
        .values_list(*columns, name_key, "last_reviewed", "pk")
        .order_by()
    )
    # Thousands of rows: fetched in one go, without Django's per-row converters.
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class RankedPages:
    """The ids of a large search's results, ranked by PostgreSQL a page at a time."""

    def __init__(self, queryset, count):
        self.queryset, self.count = queryset, count

    def __len__(self):
        return self.count

    def __getitem__(self, index):
        return list(self.queryset.values_list("pk", flat=True)[index])


def _facet_values(filterset, counts, names=FACET_NAMES) -> dict[str, list[FacetValue]]:
    """Each facet's values, in their display order, with their counts."""
    options = facet_options()
    return {
        facet.name: [
            FacetValue(
                o.slug,
                o.name,
                sum(counts[facet.name].get(key, 0) for key in o.keys),
                o.slug in filterset.selected(facet.name),
                o.group,
                o.code,
            )
            for o in options[facet.name]
        ]
        for facet in FACETS
        if facet.name in names
    }
