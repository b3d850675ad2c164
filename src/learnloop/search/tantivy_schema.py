"""The Tantivy index's schema and its English analyzer.

One Tantivy document per live SearchDocument row (deleted rows are removed from the index,
never filtered at query time). Text goes through `ll_en`: split on non-alphanumerics, drop
tokens over 40 bytes, lowercase, fold accents to ASCII, drop Lucene's English stop words,
Snowball English stemmer. The same analyzer turns query words into index terms, so a query
never has to go through Tantivy's own query-string parser.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Any

import tantivy

# Bump when the fields or the analyzer change: an index built with another version is
# rebuilt instead of being read.
SCHEMA_VERSION = 1
ANALYZER = "ll_en"

# SearchDocument columns the index needs (read with .values(), never whole models).
COLUMNS = (
    "id",
    "item_type",
    "title",
    "body",
    "kind",
    "stage",
    "author_id",
    "group_id",
    "organization_id",
    "visibility",
    "created_at",
)
KEYWORD_FIELDS = ("item_type", "kind", "stage", "visibility")
ID_FIELDS = ("author_id", "group_id", "organization_id")


@functools.cache
def analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stopword("english"))
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


@functools.cache
def folder() -> tantivy.TextAnalyzer:
    """Lowercase and ASCII-fold only: for prefixes, which must not be stemmed whole."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def analyze(text: str) -> list[str]:
    return analyzer().analyze(text)


def analyze_with_positions(text: str) -> list[tuple[int, str]]:
    """Index terms with their word positions (stop words leave gaps, as in the index)."""
    return [(t.position, t.text) for t in analyzer().pre_tokenize(text).tokens]


@functools.cache
def schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_unsigned_field("doc_id", indexed=True, fast=True)
    # `text` holds the title and the body (two values): BM25 over it is the "flat" BM25 of
    # standard baselines; `title` (frequencies only) adds the title boost.
    b.add_text_field("text", tokenizer_name=ANALYZER, index_option="position")
    b.add_text_field("title", tokenizer_name=ANALYZER, index_option="freq")
    for name in KEYWORD_FIELDS:
        b.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    for name in ID_FIELDS:
        b.add_integer_field(name, indexed=True, fast=True)
    b.add_date_field("created", indexed=True, fast=True)
    return b.build()


def register(index: tantivy.Index) -> tantivy.Index:
    """Analyzers are not stored in the index: every Index object needs them registered."""
    index.register_tokenizer(ANALYZER, analyzer())
    return index


def to_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def make_document(row: Mapping[str, Any]) -> tantivy.Document:
    """A Tantivy document from a SearchDocument `.values(*COLUMNS)` row."""
    doc = tantivy.Document()
    doc.add_unsigned("doc_id", int(row["id"]))
    title = row["title"] or ""
    doc.add_text("text", title)
    doc.add_text("text", row["body"] or "")
    doc.add_text("title", title)
    for name in KEYWORD_FIELDS:
        if row[name]:  # empty kind/stage: no term, so no "" facet bucket
            doc.add_text(name, str(row[name]))
    for name in ID_FIELDS:
        if row[name] is not None:
            doc.add_integer(name, int(row[name]))
    doc.add_date("created", to_utc(row["created_at"]))
    return doc
