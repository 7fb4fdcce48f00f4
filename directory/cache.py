"""Page caching that never serves an old version of the guide.

Every change to the guide's content (admin, import, fixtures) increments the
content version in the same transaction (ContentVersion). Cached pages and
cached facet values are keyed by that number, so a save makes them unreachable
at once, in every worker and on every server, with no list of pages to purge.
Reading the number costs one indexed single-row query per request.
"""

import contextvars
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from simple_history.models import HistoricalChanges

from clusters_site.db_router import is_public_read

_version = contextvars.ContextVar("content_version", default=None)

CACHEABLE_TYPES = (
    "text/html",
    "application/atom+xml",
    "text/calendar",
    "text/csv",
    "application/xml",
)


def read_version() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT number FROM directory_contentversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def content_version() -> int:
    """The current content version: read at most once per request."""
    memo = _version.get()
    if memo is None:  # outside a request (commands, tests without the middleware)
        return read_version()
    if not memo:
        memo.append(read_version())
    return memo[0]


def bump_version() -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE directory_contentversion SET number = number + 1 WHERE id = 1")


@receiver(post_save)
@receiver(post_delete)
@receiver(m2m_changed)
def _content_changed(sender, **kwargs):
    meta = getattr(sender, "_meta", None)
    # History rows record a change, they make none: the save they record
    # has already moved the version.
    if (
        meta
        and meta.app_label == "directory"
        and meta.model_name != "contentversion"
        and not issubclass(sender, HistoricalChanges)
    ):
        bump_version()


@receiver(post_save)
def _cluster_saved(sender, instance, **kwargs):
    """A save writes the in-memory copies of the links back: recompute them."""
    from .links import refresh_links
    from .models import Cluster

    if sender is Cluster:
        refresh_links([instance.pk])


@receiver(m2m_changed)
def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Keep each cluster's copy of its sector and region ids in step with the links."""
    from .links import refresh_links
    from .models import Cluster

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if sender not in (Cluster.sectors.through, Cluster.regions.through):
        return
    if not reverse:  # cluster.sectors.add(...): one cluster changed
        refresh_links([instance.pk])
    elif pk_set:  # sector.clusters.add(...): these clusters changed
        refresh_links(pk_set)
    else:  # sector.clusters.clear(): any of them may have
        refresh_links()


def versioned_key(name: str) -> str:
    return f"directory:{content_version()}:{name}"


class PageCacheMiddleware:
    """Anonymous GET pages of the public site, cached per full address and content version."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _version.set([])  # this request's memo of the content version
        try:
            if not self.cacheable_request(request):
                return self.get_response(request)
            address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
            key = f"page:{content_version()}:{address}"
            cached = cache.get(key)
            if cached is not None:
                return self.rebuild(cached)
            response = self.get_response(request)
            if self.cacheable_response(response):
                cache.set(key, self.freeze(response), settings.PAGE_CACHE_SECONDS)
            return response
        finally:
            _version.reset(token)

    @staticmethod
    def cacheable_request(request) -> bool:
        return settings.PAGE_CACHE_SECONDS > 0 and is_public_read(request)  # staff see fresh pages

    @staticmethod
    def cacheable_response(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and response.get("Content-Type", "").startswith(CACHEABLE_TYPES)
        )

    @staticmethod
    def freeze(response):
        return (response.status_code, list(response.items()), response.content)

    @staticmethod
    def rebuild(frozen):
        status, headers, content = frozen
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response
