"""No input gives a server error: generated queries, paths, headers and posts on every public URL.

Hypothesis sends thousands of requests built from hostile values (any
unicode, NUL and other control characters, quotes, backslashes, percent
signs and broken %-encodings, SQL- and HTML-looking text, huge and odd
numbers, repeated keys, very long values, empty values, keys with brackets)
to every public address, in both languages, against the shipped guide.

The run is deterministic (derandomized, no example database) so CI does not
flake. FUZZ_EXAMPLES=<n> runs n examples per test from a random seed, for a
longer exploratory run:

    FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py
"""

import io
import logging
import operator
import os
import traceback
from urllib.parse import quote, quote_plus

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import TooManyFieldsSent
from django.core.management import call_command
from django.db import transaction
from django.http import QueryDict, parse_cookie
from django.test import Client, override_settings
from django.test.client import MULTIPART_CONTENT, encode_multipart
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import translation
from django.utils.encoding import repercent_broken_unicode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.models import CallForProposals, Cluster, ClusterType, Event, Region, Sector
from guide.charts import all_charts

# Each test runs in its own transaction, inside the module's (see guide()).
pytestmark = pytest.mark.django_db

EXPLORE = int(os.environ.get("FUZZ_EXAMPLES", "0"))


def fuzz(examples):
    """Hypothesis settings: ``examples`` in CI, from a fixed seed; FUZZ_EXAMPLES to explore."""
    return settings(
        max_examples=EXPLORE or examples,
        derandomize=not EXPLORE,
        database=None,
        deadline=None,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


LANGUAGES = [code for code, _name in django_settings.LANGUAGES]


# --- The shipped guide, loaded once for the module ---------------------------


class Known:
    """Real values of the shipped guide: slugs for paths, values for filters."""

    clusters = types = calls = events = charts = sectors = regions = years = countries = ()


@pytest.fixture(scope="module")
def guide(django_db_setup, django_db_blocker):
    """The shipped guide, loaded once and rolled back at the end of the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_guide", stdout=io.StringIO())
        Known.clusters = list(Cluster.objects.published().values_list("slug", flat=True))
        Known.types = list(ClusterType.objects.values_list("slug", flat=True))
        Known.calls = list(CallForProposals.objects.published().values_list("slug", flat=True))
        Known.events = list(Event.objects.published().values_list("slug", flat=True))
        Known.charts = [chart.slug for chart in all_charts()]
        Known.sectors = list(Sector.objects.values_list("slug", flat=True))
        Known.regions = list(Region.objects.values_list("slug", flat=True))
        Known.years = [str(d.year) for d in Event.objects.dates("starts_on", "year")]
        Known.countries = list(
            Event.objects.exclude(country_fr="").values_list("country_fr", flat=True).distinct()
        )
        assert Known.clusters and Known.types and Known.calls and Known.events
        yield
        transaction.set_rollback(True)


@pytest.fixture
def client(guide):
    return Client(raise_request_exception=False)


@pytest.fixture(autouse=True)
def _quiet_request_logs():
    """Thousands of expected 400/404/405 warnings would drown a real error in the output."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def send(client, method="GET", path="/", query=b"", body=b"", content_type=None, **environ):
    """One request with a raw path and query string (bytes, as a server passes them).

    Each request runs in a savepoint, so that one failing query cannot abort
    the transaction of the next examples. Streamed bodies (exports) are read
    to the end: an error while streaming fails the test too.
    """
    extra = {
        "PATH_INFO": path.decode("latin-1") if isinstance(path, bytes) else path,
        "QUERY_STRING": query.decode("latin-1"),
        **environ,
    }
    if content_type is not None:
        extra["CONTENT_TYPE"] = content_type
    with transaction.atomic():
        response = client.generic(method, "/", body, **extra)
        if response.streaming:
            response.body = b"".join(response.streaming_content)
        else:
            response.body = response.content
        if response.status_code >= 500:
            transaction.set_rollback(True)
    return response


def short(*values):
    """The values for an assertion message, each cut to a readable length."""
    return tuple(repr(value)[:300] for value in values)


def describe(response):
    """The server error's traceback, for the assertion message."""
    if getattr(response, "exc_info", None):
        return "".join(traceback.format_exception(*response.exc_info))
    return response.body[:2000].decode("utf-8", "replace")


def assert_no_server_error(response):
    assert response.status_code < 500, describe(response)


# --- Hostile values ----------------------------------------------------------

CONTROL = "".join(map(chr, range(0x20))) + "\x7f\x85\xa0\u2028\u2029\u200b\u202e\ufeff"

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x01\x02\x1f\x7f",
    "\t\n\r\x0b\x0c",
    "'",
    '"',
    "\\",
    "\\x00",
    "\\'",
    "%",
    "%%",
    "%00",
    "%zz",
    "%C3%28",
    "%FF%FE",
    "%u0041",
    "%2e%2e%2f",
    "%252e",
    "+",
    "&",
    "=",
    "==",
    ";",
    "#",
    "?",
    "[]",
    "{}",
    "' OR '1'='1",
    "1' OR 1=1 --",
    "'; DROP TABLE directory_cluster; --",
    "1; SELECT pg_sleep(5)",
    '" UNION SELECT NULL, version() --',
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7*7 }}",
    "{% debug %}",
    "${7*7}",
    "../../../etc/passwd",
    "..",
    ".",
    "/",
    "//",
    "\\\\server\\share",
    "10" + "0" * 30,
    str(-(10**30)),
    str(2**63),
    str(-(2**63) - 1),
    "-1",
    "0",
    "-0",
    "1e999",
    "-1e999",
    "1e-999",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "1.5",
    "0x1F",
    "1_000",
    "٣",
    "²",
    "\uff11\uff12",  # full-width digits
    "Ⅻ",
    "true",
    "null",
    "None",
    "undefined",
    "é",
    "e\u0301",
    "İ",
    "ß",
    "🌊",
    "\U0010ffff",
    "\uffff",
    "\ufffd",
    "\u202eevil",
    ":*",
    "!",
    "|",
    "<->",
    "(",
    ")",
    "(((",
    "!!! & | ( ) :* <-> ",
    "* | ! &",
    '"unterminated',
    "-",
    "--",
    "a:*b",
    "%ED%A0%80",  # a lone surrogate, UTF-8 encoded (HTTP cannot carry it raw)
    "wind <2> turbines",
    "'pole':* & !mer | (bretagne",
]

ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
ODD_TEXT = st.text(st.sampled_from(CONTROL + "%'\"\\<>&=;+#?/[]{}|:*!()-"), max_size=20)
NUMBERS = st.one_of(
    st.integers(-(10**40), 10**40).map(str),
    st.floats().map(str),
    st.floats().map(repr),
)
LONG = st.builds(
    operator.mul,
    st.sampled_from(["x", "é", "%", "&", "=", "a b", "🌊", "\\", "'", "<", "pole ", "%00"]),
    st.integers(1_000, 12_000),
)


def values(known=()):
    options = [st.sampled_from(NASTY), ANY_TEXT, ODD_TEXT, NUMBERS, LONG]
    if known:
        options.insert(0, st.sampled_from(list(known)))
    return st.one_of(options)


def keys(params):
    names = list(params) or ["q"]
    variants = names + [f"{n}[]" for n in names] + [f"{n}[0]" for n in names]
    variants += (
        [f"{n}[a][b]" for n in names] + [n.upper() for n in names] + [f" {n}" for n in names]
    )
    return st.one_of(st.sampled_from(variants), st.sampled_from(NASTY), ANY_TEXT)


def _encode(text):
    return text.encode("utf-8")


@st.composite
def query_strings(draw, params=(), known=lambda name: ()):
    """A raw query string: encoded, raw and broken pairs, repeated keys, stray separators."""
    params = list(params)
    pairs = draw(st.lists(st.tuples(keys(params), values()), max_size=8))
    for name in draw(st.lists(st.sampled_from(params), max_size=4)) if params else []:
        # Several values for one key, real and not: ?sector=a&sector=b&sector=...
        pairs += [(name, v) for v in draw(st.lists(values(known(name)), max_size=8))]
    if params and draw(st.booleans()):
        name = draw(st.sampled_from(params))
        pairs += [(name, v) for v in draw(st.lists(st.sampled_from(NASTY), max_size=300))]
    parts = []
    for key, value in pairs:
        style = draw(st.sampled_from(["encoded", "encoded", "raw", "key-only", "empty"]))
        if style == "encoded":
            parts.append(f"{quote_plus(key)}={quote_plus(value)}".encode())
        elif style == "raw":  # what a careless client sends: no escaping at all
            parts.append(_encode(key) + b"=" + _encode(value))
        elif style == "key-only":
            parts.append(quote_plus(key).encode())
        else:
            parts.append(quote_plus(key).encode() + b"=")
    noise = draw(st.sampled_from([b"", b"&", b"&&", b"=", b"%", b"%zz", b"%C3%28", b"%ff", b";"]))
    query = b"&".join(parts) + noise
    if draw(st.integers(0, 9)) == 0:  # sometimes, bytes that are not UTF-8 at all
        query += draw(st.binary(max_size=30))
    return query


def expected_status(query: bytes) -> int:
    """What a page that takes any parameter answers: the page, or 400 for NUL or too many fields."""
    try:
        data = QueryDict(query)
    except TooManyFieldsSent:
        return 400
    has_nul = any("\x00" in k or any("\x00" in v for v in vs) for k, vs in data.lists())
    return 400 if has_nul else 200


COOKIE_NAMES = ["sessionid", "csrftoken", "django_language", "messages"]


def _quoted(value):
    """A quoted cookie value with octal escapes, which Django's cookie parser decodes."""
    escaped = "".join(
        f"\\{ord(c):03o}" if ord(c) < 0x20 or c in '"\\' or ord(c) > 0x7E else c
        for c in value
        if ord(c) < 0x100
    )
    return f'"{escaped}"'


@st.composite
def cookie_headers(draw):
    """A Cookie header: the site's cookies and others, with hostile values, quoted or not."""
    pairs = []
    names = st.one_of(st.sampled_from(COOKIE_NAMES), ANY_TEXT)
    for name in draw(st.lists(names, max_size=4)):
        value = draw(values(["abcdefgh" * 4, "fr", "en", "xx"]))
        pairs.append(f"{name}={_quoted(value) if draw(st.booleans()) else value}")
    separator = draw(st.sampled_from(["; ", ";", ",", " "]))
    return separator.join(pairs).encode().decode("latin-1")


def headers(cookie=None, accept_language=None, **more):
    """WSGI headers from optional values (None: header absent)."""
    found = {"HTTP_COOKIE": cookie, "HTTP_ACCEPT_LANGUAGE": accept_language, **more}
    return {
        key: value if key == "HTTP_COOKIE" else value.encode().decode("latin-1")
        for key, value in found.items()
        if value is not None
    }


def page(language, name, **kwargs):
    with translation.override(language):
        return reverse(f"guide:{name}", kwargs=kwargs or None)


def inbox(language, name, **kwargs):
    with translation.override(language):
        return reverse(f"inbox:{name}", kwargs=kwargs or None)


def alerts(language, name, **kwargs):
    with translation.override(language):
        return reverse(f"alerts:{name}", kwargs=kwargs or None)


# How many addresses other_pages() and public_paths() give (checked below).
OTHER_PAGES = 47
PUBLIC_PATHS = OTHER_PAGES + 8


# --- Every public URL is fuzzed ----------------------------------------------

# Route names (namespace:name) that the tests below fuzz. A new public URL must
# be added to a group: test_every_public_url_is_fuzzed fails until it is.
FUZZED_ROUTES = {
    "root",
    "robots",
    "healthz",
    "sitemap-index",
    "django.contrib.sitemaps.views.sitemap",
    "admin:login",
    "admin:index",
    "guide:home",
    "guide:cluster-list",
    "guide:export-csv",
    "guide:export-json",
    "guide:cluster-detail",
    "guide:type-detail",
    "guide:type-calls-atom",
    "guide:type-calls-ics",
    "guide:call-list",
    "guide:calls-atom",
    "guide:calls-ics",
    "guide:call-detail",
    "guide:call-eligible-csv",
    "guide:contacts",
    "guide:event-list",
    "guide:events-ics",
    "guide:event-detail",
    "guide:figures",
    "guide:figures-csv",
    "guide:open-data",
    "guide:accessibility",
    "guide:legal",
    "guide:privacy",
    "favicon",
    "inbox:introduction-new",
    "inbox:introduction-sent",
    "inbox:report-cluster",
    "inbox:report-call",
    "inbox:report-event",
    "inbox:report-sent",
    "alerts:subscribe",
    "alerts:subscribe-sent",
    "alerts:confirm",
    "alerts:manage",
    "alerts:unsubscribe",
    "alerts:unsubscribed",
    "opendata:catalog-ttl",
    "opendata:catalog-jsonld",
    *(
        f"api:{name}"
        for name in ["root", "schema", "docs"]
        + [
            f"{resource}-{kind}"
            for resource in ("cluster", "type", "sector", "region", "call", "event", "organisation")
            for kind in ("list", "detail")
        ]
    ),
}


def _route_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_the_fuzzed_address_lists_are_counted_right(guide):
    assert len(other_pages("fr")) == OTHER_PAGES
    assert len(public_paths("fr")) == PUBLIC_PATHS


def test_every_public_url_is_fuzzed():
    names = _route_names(get_resolver().url_patterns)
    public = {name for name in names if not name.startswith("admin:")}
    public |= {"admin:login", "admin:index"}

    assert public == FUZZED_ROUTES


# --- The pages that read query parameters: always the page, never an error ---

# What the directory reads, and parameters other sites use that it should ignore.
DIRECTORY_PARAMS = ["q", "type", "level", "sector", "region", "sort", "page", "view", "format"]


def directory_values(name):
    return {
        "type": Known.types,
        "sector": Known.sectors,
        "region": Known.regions,
        "level": ["national", "regional", "private"],
        "sort": ["relevance", "name", "reviewed"],
        "page": ["1", "2", "3", "999"],
        "q": ["pole", "cluster", "mer", "numérique", "santé"],
    }.get(name, ())


@fuzz(150)
@given(
    language=st.sampled_from(LANGUAGES),
    query=query_strings(DIRECTORY_PARAMS, directory_values),
)
def test_the_directory_answers_any_query_with_the_page(client, language, query):
    response = send(client, path=page(language, "cluster-list"), query=query)

    assert_no_server_error(response)
    assert response.status_code == expected_status(query), short(query)


@fuzz(100)
@given(
    language=st.sampled_from(LANGUAGES),
    file_format=st.sampled_from(["csv", "json"]),
    query=query_strings(DIRECTORY_PARAMS, directory_values),
)
def test_the_exports_answer_any_query_with_the_file(client, language, file_format, query):
    response = send(client, path=page(language, f"export-{file_format}"), query=query)

    assert_no_server_error(response)
    assert response.status_code == expected_status(query), short(query)


@fuzz(60)
@given(
    language=st.sampled_from(LANGUAGES),
    name=st.sampled_from(["home", "cluster-list", "call-list", "event-list"]),
    query=query_strings(DIRECTORY_PARAMS, directory_values),
)
def test_with_the_page_cache_any_query_gets_the_same_answer_twice(client, language, name, query):
    with override_settings(PAGE_CACHE_SECONDS=600):  # off in the other tests
        first = send(client, path=page(language, name), query=query)
        second = send(client, path=page(language, name), query=query)

    assert_no_server_error(first)
    assert first.status_code == second.status_code == expected_status(query), short(query)
    if first.status_code == 200:
        assert second["X-Page-Cache"] == "hit"
        assert second.body == first.body


def calls_and_events_values(name):
    return {
        "status": [choice for choice, _label in CallForProposals.Status.choices],
        "kind": [choice for choice, _label in CallForProposals.Kind.choices + Event.Kind.choices],
        "type": Known.types,
        "year": Known.years,
        "country": Known.countries,
    }.get(name, ())


@fuzz(150)
@given(
    language=st.sampled_from(LANGUAGES),
    name=st.sampled_from(["call-list", "event-list"]),
    query=query_strings(
        ["status", "type", "kind", "year", "country", "page"], calls_and_events_values
    ),
)
def test_the_calls_and_events_lists_answer_any_query_with_the_page(client, language, name, query):
    response = send(client, path=page(language, name), query=query)

    assert_no_server_error(response)
    assert response.status_code == expected_status(query), short(query)


# --- Every other page: parameters it does not read change nothing -----------


def other_pages(language):
    """(path, expected status or statuses) of every other GET address, with real slugs."""
    cluster, cluster_type = Known.clusters[0], Known.types[0]
    return [
        (page(language, "home"), 200),
        (page(language, "contacts"), 200),
        (page(language, "figures"), 200),
        (page(language, "figures-csv", chart=Known.charts[0]), 200),
        (page(language, "cluster-detail", slug=cluster), 200),
        (page(language, "type-detail", slug=cluster_type), 200),
        (page(language, "type-calls-atom", slug=cluster_type), 200),
        (page(language, "type-calls-ics", slug=cluster_type), 200),
        (page(language, "calls-atom"), 200),
        (page(language, "calls-ics"), 200),
        (page(language, "call-detail", slug=Known.calls[0]), 200),
        (page(language, "call-eligible-csv", slug=Known.calls[0]), 200),
        (page(language, "events-ics"), 200),
        (page(language, "event-detail", slug=Known.events[0]), 200),
        (page(language, "open-data"), 200),
        (page(language, "accessibility"), 200),
        (page(language, "legal"), 200),
        (page(language, "privacy"), 200),
        (inbox(language, "introduction-new"), 200),
        (inbox(language, "introduction-sent"), 404),  # ?ref= is a signed reference
        (inbox(language, "report-cluster", slug=Known.clusters[0]), 200),
        (inbox(language, "report-call", slug=Known.calls[0]), 200),
        (inbox(language, "report-event", slug=Known.events[0]), 200),
        (inbox(language, "report-sent"), 404),
        (alerts(language, "subscribe"), 200),
        (alerts(language, "subscribe-sent"), 200),
        (alerts(language, "confirm", token="not-a-token"), 404),  # a clear page
        (alerts(language, "manage", token="not-a-token"), 404),
        (alerts(language, "unsubscribe", token="not-a-token"), 404),
        (alerts(language, "unsubscribed"), 200),
        ("/favicon.ico", 200),
        ("/robots.txt", 200),
        ("/healthz", 200),
        ("/sitemap.xml", None),  # ?p= is read: an unknown page is a 404
        ("/sitemap-clusters.xml", None),
        ("/sitemap-pages.xml", None),
        ("/admin/login/", 200),
        ("/api/v1/", 200),
        ("/api/v1/openapi.json", 200),
        ("/api/v1/docs/", 200),
        (f"/api/v1/clusters/{cluster}/", 200),
        (f"/api/v1/types/{cluster_type}/", 200),
        (f"/api/v1/calls/{Known.calls[0]}/", 200),
        (f"/api/v1/events/{Known.events[0]}/", 200),
        ("/catalog.ttl", 200),
        ("/catalog.jsonld", 200),
        # To the login page, with the address in ?next=: 400 when that makes the
        # redirect longer than Django allows.
        ("/admin/", {302, 400}),
    ]


def refused_for_nul(environ) -> bool:
    """Whether a header, or a cookie once its value is unquoted, carries a NUL (a 400)."""
    cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
    return any(
        "\x00" in value for name, value in environ.items() if name.startswith("HTTP_")
    ) or any("\x00" in name or "\x00" in value for name, value in cookies.items())


@fuzz(200)
@given(
    language=st.sampled_from(LANGUAGES),
    index=st.integers(0, OTHER_PAGES - 1),
    query=query_strings(["page", "p", "next", "q", "format", "view", "lang", "language"]),
    cookie=st.one_of(st.none(), cookie_headers()),
    accept_language=st.one_of(st.none(), ANY_TEXT, st.sampled_from(NASTY), LONG),
)
def test_every_other_page_ignores_or_tolerates_any_query_and_cookie(
    client, language, index, query, cookie, accept_language
):
    path, status = other_pages(language)[index]
    environ = headers(cookie, accept_language)

    response = send(client, path=path, query=query, **environ)

    assert_no_server_error(response)
    if expected_status(query) == 400 or refused_for_nul(environ):
        assert response.status_code == 400, short(path, query, cookie)
    elif status is not None:
        assert response.status_code in ({status} if isinstance(status, int) else status), short(
            path, query, cookie
        )


@fuzz(150)
@given(
    accept_language=st.one_of(ANY_TEXT, st.sampled_from(NASTY), LONG, st.just("en-GB,en;q=0.9")),
    cookie=st.one_of(st.none(), cookie_headers()),
    query=query_strings(["lang", "language", "next"]),
)
def test_the_root_sends_any_browser_to_a_language(client, accept_language, cookie, query):
    environ = headers(cookie, accept_language)

    response = send(client, path="/", query=query, **environ)

    assert_no_server_error(response)
    if expected_status(query) == 200 and not refused_for_nul(environ):
        assert response.status_code == 302
        assert response["Location"] in {"/fr/", "/en/"}


# --- Paths: a malformed slug or address is a 404 -----------------------------

SLUG_ROUTES = {
    "cluster-detail": ("clusters/", "/", lambda: Known.clusters),
    "type-detail": ("types/", "/", lambda: Known.types),
    "call-detail": ("calls/", "/", lambda: Known.calls),
    "call-eligible-csv": ("calls/", "/eligible.csv", lambda: Known.calls),
    "event-detail": ("events/", "/", lambda: Known.events),
    "type-calls-atom": ("types/", "/calls.atom", lambda: Known.types),
    "type-calls-ics": ("types/", "/calls.ics", lambda: Known.types),
    "figures-csv": ("figures/", ".csv", lambda: Known.charts),
}

SEGMENTS = st.one_of(
    st.sampled_from(NASTY).map(_encode),
    ANY_TEXT.map(_encode),
    ODD_TEXT.map(_encode),
    st.from_regex(r"[-a-zA-Z0-9_]{1,120}", fullmatch=True).map(_encode),  # slug-shaped, unknown
    st.binary(max_size=40),  # not UTF-8
    LONG.map(_encode),
)


def _decoded(path: bytes) -> str:
    return repercent_broken_unicode(path).decode()


@fuzz(350)
@given(
    language=st.sampled_from(LANGUAGES),
    route=st.sampled_from(sorted(SLUG_ROUTES)),
    segment=SEGMENTS,
)
def test_a_garbage_slug_is_a_404(client, language, route, segment):
    prefix, suffix, known = SLUG_ROUTES[route]
    path = f"/{language}/{prefix}".encode() + segment + suffix.encode()
    decoded = _decoded(path)
    with translation.override(language):
        try:
            match = resolve(decoded)
        except Resolver404:
            match = None
    if match is not None and match.url_name != route:
        return  # e.g. clusters/export.csv/ is another page's address
    if match is not None and next(iter(match.kwargs.values()), None) in known():
        return  # a real slug

    response = send(client, path=path)

    assert_no_server_error(response)
    assert response.status_code == (400 if "\x00" in decoded else 404), short(path)


@fuzz(300)
@given(
    segments=st.lists(SEGMENTS, max_size=6),
    start=st.sampled_from([b"/", b"/fr/", b"/en/", b"/fr/clusters/", b"/admin/", b"", b"//"]),
    end=st.sampled_from([b"", b"/", b".xml", b".csv", b".json", b".ics", b".atom", b"/.."]),
    host=st.one_of(
        st.none(),
        st.sampled_from(["evil.example", "testserver:99999", "[::1", "testserver\x00", ""]),
        ANY_TEXT,
    ),
)
def test_any_path_and_host_is_answered_without_a_server_error(client, segments, start, end, host):
    path = start + b"/".join(segments) + end

    response = send(client, path=path, **headers(HTTP_HOST=host))

    assert_no_server_error(response)


def test_a_nul_byte_in_a_path_query_cookie_or_header_is_refused_everywhere(client):
    for language in LANGUAGES:
        for path, _status in other_pages(language):
            assert send(client, path=path, query=b"x=%00").status_code == 400, path
            assert send(client, path=path, HTTP_COOKIE='sessionid="a\\000"').status_code == 400
            assert send(client, path=path, HTTP_USER_AGENT="a\x00").status_code == 400
        for name in ("cluster-list", "call-list", "event-list", "export-csv", "export-json"):
            assert send(client, path=page(language, name), query=b"q=a%00b").status_code == 400
            assert send(client, path=page(language, name), query=b"a%00=1").status_code == 400
        assert send(client, path=f"/{language}/clusters/a\x00b/").status_code == 400


# --- The read API: any query gets JSON, never HTML, never a server error ------

API_LISTS = {
    "clusters": [*DIRECTORY_PARAMS, "label", "page_size"],
    "calls": ["status", "type", "kind", "page", "page_size"],
    "events": ["kind", "year", "country", "page", "page_size"],
    "types": ["page", "page_size"],
    "sectors": ["page", "page_size"],
    "regions": ["page", "page_size"],
    "organisations": ["page", "page_size"],
}


def api_values(name):
    return {
        "page_size": ["1", "50", "200", "201", "0", "-1"],
        "status": ["open", "closed", "upcoming", "closing-soon"],
        "kind": ["funding", "trade-fair", "conference"],
        "year": Known.years,
        "country": Known.countries,
        "label": ["labelled", "ended", "none"],
    }.get(name) or directory_values(name)


@fuzz(200)
@given(
    name=st.sampled_from(sorted(API_LISTS)),
    data=st.data(),
    accept_language=st.one_of(st.none(), ANY_TEXT, st.sampled_from(NASTY)),
)
def test_the_api_answers_any_query_with_json(client, settings, name, data, accept_language):
    settings.API_RATE = "1000000/min"  # the limit has its own test
    query = data.draw(query_strings(API_LISTS[name], api_values))
    environ = headers(None, accept_language)

    response = send(client, path=f"/api/v1/{name}/", query=query, **environ)

    assert_no_server_error(response)
    if expected_status(query) == 400 or refused_for_nul(environ):
        assert response.status_code == 400, short(name, query)
    else:
        assert response.status_code in (200, 400, 404), short(name, query)
    expected = "application/json" if response.status_code == 200 else "application/problem+json"
    assert response["Content-Type"] == expected, short(name, query)


@fuzz(100)
@given(path=st.one_of(ANY_TEXT, st.sampled_from(NASTY), LONG))
def test_any_address_under_the_api_gets_json(client, path):
    response = send(client, path="/api/v1/" + quote(path, safe="/%"))

    assert_no_server_error(response)
    assert response["Content-Type"].startswith(("application/json", "application/problem+json"))


# --- Form posts and other methods ---------------------------------------------

METHODS = st.one_of(
    st.sampled_from(["POST", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "GET", "TRACE"]),
    st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ-_"), min_size=1, max_size=12),
)
LATIN_1 = st.text(st.characters(max_codepoint=255, exclude_characters="\r\n"), max_size=60)
FORM = "application/x-www-form-urlencoded"


@st.composite
def bodies(draw):
    """(content type, body): forms, multipart, broken multipart, JSON, random bytes."""
    kind = draw(st.sampled_from(["form", "form", "multipart", "broken-multipart", "other"]))
    if kind == "form":
        charset = draw(
            st.sampled_from(["", "; charset=utf-8", "; charset=latin-1", "; charset=no"])
        )
        return FORM + charset, draw(query_strings(["q", "language", "username", "password"]))
    if kind == "multipart":
        fields = draw(st.dictionaries(ANY_TEXT, values(), max_size=6))
        return MULTIPART_CONTENT, encode_multipart("BoUnDaRyStRiNg", fields)
    if kind == "broken-multipart":
        boundary = draw(st.one_of(st.just("BoUnDaRyStRiNg"), LATIN_1))
        content_type = draw(
            st.sampled_from([f"multipart/form-data; boundary={boundary}", "multipart/form-data"])
        )
        body = draw(st.one_of(st.binary(max_size=200), st.sampled_from(NASTY).map(_encode)))
        return content_type, b"--BoUnDaRyStRiNg\r\n" + body
    content_type = draw(st.one_of(LATIN_1, st.sampled_from(["application/json", "text/plain"])))
    return content_type, draw(
        st.one_of(st.binary(max_size=200), st.sampled_from(NASTY).map(_encode))
    )


def public_paths(language):
    """Every public address; the site has no set_language view (its switch is links),
    so a post there is a 404 like any unknown address."""
    lists = ("cluster-list", "export-csv", "export-json", "call-list", "event-list")
    return (
        [path for path, _status in other_pages(language)]
        + [page(language, name) for name in lists]
        + ["/", "/i18n/setlang/", f"/{language}/i18n/setlang/"]
    )


@fuzz(250)
@given(
    language=st.sampled_from(LANGUAGES),
    index=st.integers(0, PUBLIC_PATHS - 1),
    method=METHODS,
    body=bodies(),
    cookie=st.one_of(st.none(), cookie_headers()),
)
def test_any_method_and_body_on_any_page_gets_no_server_error(
    client, language, index, method, body, cookie
):
    path = public_paths(language)[index]
    content_type, data = body

    response = send(client, method, path, body=data, content_type=content_type, **headers(cookie))

    assert_no_server_error(response)
    if method == "POST" and content_type == FORM and expected_status(data) == 400:
        # NUL in a field, or too many fields; the public forms answer a NUL themselves.
        forms = "/introductions/new/" in path or path.endswith("/report/") or "/alerts/new/" in path
        assert response.status_code == 400 or (forms and response.status_code in (200, 429))


@fuzz(150)
@given(
    fields=st.dictionaries(
        st.sampled_from(["username", "password", "next", "csrfmiddlewaretoken"]),
        values(["admin", "staff@example.org", "/admin/", "//evil.example", "1"]),
    ),
    query=st.one_of(st.just(b""), query_strings(["next"])),
    cookie=st.one_of(st.none(), cookie_headers()),
    user_agent=st.one_of(st.none(), LATIN_1, LONG),
    proxies=st.integers(0, 2),
    forwarded=st.one_of(
        st.none(),
        LATIN_1,
        st.sampled_from(NASTY),
        st.sampled_from(["1.2.3.4, 198.51.100.7", "::1", "999.1.1.1", "fe80::1%eth0", ",,,"]),
    ),
)
def test_the_staff_login_answers_any_post(
    client, fields, query, cookie, user_agent, proxies, forwarded
):
    body = "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in fields.items()).encode()
    more = {"HTTP_USER_AGENT": user_agent, "HTTP_X_FORWARDED_FOR": forwarded}

    with override_settings(TRUSTED_PROXY_COUNT=proxies):  # the lock-out's client address
        response = send(
            client,
            "POST",
            "/admin/login/",
            query=query,
            body=body,
            content_type=FORM,
            **headers(cookie, REMOTE_ADDR="203.0.113.7", **more),
        )

    assert_no_server_error(response)


# --- Oversize requests are refused with a 400 ---------------------------------


def test_upload_limits_are_set_explicitly():
    from clusters_site import settings as project_settings

    assert project_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert project_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_query_with_too_many_fields_is_refused_with_400(client, language):
    limit = django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    at_limit = "&".join(["sector=x"] * limit).encode()
    over = "&".join(["sector=x"] * (limit + 1)).encode()

    for name in ("cluster-list", "call-list", "event-list", "export-csv", "home"):
        assert send(client, path=page(language, name), query=at_limit).status_code == 200
        assert send(client, path=page(language, name), query=over).status_code == 400


def test_a_body_over_the_size_limit_is_refused_with_400(client):
    size = django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    form = b"q=" + b"x" * size

    for path in ("/fr/clusters/", "/en/", "/admin/login/", "/fr/calls/feed.atom"):
        response = send(
            client, "POST", path, body=form, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 400, path


def test_a_post_with_too_many_fields_is_refused_with_400(client):
    limit = django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    form = "&".join(["q=x"] * (limit + 1)).encode()
    multipart = encode_multipart("BoUnDaRyStRiNg", {f"f{n}": "x" for n in range(limit + 1)})

    for path in ("/fr/clusters/", "/admin/login/"):
        response = send(
            client, "POST", path, body=form, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 400, path
        response = send(client, "POST", path, body=multipart, content_type=MULTIPART_CONTENT)
        assert response.status_code == 400, path


@fuzz(150)
@given(
    language=st.sampled_from(LANGUAGES),
    fields=st.dictionaries(
        st.sampled_from(["email", "frequency", "target", "query", "website", "shown"]),
        values(
            [
                "marie@homard.example",
                "weekly",
                "daily",
                "clusters",
                "calls",
                "events",
                "region=bretagne&q=mer",
                "sector=%00&type=x&q=" + "é" * 300,
            ]
        ),
    ),
    query=query_strings(["target", "query"]),
)
def test_the_alert_form_answers_any_post_and_query(client, language, fields, query):
    path = alerts(language, "subscribe")
    body = "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in fields.items()).encode()

    shown = send(client, path=path, query=query)
    posted = send(client, "POST", path, body=body, content_type=FORM)

    assert_no_server_error(shown)
    assert_no_server_error(posted)
    assert posted.status_code in (200, 302, 400, 429)


@fuzz(150)
@given(
    language=st.sampled_from(LANGUAGES),
    name=st.sampled_from(["confirm", "manage", "unsubscribe"]),
    token=st.one_of(ANY_TEXT, st.sampled_from(NASTY), LONG),
    method=st.sampled_from(["GET", "POST"]),
)
def test_a_tampered_alert_link_gets_a_clear_answer(client, language, name, token, method):
    path = alerts(language, name, token="TOKEN").replace("TOKEN", quote(token, safe=""))

    response = send(client, method, path, content_type=FORM)

    assert_no_server_error(response)
    assert response.status_code in (204, 400, 404, 405)
