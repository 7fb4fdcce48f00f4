"""Key figures of the guide as bar charts (server-rendered SVG) with their data tables."""

import csv
import io
from dataclasses import dataclass

from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from directory.counts import (
    PublishedCounts,
    headline_figures,
    labelled_per_year,
    published_counts,
    regions_in_order,
    type_figures,
    with_published_counts,
)
from directory.models import ClusterType, OfficialFigure, PolicyLevel, Sector
from inbox.figures import inbox_figures

LONGEST_BAR = 80  # percent of the chart's width, leaving room for the value


@dataclass
class Bar:
    label: str
    value: int
    url: str = ""
    official: str = ""  # the programme's own figure, when there is one
    percent: float = 0.0
    labelled_now: int | None = None  # for types: how many a label covers today


@dataclass
class Chart:
    slug: str
    title: str
    value_label: str
    bars: list[Bar]
    official_label: str = ""
    labelled_label: str = ""
    note: str = ""  # a sentence shown under the chart

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
        if self.labelled_label:
            header.append(str(self.labelled_label))
        if self.official_label:
            header.append(str(self.official_label))
        writer.writerow(header)
        for bar in self.bars:
            row = [bar.label, bar.value]
            if self.labelled_label:
                row.append(bar.labelled_now)
            if self.official_label:
                row.append(bar.official)
            writer.writerow(row)
        return out.getvalue()


def _official(figure) -> str:
    value = number_format(int(figure.value), force_grouping=True)
    unit = " €" if figure.unit == OfficialFigure.Unit.EUROS else ""
    return f"{value}{unit} · {figure.label} ({figure.year}; {figure.source})"


def type_chart(types, figures) -> Chart:
    headline = headline_figures(figures)
    return Chart(
        slug="types",
        title=_("Clusters per type"),
        value_label=_("In this guide"),
        labelled_label=_("Of which labelled now"),
        official_label=_("Official figure"),
        bars=[
            Bar(
                t.short_name or t.name,
                t.cluster_count,
                t.get_absolute_url(),
                _official(headline[t.pk]) if t.pk in headline else "",
                labelled_now=t.labelled_now,
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
                reverse("guide:cluster-list") + f"?level={level.value}",
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
    years = labelled_per_year()
    official = {}
    for figure in figures:
        if figure.unit == OfficialFigure.Unit.COUNT:
            official.setdefault(figure.year, []).append(_official(figure))
    return Chart(
        slug="labelling",
        title=_("Clusters labelled per year"),
        value_label=_("Clusters of this guide labelled that year"),
        official_label=_("Official figures of that year"),
        bars=[Bar(str(year), n, official=" / ".join(official.get(year, []))) for year, n in years],
    )


def requests_chart() -> Chart:
    """Introduction requests received per month (a count: nothing about who sent them)."""
    figures = inbox_figures()
    if figures.median_words:
        note = _(
            "Half of the requests had a first answer from staff within %(time)s "
            "(the median, over every request answered so far)."
        ) % {"time": figures.median_words}
    else:
        note = _("No request has had an answer yet.")
    return Chart(
        slug="introductions",
        title=_("Introduction requests per month"),
        value_label=_("Requests received"),
        bars=[Bar(date_format(month, "YEAR_MONTH_FORMAT"), n) for month, n in figures.months],
        note=note,
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
        requests_chart(),
    ]
