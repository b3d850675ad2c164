"""The semantic index's approximate path (faiss IVF, `search/ann.py`), exercised on a few
thousand vectors with the size threshold lowered: scope is respected exactly, patches
reach the ANN structure, answers agree with the exact scan."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest

from learnloop.search import ann, semantic
from learnloop.search.engine import Filters, Scope

DIM = 32
N = 3000
CREATED = datetime(2025, 3, 1, tzinfo=UTC)
MEMBER = Scope(anonymous=False, person_id=7, group_ids=frozenset({2}))
STEWARD = Scope(anonymous=False, steward=True, person_id=8)
ANONYMOUS = Scope(anonymous=True)


CENTRES = np.random.default_rng(1).standard_normal((40, DIM))


def _vectors(count: int, seed: int) -> np.ndarray:
    """Points near 40 fixed topic centres (documents and queries alike)."""
    rng = np.random.default_rng(seed)
    out = CENTRES[rng.integers(0, 40, size=count)] + 0.6 * rng.standard_normal((count, DIM))
    return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)


def _row(doc_id: int, vector: np.ndarray, visibility: str, author: int, group: int | None,
         deleted: datetime | None = None) -> tuple[Any, ...]:  # fmt: skip
    blob = np.asarray(vector, dtype=np.float16).tobytes()
    return (doc_id, blob, visibility, author, group, None, "learning", "", "", CREATED, deleted)


class Corpus:
    """Rows as the database would give them, by document id (ids 10, 13, 16, … with gaps)."""

    def __init__(self) -> None:
        rng = np.random.default_rng(3)
        vectors = _vectors(N, 4)
        kinds = rng.choice(
            ["network", "group", "public", "draft"], size=N, p=[0.6, 0.2, 0.15, 0.05]
        )
        self.rows: dict[int, tuple[Any, ...]] = {}
        for i in range(N):
            vis = str(kinds[i])
            group = int(rng.integers(1, 6)) if vis == "group" else None
            self.rows[10 + 3 * i] = _row(
                10 + 3 * i, vectors[i], vis, int(rng.integers(1, 50)), group
            )

    def index(self) -> semantic.VectorIndex:
        index = semantic.VectorIndex(semantic.ModelState(1, "svd", 1, DIM, None, 0, 0))
        index._allocate(len(self.rows))
        index.extend(self.rows[d] for d in sorted(self.rows))
        index._rows = self._read  # type: ignore[method-assign]  # patch reads from here
        return index

    def _read(self, doc_ids: Sequence[int] | None = None) -> Iterable[Sequence[Any]]:
        wanted = sorted(self.rows) if doc_ids is None else sorted(set(doc_ids) & set(self.rows))
        return [self.rows[d] for d in wanted]

    def visible(self, scope: Scope) -> set[int]:
        """Who may see what, written out from the rows (not from the index's mask)."""
        out = set()
        for doc_id, (_d, _b, vis, author, group, *_rest, deleted) in self.rows.items():
            if deleted is not None:
                continue
            if scope.anonymous:
                ok = vis == "public"
            else:
                ok = vis in ("network", "public") or author == scope.person_id
                ok = ok or (vis == "group" and (scope.steward or group in scope.group_ids))
            if ok:
                out.add(doc_id)
        return out


@pytest.fixture
def corpus() -> Corpus:
    return Corpus()


@pytest.fixture
def approximate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ann, "MIN_VECTORS", 1000)
    monkeypatch.setattr(ann, "NPROBE", 8)
    monkeypatch.setattr(ann, "EXACT_BELOW", 50)


def _exact(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> semantic.VectorIndex:
    with monkeypatch.context() as m:
        m.setattr(ann, "MIN_VECTORS", 10**9)
        return corpus.index()


def test_small_index_stays_exact_float32(corpus: Corpus) -> None:
    index = corpus.index()
    assert index.ann is None
    assert index.matrix.dtype == np.float32


@pytest.mark.usefixtures("approximate")
def test_large_index_answers_through_ann_within_scope(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = corpus.index()
    assert index.ann is not None and len(index.ann) == N
    assert index.matrix.dtype == np.float16
    searched: list[int] = []
    real = index.ann.search
    monkeypatch.setattr(index.ann, "search", lambda *a, **k: searched.append(1) or real(*a, **k))
    for scope in (MEMBER, STEWARD, ANONYMOUS):
        visible = corpus.visible(scope)
        for query in _vectors(10, 9):
            ids, scores = index.search(query, scope, Filters(), limit=60)
            assert len(ids) == 60
            assert set(ids) <= visible
            assert scores == sorted(scores, reverse=True)
    assert len(searched) == 30  # every one of those went through faiss


@pytest.mark.usefixtures("approximate")
def test_recall_against_exact_and_exact_scores(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    exact = _exact(corpus, monkeypatch)
    index = corpus.index()
    shares = []
    for query in _vectors(20, 11):
        want, want_scores = exact.search(query, MEMBER, Filters(), limit=100)
        got, got_scores = index.search(query, MEMBER, Filters(), limit=100)
        shares.append(len(set(want) & set(got)) / len(want))
        truth = dict(zip(want, want_scores, strict=True))
        for doc_id, score in zip(got, got_scores, strict=True):  # re-scored, not 8-bit codes
            if doc_id in truth:
                assert score == pytest.approx(truth[doc_id], abs=2e-3)
    assert np.mean(shares) >= 0.95


@pytest.mark.usefixtures("approximate")
def test_min_score_filters_and_narrow_masks_are_exact(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    exact = _exact(corpus, monkeypatch)
    index = corpus.index()
    query = _vectors(1, 12)[0]
    ids, scores = index.search(query, MEMBER, Filters(), limit=500, min_score=0.5)
    assert ids and min(scores) >= 0.5
    want, _ = exact.search(query, MEMBER, Filters(), limit=500, min_score=0.5)
    assert len(set(ids) & set(want)) >= 0.95 * len(want)
    one_author = Filters(author_ids=(3,))  # a few dozen rows: scored straight from the matrix
    narrow, _ = index.search(query, MEMBER, one_author, limit=20)
    assert narrow == exact.search(query, MEMBER, one_author, limit=20)[0]


@pytest.mark.usefixtures("approximate")
def test_patch_adds_moves_and_hides(corpus: Corpus) -> None:
    index = corpus.index()
    target = _vectors(1, 13)[0]
    # A new document right on the query, and one whose vector moves onto it.
    corpus.rows[99_001] = _row(99_001, target, "network", 4, None)
    moved = 10 + 3 * 5
    corpus.rows[moved] = _row(moved, target, "public", 4, None)
    index.patch([99_001, moved])
    assert len(index.ann) == N + 1  # the moved one replaced, not duplicated
    ids, scores = index.search(target, MEMBER, Filters(), limit=5)
    assert ids[:2] == [moved, 99_001]  # equal scores: lower id first
    assert scores[0] == pytest.approx(1.0, abs=2e-3)
    assert index.vector_of(moved) == pytest.approx(target, abs=2e-3)
    # Deleted, and made a draft of someone else: gone from the answers.
    corpus.rows[99_001] = _row(99_001, target, "network", 4, None, deleted=CREATED)
    corpus.rows[moved] = _row(moved, target, "draft", 4, None)
    index.patch([99_001, moved])
    ids, _ = index.search(target, MEMBER, Filters(), limit=5)
    assert 99_001 not in ids and moved not in ids
    # A vector removed altogether (a refit dropped it): hidden too.
    first = ids[0]
    del corpus.rows[first]
    index.patch([first])
    assert first not in index.search(target, MEMBER, Filters(), limit=5)[0]


def test_patch_past_the_threshold_builds_the_ann(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ann, "MIN_VECTORS", N + 10)
    index = corpus.index()
    assert index.ann is None
    extra = _vectors(20, 14)
    for i, vector in enumerate(extra):
        corpus.rows[50_000 + i] = _row(50_000 + i, vector, "network", 1, None)
    index.patch(list(range(50_000, 50_020)))
    assert index.ann is not None and len(index.ann) == N + 20
    assert index.search(extra[7], MEMBER, Filters(), limit=1)[0] == [50_007]
