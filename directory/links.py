"""Each cluster keeps a copy of its sector and region ids (Cluster.sector_ids, region_ids).

The directory's filters and facet counts read these arrays (GIN-indexed, and
in the covering index of the facet counts) instead of joining the link
tables. They are recomputed from the link tables whenever links change (the
receivers in signals.py) and after bulk inserts (generate_clusters).
"""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef

from .models import Cluster


def _linked_ids(through, column: str) -> ArraySubquery:
    links = through.objects.filter(cluster_id=OuterRef("pk")).order_by(column).values(column)
    return ArraySubquery(links)


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
    )
