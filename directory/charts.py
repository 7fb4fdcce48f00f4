"""Key figures of the guide as bar charts (server-rendered SVG) with their data tables."""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from django.db import connections, router
from django.db.models import Count
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .models import (
    Cluster,
    ClusterType,
    Labelling,
    OfficialFigure,
    PolicyLevel,
    Region,
    Sector,
)

LONGEST_BAR = 80  # percent of the chart's width, leaving room for the value


@dataclass
class Bar:
    label: str
    value: int
    url: str = ""
    official: str = ""  # the programme's own figure, when there is one
    percent: float = 0.0


@dataclass
class Chart:
    slug: str
    title: str
    value_label: str
    bars: list[Bar]
    official_label: str = ""
    rows: list = field(default_factory=list)

    def __post_init__(self):
        highest = max((bar.value for bar in self.bars), default=0)
        for bar in self.bars:
            bar.percent = round(LONGEST_BAR * bar.value / highest, 2) if highest else 0

    @property
    def height(self) -> int:
        return 44 * len(self.bars) + 4

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        header = [str(self.title), str(self.value_label)]
        if self.official_label:
            header.append(str(self.official_label))
        writer.writerow(header)
        for bar in self.bars:
            row = [bar.label, bar.value]
            if self.official_label:
                row.append(bar.official)
            writer.writerow(row)
        return out.getvalue()


def _official(figure) -> str:
    value = number_format(int(figure.value), force_grouping=True)
    unit = " €" if figure.unit == OfficialFigure.Unit.EUROS else ""
    return f"{value}{unit} · {figure.label} ({figure.year}; {figure.source})"


@dataclass
class PublishedCounts:
    """Published clusters per type, sector and region id."""

    types: Counter
    sectors: Counter
    regions: Counter
    region_lists: list[tuple[list[int], int]]  # (a cluster's region ids, how many clusters)

    def clusters_in_any_region(self, region_ids) -> int:
        """Clusters in at least one of these regions, each counted once."""
        wanted = set(region_ids)
        return sum(n for ids, n in self.region_lists if not wanted.isdisjoint(ids))


# One pass over the index that holds each published cluster's type and copies
# of its sector and region ids (see links.py), grouped three ways at once.
PUBLISHED_COUNTS_SQL = """
    SELECT GROUPING(cluster_type_id, sector_ids, region_ids), cluster_type_id,
           sector_ids, region_ids, COUNT(*)
    FROM directory_cluster WHERE is_published
    GROUP BY GROUPING SETS ((cluster_type_id), (sector_ids), (region_ids))
"""
BY_TYPE, BY_SECTORS, BY_REGIONS = 0b011, 0b101, 0b110  # GROUPING(): 1 = column left out


def published_counts() -> PublishedCounts:
    counts = PublishedCounts(Counter(), Counter(), Counter(), [])
    with connections[router.db_for_read(Cluster)].cursor() as cursor:
        cursor.execute(PUBLISHED_COUNTS_SQL)
        for grouping, type_id, sector_ids, region_ids, n in cursor.fetchall():
            if grouping == BY_TYPE:
                counts.types[type_id] += n
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


def type_chart(types, figures) -> Chart:
    headline = headline_figures(figures)
    return Chart(
        slug="types",
        title=_("Clusters per type"),
        value_label=_("In this guide"),
        official_label=_("Official figure"),
        bars=[
            Bar(
                t.short_name or t.name,
                t.cluster_count,
                t.get_absolute_url(),
                _official(headline[t.pk]) if t.pk in headline else "",
            )
            for t in types
        ],
    )


def level_chart(types) -> Chart:
    return Chart(
        slug="levels",
        title=_("Clusters per policy level"),
        value_label=_("In this guide"),
        bars=[
            Bar(
                level.label,
                sum(t.cluster_count for t in types if t.level == level),
                reverse("directory:cluster-list") + f"?level={level.value}",
            )
            for level in PolicyLevel
        ],
    )


def sector_chart(counts: PublishedCounts) -> Chart:
    sectors = with_published_counts(Sector.objects.all(), counts)
    return Chart(
        slug="sectors",
        title=_("Clusters per sector"),
        value_label=_("In this guide"),
        bars=[Bar(s.name, s.cluster_count, s.get_absolute_url()) for s in sectors],
    )


def region_chart(counts: PublishedCounts) -> Chart:
    regions = regions_in_order(counts)
    return Chart(
        slug="regions",
        title=_("Clusters per region, overseas included"),
        value_label=_("In this guide"),
        bars=[Bar(r.name, r.cluster_count, r.get_absolute_url()) for r in regions],
    )


def labelling_chart(figures) -> Chart:
    """Clusters of the guide labelled each year, beside the programmes' counts."""
    years = (
        Labelling.objects.filter(cluster__is_published=True)
        .exclude(outcome=Labelling.Outcome.WITHDRAWN)
        .values("year")
        .annotate(n=Count("cluster", distinct=True))
        .order_by("year")
    )
    official = {}
    for figure in figures:
        if figure.unit == OfficialFigure.Unit.COUNT:
            official.setdefault(figure.year, []).append(_official(figure))
    return Chart(
        slug="labelling",
        title=_("Clusters labelled per year"),
        value_label=_("Clusters of this guide labelled that year"),
        official_label=_("Official figures of that year"),
        bars=[
            Bar(str(row["year"]), row["n"], official=" / ".join(official.get(row["year"], [])))
            for row in years
        ],
    )


def all_charts() -> list[Chart]:
    counts = published_counts()
    types = with_published_counts(ClusterType.objects.all(), counts)
    figures = type_figures()
    return [
        type_chart(types, figures),
        level_chart(types),
        sector_chart(counts),
        region_chart(counts),
        labelling_chart(figures),
    ]
