"""Facet values (types, sectors, regions) and how many results each would give."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connections
from django.db.models import Case, Count, When

from .cache import versioned_key
from .models import (
    Cluster,
    ClusterType,
    PolicyLevel,
    Region,
    Sector,
    current_language,
    search_parts,
)


@dataclass(frozen=True)
class Option:
    pk: int
    slug: str
    name: str
    group: str = ""  # sector family, region kind, type level
    code: str = ""  # a region's INSEE code


def facet_options() -> dict[str, list[Option]]:
    """The values each facet offers, in a stable display order, in the page language.

    Types, sectors and regions change rarely: they are cached under the content
    version, which any change to the guide increments.
    """
    language = current_language()
    key = versioned_key(f"facet-options:{language}")
    options = cache.get(key)
    if options is None:
        options = {
            "type": [Option(t.pk, t.slug, t.name, t.level) for t in ClusterType.objects.all()],
            "sector": [Option(s.pk, s.slug, s.name, s.family) for s in Sector.objects.all()],
            # Metropolitan regions, then overseas regions and collectivities.
            "region": [
                Option(
                    r.pk,
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


def with_region_names(clusters) -> list:
    """The clusters, each with its regions' names (``region_names``), read from
    the copy of its links and the cached facet values: no query."""
    options = facet_options()["region"]
    position = {o.pk: i for i, o in enumerate(options)}
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


def chosen_pks(filterset, options, name) -> set[int]:
    """The ids of the values of facet ``name`` the visitor ticked."""
    selected = set(filterset.selected(name))
    return {o.pk for o in options[name] if o.slug in selected}


def facet_counts(filterset) -> dict[str, list[FacetValue]]:
    """Each facet's values with the number of results each would give (three queries).

    A facet's own selection is left out of its counts (ticking another type
    adds to the results), the other facets and the search apply. The counts
    are grouped by the type and by the copies of the sector and region ids
    (a few hundred distinct lists), read from one small index.
    """

    def grouped(column, *exclude):
        queryset = filterset.filter_queryset(filterset.queryset.all(), exclude=exclude)
        return queryset.order_by().rewrite(False).values_list(column).annotate(n=Count("*"))

    options = facet_options()
    level_of = {o.pk: o.group for o in options["type"]}
    types = chosen_pks(filterset, options, "type")
    levels = set(filterset.selected("level"))
    # Type and level from one query that leaves both out: a type has one level.
    counts = {name: Counter() for name in ("type", "level", "sector", "region")}
    for type_id, n in grouped("cluster_type_id", "type", "level"):
        if not levels or level_of[type_id] in levels:
            counts["type"][type_id] += n
        if not types or type_id in types:
            counts["level"][level_of[type_id]] += n
    for name in ("sector", "region"):
        for ids, n in grouped(f"{name}_ids", name):
            for pk in ids:
                counts[name][pk] += n
    return _facet_values(filterset, counts)


def result_count(facets) -> int:
    """How many clusters the page finds, from its type counts: each cluster has
    one type, and the type counts apply every other filter."""
    chosen = [value for value in facets["type"] if value.selected]
    return sum(value.count for value in chosen or facets["type"])


def search_results(filterset):
    """For a search: the facets and the ordered ids of the results, from one query.

    A search narrows the directory to a set of matches; reading, once, each
    match's type, level, sectors, regions and sort keys and counting in Python
    costs one pass where a GROUP BY per facet would run the search five times.
    """
    language = current_language()
    name_key = "sort_name_en" if language == "en" else "sort_name_fr"
    text = filterset.form.cleaned_data["q"]
    rows = (
        filterset.queryset.matching(text)
        # None of these columns is translated: plain tuples, without
        # modeltranslation's per-row fallback pass (half the page's time).
        .rewrite(False)
        .values_list(
            "pk",
            "cluster_type_id",
            "cluster_type__level",
            "sector_ids",  # copies of the links: no join (see links.py)
            "region_ids",
            name_key,
            "last_reviewed",
        )
        .order_by()
    )
    # Thousands of rows: fetched in one go, without Django's per-row converters.
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    options = facet_options()
    types = chosen_pks(filterset, options, "type")
    levels = set(filterset.selected("level"))
    sectors = chosen_pks(filterset, options, "sector")
    regions = chosen_pks(filterset, options, "region")

    # A facet's count ignores that facet's own selection: a row counts for a
    # facet when it passes the other three.
    type_counts, level_counts, sector_counts, region_counts = (Counter() for _ in range(4))
    results = []
    for row in rows:
        _pk, type_id, level, row_sectors, row_regions = row[:5]
        t = not types or type_id in types
        lv = not levels or level in levels
        s = not sectors or not sectors.isdisjoint(row_sectors)
        r = not regions or not regions.isdisjoint(row_regions)
        if lv and s and r:
            type_counts[type_id] += 1
            if t:
                results.append(row)
        if t and s and r:
            level_counts[level] += 1
        if t and lv and r:
            sector_counts.update(row_sectors)
        if t and lv and s:
            region_counts.update(row_regions)
    counts = {
        "type": type_counts,
        "level": level_counts,
        "sector": sector_counts,
        "region": region_counts,
    }

    order = filterset.sort_order
    if order == "reviewed":
        results.sort(key=lambda r: (r[5], r[0]))
        results.sort(key=lambda r: r[6] or datetime.date.min, reverse=True)
    elif order == "relevance":
        if len(results) > RANK_IN_ONE_QUERY:
            # Many results: PostgreSQL ranks them and returns one page at a time.
            return _facet_values(filterset, counts), RankedPages(filterset.qs, len(results))
        # Few results: rank only them (ranking every match costs more).
        _condition, relevance = search_parts(text)
        ranks = dict(
            Cluster.objects.filter(pk__in=[r[0] for r in results])
            .annotate(relevance=relevance)
            .values_list("pk", "relevance")
        )
        results.sort(key=lambda r: (-ranks[r[0]], r[5], r[0]))
    else:
        results.sort(key=lambda r: (r[5], r[0]))
    return _facet_values(filterset, counts), [row[0] for row in results]


RANK_IN_ONE_QUERY = 1000


class RankedPages:
    """The ids of a large search's results, ranked by PostgreSQL a page at a time."""

    def __init__(self, queryset, count):
        self.queryset, self.count = queryset, count

    def __len__(self):
        return self.count

    def __getitem__(self, index):
        return list(self.queryset.values_list("pk", flat=True)[index])


def _facet_values(filterset, counts):
    """FacetValue lists, in the facets' stable order, from counts keyed by pk (or level)."""
    options = facet_options()
    facets = {
        name: [
            FacetValue(
                o.slug,
                o.name,
                counts[name].get(o.pk, 0),
                o.slug in filterset.selected(name),
                o.group,
                o.code,
            )
            for o in options[name]
        ]
        for name in ("type", "sector", "region")
    }
    facets["level"] = [
        FacetValue(
            level.value,
            level.label,
            counts["level"].get(level.value, 0),
            level.value in filterset.selected("level"),
        )
        for level in PolicyLevel
    ]
    return facets
