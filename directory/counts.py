"""The counts behind the figures: published clusters per type, sector and region.

The home page, the figures page and the map read them from the facet index
(facet_index.py): no query once a process holds it.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from . import facet_index
from .models import ClusterType, Labelling, LabelStatus, OfficialFigure, Region, Sector


@dataclass
class PublishedCounts:
    """Published clusters per type, sector and region id, and per type those labelled now."""

    types: Counter
    sectors: Counter
    regions: Counter
    labelled_now: Counter  # per type: a label row covers this year
    index: facet_index.FacetIndex

    def clusters_in_any_region(self, region_ids) -> int:
        """Clusters in at least one of these regions, each counted once."""
        return self.index.chosen("region", region_ids).bit_count()


def published_counts() -> PublishedCounts:
    index = facet_index.current()
    counts, _found = index.count({})
    labelled = index.chosen("label", [LabelStatus.LABELLED.value])
    labelled_now = Counter(
        {pk: (bits & labelled).bit_count() for pk, bits in index.values["type"].items()}
    )
    return PublishedCounts(counts["type"], counts["sector"], counts["region"], labelled_now, index)


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
