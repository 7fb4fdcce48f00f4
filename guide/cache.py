"""Page caching that never serves an old version of the guide.

Anonymous GET pages of the public site are cached per full address, day
and content version (directory/content_version.py): a change to the content gives
a new number in the same transaction, so a save makes every cached page
unreachable at once, in every worker and on every server, with no list of
pages to purge. Reading the number costs one indexed single-row query per
request.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone

from directory import content_version

from .public import is_public_read

CACHEABLE_TYPES = (
    "text/html",
    "application/atom+xml",
    "text/calendar",
    "text/csv",
    "application/xml",
)


class PageCacheMiddleware:
    """Anonymous GET pages of the public site, cached per full address and content version."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with content_version.request_scope():  # read the version once per request
            if not self.cacheable_request(request):
                return self.get_response(request)
            address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
            # A call's status and an event's place (ahead or past) change at
            # midnight without any edit: the day is part of the key too.
            key = f"page:{content_version.current()}:{timezone.localdate()}:{address}"
            cached = cache.get(key)
            if cached is not None:
                return self.rebuild(cached)
            response = self.get_response(request)
            if self.cacheable_response(response):
                cache.set(key, self.freeze(response), settings.PAGE_CACHE_SECONDS)
            return response

    @staticmethod
    def cacheable_request(request) -> bool:
        return settings.PAGE_CACHE_SECONDS > 0 and is_public_read(request)  # staff see fresh pages

    @staticmethod
    def cacheable_response(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            # never_cache pages (the forms: their CSRF token is the visitor's own)
            and "private" not in response.get("Cache-Control", "")
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
