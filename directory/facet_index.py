"""The directory's facet counts from bitsets kept in each process.

Counting each facet's values over 100,000 clusters in PostgreSQL costs three
grouped scans (150 ms on the benchmark machine) on every page of the
directory and on the home page. Here each value of each facet (a type, a
label status, a sector, a region) is the set of the published clusters that
have it, held as one Python integer whose bit *i* stands for the cluster at
position *i*. A page's counts are then a few dozen ANDs and bit counts of
12 KB integers: well under a millisecond, whatever the filters.

The index is built from one query (about a quarter of a second at 100,000
clusters) the first time a process needs it after a change to the guide, and
is never stale: it is tagged with the content version and the day (a label
status changes with the year), and with a token kept in the default cache
under that version, so clearing that cache also retires it. It counts the
published clusters only: pages whose clusters are another set (a call's
eligible clusters) count with ``facets.facet_counts()`` in SQL.
"""

import datetime
from array import array
from collections import Counter, OrderedDict

from django.db import connections, router
from django.utils import timezone

from . import content_version
from .models import Cluster, label_status

# The facets' columns, as the index keeps them: facet name → position in a row.
COLUMNS = ("cluster_type_id", "label_years", "sector_ids", "region_ids")
ORDERS = ("fr", "en")
MEMO_SIZE = 128  # results kept with an index (remembered()): 12 KB each at 100,000 clusters
BITS = [
    tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256)
]  # a rank by name in each language


class FacetIndex:
    """The published clusters' facet values as bitsets, and their sort orders."""

    def __init__(self, rows, year: int):
        # rows: (id, cluster type, label years, sector ids, region ids,
        #        rank by French name, rank by English name, review date as a number)
        self.ids = array("q", (row[0] for row in rows))
        self.position = {pk: i for i, pk in enumerate(self.ids)}
        self.size = len(self.ids)
        self.everything = (1 << self.size) - 1
        self.name_rank = {
            language: array("l", (row[5 + n] for row in rows)) for n, language in enumerate(ORDERS)
        }
        self.reviewed = array("l", (row[7] for row in rows))
        builders = {"type": {}, "label": {}, "sector": {}, "region": {}}
        width = self.size // 8 + 1

        def mark(facet, key, i):
            bits = builders[facet].get(key)
            if bits is None:
                bits = builders[facet][key] = bytearray(width)
            bits[i >> 3] |= 1 << (i & 7)

        for i, (_pk, type_id, years, sectors, regions, *_ranks) in enumerate(rows):
            mark("type", type_id, i)
            mark("label", str(label_status(years, year)), i)  # the option's key: a plain str
            for sector in sectors:
                mark("sector", sector, i)
            for region in regions:
                mark("region", region, i)
        values = {
            facet: {key: int.from_bytes(bits, "little") for key, bits in keys.items()}
            for facet, keys in builders.items()
        }
        values["level"] = values["type"]  # a level stands for its types (facets.Option.keys)
        self.values = values
        self._memo = OrderedDict()

    def remembered(self, key, compute):
        """``compute()``, kept with the index for as long as it serves (until the content
        changes), the last MEMO_SIZE keys asked for: a search's matches, read once for
        its pages and facet choices."""
        memo = self._memo
        if key in memo:
            memo.move_to_end(key)
            return memo[key]
        value = memo[key] = compute()
        if len(memo) > MEMO_SIZE:
            memo.popitem(last=False)
        return value

    def of(self, ids) -> int:
        """The set of the clusters ``ids`` (those the index does not hold left out)."""
        bits = bytearray(self.size // 8 + 1)
        position = self.position
        for pk in ids:
            i = position.get(pk)
            if i is not None:
                bits[i >> 3] |= 1 << (i & 7)
        return int.from_bytes(bits, "little")

    def chosen(self, facet: str, keys) -> int:
        """The clusters having one of ``keys`` of ``facet`` (repeated values mean OR)."""
        found = 0
        for key in keys:
            found |= self.values[facet].get(key, 0)
        return found

    def count(self, chosen: dict, within: int | None = None) -> tuple[dict, int]:
        """Each facet's counts (a facet's own choice left out, as facets._tally() counts)
        and the set of results, among ``within`` (default: every published cluster)."""
        within = self.everything if within is None else within
        masks = {name: self.chosen(name, keys) for name, keys in chosen.items() if keys is not None}
        counts = {}
        for name, values in self.values.items():
            scope = within
            for other, mask in masks.items():
                if other != name:
                    scope &= mask
            counts[name] = Counter(
                {key: n for key, bits in values.items() if (n := (scope & bits).bit_count())}
            )
        results = within
        for mask in masks.values():
            results &= mask
        return counts, results

    def results(self, chosen: dict) -> int:
        """The set of results of the facets ``chosen`` (no counts: a list's total)."""
        results = self.everything
        for name, keys in chosen.items():
            if keys is not None:
                results &= self.chosen(name, keys)
        return results

    def members(self, found: int) -> list[int]:
        """The ids of the clusters in the set ``found``."""
        words = memoryview(found.to_bytes(self.size // 64 * 8 + 8, "little")).cast("Q")
        ids, members = self.ids, []
        for number, word in enumerate(words):
            start = number << 6
            while word:
                low = word & -word
                members.append(ids[start + low.bit_length() - 1])
                word ^= low
        return members

    def by_name(self, ids, language: str) -> list[int]:
        """``ids`` by name in ``language``, as ``filters.order_results()`` sorts them."""
        rank, position = self.name_rank[language], self.position
        return sorted(ids, key=lambda pk: rank[position[pk]])

    def in_order(self, ids, order: str, language: str) -> list[int]:
        """``ids`` in the directory's ``order`` "reviewed", else by name."""
        if order == "reviewed":
            return self.by_review(ids, language)
        return self.by_name(ids, language)

    def by_review(self, ids, language: str) -> list[int]:
        """``ids`` latest review first (never reviewed last), then by name."""
        rank, reviewed, position = self.name_rank[language], self.reviewed, self.position
        return sorted(ids, key=lambda pk: (-reviewed[position[pk]], rank[position[pk]]))


# The ranks come from the same ORDER BY as the directory's queries: PostgreSQL's
# collation, not Python's, decides the order of names.
QUERY = f"""
    SELECT id, {", ".join(COLUMNS)},
        row_number() OVER (ORDER BY sort_name_fr, id),
        row_number() OVER (ORDER BY sort_name_en, id),
        coalesce(last_reviewed - DATE '0001-01-01', -1)
    FROM {Cluster._meta.db_table}
    WHERE is_published
    ORDER BY id
"""


def current() -> FacetIndex:
    """This process's index of the published clusters, rebuilt after any change."""
    today = timezone.localdate()
    return content_version.held(f"facet-index:{today}", lambda: build(today))


def build(today: datetime.date) -> FacetIndex:
    with connections[router.db_for_read(Cluster)].cursor() as cursor:
        cursor.execute(QUERY)
        return FacetIndex(cursor.fetchall(), today.year)
