"""Reciprocal-rank fusion: score(d) = sum of w / (k + rank), ranks from 1; a list that misses
a document adds nothing; ties go to the better best rank, then to the lower id."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from learnloop.search.semantic import fuse, fused_scores


def test_one_list_keeps_its_order():
    assert fuse([[7, 3, 9]]) == [7, 3, 9]


def test_scores_follow_the_formula():
    scores = fused_scores([[1, 2, 3], [3, 1]], k=60)
    assert scores[1] == 1 / 61 + 1 / 62
    assert scores[2] == 1 / 62
    assert scores[3] == 1 / 63 + 1 / 61
    # 1 (1/61 + 1/62) leads 3 (1/63 + 1/61), then 2.
    assert fuse([[1, 2, 3], [3, 1]]) == [1, 3, 2]


def test_found_by_both_beats_first_in_one():
    assert fuse([[1, 2], [2, 3]]) == [2, 1, 3]


def test_equal_scores_go_to_the_better_best_rank_then_the_lower_id():
    # Exact ties: each document is first (or second) in one list only.
    assert fuse([[9], [4]]) == [4, 9]
    assert fuse([[9, 1], [4, 2]]) == [4, 9, 1, 2]


def test_a_repeat_in_one_list_adds_nothing():
    assert fused_scores([[1, 1, 2]]) == fused_scores([[1, 2]])
    assert fuse([[1, 1, 2], [2]]) == [2, 1]


def test_weights_and_k():
    assert fuse([[1], [2]], weights=[1.0, 2.0]) == [2, 1]
    assert fused_scores([[1]], k=10)[1] == 1 / 11


def test_empty_lists():
    assert fuse([]) == []
    assert fuse([[], []]) == []
    assert fuse([[], [5]]) == [5]


@given(
    st.lists(st.lists(st.integers(min_value=1, max_value=50), max_size=30), max_size=4),
)
def test_fusion_is_a_deterministic_ordering_of_the_union(lists):
    fused = fuse(lists)
    assert sorted(fused) == sorted({d for ranked in lists for d in ranked})
    assert fuse([list(ranked) for ranked in lists]) == fused
    scores = fused_scores(lists)
    assert [scores[d] for d in fused] == sorted((scores[d] for d in fused), reverse=True)
