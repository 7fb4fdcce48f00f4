"""Whatever a visitor types, PostgreSQL's query parser only ever sees words."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory import search
from directory.models import Cluster, SynonymGroup
from tests.factories import make_cluster

pytestmark = pytest.mark.django_db

OPERATORS = ["&", "|", "!", ":*", "'", '"', "(", ")", "<->", "<2>", "\\", ":", "*", "-", "\x00"]
TEXT = st.lists(
    st.one_of(
        st.sampled_from(OPERATORS),
        st.text(max_size=12),  # any script, lone surrogates included
        st.sampled_from(["pôle", "mer", "wind turbines", "d'entreprises", "\ud800", "\udfff"]),
    ),
    max_size=12,
).map(" ".join)
SYNTAX = re.compile(r"[^\W_]+(:\*)?|[()&|]|<->|\s")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT)
def test_the_tsquery_holds_words_and_our_own_operators_only(text):
    raw = search.tsquery(text)
    assert SYNTAX.sub("", raw) == "", raw
    assert "\x00" not in raw and not re.search(r"[\ud800-\udfff]", raw)


@pytest.fixture
def guide():
    make_cluster(name_fr="Pôle Mer Bretagne Atlantique")
    SynonymGroup.objects.create(key="sea", terms="mer\nsea\nwind turbines")


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=TEXT)
def test_any_text_is_searched_without_an_error(guide, text):
    clean = text.replace("\x00", "")  # the site refuses NUL before any search (400)
    clean = clean.encode("utf-8", "replace").decode("utf-8")  # as HTTP decodes it
    ranked = search.ranked(Cluster.objects.all(), clean)
    assert len(list(ranked.values_list("relevance", flat=True))) <= 1
    search.named_facets(clean)


def test_a_query_of_operators_only_finds_nothing_and_says_so(client):
    make_cluster()
    response = client.get("/en/clusters/", {"q": "& | ! :* ( ) <->"})
    assert response.status_code == 200
    assert "No cluster matches these criteria" in response.content.decode()
