"""The clusters' search: both languages at once, accents and case ignored, typos tolerated.

A query is cut into words (letters and digits only: nothing a visitor types
reaches PostgreSQL's query parser as syntax). Each word, or phrase known to
the thesaurus (``SynonymGroup``: "wind turbines", "éolien"), must match: the
cluster's stored full-text vector holds its names and acronym (weight A), the
names of its type, sectors and regions and its city (B) and its descriptions
(C), in both languages; a thesaurus phrase matches through any phrase of its
group; the last word also matches as a prefix ("biotech" finds
biotechnologie). Trigram similarity of the folded names tolerates typos
(``minalogik`` finds Minalogic) but ranks below any real match.

``ranked()`` also annotates ``relevance``; ``matching()`` only narrows
(cheaper). The directory's one-pass count of a search's facets is in
facets.py.
"""

import difflib
import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import BooleanField, Case, ExpressionWrapper, F, FloatField, Q, Value, When
from django.db.models.functions import Greatest

from . import content_version
from .db import Fold, local_setting
from .models import Cluster, Region, Sector, SynonymGroup

WORD = re.compile(r"[^\W_]+")
LONGEST_PHRASE = 4  # words in the longest thesaurus phrase looked for
PREFIX_FROM = 3  # the last word matches as a prefix from this many letters
TYPO_WEIGHT = 0.1  # a near spelling of a name counts for less than any real match
SUGGEST_FROM = 0.5  # a name's similarity for "Did you mean" (the typos' threshold: 0.6)


def fold_text(text: str) -> str:
    """Python's version of directory_fold(): no accents, lower case."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    """The folded words of a text: letters and digits, nothing else."""
    return WORD.findall(fold_text(text))


def query_words(text: str) -> list[str]:
    """The words a search uses: one-letter words (d', l', à) left out, numbers kept."""
    return [w for w in words(text) if len(w) > 1 or w.isdigit()]


def _key(phrase) -> tuple[str, ...]:
    """A phrase as the thesaurus looks it up: a final s dropped ("turbines" = "turbine")."""
    return tuple(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in phrase)


def lexicon() -> dict:
    """What the search knows besides the clusters, read in one query and cached under the
    content version (a change in the admin is used by the next search):

    - ``thesaurus``: each phrase of every synonym group, as words, with all the phrases of
      its groups;
    - ``facets``: (facet, slug, folded names, significant words) of every sector and region;
    - ``vocabulary``: the phrases a "Did you mean" may offer.
    """
    return content_version.held("search-lexicon", _read_lexicon)


def _read_lexicon() -> dict:
    tables = {
        "group": SynonymGroup._meta.db_table,
        "sector": Sector._meta.db_table,
        "region": Region._meta.db_table,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT 'group', key, terms, '' FROM {tables["group"]}
            UNION ALL SELECT 'sector', slug, name_fr, coalesce(name_en, '') FROM {tables["sector"]}
            UNION ALL SELECT 'region', slug, name_fr, coalesce(name_en, '') FROM {tables["region"]}
            """
        )
        rows = cursor.fetchall()
    thesaurus, facets = {}, []
    for kind, slug, first, second in rows:
        if kind == "group":
            lines = [line for line in first.splitlines() if query_words(line)]
            phrases = list(dict.fromkeys(tuple(query_words(line)) for line in lines))
            for phrase in phrases:
                same = thesaurus.setdefault(_key(phrase), [])
                same.extend(p for p in phrases if p not in same)
        else:
            names = [n for n in (first, second) if n]
            folded = {" ".join(words(n)) for n in names}
            significant = {w for n in names for w in words(n) if len(w) >= 4}
            facets.append((kind, slug, folded, significant))
    phrases = {" ".join(p) for same in thesaurus.values() for p in same}
    vocabulary = sorted(phrases | {name for facet in facets for name in facet[2]})
    return {"thesaurus": thesaurus, "facets": facets, "vocabulary": vocabulary}


def query_terms(text: str) -> list[list[tuple[str, ...]]]:
    """The query as a list of positions, each a list of phrases any of which may match.

    "wind turbines brittany" → [[(wind, turbines), (eolien,), …], [(brittany,), (bretagne,), …]]
    """
    tokens = query_words(text)
    known = lexicon()["thesaurus"]
    positions, i = [], 0
    while i < len(tokens):
        for length in range(min(LONGEST_PHRASE, len(tokens) - i), 0, -1):
            phrase = _key(tokens[i : i + length])
            if phrase in known:
                positions.append(known[phrase])
                i += length
                break
        else:
            positions.append([(tokens[i],)])
            i += 1
    return positions


def tsquery(text: str, synonyms: bool = True) -> str:
    """The query in PostgreSQL's tsquery syntax, built from words only ("" when none);
    without ``synonyms``, the words as typed."""
    typed = [[(word,)] for word in query_words(text)]
    positions = query_terms(text) if synonyms else typed
    parts = []
    for number, phrases in enumerate(positions):
        alternatives = []
        for phrase in _without_redundant(phrases):
            last = number == len(positions) - 1 and len(phrases) == 1
            terms = list(phrase)
            if last and len(terms[-1]) >= PREFIX_FROM and not terms[-1].isdigit():
                terms[-1] += ":*"
            alternatives.append(" <-> ".join(terms))
        parts.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(parts)


def _without_redundant(phrases):
    """The phrases, less those containing a word that is itself one of them: whatever
    "economie numerique" matches, "numerique" matches too. Fewer alternatives for
    PostgreSQL to test on each row, and a closer estimate of how many rows match
    (it adds up the alternatives' estimates), so that a broad search reads its index."""
    single = {phrase[0] for phrase in phrases if len(phrase) == 1}
    return [p for p in phrases if len(p) == 1 or single.isdisjoint(p)]


def search_parts(text: str, typos: bool = False):
    """The condition a search puts on clusters, and the expression that ranks them.

    The condition is the full-text match; with ``typos`` (when the words
    themselves find nothing), the names' near spellings instead. Each uses its
    GIN index: a broad word ("energie") is not widened to every name that
    looks like it, and its search reads the index, not every row.
    """
    raw = tsquery(text)
    folded = Fold(Value(" ".join(words(text))))
    typo = Q(sort_name_fr__trigram_word_similar=folded) | Q(
        sort_name_en__trigram_word_similar=folded
    )
    similarity = Greatest(
        TrigramWordSimilarity(folded, "sort_name_fr"),
        TrigramWordSimilarity(folded, "sort_name_en"),
    )
    if not raw or typos:
        return typo, similarity * Value(TYPO_WEIGHT)
    query = _in_every_language(raw)
    matched = ExpressionWrapper(Q(search_vector=query), output_field=BooleanField())
    relevance = (
        Case(When(matched, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
        + SearchRank(F("search_vector"), query)
        # The words as typed count again: Grenoble's own clusters before the rest
        # of its region, "wine" before the other words of its group.
        + SearchRank(F("search_vector"), _in_every_language(tsquery(text, synonyms=False)))
        + similarity * Value(TYPO_WEIGHT)
    )
    return Q(search_vector=query), relevance


def named_by(clusters, text: str):
    """The clusters whose own names or acronym the search's words match."""
    raw = tsquery(text)
    return clusters.filter(name_vector=_in_every_language(raw)) if raw else clusters.none()


def _in_every_language(raw: str):
    return (
        SearchQuery(raw, config="french_unaccent", search_type="raw")
        | SearchQuery(raw, config="english_unaccent", search_type="raw")
        | SearchQuery(raw, config="simple_unaccent", search_type="raw")
    )


def needs_typos(clusters, text: str) -> bool:
    """Whether the words find nothing among ``clusters``, so that near spellings are used."""
    condition, _relevance = search_parts(text)
    return not clusters.filter(condition).exists()


def ranked(clusters, text: str, typos: bool | None = None):
    """The clusters a search finds, each annotated with its ``relevance`` (near spellings
    only when the words find nothing: one more query to know it, unless ``typos`` says)."""
    if typos is None:
        typos = needs_typos(clusters, text)
    condition, relevance = search_parts(text, typos)
    return clusters.filter(condition).annotate(relevance=relevance)


def matching(clusters, text: str, typos: bool = False):
    """The clusters a search finds, without ranking them."""
    condition, _relevance = search_parts(text, typos)
    return clusters.filter(condition)


# --- When a search finds nothing, or names a sector or region --------------------------


def suggestion(text: str) -> str:
    """The closest known spelling of a search that found nothing ("" if none is close)."""
    wanted = " ".join(words(text))
    if not wanted:
        return ""
    close = difflib.get_close_matches(wanted, lexicon()["vocabulary"], n=1, cutoff=0.8)
    best = close[0] if close else ""
    score = difflib.SequenceMatcher(None, wanted, best).ratio() if best else 0
    folded = Fold(Value(wanted))
    names = (
        Cluster.objects.published()
        .filter(sort_name_fr__trigram_word_similar=folded)  # read from the names' index
        .annotate(similarity=TrigramWordSimilarity(folded, "sort_name_fr"))
        .order_by("-similarity")
        .values_list("name_fr", "similarity")
    )
    # Nearer spellings found nothing (search_parts()): looser ones than the typos' are
    # offered, the operator's threshold lowered for this query.
    with local_setting(names.db, "pg_trgm.word_similarity_threshold", str(SUGGEST_FROM)):
        name = names.first()
    if name and name[1] > score:
        return name[0]
    if not best or best == wanted:
        return ""
    # Only a spelling that finds something.
    return best if matching(Cluster.objects.published(), best).exists() else ""


def named_facets(text: str) -> dict[str, list[str]]:
    """The sectors and regions a search names ("Bretagne", "Brittany", "fishing"): their
    slugs by facet, to offer the facet instead of the words."""
    phrases = [phrase for position in query_terms(text) for phrase in position]
    said = {" ".join(p) for p in phrases} | {" ".join(_key(p)) for p in phrases}
    found = {"sector": [], "region": []}
    for facet, slug, phrases, significant in lexicon()["facets"]:
        if said & phrases or said & significant:
            found[facet].append(slug)
    return found
