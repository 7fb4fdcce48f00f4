"""The content version: one number that grows with every change to the guide's content.

Every change (admin, import, fixtures, a shell) increments it in the same
transaction (signals.py). Whatever is cached from the content (pages, facet
values, the types' names) is keyed by the number, so a save makes the old
copies unreachable at once, in every worker and on every server, with no list
of keys to purge. Reading it costs one indexed single-row query, at most once
per request inside ``request_scope()``.
"""

import contextlib
import contextvars
import datetime
import threading
import uuid

from django.core.cache import cache

from .models import ContentVersion

_memo = contextvars.ContextVar("content_version", default=None)


def _state() -> tuple[int, datetime.datetime | None]:
    """The version and its time: read once per request scope, else each time."""
    memo = _memo.get()
    if memo is None:  # outside a request (commands, tests without the middleware)
        return ContentVersion.objects.state()
    if not memo:
        memo.append(ContentVersion.objects.state())
    return memo[0]


def current() -> int:
    """The current content version."""
    return _state()[0]


def changed_at() -> datetime.datetime | None:
    """When the content last changed (the open data's Last-Modified)."""
    return _state()[1]


def bump() -> None:
    ContentVersion.objects.bump()


@contextlib.contextmanager
def request_scope():
    """Within it, the version is read at most once (a request's pages and fragments agree)."""
    token = _memo.set([])
    try:
        yield
    finally:
        _memo.reset(token)


def versioned_key(name: str) -> str:
    """A cache key that a change to the content retires."""
    return f"directory:{current()}:{name}"


_held = threading.local()  # each thread its own copies (gunicorn's sync workers: one thread)


def held(name: str, build):
    """``build()``, kept in this process until the content changes.

    For what many requests read and only an edit changes (the facet options,
    the search's lexicon, the facet index): no unpickling on every read, as
    the cache would cost. Each copy is tagged with a token stored in the
    default cache under the content version, so a change to the content, or
    clearing that cache, retires it in every process.
    """
    token = cache.get_or_set(versioned_key(f"held:{name}"), lambda: uuid.uuid4().hex, None)
    copies = _held.__dict__.setdefault("copies", {})
    copy = copies.get(name)
    if copy is None or copy[0] != token:
        copy = copies[name] = (token, build())
    return copy[1]


# For django.views.decorators.http.condition(): the open data's ETag and Last-Modified
# (a change to the content changes both; a conditional request is answered 304
# from the one-row read of the version).


def etag(request, *args, **kwargs) -> str:
    return f"v{current()}"


def last_modified(request, *args, **kwargs) -> datetime.datetime | None:
    return changed_at()
