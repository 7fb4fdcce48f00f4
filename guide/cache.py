"""Page caching that never serves an old version of the guide.

Anonymous GET pages of the public site are cached per address, day and
content version (directory/content_version.py): a change to the content gives
a new number in the same transaction, so a save makes every cached page
unreachable at once, in every worker and on every server, with no list of
pages to purge. Reading the number costs one indexed single-row query per
request.

The pages have a cache of their own (``CACHES["pages"]``), so a crawl of many
addresses never pushes out what the default cache holds (the forms' rate
limits, the facet options). Without Redis, that cache is bounded in bytes in
each process (page_cache_backend.py); pages are stored compressed.

A page's query is normalised before the view reads it and before it becomes
a key (``read_normalised()``): parameters sorted, unknown, empty and default
ones dropped. The view, and every address the page prints (language links,
canonical link, filter and page links), then see only the normalised query,
so trivially different addresses (``?page=1``, ``?b=2&a=1``, ``?utm_source=x``)
get the same bytes and share one entry, and a crawl of such variants adds
nothing to the cache.
"""

import gzip
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from directory import content_version
from directory.facets import FACETS

from .public import is_public_read

PAGE_CACHE = "pages"  # its alias in settings.CACHES
ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as GZipMiddleware reads Accept-Encoding

CACHEABLE_TYPES = (
    "text/html",
    "application/atom+xml",
    "text/calendar",
    "text/csv",
    "application/xml",
)


@dataclass(frozen=True)
class Param:
    """A query parameter a page reads."""

    many: bool = False  # every value counts (a facet's values, ORed); else the view reads the last
    # Values that mean the same as leaving it out (or a function of the whole query giving them).
    defaults: tuple[str, ...] | Callable = ()


@dataclass(frozen=True)
class PageQuery:
    """The parameters a page reads."""

    params: dict[str, Param] = field(default_factory=dict)


def _directory_sort_defaults(query) -> tuple[str, ...]:
    """Relevance with a search, else name; relevance without a search is name (filters.py)."""
    return ("relevance",) if query.get("q", "").split() else ("name", "relevance")


FACET = Param(many=True)
PAGE = Param(defaults=("1",))
DIRECTORY = {
    "q": Param(),
    **{facet.name: FACET for facet in FACETS},  # type, level, label, sector, region
    "sort": Param(defaults=_directory_sort_defaults),
    "page": PAGE,
}
# The exports list what the directory shows, every page of it.
EXPORT = PageQuery({name: param for name, param in DIRECTORY.items() if name != "page"})
NOTHING = PageQuery()  # pages that read no parameter: any query is dropped

# What each public page reads from its query; any other parameter is dropped
# before the view runs. A page missing here (the forms, which prefill from
# their query) gets its query as given, and is never cached anyway.
PAGES = {
    "guide:cluster-list": PageQuery(DIRECTORY),
    # A call's eligible clusters go through the directory's filter: the search,
    # every facet and the sort count, not only the sector and region its form shows.
    "guide:call-detail": PageQuery(DIRECTORY),
    # The calls and events lists are not paginated: `page` means nothing there.
    "guide:call-list": PageQuery({"status": FACET, "type": FACET, "kind": FACET}),
    "guide:event-list": PageQuery({"kind": FACET, "year": FACET, "country": FACET}),
    "guide:type-detail": PageQuery({"page": PAGE}),
    "guide:export-csv": EXPORT,
    "guide:export-json": EXPORT,
    "guide:call-eligible-csv": EXPORT,
    **dict.fromkeys(
        (
            "guide:home",
            "guide:cluster-detail",
            "guide:contacts",
            "guide:event-detail",
            "guide:figures",
            "guide:open-data",
            "guide:accessibility",
            "guide:legal",
            "guide:privacy",
            "guide:calls-atom",
            "guide:type-calls-atom",
            "guide:calls-ics",
            "guide:type-calls-ics",
            "guide:events-ics",
            "guide:figures-csv",
        ),
        NOTHING,
    ),
}


def normalised_query(params: dict[str, Param], query) -> str:
    """``query`` (a QueryDict) as the page reads it, spelt one way.

    Known parameters only, sorted by name; a repeated facet keeps all its
    values in their order, any other parameter only its last value (the one
    the view reads); empty values and default values dropped.
    """
    kept = []
    for name in sorted(params):
        param = params[name]
        values = query.getlist(name) if param.many else query.getlist(name)[-1:]
        defaults = param.defaults(query) if callable(param.defaults) else param.defaults
        kept += [(name, value) for value in values if value and value not in defaults]
    return urlencode(kept)


def read_normalised(request) -> None:
    """Make a GET of a page listed in PAGES read its normalised query (its
    view, its templates, ``request.get_full_path()``): nothing a page prints
    then depends on how its address was spelt."""
    if request.method not in ("GET", "HEAD") or not request.META.get("QUERY_STRING"):
        return
    try:
        page = PAGES.get(resolve(request.path_info).view_name)
    except Resolver404:
        return
    if page is not None:
        query = normalised_query(page.params, request.GET)
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)


class PageCacheMiddleware:
    """Anonymous GET pages of the public site, cached per address and content version."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        read_normalised(request)
        with content_version.request_scope():  # read the version once per request
            if not self.cacheable_request(request):
                return self.get_response(request)
            cache = caches[PAGE_CACHE]
            address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
            # A call's status and an event's place (ahead or past) change at
            # midnight without any edit: the day is part of the key too.
            key = f"page:{content_version.current()}:{timezone.localdate()}:{address}"
            cached = cache.get(key)
            if cached is not None:
                return self.rebuild(cached, accepts_gzip(request))
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
        # The body is stored gzip-compressed (level 1), as GZipMiddleware would
        # send it. Measured on the guide's pages (the directory and home: 70-80 KB
        # of HTML): 1 ms to compress a page that took 20-500 ms to build, and 3
        # times smaller (2.8-4.3: the maps' SVG paths compress poorly), so 3
        # times as many pages fit in the same memory, in each process or in
        # Redis. A browser that accepts gzip gets the stored bytes as they are
        # (no decompressing, and none of GZipMiddleware's 3 ms a page); only
        # other clients pay for decompressing (0.3 ms). Level 6 is only 15%
        # smaller and 3 times slower. No cached page holds a secret (CSRF
        # tokens are on never_cache pages only): BREACH has nothing to guess.
        body = gzip.compress(response.content, compresslevel=1, mtime=0)
        return (response.status_code, list(response.items()), body)

    @staticmethod
    def rebuild(frozen, gzipped: bool = False):
        status, headers, body = frozen
        response = HttpResponse(body if gzipped else gzip.decompress(body), status=status)
        for name, value in headers:
            response[name] = value
        if gzipped:
            response["Content-Encoding"] = "gzip"  # GZipMiddleware leaves it as it is
        patch_vary_headers(response, ("Accept-Encoding",))
        response["X-Page-Cache"] = "hit"
        return response


def accepts_gzip(request) -> bool:
    return bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
