"""The clusters' search: both languages at once, accents and case ignored, typos tolerated.

A cluster matches a search through its stored full-text vector (names,
acronym, city and descriptions in both languages), through trigram
similarity of its folded names (``minalogik`` finds Minalogic), or through
its type's name (``PTCE``). ``ranked()`` also annotates ``relevance``;
``matching()`` only narrows (cheaper). The directory's one-pass count of a
search's facets is in facets.py.
"""

import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.cache import cache
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest

from .content_version import versioned_key
from .db import Fold
from .models import ClusterType


def fold_text(text: str) -> str:
    """Python's version of directory_fold(): no accents, lower case."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def types_named(text: str) -> list[int]:
    """The cluster types a search names: "PTCE" or "grappe" finds the clusters of that type.

    The types' folded names are cached under the content version.
    """
    wanted = fold_text(text).strip()
    if not wanted:
        return []
    key = versioned_key("type-names")
    index = cache.get(key)
    if index is None:
        index = [
            (
                t.pk,
                [fold_text(n or "") for n in (t.name_fr, t.name_en)],
                [fold_text(n or "") for n in (t.short_name_fr, t.short_name_en)],
            )
            for t in ClusterType.objects.all()
        ]
        cache.set(key, index, timeout=None)
    return [
        pk for pk, names, shorts in index if wanted in shorts or any(wanted in n for n in names)
    ]


def search_parts(text: str):
    """The condition a search puts on clusters, and the expression that ranks them.

    Every branch of the condition can use an index (GIN full-text, GIN
    trigram, the type's foreign key), so PostgreSQL combines them with a
    BitmapOr instead of reading every row.
    """
    query = (
        SearchQuery(text, config="french_unaccent", search_type="websearch")
        | SearchQuery(text, config="english_unaccent", search_type="websearch")
        | SearchQuery(text, config="simple_unaccent", search_type="websearch")
    )
    folded = Fold(Value(text))
    condition = (
        Q(search_vector=query)
        | Q(sort_name_fr__trigram_word_similar=folded)
        | Q(sort_name_en__trigram_word_similar=folded)
        | Q(cluster_type_id__in=types_named(text))
    )
    relevance = SearchRank(F("search_vector"), query) + Greatest(
        TrigramWordSimilarity(folded, "sort_name_fr"),
        TrigramWordSimilarity(folded, "sort_name_en"),
    )
    return condition, relevance


def ranked(clusters, text: str):
    """The clusters a search finds, each annotated with its ``relevance``."""
    condition, relevance = search_parts(text)
    return clusters.filter(condition).annotate(relevance=relevance)


def matching(clusters, text: str):
    """The clusters a search finds, without ranking them."""
    condition, _relevance = search_parts(text)
    return clusters.filter(condition)
