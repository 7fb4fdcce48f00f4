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

import contextlib
import functools
import operator
from collections import Counter
from dataclasses import dataclass

from django.db import connection, connections
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import content_version, facet_index, search
from .db import local_setting
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
    return content_version.held(f"facet-options:{language}", lambda: _read_options(language))


def _read_options(language) -> dict[str, list[Option]]:
    """Types, sectors and regions in one query, each in its display order."""
    other = "en" if language == "fr" else "fr"
    # The page language's name, else the other's (as the models' fallback does).
    name = f"coalesce(nullif(name_{language}, ''), name_{other})"
    tables = {model: model._meta.db_table for model in (ClusterType, Sector, Region)}
    metropolitan = Region.Kind.METROPOLITAN.value
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT 'type', id, slug, {name}, level, '',
                   row_number() OVER (ORDER BY position, slug)
              FROM {tables[ClusterType]}
            UNION ALL
            SELECT 'sector', id, slug, {name}, family, '',
                   row_number() OVER (ORDER BY family, position, slug)
              FROM {tables[Sector]}
            UNION ALL
            -- Metropolitan regions, then overseas regions and collectivities.
            SELECT 'region', id, slug, {name},
                   CASE WHEN kind = %s THEN 'metropolitan' ELSE 'overseas' END, insee_code,
                   row_number() OVER (ORDER BY kind <> %s, sort_name_{language})
              FROM {tables[Region]}
            ORDER BY 1, 7
            """,
            [metropolitan, metropolitan],
        )
        rows = cursor.fetchall()
    options = {"type": [], "sector": [], "region": []}
    for kind, pk, slug, title, group, code, _position in rows:
        options[kind].append(Option((pk,), slug, title, group, code))
    types = options["type"]
    return {
        "type": types,
        "level": [
            Option(
                tuple(o.keys[0] for o in types if o.group == level), level.value, str(level.label)
            )
            for level in PolicyLevel
        ],
        "label": [
            Option((status.value,), status.value, str(status.label)) for status in LabelStatus
        ],
        "sector": options["sector"],
        "region": options["region"],
    }


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


def _tally(rows, facets, columns, chosen, counts) -> None:
    """Count each facet's values over ``rows``, a facet's own choice left out.

    Each row holds the values of ``columns``, then its number of clusters. A
    row counts for a facet when it passes every other facet.
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
        for counter, position, add in failed or every:
            add(counter, row[position], row[weight])


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


def directory_facets(filterset) -> dict[str, list[FacetValue]]:
    """``facet_counts()`` for the directory itself (all published clusters), read from
    this process's facet index instead of PostgreSQL: no query."""
    counts, _found = facet_index.current().count(_chosen(filterset))
    return _facet_values(filterset, counts)


def result_total(filterset) -> int:
    """How many clusters the directory's facets (no search) find: from the facet index,
    no query (a list's total when the rows themselves come from SQL, page by page)."""
    filterset.form.is_valid()  # fills cleaned_data; lenient fields are always valid
    return facet_index.current().results(_chosen(filterset)).bit_count()


def result_ids(filterset) -> list[int]:
    """The ids of all the directory's results for its filters, search and sort, in order
    (for its exports): from the facet index, and for a search its matches."""
    filterset.form.is_valid()  # fills cleaned_data; lenient fields are always valid
    if filterset.form.cleaned_data.get("q"):
        return search_results(filterset)[1]
    index = facet_index.current()
    _counts, found = index.count(_chosen(filterset))
    return index.in_order(index.members(found), filterset.sort_order, current_language())


def search_results(filterset):
    """For a search: the facets and the ordered ids of the results.

    PostgreSQL finds the matches (their ids only), once for as long as the
    content is unchanged: the facet index remembers them, so the search's next
    pages and facet choices read none. The index counts each facet over them,
    applies the filters, and sorts them by name or review date. Relevance is
    ranked in SQL: over the results themselves when they are few, by tiers
    (names, then sectors and regions named, then the rest) when they are many.
    """
    language = current_language()
    text = filterset.form.cleaned_data["q"]
    index = facet_index.current()
    matches, typos = index.remembered(("search", text), lambda: _matches(filterset, text, index))
    counts, found = index.count(_chosen(filterset), matches)
    facets = _facet_values(filterset, counts)
    order = filterset.sort_order
    if order == "relevance" and found.bit_count() > RANK_IN_ONE_QUERY and not typos:
        return facets, _broad_ranking(filterset.queryset, text, found, index, language)
    results = index.members(found)
    if order != "relevance":
        return facets, index.in_order(results, order, language)
    # Few results: rank them in SQL (ranking every match of a broad word costs more).
    return facets, _ranked_in_sql(results, text, typos, index, language)


RANK_IN_ONE_QUERY = 1000


def _ranked_in_sql(ids, text, typos, index, language) -> list[int]:
    """``ids`` by the search's relevance (search.search_parts()), then by name."""
    _condition, relevance = search.search_parts(text, typos)
    ranks = dict(
        Cluster.objects.filter(pk__in=ids)
        .annotate(relevance=relevance)
        .values_list("pk", "relevance")
    )
    by_name = {pk: n for n, pk in enumerate(index.by_name(ids, language))}
    return sorted(ids, key=lambda pk: (-ranks[pk], by_name[pk]))


def _broad_ranking(queryset, text, found: int, index, language) -> list[int]:
    """Many results (a broad word: "energie" finds a tenth of the guide), ranked as
    search_vector's weights would, without ranking each match: the clusters whose
    names the words match first (ranked among themselves when they are few), then
    those of the sectors and regions the words name, then the rest, by name."""
    in_names = lambda: index.of(_ids(search.named_by(queryset, text)))  # noqa: E731
    named_set = found & index.remembered(("named", text), in_names)
    named = index.members(named_set)
    if len(named) <= RANK_IN_ONE_QUERY:
        first = _ranked_in_sql(named, text, False, index, language)
    else:
        first = index.by_name(named, language)
    facets = search.named_facets(text)
    topic = 0
    for name in ("sector", "region"):
        topic |= index.chosen(name, chosen_keys(name, facets[name]) or ())
    rest = found & ~named_set
    second = index.by_name(index.members(rest & topic), language)
    third = index.by_name(index.members(rest & ~topic), language)
    return first + second + third


def _matches(filterset, text, index) -> tuple[int, bool]:
    """The set of the clusters a search finds, and whether it found them by their names'
    near spellings (the words themselves found nothing)."""
    ids = _search_ids(filterset.queryset, text)
    if ids:
        return index.of(ids), False
    return index.of(_search_ids(filterset.queryset, text, typos=True)), True


def _search_ids(queryset, text, typos=False) -> list[int]:
    """The ids of the clusters among ``queryset`` that a search finds, read from its index.

    PostgreSQL overestimates how many rows a search with several alternatives
    matches (it adds up their estimates: 80,000 of 100,000 for "numerique",
    which finds 28,000) and then tests the query on every row (400 ms) instead
    of reading its index (60 ms): the query is told not to scan the table.
    """
    return _ids(search.matching(queryset, text, typos), from_index=True)


def _ids(queryset, from_index=False) -> list[int]:
    found = queryset.order_by().values_list("pk", flat=True)
    sql, params = found.query.sql_with_params()
    planner = (
        local_setting(found.db, "enable_seqscan", "off") if from_index else contextlib.nullcontext()
    )
    # Thousands of rows: fetched in one go, without Django's per-row converters.
    with planner, connections[found.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for (pk,) in cursor.fetchall()]


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
