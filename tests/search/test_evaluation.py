"""The evaluation's parts that need no database: reading BEIR directories, the metrics (as
trec_eval computes them, values worked out by hand), latency percentiles, the reference
BM25."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from learnloop.search import evaluation
from learnloop.search.evaluation import DatasetError, load_beir

HERE = Path(__file__).parent
TINY = HERE / "beir_tiny"
MICRO = HERE / "beir_micro"


def write_beir(root: Path, corpus: str, queries: str, qrels: str) -> Path:
    (root / "qrels").mkdir(parents=True)
    (root / "corpus.jsonl").write_text(corpus)
    (root / "queries.jsonl").write_text(queries)
    (root / "qrels" / "test.tsv").write_text(qrels)
    return root


GOOD_CORPUS = '{"_id": "a", "title": "T", "text": "x"}\n{"_id": "b", "text": "y"}\n'
GOOD_QUERIES = '{"_id": "q", "text": "x"}\n'
GOOD_QRELS = "query-id\tcorpus-id\tscore\nq\ta\t1\n"


# Reading --------------------------------------------------------------------------------


def test_tiny_fixture_has_the_promised_shape():
    data = load_beir(TINY)
    assert (data.name, len(data.corpus), len(data.queries)) == ("beir_tiny", 60, 20)
    # Only judged queries are kept: q99 is in queries.jsonl but not in the qrels.
    assert "q99" not in data.queries
    assert data.qrels["q02"]["att-3"] == 2
    assert data.corpus["att-1"][0] == "Morning calls home cut chronic absence"
    assert data.warnings == []


def test_max_queries_keeps_the_first_judged_ones():
    data = load_beir(TINY, max_queries=3)
    assert list(data.queries) == ["q01", "q02", "q03"]
    assert set(data.qrels) == {"q01", "q02", "q03"}


def test_missing_directory(tmp_path):
    with pytest.raises(DatasetError, match="no such directory"):
        load_beir(tmp_path / "nope")


@pytest.mark.parametrize("missing", ["corpus.jsonl", "queries.jsonl", "qrels/test.tsv"])
def test_missing_file_is_named(tmp_path, missing):
    root = write_beir(tmp_path / "d", GOOD_CORPUS, GOOD_QUERIES, GOOD_QRELS)
    (root / missing).unlink()
    with pytest.raises(DatasetError, match=Path(missing).name.replace(".", r"\.")):
        load_beir(root)


@pytest.mark.parametrize(
    ("corpus", "queries", "qrels", "message"),
    [
        (
            '{"_id": "a", "text": "x"\n',
            GOOD_QUERIES,
            GOOD_QRELS,
            r"corpus\.jsonl, line 1: not JSON",
        ),
        ('["a", "x"]\n', GOOD_QUERIES, GOOD_QRELS, "line 1: expected a JSON object"),
        ('{"title": "x", "text": "y"}\n', GOOD_QUERIES, GOOD_QRELS, '"_id" is missing'),
        ('{"_id": "a"}\n', GOOD_QUERIES, GOOD_QRELS, '"text" is missing'),
        ('{"_id": "a", "text": 3}\n', GOOD_QUERIES, GOOD_QRELS, '"text" must be a string'),
        (GOOD_CORPUS + '{"_id": "a", "text": "z"}\n', GOOD_QUERIES, GOOD_QRELS, "line 3: the _id"),
        ("", GOOD_QUERIES, GOOD_QRELS, "no documents"),
        (GOOD_CORPUS, GOOD_QUERIES, "query-id\tcorpus-id\tscore\nq a 1\n", "line 2: expected 3"),
        (GOOD_CORPUS, GOOD_QUERIES, "q\ta\thigh\n", "the score 'high' is not a number"),
        (GOOD_CORPUS, GOOD_QUERIES, "query-id\tcorpus-id\tscore\n", "no judged query"),
        (GOOD_CORPUS, GOOD_QUERIES, "q\ta\t0\n", "no judged query"),
    ],
)
def test_malformed_files_get_a_clear_message(tmp_path, corpus, queries, qrels, message):
    root = write_beir(tmp_path / "d", corpus, queries, qrels)
    with pytest.raises(DatasetError, match=message):
        load_beir(root)


def test_qrels_without_header_and_unknown_ids_are_reported(tmp_path):
    qrels = "q\ta\t2\nq\tghost\t1\nlost\ta\t1\n"
    data = load_beir(write_beir(tmp_path / "d", GOOD_CORPUS, GOOD_QUERIES, qrels))
    assert data.qrels == {"q": {"a": 2, "ghost": 1}}
    assert any("not in queries.jsonl" in w for w in data.warnings)
    assert any("not in corpus.jsonl" in w for w in data.warnings)


def test_gzipped_files_are_read(tmp_path):
    import gzip

    root = write_beir(tmp_path / "d", GOOD_CORPUS, GOOD_QUERIES, GOOD_QRELS)
    with gzip.open(root / "corpus.jsonl.gz", "wt") as out:
        out.write('{"_id": "z", "text": "zipped"}\n')
    (root / "corpus.jsonl").unlink()
    assert load_beir(root).corpus == {"z": ("", "zipped")}


# Metrics --------------------------------------------------------------------------------


def test_ndcg_matches_trec_eval_by_hand():
    judged = {"d2": 2, "d1": 1}
    # Ranking d1, d2: DCG = 1/log2(2) + 2/log2(3); ideal d2, d1: 2/log2(2) + 1/log2(3).
    expected = (1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3))
    assert evaluation.ndcg_at(["d1", "d2"], judged) == pytest.approx(expected)
    assert expected == pytest.approx(0.859719, abs=1e-6)
    assert evaluation.ndcg_at(["d2", "d1"], judged) == pytest.approx(1.0)
    assert evaluation.ndcg_at([], judged) == 0.0


def test_ndcg_gain_is_the_grade_and_the_cut_is_ten():
    judged = {"r": 3}
    # At rank 10 the discount is log2(11); at rank 11 the document is past the cut.
    ten = [f"x{i}" for i in range(9)] + ["r"]
    assert evaluation.ndcg_at(ten, judged) == pytest.approx((3 / math.log2(11)) / 3)
    assert evaluation.ndcg_at(["x", *ten], judged) == 0.0


def test_ndcg_ignores_unjudged_and_non_positive_documents():
    judged = {"good": 1, "bad": 0, "worse": -1}
    assert evaluation.ndcg_at(["bad", "worse", "unjudged", "good"], judged) == pytest.approx(
        1 / math.log2(5)
    )


def test_recall_counts_only_the_top_k():
    judged = {"a": 1, "b": 2, "c": 0, "d": 1}
    assert evaluation.recall_at(["a", "c", "x"], judged) == pytest.approx(1 / 3)
    assert evaluation.recall_at(["x", "a", "b"], judged, k=2) == pytest.approx(1 / 3)
    assert evaluation.recall_at(["a", "b", "d"], judged) == 1.0


def test_score_run_averages_over_every_judged_query():
    qrels = {"q1": {"a": 1}, "q2": {"b": 1}}
    scores = evaluation.score_run({"q1": ["a"]}, qrels)  # q2 has no answer: it scores 0
    assert scores == {"ndcg@10": 0.5, "recall@100": 0.5}


def test_latency_percentiles():
    seconds = [i / 1000 for i in range(1, 101)]  # 1 … 100 ms
    p50, p95 = evaluation.latency_ms(seconds)
    assert p50 == pytest.approx(50.5)
    assert p95 == pytest.approx(95.05)
    assert evaluation.latency_ms([0.004]) == (4.0, 4.0)


def test_the_query_itself_is_not_counted_as_an_answer():
    assert evaluation.without_query_id(["q7", "a", "q7b"], "q7") == ["a", "q7b"]


def test_long_titles_move_to_the_body():
    title, body = evaluation.split_title("w" * 250, "text")
    assert (len(title), body) == (200, "w" * 50 + "\n\ntext")
    assert evaluation.split_title(" Short   title ", "t") == ("Short title", "t")


# The reference BM25 -----------------------------------------------------------------------


def test_reference_bm25_on_the_micro_fixture_by_hand():
    pytest.importorskip("bm25s")
    reference = evaluation.reference_bm25(load_beir(MICRO))
    # m1 "attendance calls": d1 has both words (calls/called stem to "call"), d2 only
    # "attendance", d3 neither; m2 "books": only d3.
    assert reference.run == {"m1": ["d1", "d2"], "m2": ["d3"]}
    ndcg_m1 = (1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3))
    ndcg_m2 = 1 / (1 + 1 / math.log2(3))
    assert reference.scores["ndcg@10"] == pytest.approx((ndcg_m1 + ndcg_m2) / 2)
    assert reference.scores["recall@100"] == pytest.approx((1 + 0.5) / 2)


def test_reference_bm25_uses_stemming_and_stop_words():
    pytest.importorskip("Stemmer")
    data = load_beir(TINY)
    reference = evaluation.reference_bm25(data)
    assert reference.stemmer == "porter"
    # "home visits" finds "Home visits at the start of the year" first; "the" alone is a
    # stop word and finds nothing.
    assert reference.run["q17"][0] == "fam-4"
    only_stop = evaluation.Dataset("x", data.corpus, {"q": "the of and"}, {"q": {"att-1": 1}})
    assert evaluation.reference_bm25(only_stop).run == {"q": []}
    assert 0.5 < reference.scores["ndcg@10"] < 1.0
