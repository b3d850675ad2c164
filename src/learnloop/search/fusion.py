"""How the search page combines the lexical and the semantic list into one ranking.

Kept apart from the engines so that the policy (which list weighs how much, which semantic
matches are too weak to count) is one small function, measured by `learnloop eval-search`.

The policy, chosen on `tests/search/beir_tiny` and checked on `tests/search/beir_heldout`
(`learnloop eval-search`):

* Reciprocal-rank fusion with k = 60 and equal weights. Ranks, not scores, because BM25
  scores and cosines have no common scale (and the scale of each moves with the corpus and
  the model); k = 60 because every k from 10 to 100 measured the same on our sets and 60 is
  the published default that beat BM25 and MiniLM alone on public BEIR sets.
* A semantic match under its model's "unrelated" cosine is not fused: it follows the fused
  list instead of being dropped. The nearest neighbours of a query always fill the list,
  related or not; without the floor an unrelated document that happens to be the nearest
  would tie with the best lexical match. Demoting instead of dropping keeps them for
  recall, at the bottom of the list. Measured neutral on both sets; it is a guard for large
  networks, where the semantic list is always full.
"""

from __future__ import annotations

from collections.abc import Sequence

from learnloop.search import embedders, semantic
from learnloop.search.engine import Hits

RRF_K = 60
# Cosines at or under which a match says nothing about the query: unrelated texts score
# about 0 under the SVD (LSA) model and up to about 0.2 under MiniLM, whose space is denser.
UNRELATED_COSINE = {embedders.SVD_NAME: 0.1, embedders.MINILM_NAME: 0.2}
# When the caller does not say which model answered: the lowest floor, which demotes least.
DEFAULT_UNRELATED_COSINE = min(UNRELATED_COSINE.values())
WEIGHTS = (1.0, 1.0)  # lexical, semantic


def unrelated_cosine(model_name: str) -> float:
    return UNRELATED_COSINE.get(model_name, DEFAULT_UNRELATED_COSINE)


def split_semantic(meaning: Hits, floor: float) -> tuple[list[int], list[int]]:
    """The semantic list's ids above the floor and those at or under it, each best first.
    Without scores (an older layer) every match counts."""
    if len(meaning.scores) != len(meaning.doc_ids):
        return list(meaning.doc_ids), []
    related: list[int] = []
    weak: list[int] = []
    for doc_id, score in zip(meaning.doc_ids, meaning.scores, strict=True):
        (related if score > floor else weak).append(doc_id)
    return related, weak


def fuse_for_search(lexical: Hits, meaning: Hits, *, model_name: str = "") -> list[int]:
    """Document ids, best first: reciprocal-rank fusion of the lexical list and the related
    semantic matches, then the semantic matches too weak to fuse (those the lexical list
    does not already hold), in their own order."""
    related, weak = split_semantic(meaning, unrelated_cosine(model_name))
    lists = [list(lexical.doc_ids), related]
    scores = semantic.fused_scores(lists, RRF_K, WEIGHTS)
    # Equal scores (the n-th of one list and the n-th of the other) go to the better best
    # rank, then to the lexical list: it holds the words the searcher typed.
    best: dict[int, tuple[int, int]] = {}
    for which, ranked in enumerate(lists):
        for rank, doc_id in enumerate(dict.fromkeys(ranked), start=1):
            best[doc_id] = min(best.get(doc_id, (rank, which)), (rank, which))
    fused = sorted(scores, key=lambda d: (-scores[d], best[d], d))
    return [int(i) for i in fused] + _unseen(weak, fused)


def _unseen(ids: Sequence[int], seen_ids: Sequence[int]) -> list[int]:
    seen = set(seen_ids)
    out: list[int] = []
    for doc_id in ids:
        if doc_id not in seen:
            seen.add(doc_id)
            out.append(int(doc_id))
    return out
