"""Each cluster keeps copies: its sector and region ids, the years its label history covers,
and the names of its type, sectors and regions (for the search); and when its label
history last changed (for the email alerts).

``Cluster.sector_ids``, ``region_ids`` and ``label_years``: the directory's
filters and facet counts read these arrays (GIN-indexed, and in the covering
index of the facet counts) instead of joining the link and label tables. They
are recomputed whenever links or label rows change (the receivers in
signals.py) and after bulk inserts (generate_clusters).
"""

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    Case,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Now

from .models import Cluster, ClusterType, Labelling


def _linked_ids(through, column: str) -> ArraySubquery:
    links = through.objects.filter(cluster_id=OuterRef("pk")).order_by(column).values(column)
    return ArraySubquery(links)


def _label_years() -> ArraySubquery:
    """Every year from each label row's year to its end year (its year alone without one)."""
    years = Func(
        Cast("year", IntegerField()),
        Cast(Coalesce("until_year", "year"), IntegerField()),
        function="generate_series",
        output_field=IntegerField(),
    )
    rows = (
        Labelling.objects.filter(cluster_id=OuterRef("pk"))
        .exclude(outcome=Labelling.Outcome.WITHDRAWN)
        .annotate(covered=years)
        .order_by()
        .values("covered")
        .distinct()
    )
    return ArraySubquery(rows.order_by("covered"))


def _names(through, column: str, field: str) -> Coalesce:
    """The names of a cluster's sectors (or regions) in one language, space-separated."""
    names = (
        through.objects.filter(cluster_id=OuterRef("pk"))
        .order_by()
        .values("cluster_id")
        .annotate(names=StringAgg(f"{column}__{field}", " ", order_by=f"{column}_id"))
        .values("names")
    )
    return Coalesce(Subquery(names, output_field=TextField()), Value(""), output_field=TextField())


def _topics(language: str) -> Concat:
    """The names of a cluster's type, sectors and regions in ``language``, for the search."""
    suffix = f"_{language}"
    cluster_type = ClusterType.objects.filter(pk=OuterRef("cluster_type_id"))
    return Concat(
        Coalesce(
            Subquery(cluster_type.values("name" + suffix)), Value(""), output_field=TextField()
        ),
        Value(" "),
        Coalesce(
            Subquery(cluster_type.values("short_name" + suffix)),
            Value(""),
            output_field=TextField(),
        ),
        Value(" "),
        _names(Cluster.sectors.through, "sector", "name" + suffix),
        Value(" "),
        _names(Cluster.regions.through, "region", "name" + suffix),
        output_field=TextField(),
    )


def refresh_links(cluster_ids=None, stamp=True) -> None:
    """Recompute the copies for these clusters (all when None), in one UPDATE; with
    ``stamp``, date a change of their label years (not for fixtures: a row loaded
    again is not news)."""
    clusters = Cluster.objects.all()
    if cluster_ids is not None:
        if not cluster_ids:
            return
        clusters = clusters.filter(pk__in=list(cluster_ids))
    years = _label_years()
    changed = {}
    if stamp:  # compared with the row as it was (an UPDATE's expressions read the old row)
        changed["label_changed_at"] = Case(
            When(Q(label_years=years), then=F("label_changed_at")), default=Now()
        )
    clusters.update(
        sector_ids=_linked_ids(Cluster.sectors.through, "sector_id"),
        region_ids=_linked_ids(Cluster.regions.through, "region_id"),
        label_years=years,
        topics_fr=_topics("fr"),
        topics_en=_topics("en"),
        **changed,
    )
