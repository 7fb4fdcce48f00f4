"""The counts behind the figures: published clusters per type, sector and region.

The home page, the figures page and the map read them; they come from one
pass over the small covering index of published clusters.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Count
from django.utils import timezone

from .models import Cluster, ClusterType, Labelling, OfficialFigure, Region, Sector


@dataclass
class PublishedCounts:
    """Published clusters per type, sector and region id, and per type those labelled now."""

    types: Counter
    sectors: Counter
    regions: Counter
    region_lists: list[tuple[list[int], int]]  # (a cluster's region ids, how many clusters)
    labelled_now: Counter  # per type: a label row covers this year

    def clusters_in_any_region(self, region_ids) -> int:
        """Clusters in at least one of these regions, each counted once."""
        wanted = set(region_ids)
        return sum(n for ids, n in self.region_lists if not wanted.isdisjoint(ids))


# One pass over the index that holds each published cluster's type and copies
# of its sector and region ids and label years (see links.py), grouped three
# ways at once; per type, the clusters labelled this year too.
# Raw SQL: the ORM has no GROUPING SETS (three ORM queries would read the
# index three times).
PUBLISHED_COUNTS_SQL = """
    SELECT GROUPING(cluster_type_id, sector_ids, region_ids), cluster_type_id,
           sector_ids, region_ids, COUNT(*),
           COUNT(*) FILTER (WHERE label_years @> ARRAY[%s]::smallint[])
    FROM directory_cluster WHERE is_published
    GROUP BY GROUPING SETS ((cluster_type_id), (sector_ids), (region_ids))
"""
BY_TYPE, BY_SECTORS, BY_REGIONS = 0b011, 0b101, 0b110  # GROUPING(): 1 = column left out


def published_counts() -> PublishedCounts:
    counts = PublishedCounts(Counter(), Counter(), Counter(), [], Counter())
    with connections[router.db_for_read(Cluster)].cursor() as cursor:
        cursor.execute(PUBLISHED_COUNTS_SQL, [timezone.localdate().year])
        for grouping, type_id, sector_ids, region_ids, n, labelled in cursor.fetchall():
            if grouping == BY_TYPE:
                counts.types[type_id] += n
                counts.labelled_now[type_id] += labelled
            elif grouping == BY_SECTORS:
                counts.sectors.update(dict.fromkeys(sector_ids, n))
            elif grouping == BY_REGIONS:
                counts.regions.update(dict.fromkeys(region_ids, n))
                counts.region_lists.append((region_ids, n))
    return counts


def with_published_counts(queryset, counts: PublishedCounts) -> list:
    """Types, sectors or regions, each with its published clusters (``cluster_count``)."""
    by_id = {ClusterType: counts.types, Sector: counts.sectors, Region: counts.regions}
    items = list(queryset)
    for item in items:
        item.cluster_count = by_id[queryset.model][item.pk]
        if queryset.model is ClusterType:
            item.labelled_now = counts.labelled_now[item.pk]
    return items


def type_figures() -> list[OfficialFigure]:
    """The official figures of the cluster types, by type and position."""
    return list(OfficialFigure.objects.filter(cluster_type__isnull=False))


def headline_figures(figures=None) -> dict[int, OfficialFigure]:
    """Each cluster type's first official figure (by position), by type id."""
    headline = {}
    for figure in type_figures() if figures is None else figures:
        headline.setdefault(figure.cluster_type_id, figure)
    return headline


def regions_in_order(counts: PublishedCounts) -> list:
    """Regions with their counts: metropolitan first, then overseas, by French name."""
    return with_published_counts(Region.objects.order_by("kind", "sort_name_fr"), counts)


def labelled_per_year():
    """Published clusters labelled each year (withdrawn labels left out): (year, clusters)."""
    return (
        Labelling.objects.filter(cluster__is_published=True)
        .exclude(outcome=Labelling.Outcome.WITHDRAWN)
        .values_list("year")
        .annotate(n=Count("cluster", distinct=True))
        .order_by("year")
    )
