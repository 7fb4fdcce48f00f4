"""Each cluster keeps a copy of its sector and region ids (Cluster.sector_ids, region_ids).

The directory's search counts facets from these arrays in one pass over the
matches, with no join. They are refreshed in SQL from the link tables:
whenever links change (the m2m_changed receiver in cache.py) and after bulk
inserts (generate_clusters).
"""

from django.db import connection

REFRESH = """
UPDATE directory_cluster AS c SET
    sector_ids = ARRAY(SELECT s.sector_id FROM directory_cluster_sectors s
                       WHERE s.cluster_id = c.id ORDER BY s.sector_id),
    region_ids = ARRAY(SELECT r.region_id FROM directory_cluster_regions r
                       WHERE r.cluster_id = c.id ORDER BY r.region_id)
"""
REFRESH_ALL = REFRESH + ";"


def refresh_links(cluster_ids=None) -> None:
    """Recompute the copies for these clusters (all when None)."""
    with connection.cursor() as cursor:
        if cluster_ids is None:
            cursor.execute(REFRESH)
        elif cluster_ids:
            cursor.execute(REFRESH + " WHERE c.id = ANY(%s)", [list(cluster_ids)])
