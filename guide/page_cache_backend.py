"""A local-memory cache bounded in bytes as well as in entries: the page cache without Redis.

Django's LocMemCache bounds only the number of entries (MAX_ENTRIES), so its
memory grows with the size of what it holds: a crawl of 22,000 distinct
addresses left each gunicorn worker at 700-750 MB of cached pages. This
subclass also keeps the total of its entries' pickled sizes (values and keys)
under ``OPTIONS["MAX_BYTES"]``: storing an entry first evicts the least
recently used ones until both bounds hold. An entry bigger than a tenth of
the budget is not stored at all (one page must not empty the cache).

Settings (clusters_site/settings.py, ``CACHES["pages"]``)::

    {"BACKEND": "guide.page_cache_backend.ByteBoundedLocMemCache",
     "LOCATION": "pages",
     "OPTIONS": {"MAX_BYTES": 32 * 1024 * 1024, "MAX_ENTRIES": 2000}}

What the count leaves out: Python's own bookkeeping, a few hundred bytes per
entry (under 1 MB at 2,000 entries).
"""

import pickle

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

DEFAULT_MAX_BYTES = 32 * 1024 * 1024


class _Sizes(dict):
    """Each entry's size in bytes, and their total."""

    total = 0


# Shared by the instances of one cache name (Django makes one per thread),
# beside LocMemCache's own stores and under the same lock.
_sizes: dict[str, _Sizes] = {}


class ByteBoundedLocMemCache(LocMemCache):
    """LocMemCache bounded by MAX_BYTES as well as MAX_ENTRIES, evicting least recently used.

    LocMemCache keeps its entries ordered by use (a read or a write moves an
    entry to the front), so the least recently used one is always at the end.
    """

    def __init__(self, name, params):
        super().__init__(name, params)
        self._max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", DEFAULT_MAX_BYTES))
        self._sizes = _sizes.setdefault(name, _Sizes())

    @property
    def total_bytes(self) -> int:
        """The pickled size of every entry held, keys included."""
        return self._sizes.total

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        pickled = pickle.dumps(value, self.pickle_protocol)
        with self._lock:
            if self._has_expired(key):
                return self._set(key, pickled, timeout)
            return False

    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):
        """Store ``value`` (pickled) unless it is too big; the caller holds the lock."""
        self._delete(key)  # an older value goes, even if the new one is not kept
        size = len(value) + len(key)
        if size > self._max_bytes // 10:
            return False
        while self._cache and (
            len(self._cache) >= self._max_entries or self._sizes.total + size > self._max_bytes
        ):
            self._cull()
        super()._set(key, value, timeout)  # under MAX_ENTRIES now: LocMemCache culls nothing
        self._sizes[key] = size
        self._sizes.total += size
        return True

    def _cull(self):
        """Evict the least recently used entry (LocMemCache would drop a third of them)."""
        if not self._cache:
            return
        key, _value = self._cache.popitem()
        del self._expire_info[key]
        self._sizes.total -= self._sizes.pop(key, 0)

    def _delete(self, key):
        if not super()._delete(key):
            return False
        self._sizes.total -= self._sizes.pop(key, 0)
        return True

    def clear(self):
        with self._lock:
            self._cache.clear()
            self._expire_info.clear()
            self._sizes.clear()
            self._sizes.total = 0

    # incr() rewrites a number in place and keeps the size recorded when it
    # was set: a few bytes off at most, and the total stays the sum recorded.
