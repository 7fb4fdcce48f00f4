"""Signal receivers of the domain, connected in DirectoryConfig.ready() with their senders.

- Any change to the guide's content (a row saved or deleted, links added or
  removed) moves the content version (content_version.py), in the same
  transaction, so nothing cached from the old content is served again.
- A cluster's copies of its sector and region ids and of its label years
  follow its links and label rows (links.py).

History rows are left out: they record a change, they make none, and the
save they record has already moved the version.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from simple_history.models import HistoricalChanges

from . import content_version
from .links import refresh_links
from .models import Cluster, ClusterType, ContentVersion, Labelling, Region, Sector


def content_changed(sender, action=None, **kwargs):
    if action is None or action.startswith("post_"):  # not a link change's pre_ step
        content_version.bump()


def cluster_saved(sender, instance, raw=False, **kwargs):
    """A save writes the in-memory copies of the links back: recompute them."""
    refresh_links([instance.pk], stamp=not raw)


def label_changed(sender, instance, raw=False, **kwargs):
    """A label row saved or deleted: its cluster's label years follow."""
    refresh_links([instance.cluster_id], stamp=not raw)


def names_changed(sender, instance, created=False, **kwargs):
    """A type, sector or region saved: its clusters' copies of the names follow."""
    if created:
        return  # no cluster has it yet
    if sender is ClusterType:
        clusters = Cluster.objects.filter(cluster_type=instance)
    else:
        column = "sector_ids" if sender is Sector else "region_ids"
        clusters = Cluster.objects.filter(**{f"{column}__contains": [instance.pk]})
    refresh_links(list(clusters.values_list("pk", flat=True)))


def links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Keep each cluster's copy of its sector and region ids in step with the links."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:  # cluster.sectors.add(...): one cluster changed
        refresh_links([instance.pk])
    elif pk_set:  # sector.clusters.add(...): these clusters changed
        refresh_links(pk_set)
    else:  # sector.clusters.clear(): any of them may have
        refresh_links()


def content_models(app_config):
    """The app's models whose rows are the guide's content."""
    return [
        model
        for model in app_config.get_models()
        if model is not ContentVersion and not issubclass(model, HistoricalChanges)
    ]


def connect(app_config) -> None:
    for model in content_models(app_config):
        post_save.connect(content_changed, sender=model, dispatch_uid=f"version-{model}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"version-{model}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(content_changed, sender=through, dispatch_uid=f"version-{through}")
    post_save.connect(cluster_saved, sender=Cluster, dispatch_uid="cluster-links")
    post_save.connect(label_changed, sender=Labelling, dispatch_uid="label-years")
    post_delete.connect(label_changed, sender=Labelling, dispatch_uid="label-years")
    for model in (ClusterType, Sector, Region):
        post_save.connect(names_changed, sender=model, dispatch_uid=f"names-{model}")
    for through in (Cluster.sectors.through, Cluster.regions.through):
        m2m_changed.connect(links_changed, sender=through, dispatch_uid=f"links-{through}")
