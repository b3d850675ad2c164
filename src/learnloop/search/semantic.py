"""The semantic layer: vector search over the stored document vectors, and rank fusion.

`semantic_search(text_or_vector, scope, filters, limit)` answers with SearchDocument ids,
closest first, restricted to what the `Scope` may see and to the `Filters` — the same
contract as the lexical engines (`search/engine.py`), so the facade can fuse both lists
with `fuse` (reciprocal-rank fusion).

How it works. Each process keeps the vectors of the *active* model (see `active_model`) in
memory as one matrix, with the columns visibility needs (visibility, author, group,
deleted) and the filterable ones (type, kind, stage, organization, date) as NumPy arrays
beside it. A query is one matrix-vector product and a boolean mask: exact cosine, 6 ms for
50k vectors here. From `ann.MIN_VECTORS` rows on (a large network) a faiss inverted file
(`search/ann.py`) finds the candidates inside the mask, which are re-scored from the
matrix, now kept in float16; tiny masks (an author filter) are still scored directly.
Before answering, one small query reads the high-water marks of the change log
(`SearchChange`) and of the vectors; when either moved, only the documents concerned are
re-read, so edits, visibility changes and deletions apply at once and new vectors appear
as soon as the background task stores them.

The mask is a pre-filter: the callers (the search facade, related items, duplicates, who
could help, themes) re-check every id with `core.access.visible_q` before showing
anything, so a change that committed out of order can never leak a document either.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from learnloop.search import ann, embedders
from learnloop.search.engine import Filters, Hits, Scope
from learnloop.search.models import SearchChange, SearchDocument, SearchVector, SemanticModel

log = logging.getLogger(__name__)

RRF_K = 60
SEARCH_DEPTH = 100  # each list is cut here before fusion (search)
RELATED_DEPTH = 200  # … and here for related items
VISIBILITY_CODES = {"draft": 0, "group": 1, "network": 2, "public": 3}
FULL_RELOAD_SHARE = 0.2  # when more documents than this changed, reload everything
LATE_COMMIT_SECONDS = 30  # re-read recent changes: a transaction may commit out of order


# Vectors as bytes --------------------------------------------------------------------


def vector_to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def bytes_to_vector(data: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float16).astype(np.float32)


# Which model answers -----------------------------------------------------------------


def preferred_names() -> list[str]:
    """Model names in order of preference. `LEARNLOOP_SEMANTIC_MODEL` = auto (default:
    sentence embeddings when the extra is installed and their vectors are complete, else
    the SVD model), `svd`, or `minilm` (falls back to SVD until MiniLM is complete)."""
    import os

    choice = (
        getattr(settings, "SEMANTIC_MODEL", "")
        or os.environ.get("LEARNLOOP_SEMANTIC_MODEL", "")
        or "auto"
    ).lower()
    if choice == "svd":
        return [embedders.SVD_NAME]
    return [embedders.MINILM_NAME, embedders.SVD_NAME]


@dataclass(frozen=True)
class ModelState:
    pk: int
    name: str
    version: int
    dim: int
    fitted_at: Any
    change_mark: int
    vector_mark: int

    @property
    def identity(self) -> tuple[Any, ...]:
        return (self.pk, self.name, self.version, self.dim, self.fitted_at)


NO_MODEL_KEY = "learnloop:semantic:no-model"
NO_MODEL_SECONDS = 10


READY_KEY = "learnloop:semantic:ready"


def forget_state() -> None:
    """Called when a model is fitted, completed or dropped: ask the database again."""
    cache.delete(NO_MODEL_KEY)


def mark_ready() -> None:
    """A model is complete: say so in the shared cache (each background round says it
    again, so a flushed cache recovers within minutes)."""
    cache.set(READY_KEY, True, timeout=None)


def probably_ready() -> bool:
    """Whether a complete model is likely, without asking the database: for secondary
    signals on busy pages (people who might know) that may skip the semantic layer when
    the cache does not know. Never used to decide what a viewer may see."""
    return bool(cache.get(READY_KEY))


def _state() -> ModelState | None:
    """The newest complete model of the preferred kind, with the change log's and the
    vectors' high-water marks, in one query. A network without a model yet is remembered
    as such for a few seconds (in the shared cache), so pages cost no query for it."""
    from django.db.models import Subquery

    if cache.get(NO_MODEL_KEY):
        return None
    names = preferred_names()
    if embedders.MINILM_NAME in names and not embedders.minilm_available():
        names.remove(embedders.MINILM_NAME)
    rows = list(
        SemanticModel.objects.filter(complete=True, name__in=names)
        .annotate(
            change_mark=Subquery(SearchChange.objects.order_by("-id").values("id")[:1]),
            vector_mark=Subquery(SearchVector.objects.order_by("-id").values("id")[:1]),
        )
        .order_by("-version", "-pk")
        .values("pk", "name", "version", "dim", "fitted_at", "change_mark", "vector_mark")
    )
    if not rows:
        cache.set(NO_MODEL_KEY, True, NO_MODEL_SECONDS)
        return None
    rows = [r for r in rows if (r["pk"], r["fitted_at"]) not in _unreadable]
    if not rows:
        return None
    rows.sort(key=lambda r: names.index(r["name"]))
    row = rows[0]
    return ModelState(
        pk=row["pk"],
        name=row["name"],
        version=row["version"],
        dim=row["dim"],
        fitted_at=row["fitted_at"],
        change_mark=row["change_mark"] or 0,
        vector_mark=row["vector_mark"] or 0,
    )


def _usable_state() -> ModelState | None:
    """`_state()`, unless this process cannot load that model's embedder: then as if there
    were no model (`_state` passes over it from now on; the background task fits anew)."""
    state = _state()
    if state is None:
        return None
    try:
        embedder_for(state)
    except ModelUnreadable:
        return _state()  # an older complete model, or none
    return state


def prepare() -> ModelState | None:
    """The active model's state (one query); pass it on to avoid asking again."""
    return _usable_state()


def active_model() -> SemanticModel | None:
    state = _usable_state()
    return SemanticModel.objects.filter(pk=state.pk).first() if state else None


def semantic_ready() -> bool:
    """True when a complete model exists, so semantic and fused modes can answer."""
    return _usable_state() is not None


_embedder_lock = threading.Lock()
_embedders: dict[tuple[Any, ...], Any] = {}


class ModelUnreadable(Exception):
    """A stored model whose payload cannot be loaded (corrupt, or from another version)."""


# Models this process could not load, by (pk, fitted_at): `_state` passes over them, so the
# layer answers as if they were absent (or with an older complete model) until the
# background task fits a readable one.
_unreadable: set[tuple[int, Any]] = set()


def embedder_for(model: SemanticModel | ModelState) -> embedders.Embedder:
    """The embedder of a stored model, loaded once per process. Raises ModelUnreadable
    when its stored payload cannot be loaded."""
    key = (model.pk, model.name, model.version, model.fitted_at)
    with _embedder_lock:
        found = _embedders.get(key)
        if found is None:
            if model.name == embedders.MINILM_NAME:
                found = embedders.MiniLmEmbedder()
            else:
                payload = SemanticModel.objects.values_list("payload", flat=True).get(pk=model.pk)
                try:
                    found = embedders.SvdEmbedder.from_payload(payload)
                except Exception as error:
                    log.exception(
                        "semantic: model %s v%s cannot be read", model.name, model.version
                    )
                    _unreadable.add((model.pk, model.fitted_at))
                    raise ModelUnreadable(f"{model.name} v{model.version}") from error
            _embedders.clear()  # an older version is not needed any more
            _embedders[key] = found
        return found


def readable(model: SemanticModel) -> bool:
    """Whether this process can load the model (loads it once if not yet loaded)."""
    try:
        embedder_for(model)
    except ModelUnreadable:
        return False
    return True


def encode(texts: Sequence[str], *, model: SemanticModel | ModelState | None = None) -> Any:
    """Vectors of free texts (queries, drafts) under the active model; None when there is
    no model yet."""
    state = model or _usable_state()
    if state is None:
        return None
    return embedder_for(state).encode(list(texts), query=True)


# The in-memory index -----------------------------------------------------------------


class _Codes:
    """Small string → int code tables for the filterable text columns."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {"": 0}

    def code(self, value: str | None) -> int:
        value = value or ""
        found = self.codes.get(value)
        if found is None:
            found = self.codes[value] = len(self.codes)
        return found

    def lookup(self, values: Iterable[str]) -> list[int]:
        return [self.codes[v] for v in values if v in self.codes]


class VectorIndex:
    """The active model's vectors and the columns the mask needs, sorted by document id."""

    COLUMNS = (
        "document_id",
        "vector",
        "document__visibility",
        "document__author_id",
        "document__group_id",
        "document__organization_id",
        "document__item_type",
        "document__kind",
        "document__stage",
        "document__created_at",
        "document__deleted_at",
    )

    def __init__(self, state: ModelState) -> None:
        self.state = state
        self.identity = state.identity
        self.dim = state.dim
        self.change_mark = 0
        self.vector_mark = 0
        self.types = _Codes()
        self.kinds = _Codes()
        self.stages = _Codes()
        self.lock = threading.Lock()
        self.ann: ann.AnnIndex | None = None
        self._allocate(0)

    # Storage ---------------------------------------------------------------------------

    def _allocate(self, capacity: int) -> None:
        self.size = 0
        self.ann = None
        self.ids = np.zeros(capacity, dtype=np.int64)
        # A large index is searched through the ANN structure and re-scored from the
        # matrix: float16 is enough there (the stored vectors are float16) and halves it.
        large = capacity >= ann.MIN_VECTORS
        self.matrix = np.zeros((capacity, self.dim), dtype=np.float16 if large else np.float32)
        self.visibility = np.zeros(capacity, dtype=np.int8)
        self.author = np.full(capacity, -1, dtype=np.int64)
        self.group = np.full(capacity, -1, dtype=np.int64)
        self.organization = np.full(capacity, -1, dtype=np.int64)
        self.item_type = np.zeros(capacity, dtype=np.int16)
        self.kind = np.zeros(capacity, dtype=np.int16)
        self.stage = np.zeros(capacity, dtype=np.int16)
        self.created = np.zeros(capacity, dtype=np.int64)  # seconds since the epoch
        self.alive = np.zeros(capacity, dtype=bool)

    _ARRAYS = (
        "ids",
        "matrix",
        "visibility",
        "author",
        "group",
        "organization",
        "item_type",
        "kind",
        "stage",
        "created",
        "alive",
    )

    def _grow(self, needed: int) -> None:
        capacity = len(self.ids)
        if needed <= capacity:
            return
        new = max(needed, int(capacity * 1.25) + 1024)
        for name in self._ARRAYS:
            old = getattr(self, name)
            shape = (new, *old.shape[1:])
            fill = -1 if name in ("author", "group", "organization") else 0
            grown = np.full(shape, fill, dtype=old.dtype)
            grown[: self.size] = old[: self.size]
            setattr(self, name, grown)

    def _write_rows(self, at: np.ndarray, rows: Sequence[Sequence[Any]]) -> None:
        """Write rows (in COLUMNS order) at these positions, a whole batch at once: one
        NumPy operation per column instead of one Python step per value."""
        if not rows:
            return
        dim = self.dim
        blobs = [bytes(r[1]) for r in rows]
        good = np.array([len(b) == dim * 2 for b in blobs], dtype=bool)
        vectors = np.zeros((len(rows), dim), dtype=np.float32)
        if good.any():
            joined = b"".join(b for b, ok in zip(blobs, good, strict=True) if ok)
            vectors[good] = np.frombuffer(joined, dtype=np.float16).reshape(-1, dim)
        self.matrix[at] = embedders.normalise(vectors)
        self.visibility[at] = [VISIBILITY_CODES.get(r[2], 0) for r in rows]
        self.author[at] = [-1 if r[3] is None else r[3] for r in rows]
        self.group[at] = [-1 if r[4] is None else r[4] for r in rows]
        self.organization[at] = [-1 if r[5] is None else r[5] for r in rows]
        self.item_type[at] = [self.types.code(r[6]) for r in rows]
        self.kind[at] = [self.kinds.code(r[7]) for r in rows]
        self.stage[at] = [self.stages.code(r[8]) for r in rows]
        self.created[at] = [int(r[9].timestamp()) if r[9] else 0 for r in rows]
        self.alive[at] = [r[10] is None for r in rows] & good

    def _rows(self, doc_ids: Sequence[int] | None = None) -> Iterable[Sequence[Any]]:
        qs = SearchVector.objects.filter(model_id=self.state.pk)
        if doc_ids is None:
            rows = qs.order_by("document_id").values_list(*self.COLUMNS)
            yield from rows.iterator(chunk_size=5000)
            return
        ids = sorted(set(doc_ids))
        for start in range(0, len(ids), 2000):
            chunk = ids[start : start + 2000]
            yield from qs.filter(document_id__in=chunk).values_list(*self.COLUMNS)

    def load(self, state: ModelState) -> None:
        total = SearchVector.objects.filter(model_id=state.pk).count()
        self._allocate(total)
        self.extend(self._rows())
        self.change_mark = state.change_mark
        self.vector_mark = state.vector_mark

    def extend(self, rows: Iterable[Sequence[Any]]) -> None:
        """Append rows (in COLUMNS order, ascending document ids) after the last one; the
        loader's path, also used by bench/vector_index_bench.py to fill an index without
        a database."""
        batch: list[Sequence[Any]] = []

        def flush() -> None:
            self._grow(self.size + len(batch))
            at = np.arange(self.size, self.size + len(batch))
            self.ids[at] = [r[0] for r in batch]
            self._write_rows(at, batch)
            self.size += len(batch)
            batch.clear()

        for row in rows:
            batch.append(row)
            if len(batch) >= 20_000:
                flush()
        flush()
        self._sync_ann()

    def _sync_ann(self) -> None:
        """Build the ANN structure once the index is large (at load, or when patches
        cross the threshold: a one-off cost of seconds, see docs/benchmarks.md)."""
        if self.ann is not None or self.size < ann.MIN_VECTORS:
            return
        if self.matrix.dtype != np.float16:
            self.matrix = self.matrix.astype(np.float16)
        self.ann = ann.AnnIndex.build(self.matrix[: self.size], self.ids[: self.size])

    def position(self, doc_id: int) -> int | None:
        at = int(np.searchsorted(self.ids[: self.size], doc_id))
        if at < self.size and self.ids[at] == doc_id:
            return at
        return None

    def patch(self, doc_ids: Sequence[int]) -> None:
        """Re-read these documents: new vectors, new metadata, deletions."""
        wanted = set(doc_ids)
        rows = {row[0]: row for row in self._rows(list(wanted))}
        fresh = []
        known: list[tuple[int, Sequence[Any]]] = []
        for doc_id, row in rows.items():
            at = self.position(doc_id)
            if at is None:
                fresh.append(doc_id)
            else:
                known.append((at, row))
        if known:
            places = np.array([at for at, _r in known])
            before = self.matrix[places].copy() if self.ann is not None else None
            self._write_rows(places, [r for _at, r in known])
            if self.ann is not None and before is not None:  # a changed vector moves cells
                moved = places[np.any(before != self.matrix[places], axis=1)]
                self.ann.remove(self.ids[moved])
                self.ann.add(self.matrix[moved], self.ids[moved])
        for doc_id in wanted - set(rows):  # no vector any more (removed, or refitted)
            gone = self.position(doc_id)
            if gone is not None:
                self.alive[gone] = False
        if not fresh:
            return
        fresh.sort()
        self._grow(self.size + len(fresh))
        unordered = self.size > 0 and fresh[0] < self.ids[self.size - 1]
        places = np.arange(self.size, self.size + len(fresh))
        self.ids[places] = fresh
        self._write_rows(places, [rows[doc_id] for doc_id in fresh])
        self.size += len(fresh)
        if self.ann is not None:
            self.ann.add(self.matrix[places], self.ids[places])
        if unordered:  # an id below the last one (a late commit; rare): sort again
            order = np.argsort(self.ids[: self.size], kind="stable")
            for name in self._ARRAYS:
                arr = getattr(self, name)
                arr[: self.size] = arr[: self.size][order]
        self._sync_ann()

    def refresh(self, state: ModelState) -> bool:
        """Bring the index up to date; False when so much changed that the caller must load
        a new index instead (never reloaded in place: searches run without the lock)."""
        if state.change_mark == self.change_mark and state.vector_mark == self.vector_mark:
            return True
        with self.lock:
            if state.change_mark == self.change_mark and state.vector_mark == self.vector_mark:
                return True
            recent = timezone.now() - timedelta(seconds=LATE_COMMIT_SECONDS)
            changed = set(
                SearchChange.objects.filter(id__gt=self.change_mark).values_list(
                    "document_id", flat=True
                )[: max(1000, int(self.size * FULL_RELOAD_SHARE)) + 1]
            )
            changed.update(
                SearchChange.objects.filter(created_at__gte=recent).values_list(
                    "document_id", flat=True
                )[:1000]
            )
            changed.update(
                SearchVector.objects.filter(model_id=state.pk, id__gt=self.vector_mark).values_list(
                    "document_id", flat=True
                )[: max(1000, int(self.size * FULL_RELOAD_SHARE)) + 1]
            )
            if len(changed) > max(1000, self.size * FULL_RELOAD_SHARE):
                return False
            self.patch(sorted(changed))
            self.change_mark = state.change_mark
            self.vector_mark = state.vector_mark
        return True

    # Search ----------------------------------------------------------------------------

    def mask(self, scope: Scope, filters: Filters) -> np.ndarray:
        n = self.size
        vis = self.visibility[:n]
        mask = self.alive[:n].copy()
        if scope.anonymous:
            mask &= vis == VISIBILITY_CODES["public"]
        else:
            seen = vis >= VISIBILITY_CODES["network"]
            if scope.person_id is not None:
                seen |= self.author[:n] == scope.person_id
            in_group = vis == VISIBILITY_CODES["group"]
            if not scope.steward:  # test the group of group items only (a sixth of them)
                at = np.flatnonzero(in_group)
                groups = np.fromiter(scope.group_ids, dtype=np.int64)
                in_group[at] = np.isin(self.group[at], groups)
            mask &= seen | in_group
        if filters.item_types:
            mask &= np.isin(self.item_type[:n], self.types.lookup(filters.item_types))
        if filters.kinds:
            mask &= np.isin(self.kind[:n], self.kinds.lookup(filters.kinds))
        if filters.stages:
            mask &= np.isin(self.stage[:n], self.stages.lookup(filters.stages))
        if filters.group_ids:
            mask &= np.isin(self.group[:n], list(filters.group_ids))
        if filters.organization_ids:
            mask &= np.isin(self.organization[:n], list(filters.organization_ids))
        if filters.author_ids:
            mask &= np.isin(self.author[:n], list(filters.author_ids))
        if filters.since:  # from the start of that day, local time (as the engines do)
            mask &= self.created[:n] >= _day_start(filters.since)
        if filters.until:  # up to the end of that day
            mask &= self.created[:n] < _day_start(filters.until + timedelta(days=1))
        if filters.exclude_ids:
            mask &= ~np.isin(self.ids[:n], list(filters.exclude_ids))
        return mask

    def search(
        self,
        vector: np.ndarray,
        scope: Scope,
        filters: Filters,
        *,
        limit: int,
        min_score: float | None = None,
    ) -> tuple[list[int], list[float]]:
        n = self.size
        if n == 0 or limit <= 0:
            return [], []
        query = embedders.normalise(np.asarray(vector, dtype=np.float32).reshape(-1))
        if query.shape[0] != self.dim or not np.any(query):
            return [], []
        rows = np.flatnonzero(self.mask(scope, filters))
        if rows.size == 0:
            return [], []
        approximate = self.ann  # read once: a patch may set it meanwhile
        if approximate is not None and rows.size > ann.EXACT_BELOW:
            rows = self._candidates(approximate, query, rows, limit)
            scores = self._scores(rows, query)
        elif rows.size < n // 4 or self.matrix.dtype != np.float32:
            scores = self._scores(rows, query)
        else:
            scores = (self.matrix[:n] @ query)[rows]
        if min_score is not None:
            keep = scores >= min_score
            rows, scores = rows[keep], scores[keep]
        if rows.size > limit:
            top = np.argpartition(-scores, limit - 1)[:limit]
            rows, scores = rows[top], scores[top]
        ids = self.ids[rows]
        order = np.lexsort((ids, -scores))  # best first; equal scores by lower id
        return [int(i) for i in ids[order]], [float(s) for s in scores[order]]

    def _scores(self, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
        """Exact cosines of these rows; a float16 matrix is widened a slice at a time."""
        if self.matrix.dtype == np.float32:
            return self.matrix[rows] @ query
        scores = np.empty(rows.size, dtype=np.float32)
        for start in range(0, rows.size, 16_384):
            part = rows[start : start + 16_384]
            scores[start : start + part.size] = self.matrix[part].astype(np.float32) @ query
        return scores

    def _candidates(
        self, approximate: ann.AnnIndex, query: np.ndarray, rows: np.ndarray, limit: int
    ) -> np.ndarray:
        """Rows the ANN structure finds closest among the masked `rows` (a few more than
        `limit`, so re-scoring exactly can reorder the ones its 8-bit codes misjudged)."""
        found, _approx = approximate.search(query, self.ids[rows], limit + ann.RESCORE_EXTRA)
        return np.searchsorted(self.ids[: self.size], found)

    def vector_of(self, doc_id: int) -> np.ndarray | None:
        at = self.position(doc_id)
        if at is None or not self.alive[at]:
            return None
        return self.matrix[at].astype(np.float32)


def _day_start(day: date) -> int:
    return int(timezone.make_aware(datetime.combine(day, time.min)).timestamp())


_index_lock = threading.Lock()
_index: VectorIndex | None = None


def current_index(state: ModelState | None = None) -> VectorIndex | None:
    """The process's index for the active model, loaded or brought up to date."""
    global _index
    state = state or _usable_state()
    if state is None:
        return None
    index = _index
    if index is None or index.identity != state.identity:
        with _index_lock:
            index = _index
            if index is None or index.identity != state.identity:
                index = VectorIndex(state)
                index.load(state)
                _index = index
                return index
    if index.refresh(state):
        return index
    with _index_lock:  # a full reload: build a new index and swap it in
        if _index is index:
            fresh = VectorIndex(state)
            fresh.load(state)
            _index = fresh
        return _index


def reset() -> None:
    """Forget the loaded index and embedders (tests; after a restore)."""
    global _index
    with _index_lock:
        _index = None
    with _embedder_lock:
        _embedders.clear()
        _unreadable.clear()


# Search ------------------------------------------------------------------------------


def semantic_search(
    text_or_vector: str | np.ndarray,
    scope: Scope,
    filters: Filters | None = None,
    limit: int = SEARCH_DEPTH,
    *,
    min_score: float | None = None,
    state: ModelState | None = None,
) -> Hits:
    """SearchDocument ids closest in meaning to a text (encoded with the active model) or
    to a vector of the active model, best first, within the scope and filters. Empty when
    no model is complete yet (the facade then stays lexical)."""
    state = state or _usable_state()
    if state is None:
        return Hits(doc_ids=[])
    index = current_index(state)
    if index is None:
        return Hits(doc_ids=[])
    if isinstance(text_or_vector, str):
        if not text_or_vector.strip():
            return Hits(doc_ids=[])
        vector = embedder_for(state).encode([text_or_vector], query=True)[0]
    else:
        vector = text_or_vector
    ids, scores = index.search(
        vector, scope, filters or Filters(), limit=limit, min_score=min_score
    )
    return Hits(doc_ids=ids, total=len(ids), scores=scores)


def document_vector(
    document: SearchDocument, *, state: ModelState | None = None
) -> np.ndarray | None:
    """A document's vector under the active model: the stored one when the index has it,
    else encoded from its current text (a document written a moment ago)."""
    state = state or _usable_state()
    if state is None:
        return None
    index = current_index(state)
    if index is not None:
        found = index.vector_of(document.pk)
        if found is not None:
            return found
    text = embedders.document_text(document.title, document.body)
    return embedder_for(state).encode([text], query=False)[0]


def text_vector(text: str, *, state: ModelState | None = None) -> np.ndarray | None:
    state = state or _usable_state()
    if state is None or not text.strip():
        return None
    return embedder_for(state).encode([text], query=True)[0]


def similarity_floor(state: ModelState | None = None) -> float:
    """The cosine under which two texts are not "similar" for duplicate suggestions:
    calibrated on the demo network (MiniLM is denser than LSA, so its floor is higher)."""
    state = state or _usable_state()
    if state is not None and state.name == embedders.MINILM_NAME:
        return 0.75
    return 0.6


# Fusion ------------------------------------------------------------------------------


def fuse(
    lists: Sequence[Sequence[int]], k: int = RRF_K, weights: Sequence[float] | None = None
) -> list[int]:
    """Reciprocal-rank fusion: score(d) = Σ w / (k + rank(d)), ranks from 1, a list that
    misses d adds nothing. Ties go to the better best rank, then to the lower id, so the
    order is the same on every run."""
    scores: dict[int, float] = {}
    best: dict[int, int] = {}
    for i, ranked in enumerate(lists):
        weight = 1.0 if weights is None else float(weights[i])
        seen: set[int] = set()
        rank = 0
        for doc_id in ranked:
            if doc_id in seen:
                continue  # a list names each document once; a repeat adds nothing
            seen.add(doc_id)
            rank += 1
            scores[doc_id] = scores.get(doc_id, 0.0) + weight / (k + rank)
            best[doc_id] = min(best.get(doc_id, rank), rank)
    return sorted(scores, key=lambda d: (-scores[d], best[d], d))


def fused_scores(
    lists: Sequence[Sequence[int]], k: int = RRF_K, weights: Sequence[float] | None = None
) -> dict[int, float]:
    scores: dict[int, float] = {}
    for i, ranked in enumerate(lists):
        weight = 1.0 if weights is None else float(weights[i])
        for rank, doc_id in enumerate(dict.fromkeys(ranked), start=1):
            scores[doc_id] = scores.get(doc_id, 0.0) + weight / (k + rank)
    return scores


# The lexical side --------------------------------------------------------------------


def lexical_engine() -> Any:
    """S1's lexical engine (Tantivy or the database's own full-text), or None while the
    search core is not installed: callers then use the semantic list alone."""
    try:
        from learnloop.search import searching
    except ImportError:
        searching = None  # type: ignore[assignment]
    if searching is not None and hasattr(searching, "lexical_engine"):
        return searching.lexical_engine()
    try:
        from learnloop.search.native import NativeEngine
    except ImportError:
        return None
    return NativeEngine()


def lexical_text_search(text: str, scope: Scope, filters: Filters, *, limit: int) -> list[int]:
    engine = lexical_engine()
    if engine is None or not text.strip():
        return []
    return list(engine.search_text(text, scope, filters, limit=limit).doc_ids)


def scope_key(scope: Scope) -> str:
    """What a cached answer for this scope depends on."""
    if scope.anonymous:
        return "anon"
    groups = ",".join(str(g) for g in sorted(scope.group_ids))
    return f"p{scope.person_id}:s{int(scope.steward)}:g{groups}"
