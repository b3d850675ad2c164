"""The search page's fusion policy (`search.fusion.fuse_for_search`): reciprocal-rank fusion
of the lexical list and the related semantic matches; semantic matches under the model's
"unrelated" cosine follow the fused list instead of competing with real matches."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from learnloop.search import embedders, fusion
from learnloop.search.engine import Hits

SVD = embedders.SVD_NAME
MINILM = embedders.MINILM_NAME


def lexical(*ids: int) -> Hits:
    return Hits(doc_ids=list(ids), scores=[20.0 - i for i in range(len(ids))])


def meaning(*pairs: tuple[int, float]) -> Hits:
    return Hits(doc_ids=[d for d, _ in pairs], scores=[s for _, s in pairs])


def test_a_weak_semantic_match_cannot_outrank_a_lexical_one():
    # 9 is the nearest neighbour, but unrelated (cosine 0.05): it goes after every match.
    fused = fusion.fuse_for_search(lexical(5, 6), meaning((9, 0.05), (6, 0.4)), model_name=SVD)
    assert fused == [6, 5, 9]


def test_weak_matches_are_kept_after_the_fused_list_in_their_own_order():
    fused = fusion.fuse_for_search(
        lexical(1), meaning((2, 0.5), (3, 0.08), (4, 0.02), (1, 0.01)), model_name=SVD
    )
    # 1 and 2 tie (first in one list each): the lexical one leads; 1 is not repeated.
    assert fused == [1, 2, 3, 4]


def test_a_related_semantic_match_is_fused():
    # Found by both lists beats first in one; a related semantic-only match is in the
    # fused part, ahead of a lower lexical-only match.
    fused = fusion.fuse_for_search(lexical(1, 2, 3, 4), meaning((2, 0.6), (7, 0.5)), model_name=SVD)
    assert fused[0] == 2
    assert fused.index(7) < fused.index(4)


def test_equal_scores_go_to_the_lexical_match_whatever_the_ids():
    # Each is first in one list: the same RRF score; the lexical one leads.
    assert fusion.fuse_for_search(lexical(8), meaning((3, 0.9)), model_name=SVD) == [8, 3]
    assert fusion.fuse_for_search(lexical(3), meaning((8, 0.9)), model_name=SVD) == [3, 8]


def test_the_floor_depends_on_the_model():
    # 0.15 is related under the SVD model and unrelated under MiniLM (a denser space).
    hits = meaning((9, 0.15))
    assert fusion.fuse_for_search(lexical(1, 2), hits, model_name=SVD) == [1, 9, 2]
    assert fusion.fuse_for_search(lexical(1, 2), hits, model_name=MINILM) == [1, 2, 9]
    assert fusion.unrelated_cosine(MINILM) > fusion.unrelated_cosine(SVD)


def test_an_unknown_model_gets_the_lowest_floor():
    assert fusion.unrelated_cosine("") == fusion.unrelated_cosine("some-new-model")
    assert fusion.unrelated_cosine("") == min(fusion.UNRELATED_COSINE.values())


def test_a_semantic_list_without_scores_counts_entirely():
    fused = fusion.fuse_for_search(lexical(1), Hits(doc_ids=[9, 1]), model_name=MINILM)
    assert fused == [1, 9]


def test_empty_lists():
    assert fusion.fuse_for_search(Hits(doc_ids=[]), Hits(doc_ids=[])) == []
    assert fusion.fuse_for_search(lexical(4, 2), Hits(doc_ids=[])) == [4, 2]
    assert fusion.fuse_for_search(Hits(doc_ids=[]), meaning((3, 0.9), (4, 0.0))) == [3, 4]


@given(
    st.lists(st.integers(min_value=1, max_value=40), max_size=25, unique=True),
    st.lists(
        st.tuples(st.integers(min_value=1, max_value=40), st.floats(min_value=-1, max_value=1)),
        max_size=25,
        unique_by=lambda p: p[0],
    ),
    st.sampled_from([SVD, MINILM, ""]),
)
def test_the_union_once_each_lexical_order_kept_and_weak_ones_last(lex_ids, pairs, model):
    pairs.sort(key=lambda p: -p[1])
    fused = fusion.fuse_for_search(lexical(*lex_ids), meaning(*pairs), model_name=model)
    assert sorted(fused) == sorted(set(lex_ids) | {d for d, _ in pairs})
    # Fusion never reorders what one list says among its own documents found only there.
    only_lexical = [d for d in fused if d not in {p[0] for p in pairs}]
    assert only_lexical == [d for d in lex_ids if d in only_lexical]
    floor = fusion.unrelated_cosine(model)
    weak = [d for d, s in pairs if s <= floor and d not in lex_ids]
    assert fused[len(fused) - len(weak) :] == weak


def test_the_svd_model_keeps_a_word_used_once_in_a_small_network():
    # "FAFSA" is in one learning of 60: the model must still place a query for it near
    # that learning (a word the searcher types is often the rare one).
    texts = [
        f"Learning {i} about attendance, tutoring and families, week {i % 7}" for i in range(59)
    ]
    texts.append("FAFSA completion nights with seniors and their parents")
    model = embedders.SvdEmbedder.fit(texts)
    assert model is not None
    query = model.encode(["FAFSA"], query=True)[0]
    rows = model.encode(texts)
    assert int((rows @ query).argmax()) == len(texts) - 1
