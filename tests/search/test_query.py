"""The parser: any text gives a ParsedQuery or a clear message, and whatever survives
parsing is safe to hand to FTS5's MATCH and PostgreSQL's to_tsquery (fuzzed against the
real database, on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from learnloop.search import searching
from learnloop.search.engine import Filters, Scope
from learnloop.search.native import NativeEngine, fts5_match, pg_tsquery
from learnloop.search.query import (
    MAX_TERMS,
    as_text,
    parse,
    positive_words,
    with_last_word_as_prefix,
)
from tests.search.factories_search import isolated_search, learning  # noqa: F401


def test_words_are_lower_cased_and_deduplicated():
    q = parse("Attendance  attendance FAMILIES")
    assert q.terms == ("attendance", "families")
    assert q.message == ""
    assert not q.is_empty


def test_quoted_words_are_a_phrase_and_one_quoted_word_is_a_term():
    q = parse('"family engagement" "calls"')
    assert q.phrases == (("family", "engagement"),)
    assert q.terms == ("calls",)


def test_an_unterminated_quote_runs_to_the_end():
    q = parse('tutoring "ninth grade')
    assert q.terms == ("tutoring",)
    assert q.phrases == (("ninth", "grade"),)


def test_prefix_needs_two_letters_before_the_star():
    assert parse("attend*").prefixes == ("attend",)
    q = parse("a* x")
    assert q.prefixes == ()
    assert q.terms == ("a", "x")


def test_excluded_words():
    q = parse('attendance -tutoring -"calls" -"two words"')
    assert q.terms == ("attendance",)
    assert q.excluded == ("tutoring", "calls")
    assert q.phrases == ()


def test_words_joined_by_punctuation_are_a_phrase():
    q = parse("ninth-grade e-mail 3.5 c++")
    assert q.phrases == (("ninth", "grade"), ("e", "mail"), ("3", "5"))
    assert q.terms == ("c",)


def test_operators_and_symbols_are_dropped_not_obeyed():
    q = parse("attendance AND (tutoring OR NEAR(x y)) title:calls ^2 ~ |")
    # Operator words are ordinary words; brackets, colons and carets are gone.
    assert set(q.terms) >= {"attendance", "and", "or", "tutoring", "y", "2"}
    assert ("near", "x") in q.phrases
    assert ("title", "calls") in q.phrases  # a field name is not a field here
    assert all(ch not in "".join(q.terms) for ch in '()":^~|*')


@pytest.mark.parametrize("text", ["", "   ", "***", '""', "- -- ---", "(:)", "\x00\x01", "*"])
def test_nothing_searchable_gives_a_message(text):
    q = parse(text)
    assert q.is_empty
    assert q.message == "Type a word to search."


def test_only_exclusions_asks_for_a_word():
    q = parse("-tutoring")
    assert q.is_empty
    assert q.message == "Add a word to look for, not only words to leave out."


def test_long_text_is_capped_with_a_message():
    q = parse(" ".join(f"word{i}" for i in range(500)))
    assert len(q.terms) == MAX_TERMS
    assert "only its first 64 words" in q.message


def test_lone_surrogates_and_nul_are_cleaned():
    q = parse("caf\udce9 \x00 tutor")
    assert q.terms == ("caf", "tutor")
    q.raw.encode("utf-8")  # no lone surrogate left in what pages echo back


def test_unicode_words_survive():
    q = parse("Ångström naïve 日本語 مدرسة")
    assert q.terms == ("ångström", "naïve", "日本語", "مدرسة")


def test_positive_words_and_plain_text_for_the_semantic_layer():
    q = parse('calls "family engagement" attend* -tutoring')
    assert positive_words(q) == ["calls", "family", "engagement", "attend"]
    assert as_text(q) == "calls family engagement attend"


def test_the_last_word_being_typed_is_a_prefix():
    assert with_last_word_as_prefix("family eng").prefixes == ("eng",)
    assert with_last_word_as_prefix("family eng").terms == ("family",)
    # A finished word (space after it) stays a word; a one-letter stub does not expand.
    assert with_last_word_as_prefix("family eng ").prefixes == ()
    assert with_last_word_as_prefix("family e").prefixes == ()


def test_match_and_tsquery_strings_quote_every_word():
    q = parse('calls "family engagement" attend* -tutoring')
    assert fts5_match(q) == '("calls" OR "family engagement" OR "attend"*) NOT "tutoring"'
    assert pg_tsquery(q) == "('calls' | ('family' <-> 'engagement') | 'attend':*) & !'tutoring'"
    assert fts5_match(q, exclusions=False) == '"calls" OR "family engagement" OR "attend"*'


# Fuzzing against the real database ------------------------------------------------------


@pytest.fixture
def corpus(owner):
    return [
        learning(owner, "Calling families on day one", "Families answered; attendance rose."),
        learning(owner, "Near the end", 'Notes with "quotes", c++ and x:y in them.'),
    ]


ODD = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.sampled_from(list("\"*-()^:~|&!'\\ <>NEARORANDNOT+{}[]")), max_size=60),
    st.lists(
        st.sampled_from(["AND", "OR", "NOT", "NEAR(", '"', "*", "-", "x:y", "'", "c++", "é"]),
        max_size=12,
    ).map(" ".join),
)


@pytest.mark.django_db
@pytest.mark.usefixtures("isolated_search")
@hsettings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=ODD)
def test_no_text_makes_search_fail(text, corpus, member):
    """Any text: the engine, the snippets and the whole facade answer or give a message."""
    q = parse(text)
    assert isinstance(q.message, str)
    engine = NativeEngine()
    hits = engine.search(q, Scope.for_viewer(member), Filters(), limit=5, facets=True)
    assert hits.total >= len(hits.doc_ids)
    engine.snippets(hits.doc_ids or [1], q)
    engine.search_text(text, Scope.for_viewer(member), Filters(), limit=5)
    result = searching.search(viewer=member, text=text)
    assert result.results or result.message or result.total == 0
    searching.suggest(viewer=member, text=text)
