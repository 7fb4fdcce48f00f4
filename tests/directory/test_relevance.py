"""What visitors type, in French and in English, and the clusters they must find.

Each query runs on the directory page of its language, against the guide as
shipped (its clusters, sectors, regions and thesaurus), and each expected
cluster must be among the first ten results. Everyday words, English words
for French entries, partial words, typos, places and acronyms.
"""

import re

import pytest

from tests.helpers import url

pytestmark = pytest.mark.django_db

QUERIES = [
    # English words for French entries
    ("en", "fishing", ["aquimer", "pole-mer-bretagne-atlantique"]),
    ("en", "seafood", ["aquimer"]),
    ("en", "horses", ["hippolia"]),
    ("en", "equine", ["hippolia"]),
    ("en", "perfume", ["cosmetic-valley"]),
    ("en", "cosmetics", ["cosmetic-valley"]),
    ("en", "railway", ["mipyrail", "i-trans"]),
    ("en", "wind turbines", ["eoliennes-en-pays-de-vilaine", "wind-for-future"]),
    ("en", "aeronautics", ["aerospace-valley", "astech-paris-region"]),
    ("en", "wine", ["innovin", "cluster-beaujolais"]),
    ("en", "automotive", ["pole-vehicule-du-futur", "id4car"]),
    ("en", "cars", ["id4car", "pole-vehicule-du-futur"]),
    ("en", "wood", ["xylofutur"]),
    ("en", "clothing", ["techtera"]),
    ("en", "nuclear", ["nuclear-valley"]),
    ("en", "water", ["france-water-team"]),
    ("en", "digital", ["cap-digital"]),
    ("en", "health", ["lyonbiopole", "medicen-paris-region"]),
    ("en", "sea", ["pole-mer-mediterranee", "pole-mer-bretagne-atlantique"]),
    ("en", "photonics", ["alpha-rlh", "opticsvalley"]),
    ("en", "robotics", ["robotics-place"]),
    ("en", "plastics", ["polymeris"]),
    ("en", "chemistry", ["axelera"]),
    ("en", "ceramics", ["pole-europeen-de-la-ceramique"]),
    ("en", "microelectronics", ["minalogic"]),
    ("en", "hydrogen", ["tenerrdis"]),
    ("en", "social economy", ["lille-metropole-solidaire"]),
    # Everyday French
    ("fr", "pêche", ["aquimer"]),
    ("fr", "cheval", ["hippolia"]),
    ("fr", "parfum", ["cosmetic-valley"]),
    ("fr", "ferroviaire", ["i-trans"]),
    ("fr", "éolien", ["eoliennes-en-pays-de-vilaine"]),
    ("fr", "vin", ["innovin"]),
    ("fr", "bois", ["xylofutur"]),
    ("fr", "nucléaire", ["nuclear-valley"]),
    ("fr", "numérique", ["cap-digital"]),
    ("fr", "santé", ["lyonbiopole"]),
    ("fr", "agroalimentaire", ["food-val-de-loire"]),
    ("fr", "économie sociale et solidaire", ["lille-metropole-solidaire"]),
    # Partial words: the last word is a prefix
    ("en", "biotech", ["atlanpole-biotherapies", "eurobiomed"]),
    ("fr", "aéro", ["aerospace-valley", "cluster-aerocentre"]),
    ("fr", "biotechno", ["atlanpole-biotherapies"]),
    ("fr", "cosméti", ["cosmetic-valley"]),
    # Typos
    ("fr", "minalogik", ["minalogic"]),
    ("fr", "cosmetiqe", ["cosmetic-valley"]),
    ("fr", "aquimerr", ["aquimer"]),
    ("en", "vitagorra", ["vitagora"]),
    # Places, in either language
    ("en", "Brittany", ["pole-mer-bretagne-atlantique", "valorial"]),
    ("fr", "Bretagne", ["pole-mer-bretagne-atlantique", "valorial"]),
    ("en", "Normandy", ["polepharma", "nextmove"]),
    ("fr", "Normandie", ["polepharma"]),
    ("en", "Saint Pierre and Miquelon", ["cluster-maritime-saint-pierre-et-miquelon"]),
    ("en", "French Guiana", ["cluster-maritime-guyane"]),
    ("en", "Reunion", ["qualitropic"]),
    ("en", "Guadeloupe", ["cluster-maritime-guadeloupe", "guadeloupetech"]),
    ("fr", "Toulouse", ["aerospace-valley"]),
    ("fr", "Grenoble", ["minalogic"]),
    ("en", "Lyon", ["lyonbiopole"]),
    ("fr", "pole mer bretagne", ["pole-mer-bretagne-atlantique"]),
    # Acronyms and types
    ("fr", "SCS", ["scs"]),
    ("fr", "INBP", ["inbp"]),
    ("en", "EMC2", ["emc2"]),
    ("en", "ID4CAR", ["id4car"]),
]


def first_ten(client, language, query):
    html = client.get(url("guide:cluster-list", language), {"q": query}).content.decode()
    return re.findall(rf'<h3 class="card__title"><a href="/{language}/clusters/([\w-]+)/"', html)[
        :10
    ]


def test_at_least_forty_queries_in_both_languages():
    assert len(QUERIES) >= 40
    assert {language for language, _query, _slugs in QUERIES} == {"fr", "en"}


def test_each_query_finds_its_clusters_in_the_first_ten(client, shipped_guide):
    misses = {}
    for language, query, expected in QUERIES:  # one test: the guide is loaded once
        found = first_ten(client, language, query)
        missing = [slug for slug in expected if slug not in found]
        if missing:
            misses[f"{language}: {query}"] = (missing, found)
    assert misses == {}


def test_a_type_named_finds_the_clusters_of_that_type_first(client, shipped_guide):
    from directory.models import Cluster

    ptce = set(Cluster.objects.filter(cluster_type__slug="ptce").values_list("slug", flat=True))
    assert set(first_ten(client, "fr", "PTCE")) <= ptce
    assert set(first_ten(client, "en", "territorial economic cooperation hub")) <= ptce


def test_a_near_spelling_never_outranks_a_real_match(client, shipped_guide):
    # "wine" finds the wine clusters by meaning; "Wind for Future" is only a near
    # spelling, looked for when the words find nothing ("minalogik").
    found = first_ten(client, "en", "wine")
    assert {"innovin", "cluster-beaujolais"} <= set(found) and "wind-for-future" not in found
    assert first_ten(client, "en", "minalogik") == ["minalogic"]
