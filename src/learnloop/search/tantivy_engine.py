"""BM25 at scale: a Tantivy index of SearchDocument, kept in step through SearchChange.

The index is a derived, per-host cache of the `search_searchdocument` table; losing it loses
nothing (`rebuild()` makes it again from the database). Layout under the data directory:

    DATA_DIR/search/tantivy-<db key>/       one directory per database (vendor, host, port,
        CURRENT                               name hashed), so a second database or a test
        gen-<ms>-<pid>/                       database never reads another one's index;
            meta.json, *.idx …                CURRENT names the generation in use: a
            ll_state.json                     rebuild writes a new generation and swaps it in.

`ll_state.json` records the schema version, the *watermark* (the highest SearchChange id
applied) and the *gaps*: ids at or below the watermark not seen yet. On PostgreSQL, ids are
taken when a row is inserted but become visible when its transaction commits, so a
transaction that commits late leaves a hole below the watermark; the gaps are re-read for
`GAP_SECONDS`, and since applying a change just re-reads the current row (an idempotent
upsert), reading one twice is harmless.

Rebuild rules (`needs_rebuild()`): no index for this database yet; another schema version;
the database's change ids went backwards (a restore); the change at the watermark is not
the one the index saw (its time differs: another database with the same name); or changes
past the watermark were pruned before this host applied them. The periodic task also
compares document counts.

Keeping in step: `apply_changes()` runs after the commit of every write (`schedule_apply()`,
called by `search.services.document_sync`, wakes a background thread of the process that
wrote), when a search finds changes pending (it wakes that thread too: changes made on
another host), and every few minutes from `learnloop worker`
(`search.tasks.apply_search_changes`). Only one process at a time writes (a file lock; a
busy lock means someone else is applying, so the caller returns). Under tests everything
runs inline. The same thread builds the index when it is missing or must be rebuilt.

Exactness: changes not applied yet (the pending set: normally empty) are never answered
from the index: their documents are left out of results, counts and facets, and their ids
are returned in `Hits.pending_ids` so that the facade checks them against the database
(visibility with `access.visible_q`, the text with the database's own full-text engine).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import logging
import math
import os
import shutil
import threading
import time
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tantivy
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from learnloop.core.models import Visibility
from learnloop.search import tantivy_schema as ts
from learnloop.search.engine import FACETS, Filters, Hits, ParsedQuery, Scope
from learnloop.search.models import SearchChange, SearchDocument

log = logging.getLogger(__name__)

Occur = tantivy.Occur
Query = tantivy.Query

TITLE_BOOST = 0.5  # a title match adds half a body match on top of the flat BM25
SEARCH_MAX_TERMS = 24  # a pasted paragraph in the search box keeps its 24 rarest terms
TEXT_MAX_TERMS = 12  # a whole item as the query (related, duplicates): 12 rarest terms
TEXT_MAX_CHARS = 50_000
FACET_SIZE = 200
BATCH = 2_000  # change rows per writer commit
REQUEST_MAX_ROWS = 2_000  # under tests, a search catches up with this many changes itself
REBUILD_BATCH = 5_000
GAP_SECONDS = 300.0  # how long an id missing below the watermark is looked for again
GAP_LOOKBACK = 10_000  # at a rebuild, ids this far below the newest are checked for holes
MAX_GAPS = 200
CHECK_SECONDS = 60.0  # how often a process re-checks whether its index must be rebuilt
IDLE_SECONDS = 30.0  # the background applier closes its connection after this long idle
APPLY_HEAP = 32_000_000
REBUILD_HEAP = 256_000_000
STATE_FILE = "ll_state.json"
POINTER_FILE = "CURRENT"


class IndexNotReady(RuntimeError):
    """No usable Tantivy index for this database yet (the facade uses the native engine)."""


# --- where the index lives -------------------------------------------------------------


def engine_setting() -> str:
    """LEARNLOOP_SEARCH_ENGINE: auto | native | tantivy ('native' turns this engine off)."""
    value = getattr(settings, "SEARCH_ENGINE", None) or os.environ.get(
        "LEARNLOOP_SEARCH_ENGINE", "auto"
    )
    return str(value).strip().lower()


def database_key(alias: str = DEFAULT_DB_ALIAS) -> str:
    s = connections[alias].settings_dict
    ident = "|".join(
        str(x) for x in (connections[alias].vendor, s.get("HOST"), s.get("PORT"), s.get("NAME"))
    )
    return hashlib.sha256(ident.encode()).hexdigest()[:16]


def index_root() -> Path:
    return Path(settings.DATA_DIR) / "search" / f"tantivy-{database_key()}"


# --- state: watermark and gaps -----------------------------------------------------------


@dataclass
class IndexState:
    schema: int = ts.SCHEMA_VERSION
    watermark: int = 0
    gaps: list[list[float]] = field(default_factory=list)  # [first id, last id, since]
    documents: int = 0
    mark: str = ""  # when the change at the watermark was made: tells databases apart
    built_at: float = 0.0
    updated_at: float = 0.0

    @classmethod
    def load(cls, directory: Path) -> IndexState:
        data = json.loads((directory / STATE_FILE).read_text())
        return cls(
            schema=int(data.get("schema", 0)),
            watermark=int(data.get("watermark", 0)),
            gaps=[[int(a), int(b), float(c)] for a, b, c in data.get("gaps", [])],
            documents=int(data.get("documents", 0)),
            mark=str(data.get("mark", "")),
            built_at=float(data.get("built_at", 0)),
            updated_at=float(data.get("updated_at", 0)),
        )

    def save(self, directory: Path) -> None:
        self.updated_at = time.time()
        tmp = directory / f".{STATE_FILE}.{os.getpid()}.{threading.get_ident()}"
        tmp.write_text(json.dumps(self.__dict__))
        os.replace(tmp, directory / STATE_FILE)

    def unapplied_q(self) -> Q:
        """SearchChange rows this index has not applied: past the watermark, or in a gap."""
        q = Q(id__gt=self.watermark)
        for lo, hi, _ in self.gaps:
            q |= Q(id__gte=int(lo), id__lte=int(hi))
        return q

    def advance(self, seen_ids: Sequence[int], now: float | None = None) -> None:
        """Record change ids as applied: move the watermark, close the gaps they fill and
        open gaps for ids skipped on the way up (they may belong to a late commit)."""
        now = time.time() if now is None else now
        seen = sorted(set(seen_ids))
        gaps: list[list[float]] = []
        for lo, hi, since in self.gaps:
            start = int(lo)
            i, j = bisect_left(seen, int(lo)), bisect_right(seen, int(hi))
            for s in seen[i:j]:
                if s > start:
                    gaps.append([start, s - 1, since])
                start = s + 1
            if start <= hi:
                gaps.append([start, int(hi), since])
        previous = self.watermark
        for s in seen[bisect_right(seen, self.watermark) :]:
            if s > previous + 1:
                gaps.append([previous + 1, s - 1, now])
            previous = s
        self.watermark = max(self.watermark, previous)
        gaps = sorted(g for g in gaps if g[2] >= now - GAP_SECONDS)
        while len(gaps) > MAX_GAPS:  # merge the two closest: re-reading is harmless
            k = min(range(len(gaps) - 1), key=lambda n: gaps[n + 1][0] - gaps[n][1])
            gaps[k : k + 2] = [[gaps[k][0], gaps[k + 1][1], min(gaps[k][2], gaps[k + 1][2])]]
        self.gaps = gaps


def snapshot_watermark(now: float | None = None) -> IndexState:
    """A state for an index built from the documents as they are now: everything up to the
    newest change id, with any hole just below it watched as a gap (a transaction still
    open while we read)."""
    state = IndexState(built_at=time.time())
    newest = SearchChange.objects.aggregate(m=Max("id"))["m"] or 0
    if newest:
        floor = max(0, newest - GAP_LOOKBACK)
        present = list(
            SearchChange.objects.filter(id__gt=floor).order_by("id").values_list("id", "created_at")
        )
        state.watermark = floor
        state.advance([i for i, _ in present], now)
        state.mark = stamp(present[-1][1])
    return state


def stamp(value: dt.datetime) -> str:
    return ts.to_utc(value).isoformat()


# --- locks ---------------------------------------------------------------------------------


@contextlib.contextmanager
def file_lock(path: Path, *, blocking: bool, timeout: float = 120.0) -> Iterator[bool]:
    """An exclusive lock between processes and threads (flock on its own open file).
    Yields False when not blocking and someone else holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not blocking:
                    yield False
                    return
                if time.monotonic() > deadline:
                    raise TimeoutError(f"search index lock {path} stayed busy") from None
                time.sleep(0.05)
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def in_user_transaction(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Inside a transaction that may still roll back (test-case wrappers do not count):
    indexing what it wrote could put in the index what the database will never hold."""
    return any(not getattr(a, "_from_testcase", False) for a in connections[alias].atomic_blocks)


# --- the engine ----------------------------------------------------------------------------


@dataclass
class _Reader:
    generation: Path
    pointer_sig: tuple[int, int]
    state_sig: tuple[int, int]
    index: tantivy.Index
    state: IndexState
    pid: int


def _sig(path: Path) -> tuple[int, int]:
    st = path.stat()
    return (st.st_ino, st.st_mtime_ns)


class TantivyEngine:
    """A `LexicalEngine` over the per-database Tantivy index under `root`."""

    name = "tantivy"

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else index_root()
        self._reader_: _Reader | None = None
        self._mutex = threading.RLock()
        self._checked: tuple[Path, float, str | None] | None = None

    # -- files --

    @property
    def pointer(self) -> Path:
        return self.root / POINTER_FILE

    def current_generation(self) -> Path | None:
        try:
            name = self.pointer.read_text().strip()
        except FileNotFoundError:
            return None
        gen = self.root / name
        if not name or not (gen / STATE_FILE).exists() or not tantivy.Index.exists(str(gen)):
            return None
        return gen

    def _open(self, gen: Path) -> tantivy.Index:
        index = ts.register(tantivy.Index.open(str(gen)))
        index.config_reader("manual")
        return index

    def _reader(self) -> _Reader:
        """The process's reader, re-opened after a fork or a swap and reloaded when the
        state file says the index moved. The state is read before the index so that the
        index is never behind the watermark we believe in."""
        with self._mutex:
            r = self._reader_
            pid = os.getpid()
            try:
                pointer_sig = _sig(self.pointer)
            except FileNotFoundError:
                self._reader_ = None
                raise IndexNotReady("no search index has been built for this database") from None
            if r is None or r.pid != pid or r.pointer_sig != pointer_sig:
                gen = self.current_generation()
                if gen is None:
                    self._reader_ = None
                    raise IndexNotReady("the search index is incomplete")
                state_sig = _sig(gen / STATE_FILE)
                state = IndexState.load(gen)
                if state.schema != ts.SCHEMA_VERSION:
                    self._reader_ = None
                    raise IndexNotReady("the search index was built by another version")
                r = _Reader(gen, pointer_sig, state_sig, self._open(gen), state, pid)
                self._reader_ = r
            else:
                state_sig = _sig(r.generation / STATE_FILE)
                if state_sig != r.state_sig:
                    r.state = IndexState.load(r.generation)
                    r.state_sig = state_sig
                    r.index.reload()
            return r

    # -- readiness --

    def ready(self) -> bool:
        """True when an index for this database exists, has this schema and needs no
        rebuild (checked against the database once a minute per process). When it is
        not ready, a web process starts building it in the background."""
        try:
            r = self._reader()
        except IndexNotReady:
            _kick_background()
            return False
        now = time.monotonic()
        checked = self._checked
        if checked is None or checked[0] != r.generation or now - checked[1] > CHECK_SECONDS:
            reason = self.needs_rebuild(r.state)
            self._checked = checked = (r.generation, now, reason)
            if reason:
                log.warning("search index at %s must be rebuilt: %s", self.root, reason)
                _kick_background()
        return checked[2] is None

    def needs_rebuild(self, state: IndexState | None = None) -> str | None:
        """Why the index must be rebuilt, or None."""
        if state is None:
            gen = self.current_generation()
            if gen is None:
                return "no index yet"
            state = IndexState.load(gen)
        if state.schema != ts.SCHEMA_VERSION:
            return "built by another version"
        ids = SearchChange.objects.aggregate(lo=Min("id"), hi=Max("id"))
        if ids["hi"] is None:
            if state.watermark > 0:
                return "the database has none of the changes the index saw (restored?)"
            return None
        if ids["hi"] < state.watermark:
            return "the database's changes went back (restored?)"
        if ids["lo"] > state.watermark + 1:
            return "changes were pruned before this index applied them"
        if state.watermark:
            at = SearchChange.objects.filter(id=state.watermark).values_list("created_at")
            row = at.first()
            if row is None and ids["lo"] <= state.watermark:
                return "the database does not have the change the index saw last"
            if row is not None and state.mark and stamp(row[0]) != state.mark:
                return "the index was built from another database"
        return None

    # -- queries --

    def search(
        self,
        query: ParsedQuery,
        scope: Scope,
        filters: Filters,
        *,
        limit: int,
        offset: int = 0,
        facets: bool = False,
    ) -> Hits:
        r, pending = self._prepared_reader()
        searcher = r.index.searcher()
        text = self._text_query(query, searcher)
        if text is None:
            return Hits(doc_ids=[], total=0, pending_ids=pending)
        q = self._compose(text, scope, filters, pending)
        # With facets, the aggregation's pass over the matches counts them too; the page
        # is then ranked without a count. Tantivy releases the GIL, so the aggregation runs
        # on another core while this thread ranks (at a million documents each takes about
        # 10 ms: together they finish in the time of one).
        counted = _facet_pool().submit(self._facets, searcher, q) if facets else None
        result = searcher.search(q, limit=max(limit, 1), count=not facets, offset=max(offset, 0))
        hits = result.hits[: max(limit, 0)]
        out = Hits(
            doc_ids=self._doc_ids(searcher, hits),
            scores=[float(s) for s, _ in hits],
            pending_ids=pending,
        )
        if counted is not None:
            out.total, out.facets = counted.result()
        else:
            out.total = _count(result)
        return out

    def search_text(self, text: str, scope: Scope, filters: Filters, *, limit: int) -> Hits:
        """A long text as the query: BM25 over its `TEXT_MAX_TERMS` rarest terms (by
        document frequency, each boosted by 1 + log of its count in the text), so the cost
        does not grow with the text. With `exclude_ids` (related items: the item itself is
        in the index) terms found in a single document are skipped: only the item has them.
        `total` is the number of hits returned (no exact count is needed here, which lets
        Tantivy skip blocks that cannot reach the top)."""
        r, pending = self._prepared_reader()
        searcher = r.index.searcher()
        counts = Counter(ts.analyze(text[:TEXT_MAX_CHARS]))
        min_df = 2 if filters.exclude_ids else 1
        ranked = []
        for term, n in counts.items():
            df = searcher.doc_freq("text", term)
            if df >= min_df:
                ranked.append((df, -n, term))
        ranked.sort()
        clauses = [
            clause
            for _, neg, term in ranked[:TEXT_MAX_TERMS]
            for clause in self._term_clauses(term, 1.0 + math.log(-neg))
        ]
        if not clauses:
            return Hits(doc_ids=[], total=0, pending_ids=pending)
        q = self._compose(Query.boolean_query(clauses), scope, filters, pending)
        result = searcher.search(q, limit=max(limit, 1), count=False)
        hits = result.hits[: max(limit, 0)]
        return Hits(
            doc_ids=self._doc_ids(searcher, hits),
            total=len(hits),
            scores=[float(s) for s, _ in hits],
            pending_ids=pending,
        )

    def pending_document_ids(self) -> list[int]:
        """Documents with changes this index has not applied yet."""
        return self._pending(self._reader().state)

    def _prepared_reader(self) -> tuple[_Reader, list[int]]:
        """The reader and the documents it must leave out. When changes are pending, the
        background applier is woken (a commit takes 20 to 100 ms, too long to wait for in a
        request); under tests they are applied at once, which keeps tests deterministic."""
        r = self._reader()
        pending = self._pending(r.state)
        if pending:
            if settings.TESTING:
                if self.apply_changes(max_rows=REQUEST_MAX_ROWS):
                    r = self._reader()
                    pending = self._pending(r.state)
            else:
                _kick_background()
        return r, pending

    @staticmethod
    def _pending(state: IndexState) -> list[int]:
        rows = SearchChange.objects.filter(state.unapplied_q()).values_list(
            "document_id", flat=True
        )
        return sorted(set(rows))

    @staticmethod
    def _doc_ids(searcher: tantivy.Searcher, hits: list[tuple[Any, Any]]) -> list[int]:
        if not hits:
            return []
        values = searcher.fast_field_values("doc_id", [addr for _, addr in hits])
        return [int(v) for v in values if v is not None]

    def _term_clauses(
        self, term: str, weight: float = 1.0
    ) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        """A word as flat Should clauses (nested booleans are slower to evaluate): BM25 on
        the title and body, plus the title boost."""
        schema = ts.schema()
        clauses = [(Occur.Should, _boosted(Query.term_query(schema, "text", term), weight))]
        if TITLE_BOOST:
            title = Query.term_query(schema, "title", term)
            clauses.append((Occur.Should, _boosted(title, TITLE_BOOST * weight)))
        return clauses

    def _text_query(self, query: ParsedQuery, searcher: tantivy.Searcher) -> tantivy.Query | None:
        """Words, "phrases" and prefix* OR-ed (BM25 over OR-ed terms, as standard BM25
        baselines do; a phrase matches only as a whole, as in the native engine), and
        -excluded words must not be present."""
        schema = ts.schema()
        counts = Counter(t for word in query.terms for t in ts.analyze(word))
        for words in query.phrases:
            tokens = ts.analyze_with_positions(" ".join(words))
            if len(tokens) == 1:  # the other words were stop words
                counts[tokens[0][1]] += 1
        if len(counts) > SEARCH_MAX_TERMS:
            rarest = sorted(counts, key=lambda t: (searcher.doc_freq("text", t), t))
            counts = Counter({t: counts[t] for t in rarest[:SEARCH_MAX_TERMS]})
        clauses = [c for t, n in sorted(counts.items()) for c in self._term_clauses(t, float(n))]
        for words in query.phrases:
            tokens = ts.analyze_with_positions(" ".join(words))
            if len(tokens) > 1:
                first = tokens[0][0]
                phrase: list[str | tuple[int, str]] = [(p - first, t) for p, t in tokens]
                clauses.append((Occur.Should, Query.phrase_query(schema, "text", phrase)))
        for prefix in query.prefixes:
            variants = set(ts.folder().analyze(prefix)[:1]) | set(ts.analyze(prefix)[:1])
            for v in sorted(variants):
                if len(v) >= 2:
                    clauses.append((Occur.Should, Query.phrase_prefix_query(schema, "text", [v])))
        if not clauses:
            return None
        excluded = sorted({t for word in query.excluded for t in ts.analyze(word)})
        clauses += [(Occur.MustNot, Query.term_query(schema, "text", t)) for t in excluded]
        return Query.boolean_query(clauses)

    def _compose(
        self,
        text: tantivy.Query,
        scope: Scope,
        filters: Filters,
        pending: Sequence[int],
    ) -> tantivy.Query:
        """Text AND visibility AND filters, minus pending documents and excluded ids. The
        filters score 0, so they restrict before ranking without changing the ranking."""
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = [(Occur.Must, text)]
        for f in [visibility_query(scope), *filter_queries(filters)]:
            clauses.append((Occur.Must, Query.const_score_query(f, 0.0)))
        left_out = sorted({*pending, *filters.exclude_ids})
        if left_out:
            ids = Query.term_set_query(ts.schema(), "doc_id", left_out)
            clauses.append((Occur.MustNot, ids))
        return Query.boolean_query(clauses)

    def _facets(
        self, searcher: tantivy.Searcher, q: tantivy.Query
    ) -> tuple[int, dict[str, dict[str, int]]]:
        """The number of matches and the facet counts, in one pass over the matches. Every
        document has one item type (a required column) and there are fewer types than
        FACET_SIZE, so the item-type counts add up to the matches (a `value_count` of its
        own costs a fifth more at a million documents)."""
        aggs = {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACETS}
        raw = searcher.aggregate(q, aggs)
        out: dict[str, dict[str, int]] = {}
        for name in FACETS:
            buckets = raw.get(name, {}).get("buckets", [])
            out[name] = {_facet_key(b["key"]): int(b["doc_count"]) for b in buckets}
        return sum(out["item_type"].values()), out

    # -- keeping in step --

    def apply_changes(self, *, max_rows: int | None = None) -> int:
        """Apply SearchChange rows this index has not seen: upsert the live documents and
        delete the rest, by doc_id, one writer commit per batch, then record the watermark.
        Returns the number of change rows applied; 0 when there is no index, when another
        process holds the writer (it is applying them), or inside a transaction that may
        still roll back."""
        if in_user_transaction():
            return 0
        if self.current_generation() is None:
            return 0
        with file_lock(self.root / ".apply.lock", blocking=False) as got:
            if not got:
                return 0
            gen = self.current_generation()
            if gen is None:
                return 0
            return self._apply_locked(gen, self._open(gen), IndexState.load(gen), max_rows)

    def _apply_locked(
        self, gen: Path, index: tantivy.Index, state: IndexState, max_rows: int | None
    ) -> int:
        applied = 0
        writer: tantivy.IndexWriter | None = None
        try:
            while max_rows is None or applied < max_rows:
                size = BATCH if max_rows is None else min(BATCH, max_rows - applied)
                rows = list(
                    SearchChange.objects.filter(state.unapplied_q())
                    .order_by("id")
                    .values_list("id", "document_id", "created_at")[:size]
                )
                if not rows:
                    break
                if writer is None:
                    try:
                        writer = index.writer(heap_size=APPLY_HEAP, num_threads=1)
                    except ValueError:  # Tantivy's own writer lock: someone else writes
                        return applied
                doc_ids = sorted({d for _, d, _ in rows})
                live = SearchDocument.objects.filter(pk__in=doc_ids, deleted_at__isnull=True)
                writer.delete_documents_by_query(
                    Query.term_set_query(ts.schema(), "doc_id", doc_ids)
                )
                for row in live.values(*ts.COLUMNS):
                    writer.add_document(ts.make_document(row))
                writer.commit()
                state.advance([i for i, _, _ in rows])
                state.mark = next(
                    (stamp(at) for i, _, at in rows if i == state.watermark), state.mark
                )
                state.save(gen)
                applied += len(rows)
                if len(rows) < size:
                    break
        finally:
            if writer is not None:
                writer.wait_merging_threads()
        return applied

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Index every live SearchDocument into a fresh generation, catch it up with the
        changes made meanwhile, and swap it in. Readers switch on their next search. Only
        one rebuild runs at a time (a second caller waits for it). Returns documents
        indexed."""
        self.root.mkdir(parents=True, exist_ok=True)
        with file_lock(self.root / ".rebuild.lock", blocking=True, timeout=6 * 3600):
            return self._rebuild_locked(progress)

    def rebuild_if_needed(self) -> int | None:
        """Rebuild when `needs_rebuild()` says so and no other rebuild is running."""
        if self.needs_rebuild() is None:
            return None
        self.root.mkdir(parents=True, exist_ok=True)
        with file_lock(self.root / ".rebuild.lock", blocking=False) as got:
            if not got or self.needs_rebuild() is None:
                return None
            return self._rebuild_locked(None)

    def _rebuild_locked(self, progress: Callable[[int, int], None] | None) -> int:
        state = snapshot_watermark()
        stamp = int(time.time() * 1000)
        while (gen := self.root / f"gen-{stamp}-{os.getpid()}").exists():
            stamp += 1
        gen.mkdir(parents=True)
        index = ts.register(tantivy.Index(ts.schema(), path=str(gen), reuse=False))
        live = SearchDocument.objects.filter(deleted_at__isnull=True)
        total = live.count()
        done, last = 0, 0
        writer = index.writer(heap_size=REBUILD_HEAP, num_threads=min(2, os.cpu_count() or 1))
        try:
            while True:
                rows = list(
                    live.filter(pk__gt=last).order_by("pk").values(*ts.COLUMNS)[:REBUILD_BATCH]
                )
                if not rows:
                    break
                for row in rows:
                    writer.add_document(ts.make_document(row))
                done += len(rows)
                last = rows[-1]["id"]
                if progress is not None:
                    progress(done, max(total, done))
            writer.commit()
        finally:
            writer.wait_merging_threads()
        state.documents = done
        state.save(gen)
        with file_lock(self.root / ".apply.lock", blocking=True):
            self._apply_locked(gen, index, state, None)
            previous = self.current_generation()
            tmp = self.root / f".{POINTER_FILE}.{os.getpid()}"
            tmp.write_text(gen.name)
            os.replace(tmp, self.pointer)
        keep = {gen.name} | ({previous.name} if previous else set())
        for old in self.root.glob("gen-*"):
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)
        self._checked = None
        return done

    def check_drift(self) -> int:
        """Live documents created more than a minute ago, in the database minus in the
        index (0 when in step). A periodic safety net for bugs and manual edits."""
        r = self._reader()
        cutoff = timezone.now() - dt.timedelta(minutes=1)
        in_db = SearchDocument.objects.filter(deleted_at__isnull=True, created_at__lt=cutoff)
        older = Query.range_query(
            ts.schema(),
            "created",
            tantivy.FieldType.Date,
            upper_bound=ts.to_utc(cutoff),
            include_upper=False,
        )
        in_index = _count(r.index.searcher().search(older, limit=1, count=True))
        return in_db.count() - in_index

    def status(self) -> dict[str, Any]:
        """Figures for `learnloop search status`."""
        out: dict[str, Any] = {"engine": self.name, "path": str(self.root)}
        try:
            r = self._reader()
        except IndexNotReady as e:
            return {**out, "ready": False, "problem": str(e)}
        size = sum(p.stat().st_size for p in r.generation.iterdir() if p.is_file())
        pending = self._pending(r.state)
        return {
            **out,
            "ready": self.needs_rebuild(r.state) is None,
            "documents": r.index.searcher().num_docs,
            "watermark": r.state.watermark,
            "gaps": len(r.state.gaps),
            "pending": len(pending),
            "built_at": dt.datetime.fromtimestamp(r.state.built_at, dt.UTC),
            "updated_at": dt.datetime.fromtimestamp(r.state.updated_at, dt.UTC),
            "size_bytes": size,
        }


_pool_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def _facet_pool() -> ThreadPoolExecutor:
    """One small pool per process for the facet aggregations (made on first use)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="search-facets")
        return _pool


def _count(result: tantivy.SearchResult) -> int:
    return int(getattr(result, "count", None) or 0)  # set when searching with count=True


def _facet_key(key: Any) -> str:
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key)


def _boosted(q: tantivy.Query, weight: float) -> tantivy.Query:
    return q if weight == 1.0 else Query.boost_query(q, weight)


def any_of(field_name: str, values: Sequence[Any]) -> tantivy.Query:
    """A field equal to any of a few values. Term queries (posting lists that an
    intersection can skip through) are much cheaper than a term-set query (which marks
    every matching document first) for the few values filters and visibility use."""
    schema = ts.schema()
    values = sorted(set(values))
    if len(values) > 64:
        return Query.term_set_query(schema, field_name, values)
    terms = [Query.term_query(schema, field_name, v) for v in values]
    if len(terms) == 1:
        return terms[0]
    return Query.boolean_query([(Occur.Should, t) for t in terms])


def visibility_query(scope: Scope) -> tantivy.Query:
    """`core.access.visible_q` as a Tantivy query (deleted documents are not in the index):
    anonymous → public; members → public, network, their own, and group items of their
    groups; stewards → every group item too."""
    if scope.anonymous:
        return any_of("visibility", [str(Visibility.PUBLIC)])
    seen = [any_of("visibility", [str(Visibility.PUBLIC), str(Visibility.NETWORK)])]
    if scope.person_id is not None:
        seen.append(any_of("author_id", [int(scope.person_id)]))
    group = any_of("visibility", [str(Visibility.GROUP)])
    if scope.steward:
        seen.append(group)
    elif scope.group_ids:
        mine = any_of("group_id", [int(g) for g in scope.group_ids])
        seen.append(Query.boolean_query([(Occur.Must, group), (Occur.Must, mine)]))
    return Query.boolean_query([(Occur.Should, q) for q in seen])


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight in the site's time zone, as Django's `__date` lookups see days."""
    return ts.to_utc(dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone()))


def filter_queries(filters: Filters) -> list[tantivy.Query]:
    schema = ts.schema()
    out = []
    for name, values in (
        ("item_type", filters.item_types),
        ("kind", filters.kinds),
        ("stage", filters.stages),
    ):
        if values:
            out.append(any_of(name, [str(v) for v in values]))
    for name, ids in (
        ("group_id", filters.group_ids),
        ("organization_id", filters.organization_ids),
        ("author_id", filters.author_ids),
    ):
        if ids:
            out.append(any_of(name, [int(i) for i in ids]))
    if filters.since or filters.until:
        out.append(
            Query.range_query(
                schema,
                "created",
                tantivy.FieldType.Date,
                lower_bound=_day_start(filters.since) if filters.since else None,
                upper_bound=(
                    _day_start(filters.until + dt.timedelta(days=1)) if filters.until else None
                ),
                include_upper=filters.until is None,  # an open end is always inclusive
            )
        )
    return out


# --- one engine per process, and applying after commits ---------------------------------------

_engine: TantivyEngine | None = None
_engine_lock = threading.Lock()


def get_engine() -> TantivyEngine:
    """The process's engine for the current database and data directory. Cheap: the
    index is opened lazily on first use, and again after a fork (gunicorn workers)."""
    global _engine
    root = index_root()
    with _engine_lock:
        if _engine is None or _engine.root != root:
            _engine = TantivyEngine(root)
        return _engine


def schedule_apply() -> None:
    """Call from inside the transaction that wrote SearchChange rows (document_sync):
    after it commits, the changes are applied to the index. Registers one callback per
    transaction however often it is called; a no-op when the engine is turned off."""
    if engine_setting() == "native":
        return
    if not in_user_transaction():  # called after the commit (or under a test's wrapper)
        _after_commit()
        return
    if any(func is _after_commit for _, func, _ in transaction.get_connection().run_on_commit):
        return
    transaction.on_commit(_after_commit, robust=True)


def _after_commit() -> None:
    """Tests apply at once; a server hands the work to a background thread of this
    process (debounced), so a write never waits for the index."""
    if settings.TESTING:
        get_engine().apply_changes()
    else:
        _applier.wake()


def _kick_background() -> None:
    if not settings.TESTING and engine_setting() != "native":
        _applier.wake()


class _Applier:
    """One daemon thread per process: applies changes when woken, and builds the index if
    it is missing or must be rebuilt (so `learnloop serve` alone keeps search current)."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._lock = threading.Lock()
        self._last_check = 0.0

    def wake(self) -> None:
        with self._lock:
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._event = threading.Event()
                self._pid = os.getpid()
                self._thread = threading.Thread(
                    target=self._run, name="learnloop-search-apply", daemon=True
                )
                self._thread.start()
        self._event.set()

    def _run(self) -> None:
        while True:
            if not self._event.wait(timeout=IDLE_SECONDS):
                connections.close_all()  # idle: give this thread's connection back
                self._event.wait()
            time.sleep(0.05)  # let a burst of commits arrive: one batch for all of them
            self._event.clear()
            try:
                engine = get_engine()
                if time.monotonic() - self._last_check > CHECK_SECONDS:
                    self._last_check = time.monotonic()
                    engine.rebuild_if_needed()
                engine.apply_changes()
            except Exception:
                log.exception("applying search changes failed")
            finally:
                close_old_connections()


_applier = _Applier()
