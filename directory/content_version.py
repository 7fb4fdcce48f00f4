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

from .models import ContentVersion

_memo = contextvars.ContextVar("content_version", default=None)


def current() -> int:
    """The current content version: read once per request scope, else each time."""
    memo = _memo.get()
    if memo is None:  # outside a request (commands, tests without the middleware)
        return ContentVersion.objects.number()
    if not memo:
        memo.append(ContentVersion.objects.number())
    return memo[0]


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
