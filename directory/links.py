"""Each cluster keeps copies: its sector and region ids, and the years its label history covers.

``Cluster.sector_ids``, ``region_ids`` and ``label_years``: the directory's
filters and facet counts read these arrays (GIN-indexed, and in the covering
index of the facet counts) instead of joining the link and label tables. They
are recomputed whenever links or label rows change (the receivers in
signals.py) and after bulk inserts (generate_clusters).
"""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Func, IntegerField, OuterRef
from django.db.models.functions import Cast, Coalesce

from .models import Cluster, Labelling


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


def refresh_links(cluster_ids=None) -> None:
    """Recompute the copies for these clusters (all when None), in one UPDATE."""
    clusters = Cluster.objects.all()
    if cluster_ids is not None:
        if not cluster_ids:
            return
        clusters = clusters.filter(pk__in=list(cluster_ids))
    clusters.update(
        sector_ids=_linked_ids(Cluster.sectors.through, "sector_id"),
        region_ids=_linked_ids(Cluster.regions.through, "region_id"),
        label_years=_label_years(),
    )
