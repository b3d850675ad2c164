"""The database's own full-text engine: SQLite FTS5 or PostgreSQL tsvector.

Always exact and immediate (the index is written in the same transaction as the document),
so it is the engine of small networks, the fallback when Tantivy is not there, and the
source of snippets whatever engine ranked the results.

* Ranking: on SQLite `bm25()` with the title weighted over every word OR-ed (the way
  standard BM25 baselines rank); on PostgreSQL `ts_rank_cd` over an OR-ed tsquery.
  Phrases and prefixes in both.
* Long text as the query (`search_text`, for related items and duplicates): only the few
  words that best tell the text apart are kept (term frequency x rarity; on SQLite the
  exact document frequency from `fts5vocab`, on PostgreSQL the planner's statistics of the
  tsvector column), so the cost does not grow with the text.
* Visibility and filters are applied in SQL from `Scope` (`scope_q`, the rule of
  `core.access.visible_q`) and `Filters` (`filters_q`); counts and facets come from the
  same filtered match.

User text never reaches MATCH or to_tsquery as syntax: queries are built here from the
parsed words, each one quoted.
"""

# SQL here is built from module constants (table names) only; every value is a bound
# parameter, and query words are quoted by the builders below.
# ruff: noqa: S608

from __future__ import annotations

import math
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from datetime import time as dtime
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models import Q, QuerySet
from django.utils import timezone

from learnloop.core.models import Visibility
from learnloop.search.ddl import FTS, TABLE, TOKENIZER, VOCAB, pg_config
from learnloop.search.documents import MARK_END, MARK_START
from learnloop.search.engine import FACETS, Filters, Hits, ParsedQuery, Scope
from learnloop.search.models import SearchDocument
from learnloop.search.query import WORD, words

TITLE_WEIGHT = 2.0  # bm25 column weights: title, body
LONG_QUERY_TERMS = 8  # words kept from a long text
LONG_QUERY_CHARS = 20_000  # of a long text, read at most this much
PREFIX_EXPANSIONS = 12  # index terms a typed prefix may stand for (SQLite)
SNIPPET_TOKENS = 32
STATISTICS_GROWTH = 0.25  # SQLite: gather planner statistics again after this much growth
# Lucene's English stop words: never worth keeping from a long text.
_LUCENE_STOP = "a an and are as at be but by for if in into is it no not of on or such that"
STOP_WORDS = frozenset(
    f"{_LUCENE_STOP} the their then there these they this to was will with".split(" ")
)


# Visibility and filters ---------------------------------------------------------------


def scope_q(scope: Scope) -> Q:
    """`core.access.visible_q`, from a Scope: anonymous → public; members → public,
    network, their own, and group items of their groups; stewards → every group item too;
    never a deleted document. (tests/search/test_visibility.py checks it matches.)"""
    alive = Q(deleted_at__isnull=True)
    if scope.anonymous:
        return alive & Q(visibility=Visibility.PUBLIC)
    seen = Q(visibility__in=[Visibility.PUBLIC, Visibility.NETWORK]) | Q(author_id=scope.person_id)
    if scope.steward:
        seen |= Q(visibility=Visibility.GROUP)
    else:
        seen |= Q(visibility=Visibility.GROUP, group_id__in=sorted(scope.group_ids))
    return alive & seen


def _day_start(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, dtime.min))


def filters_q(filters: Filters) -> Q:
    q = Q()
    if filters.item_types:
        q &= Q(item_type__in=filters.item_types)
    if filters.kinds:
        q &= Q(kind__in=filters.kinds)
    if filters.stages:
        q &= Q(stage__in=filters.stages)
    if filters.group_ids:
        q &= Q(group_id__in=filters.group_ids)
    if filters.organization_ids:
        q &= Q(organization_id__in=filters.organization_ids)
    if filters.author_ids:
        q &= Q(author_id__in=filters.author_ids)
    if filters.since:
        q &= Q(created_at__gte=_day_start(filters.since))
    if filters.until:
        q &= Q(created_at__lt=_day_start(filters.until + timedelta(days=1)))
    if filters.exclude_ids:
        q &= ~Q(pk__in=filters.exclude_ids)
    return q


def scoped(scope: Scope, filters: Filters) -> QuerySet[SearchDocument]:
    return SearchDocument.objects.filter(scope_q(scope), filters_q(filters)).order_by()


def facet_counts(rows: Iterable[tuple[Any, ...]]) -> tuple[int, dict[str, dict[str, int]]]:
    """(item_type, kind, stage, group_id, organization_id, n) rows → total and facets.
    Empty values (no kind, no group) are not facet values."""
    facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    total = 0
    for *values, n in rows:
        total += n
        for name, value in zip(FACETS, values, strict=True):
            if value in (None, ""):
                continue
            key = str(value)
            facets[name][key] = facets[name].get(key, 0) + n
    return total, facets


# Query text for each database -----------------------------------------------------------


def fts5_match(
    query: ParsedQuery,
    *,
    exclusions: bool = True,
    expansions: dict[str, list[str]] | None = None,
) -> str:
    """An FTS5 MATCH expression built only from quoted words: any of the words, phrases and
    prefixes, none of the excluded words. `expansions`: index terms a prefix also stands
    for (see `NativeEngine._sqlite_expansions`)."""
    parts = [f'"{t}"' for t in query.terms]
    parts += ['"' + " ".join(p) + '"' for p in query.phrases]
    for p in query.prefixes:
        options = [f'"{p}"*', *(f'"{e}"*' for e in (expansions or {}).get(p, []) if e != p)]
        parts.append(options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")")
    expr = " OR ".join(parts)
    if exclusions and query.excluded and expr:
        expr = f"({expr})" + "".join(f' NOT "{w}"' for w in query.excluded)
    return expr


def fold(word: str) -> str:
    """Lower-case without accents, as the index's tokenizers fold words."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _lexeme(word: str) -> str:
    # Words are letters and digits only (query.WORD), so they cannot close the quote.
    return "'" + word + "'"


def pg_tsquery(query: ParsedQuery, *, exclusions: bool = True) -> str:
    """Text for `to_tsquery('english', …)`: every word quoted, OR-ed; phrases with <->,
    prefixes with :*, excluded words with & !."""
    parts = [_lexeme(t) for t in query.terms]
    parts += ["(" + " <-> ".join(_lexeme(w) for w in p) + ")" for p in query.phrases]
    parts += [_lexeme(p) + ":*" for p in query.prefixes]
    expr = " | ".join(parts)
    if exclusions and query.excluded and expr:
        expr = f"({expr})" + "".join(f" & !{_lexeme(w)}" for w in query.excluded)
    return expr


# Corpus statistics (cheap, cached per process for a minute) ------------------------------

_STATS_SECONDS = 60.0
_stats: dict[tuple[str, str], tuple[float, Any]] = {}


def _cached(key: tuple[str, str], compute: Callable[[], Any]) -> Any:
    now = time.monotonic()
    hit = _stats.get(key)
    if hit is not None and now - hit[0] < _STATS_SECONDS:
        return hit[1]
    value = compute()
    _stats[key] = (now, value)
    return value


def forget_statistics() -> None:
    _stats.clear()


class NativeEngine:
    """A `LexicalEngine` over the database's own full-text index."""

    name = "native"

    def __init__(self, using: str = "default") -> None:
        self.using = using

    @property
    def connection(self) -> Any:
        return connections[self.using]

    @property
    def vendor(self) -> str:
        return str(self.connection.vendor)

    @property
    def pg_config(self) -> str:
        return pg_config(self.connection)

    # The engine contract ----------------------------------------------------------------

    def search(
        self,
        query: ParsedQuery,
        scope: Scope,
        filters: Filters,
        *,
        limit: int,
        offset: int = 0,
        facets: bool = False,
        within: Iterable[int] | None = None,
    ) -> Hits:
        """`within`: only these documents (the facade checks a derived engine's pending
        changes this way)."""
        if query.is_empty or limit <= 0:
            return Hits(doc_ids=[])
        only = None if within is None else sorted({int(i) for i in within})
        if self.vendor == "postgresql":
            sql, params = self._pg_query(query)
            return self._pg(
                sql, params, scope, filters,
                limit=limit, offset=offset, facets=facets, within=only,
            )  # fmt: skip
        return self._sqlite(
            self._sqlite_match(query), scope, filters,
            limit=limit, offset=offset, facets=facets, within=only,
        )  # fmt: skip

    def _sqlite_match(self, query: ParsedQuery, *, exclusions: bool = True) -> str:
        expansions = self._sqlite_expansions(query.prefixes) if query.prefixes else None
        return fts5_match(query, exclusions=exclusions, expansions=expansions)

    def _sqlite_expansions(self, prefixes: Iterable[str]) -> dict[str, list[str]]:
        """Index terms (stems) a typed prefix stands for. FTS5 stems a prefix before
        matching it, which misses words whose stem the prefix does not start ("zephy*" is
        stemmed to "zephi*", "organizat*" finds nothing since "organization" is indexed
        as "organ"): so add the most common stems that start with the prefix as typed,
        or else the longest stem the prefix starts with (at most four letters shorter)."""
        found: dict[str, list[str]] = {}
        with self.connection.cursor() as cursor:
            for prefix in prefixes:
                p = fold(prefix)
                if not p:
                    continue
                upper = p[:-1] + chr(min(ord(p[-1]) + 1, 0x10FFFF))
                cursor.execute(
                    f"SELECT term, doc FROM {VOCAB} WHERE term >= %s AND term < %s LIMIT 500",
                    [p, upper],
                )
                rows = sorted(cursor.fetchall(), key=lambda r: (-r[1], r[0]))
                stems = [str(t) for t, _n in rows[:PREFIX_EXPANSIONS]]
                if not stems:
                    shorter = [p[:k] for k in range(len(p) - 1, max(3, len(p) - 4) - 1, -1)]
                    if shorter:
                        marks = ", ".join(["%s"] * len(shorter))
                        cursor.execute(f"SELECT term FROM {VOCAB} WHERE term IN ({marks})", shorter)
                        stems = sorted((str(r[0]) for r in cursor.fetchall()), key=len)[-1:]
                found[prefix] = [t for t in stems if WORD.fullmatch(t)]
        return found

    def _pg_shorter_stems(self, prefixes: list[str]) -> list[str]:
        """For a prefix that no indexed word starts with ("organizat": "organization" is
        indexed as "organ"), the longest indexed stem it starts with, at most four letters
        shorter. A query per typed prefix; each test in it is a GIN lookup."""
        found: list[str] = []
        with self.connection.cursor() as cursor:
            for p in prefixes:
                candidates = [p] + [p[:k] for k in range(len(p) - 1, max(3, len(p) - 4) - 1, -1)]
                cursor.execute(
                    f"""SELECT t.c, t.n FROM unnest(%s::text[]) WITH ORDINALITY AS t(c, n)
                    WHERE EXISTS (SELECT 1 FROM {TABLE} WHERE tsv @@ to_tsquery('simple',
                        quote_literal(t.c) || CASE WHEN t.n = 1 THEN ':*' ELSE '' END))
                    ORDER BY t.n LIMIT 1""",
                    [candidates],
                )
                row = cursor.fetchone()
                if row is not None and int(row[1]) > 1 and WORD.fullmatch(str(row[0])):
                    found.append(str(row[0]))
        return found

    def _pg_query(self, query: ParsedQuery, *, exclusions: bool = True) -> tuple[str, list[Any]]:
        """A tsquery expression and its parameters: the words, phrases and prefixes through
        the index's configuration (stemmed), OR-ed with the prefixes as typed (the 'simple'
        configuration, unstemmed, accents folded: "zephy*" must find "zephyrine"), and
        none of the excluded words."""
        parts = [f"to_tsquery('{self.pg_config}', %s)"]
        params: list[Any] = [pg_tsquery(query, exclusions=False)]
        if query.prefixes:
            typed = [fold(p) for p in query.prefixes]
            shorter = self._pg_shorter_stems(typed)
            parts.append("to_tsquery('simple', %s)")
            params.append(
                " | ".join([*(_lexeme(p) + ":*" for p in typed), *(_lexeme(s) for s in shorter)])
            )
        sql = "(" + " || ".join(parts) + ")"
        if exclusions and query.excluded:
            sql = f"({sql} && !!to_tsquery('{self.pg_config}', %s))"
            params.append(" | ".join(_lexeme(w) for w in query.excluded))
        return sql, params

    def search_text(self, text: str, scope: Scope, filters: Filters, *, limit: int) -> Hits:
        if limit <= 0:
            return Hits(doc_ids=[])
        if self.vendor == "postgresql":
            lexemes = self._pg_key_lexemes(text, shared=bool(filters.exclude_ids))
            if not lexemes:
                return Hits(doc_ids=[])
            tsquery = " | ".join(_lexeme(lx) for lx in lexemes)
            # The lexemes are stemmed already: 'simple' only lower-cases them again.
            return self._pg(
                "to_tsquery('simple', %s)", [tsquery], scope, filters, limit=limit, count=False
            )
        key_words = self._sqlite_key_words(text, shared=bool(filters.exclude_ids))
        if not key_words:
            return Hits(doc_ids=[])
        match = " OR ".join(f'"{w}"' for w in key_words)
        return self._sqlite(match, scope, filters, limit=limit, count=False)

    def apply_changes(self) -> int:
        return 0  # written in the same transaction as every document: never behind

    def refresh_statistics(self, *, growth: float = STATISTICS_GROWTH) -> bool:
        """SQLite: gather the planner statistics of the search documents when there are
        none, or when the table has grown by more than `growth` since they were gathered
        (PostgreSQL's autovacuum does this itself). Cheap when nothing is due: a count.
        Returns whether it ran ANALYZE."""
        if self.vendor != "sqlite":
            return False
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            known = 0
            if cursor.fetchone() is not None:
                cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [TABLE])
                # Each row starts with the rows its index had (fewer for a partial index).
                known = max((int(str(r[0]).split()[0]) for r in cursor.fetchall()), default=0)
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            rows = int(cursor.fetchone()[0])
            if known and rows <= known * (1 + growth):
                return False
            cursor.execute(f"ANALYZE {TABLE}")
        return True

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """SQLite: rebuild the FTS5 index from the documents and merge it; both: refresh
        the statistics the planner (and `search_text`) read. Without them SQLite may plan a
        query that filters by visibility and ids over the visibility index, reading every
        visible document (10 ms at 100,000) where a few rows by id would do."""
        from learnloop.search.ddl import ensure

        ensure(self.connection)
        total = SearchDocument.objects.using(self.using).count()
        if progress:
            progress(0, total)
        with self.connection.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
                cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")
            if self.vendor in ("sqlite", "postgresql"):
                cursor.execute(f"ANALYZE {TABLE}")
        forget_statistics()
        if progress:
            progress(total, total)
        return total

    # Extras the facade uses whatever engine ranked --------------------------------------

    def snippets(self, doc_ids: Iterable[int], query: ParsedQuery) -> dict[int, tuple[str, str]]:
        """doc id → (title, body excerpt), the query's words wrapped in MARK_START/MARK_END
        (the caller escapes the text and turns the marks into <mark>). Documents that do not
        match the words are left out."""
        ids = sorted({int(i) for i in doc_ids})
        if not ids or query.is_empty:
            return {}
        config = self.pg_config if self.vendor == "postgresql" else ""
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                query_sql, query_params = self._pg_query(query, exclusions=False)
                cursor.execute(
                    f"""SELECT d.id, ts_headline('{config}', d.title, qq.q, %s),
                        ts_headline('{config}', left(d.body, 20000), qq.q, %s)
                        FROM {TABLE} AS d CROSS JOIN (SELECT {query_sql} AS q) AS qq
                        WHERE d.id = ANY(%s) AND d.tsv @@ qq.q""",
                    [
                        f"HighlightAll=true, StartSel={MARK_START}, StopSel={MARK_END}",
                        "MaxWords=32, MinWords=12, MaxFragments=2, "
                        f'FragmentDelimiter=" … ", StartSel={MARK_START}, StopSel={MARK_END}',
                        *query_params,
                        ids,
                    ],
                )
            else:
                marks = ", ".join(["%s"] * len(ids))
                cursor.execute(
                    f"""SELECT rowid, highlight({FTS}, 0, %s, %s),
                        snippet({FTS}, 1, %s, %s, '…', {SNIPPET_TOKENS})
                        FROM {FTS} WHERE {FTS} MATCH %s AND rowid IN ({marks})""",
                    [
                        MARK_START, MARK_END, MARK_START, MARK_END,
                        self._sqlite_match(query, exclusions=False), *ids,
                    ],
                )  # fmt: skip
            return {int(row[0]): (row[1] or "", row[2] or "") for row in cursor.fetchall()}

    def matching(self, doc_ids: Iterable[int], words_: Iterable[str]) -> set[int]:
        """Which of these documents contain any of these words (to apply -excluded words to
        results that came from the semantic layer)."""
        ids = sorted({int(i) for i in doc_ids})
        wanted = [w for w in words_ if w]
        if not ids or not wanted:
            return set()
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(
                    f"SELECT id FROM {TABLE} WHERE id = ANY(%s)"
                    f" AND tsv @@ to_tsquery('{self.pg_config}', %s)",
                    [ids, " | ".join(_lexeme(w) for w in wanted)],
                )
            else:
                marks = ", ".join(["%s"] * len(ids))
                cursor.execute(
                    f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s AND rowid IN ({marks})",
                    [" OR ".join(f'"{w}"' for w in wanted), *ids],
                )
            return {int(row[0]) for row in cursor.fetchall()}

    # SQLite ------------------------------------------------------------------------------

    def _inner(
        self, scope: Scope, filters: Filters, *columns: str, within: list[int] | None = None
    ) -> tuple[str, tuple[Any, ...]] | None:
        """The visible, filtered documents as a subquery (None when nothing can match)."""
        qs = scoped(scope, filters).using(self.using)
        if within is not None:
            qs = qs.filter(pk__in=within)
        qs = qs.values(*columns)
        try:
            sql, params = qs.query.sql_with_params()
        except EmptyResultSet:
            return None
        except FullResultSet:  # pragma: no cover - a scope always filters something
            sql, params = SearchDocument.objects.values(*columns).query.sql_with_params()
        return sql, tuple(params)

    def _sqlite(
        self,
        match: str,
        scope: Scope,
        filters: Filters,
        *,
        limit: int,
        offset: int = 0,
        facets: bool = False,
        count: bool = True,
        within: list[int] | None = None,
    ) -> Hits:
        if not match:
            return Hits(doc_ids=[])
        # bm25() is lower for better matches: its negative ranks best first.
        return self._matches(
            lambda v: f"FROM {FTS} JOIN ({v}) AS v ON v.id = {FTS}.rowid WHERE {FTS} MATCH %s",
            [match],
            scope,
            filters,
            ranked=f"{FTS}.rowid, -bm25({FTS}, {TITLE_WEIGHT}, 1.0) AS rank",
            order=f"rank DESC, {FTS}.rowid",
            limit=limit,
            offset=offset,
            facets=facets,
            count=count,
            within=within,
        )

    def _matches(
        self,
        source: Callable[[str], str],
        source_params: list[Any],
        scope: Scope,
        filters: Filters,
        *,
        ranked: str,
        order: str,
        limit: int,
        offset: int,
        facets: bool,
        count: bool,
        within: list[int] | None,
    ) -> Hits:
        """A page of the matches a viewer may see and, when asked for (or when the page does
        not tell), their total and facets, in either database's words: `source(v)` is the
        FROM ... WHERE that matches, joined to the visible documents' subquery `v` (its
        parameters first, then `source_params`); `ranked` selects (id, rank), the best rank
        highest; `order` sorts by it."""
        inner = self._inner(scope, filters, "id", within=within)
        if inner is None:
            return Hits(doc_ids=[])
        sql, params = inner
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {ranked} {source(sql)} ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, *source_params, limit, max(0, offset)],
            )
            rows = cursor.fetchall()
        hits = Hits(doc_ids=[int(r[0]) for r in rows], scores=[float(r[1]) for r in rows])
        hits.total = len(rows) + max(0, offset)
        if facets or (count and not _total_known(len(rows), limit, offset)):
            inner = self._inner(scope, filters, "id", *FACETS, within=within)
            assert inner is not None
            sql, params = inner
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT v.item_type, v.kind, v.stage, v.group_id, v.organization_id, "
                    f"COUNT(*) {source(sql)} GROUP BY 1, 2, 3, 4, 5",
                    [*params, *source_params],
                )
                hits.total, found = facet_counts(cursor.fetchall())
            if facets:
                hits.facets = found
        return hits

    def _sqlite_key_words(self, text: str, *, shared: bool = False) -> list[str]:
        """The words of a long text that best tell it apart: tf x idf, with the exact
        document frequency of each word's stem (through a temporary FTS5 table that stems
        with the index's own tokenizer, and the index's fts5vocab table)."""
        counts = Counter(
            w for w in words(text[:LONG_QUERY_CHARS]) if w not in STOP_WORDS and not w.isdigit()
        )
        if not counts:
            return []
        distinct = [w for w, _n in counts.most_common(500)]
        with self.connection.cursor() as cursor:
            cursor.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.ll_search_words "
                f"USING fts5(w, tokenize='{TOKENIZER}')"
            )
            cursor.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.ll_search_words_v "
                "USING fts5vocab(temp, ll_search_words, 'instance')"
            )
            cursor.execute("DELETE FROM temp.ll_search_words")
            cursor.executemany(
                "INSERT INTO temp.ll_search_words(rowid, w) VALUES (%s, %s)",
                [(i + 1, w) for i, w in enumerate(distinct)],
            )
            cursor.execute(
                f"""SELECT v.doc, v.term, m.doc FROM temp.ll_search_words_v AS v
                LEFT JOIN main.{VOCAB} AS m ON m.term = v.term"""
            )
            rows = cursor.fetchall()
            cursor.execute("DELETE FROM temp.ll_search_words")
        n_docs = self._document_count()
        stems: dict[str, dict[str, Any]] = {}
        for rowid, stem, df in rows:
            word = distinct[int(rowid) - 1]
            entry = stems.setdefault(stem, {"tf": 0, "df": df or 0, "word": word, "best": 0})
            entry["tf"] += counts[word]
            if counts[word] > entry["best"]:
                entry["word"], entry["best"] = word, counts[word]
        chosen = _pick(
            {s: (e["tf"], e["df"]) for s, e in stems.items() if e["df"] > 0}, n_docs, shared=shared
        )
        return [stems[s]["word"] for s in chosen]

    def _document_count(self) -> int:
        def count() -> int:
            return SearchDocument.objects.using(self.using).count()

        return int(_cached((self.using, "documents"), count))

    # PostgreSQL --------------------------------------------------------------------------

    def _pg(
        self,
        query_sql: str,
        query_params: list[Any],
        scope: Scope,
        filters: Filters,
        *,
        limit: int,
        offset: int = 0,
        facets: bool = False,
        count: bool = True,
        within: list[int] | None = None,
    ) -> Hits:
        if not any(query_params):
            return Hits(doc_ids=[])
        return self._matches(
            lambda v: (
                f"FROM {TABLE} AS d JOIN ({v}) AS v ON v.id = d.id "
                f"CROSS JOIN (SELECT {query_sql} AS q) AS qq WHERE d.tsv @@ qq.q"
            ),
            query_params,
            scope,
            filters,
            ranked="d.id, ts_rank_cd(d.tsv, qq.q, 1) AS rank",
            order="rank DESC, d.id",
            limit=limit,
            offset=offset,
            facets=facets,
            count=count,
            within=within,
        )

    def _pg_key_lexemes(self, text: str, *, shared: bool = False) -> list[str]:
        """The lexemes of a long text that best tell it apart: tf x idf, the document
        frequency estimated from the planner's statistics of the tsvector column (its most
        common lexemes and their frequencies; a lexeme missing from them is rare)."""
        cleaned = " ".join(
            w for w in words(text[:LONG_QUERY_CHARS]) if w not in STOP_WORDS and not w.isdigit()
        )
        if not cleaned:
            return []
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT lexeme, coalesce(array_length(positions, 1), 1)"
                f" FROM unnest(to_tsvector('{self.pg_config}', %s))",
                [cleaned],
            )
            tf = {str(lx): int(n) for lx, n in cursor.fetchall()}
        if not tf:
            return []
        common, floor, n_docs = _cached((self.using, "pg-stats"), self._pg_statistics)
        estimated = {lx: (n, max(1.0, common.get(lx, floor) * n_docs)) for lx, n in tf.items()}
        return _pick(estimated, n_docs, shared=False)  # estimates cannot tell df 1 from 2

    def _pg_statistics(self) -> tuple[dict[str, float], float, int]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats"
                " WHERE schemaname = current_schema() AND tablename = %s AND attname = 'tsv'",
                [TABLE],
            )
            row = cursor.fetchone()
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)", [TABLE]
            )
            tuples = cursor.fetchone()
        n_docs = int(tuples[0]) if tuples and tuples[0] and tuples[0] > 0 else 0
        if n_docs == 0:
            n_docs = SearchDocument.objects.using(self.using).count()
        if not row or not row[0]:
            return {}, 0.0, n_docs
        elems, freqs = list(row[0]), [float(f) for f in row[1]]
        common = dict(zip(elems, freqs[: len(elems)], strict=False))
        # Lexemes below the statistics' cut-off are rarer than the rarest listed.
        floor = (min(common.values()) / 2) if common else 0.0
        return common, floor, n_docs


def _total_known(rows: int, limit: int, offset: int) -> bool:
    """A short page tells the total without counting (unless it is past the end)."""
    return rows < limit and (rows > 0 or offset <= 0)


def _pick(stats: dict[str, tuple[int, float]], n_docs: int, *, shared: bool = False) -> list[str]:
    """The LONG_QUERY_TERMS keys with the best tf x BM25 idf, leaving out terms in more
    than 5% of documents (unless nothing else is left). `shared`: the text is an indexed
    item's own (related items leave it out), so a term only it has finds nothing else."""
    if not stats:
        return []
    n = max(n_docs, 1)
    limit = max(50.0, 0.05 * n)
    usable = {k: v for k, v in stats.items() if v[1] <= limit} or stats
    if shared:
        usable = {k: v for k, v in usable.items() if v[1] >= 2} or usable

    def score(item: tuple[str, tuple[int, float]]) -> tuple[float, int, str]:
        key, (tf, df) = item
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return (-(1 + math.log(tf)) * idf, -len(key), key)

    return [k for k, _v in sorted(usable.items(), key=score)[:LONG_QUERY_TERMS]]
