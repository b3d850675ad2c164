"""`learnloop eval-search DIR`: a fresh, separate database (SQLite in a temporary data
directory, or a throwaway PostgreSQL database), the production search path, plain
`name: value` lines, clear errors."""

from __future__ import annotations

import json
import math
import os
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from learnloop.generation.models import Learning
from learnloop.search import evaluation
from learnloop.search.management.commands import eval_search

pytestmark = pytest.mark.django_db

HERE = Path(__file__).parent
TINY = HERE / "beir_tiny"
MICRO = HERE / "beir_micro"
METRICS = ("ndcg@10", "recall@100", "latency_p50_ms", "latency_p95_ms")


def run(*args: str) -> str:
    out = StringIO()
    call_command("eval_search", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def lines(text: str) -> dict[str, str]:
    pairs = [line.split(": ", 1) for line in text.strip().splitlines()]
    assert all(len(p) == 2 for p in pairs), text
    return dict(pairs)  # type: ignore[arg-type]


def server_url() -> str:
    """The PostgreSQL server the suite uses (or the local one), maintenance database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return eval_search._with_database(url, "postgres")


def eval_databases(url: str) -> set[str]:
    psycopg = pytest.importorskip("psycopg")
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=3) as conn:
            rows = conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'learnloop_eval_%'"
            ).fetchall()
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL server reachable")
    return {r[0] for r in rows}


@pytest.fixture
def own_tmp(monkeypatch, tmp_path):
    """Temporary directories of this test only, to check that none is left behind."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


# Errors, before anything is created ------------------------------------------------------


def test_missing_directory_is_a_clear_error(own_tmp):
    with pytest.raises(CommandError, match="no such directory"):
        run(str(own_tmp / "nowhere"))
    assert list(own_tmp.iterdir()) == []


def test_malformed_file_names_the_line(tmp_path):
    (tmp_path / "qrels").mkdir()
    (tmp_path / "corpus.jsonl").write_text('{"_id": "a", "text": "x"}\n{oops\n')
    (tmp_path / "queries.jsonl").write_text('{"_id": "q", "text": "x"}\n')
    (tmp_path / "qrels" / "test.tsv").write_text("q\ta\t1\n")
    with pytest.raises(CommandError, match=r"corpus\.jsonl, line 2: not JSON"):
        run(str(tmp_path))


@pytest.mark.parametrize(
    "args", [("--modes", "lexical,magic"), ("--modes", ""), ("--max-queries", "0")]
)
def test_bad_options_are_refused(args):
    with pytest.raises(CommandError):
        run(str(MICRO), *args)


# The measurement itself, in this test's database -------------------------------------------


def test_values_on_the_micro_fixture_match_the_hand_computation(settings, tmp_path):
    settings.DATA_DIR = tmp_path  # the Tantivy index and vector files of this test
    report = evaluation.evaluate_in_database(evaluation.load_beir(MICRO), progress=False)
    # m1 "attendance calls" ranks d1 (both words) above d2 ("attendance"); judged d2=2,
    # d1=1: nDCG = (1/log2 2 + 2/log2 3) / (2/log2 2 + 1/log2 3) = 0.8597. m2 "books"
    # finds d3 only; judged d3=1, d1=1: nDCG = 1 / (1 + 1/log2 3) = 0.6131, recall 1/2.
    m1 = (1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3))
    m2 = 1 / (1 + 1 / math.log2(3))
    assert report["lexical_ndcg@10"] == pytest.approx((m1 + m2) / 2)
    assert report["lexical_ndcg@10"] == pytest.approx(0.7364, abs=1e-4)
    assert report["lexical_recall@100"] == pytest.approx(0.75)
    # Three documents are too few to learn a model of meaning from: the facade answers the
    # semantic and fused modes by words, and the report says so.
    assert report["semantic_model"] == "none"
    assert report["semantic_answered_by"] == "lexical"
    assert report["fused_ndcg@10"] == pytest.approx(report["lexical_ndcg@10"])
    assert report["lexical_latency_p95_ms"] >= report["lexical_latency_p50_ms"] > 0
    # One public learning per document, by the evaluation person.
    assert (
        Learning.objects.filter(
            visibility="public", author__username=evaluation.EVAL_USERNAME
        ).count()
        == 3
    )


# The command end to end: a child process on a fresh database --------------------------------


def test_command_on_the_tiny_benchmark_in_a_fresh_sqlite_database(own_tmp):
    out = run(str(TINY), "--quiet", "--semantic-model", "svd")
    report = lines(out)
    assert list(report)[:3] == ["dataset", "documents", "queries"]
    assert (report["dataset"], report["documents"], report["queries"]) == ("beir_tiny", "60", "20")
    assert report["database"] == "sqlite"
    for mode in evaluation.MODES:
        for metric in METRICS:
            value = float(report[f"{mode}_{metric}"])
            assert value >= 0
            assert value <= 1 or metric.startswith("latency")
    assert report["lexical_engine"] == "tantivy"
    assert report["semantic_model"].startswith("svd")
    # Lexical ranking at least as good as standard BM25 on the same data (a margin for the
    # small differences between engines: Tantivy's k1/b, stemmers, length norms).
    assert float(report["lexical_ndcg@10"]) >= float(report["reference_bm25_ndcg@10"]) - 0.02
    assert report["reference_bm25_stemmer"] == "porter"
    # Fusion helps: better than either list alone (measured 0.82 against 0.78 and 0.80).
    fused = float(report["fused_ndcg@10"])
    assert fused > float(report["lexical_ndcg@10"]) + 0.02
    assert fused > float(report["semantic_ndcg@10"])
    # Nothing was written to the database LearnLoop runs on, and nothing is left behind.
    assert not Learning.objects.exists()
    assert list(own_tmp.iterdir()) == []


def test_command_in_a_throwaway_postgresql_database(own_tmp):
    url = server_url()
    out = run(str(TINY), "--database-url", url, "--modes", "lexical", "--max-queries", "5")
    report = json.loads(out) if out.lstrip().startswith("{") else lines(out)
    assert report["database"] == "postgresql"
    assert str(report["queries"]) == "5"
    assert float(report["lexical_ndcg@10"]) > 0.5
    assert "semantic_ndcg@10" not in report
    # Dropped (compared by name: other runs may share the server).
    assert report["throwaway_database"].startswith("learnloop_eval_")
    assert report["throwaway_database"] not in eval_databases(url)
    assert list(own_tmp.iterdir()) == []


# The parent's bookkeeping, with a stand-in child ----------------------------------------------


@pytest.fixture
def fake_child(monkeypatch):
    """Record the child's command and environment; answer as a child would."""
    calls: list[dict] = []

    def fake_run(command, env, cwd, check):
        calls.append({"command": command, "env": env})
        output = Path(command[command.index("--child-output") + 1])
        output.write_text(json.dumps({"database": "sqlite", "lexical_ndcg@10": 0.5}))

        class Done:
            returncode = 0

        return Done()

    monkeypatch.setattr(eval_search.subprocess, "run", fake_run)
    return calls


def test_the_child_gets_a_clean_environment(fake_child, own_tmp, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://somewhere/production")
    monkeypatch.setenv("REDIS_URL", "redis://cache")
    out = run(str(MICRO), "--json", "--modes", "lexical", "--engine", "native")
    report = json.loads(out)
    assert report["dataset"] == "beir_micro"
    assert report["reference_bm25_ndcg@10"] == pytest.approx(0.7364, abs=1e-4)
    (call,) = fake_child
    env = call["env"]
    assert "DATABASE_URL" not in env
    assert "REDIS_URL" not in env
    assert env["LEARNLOOP_SEARCH_ENGINE"] == "native"
    assert Path(env["LEARNLOOP_DATA_DIR"]).parent == own_tmp
    assert call["command"][-2:] == ["--modes", "lexical"]
    assert list(own_tmp.iterdir()) == []  # removed afterwards


def test_keep_leaves_the_data_directory(fake_child, own_tmp):
    run(str(MICRO), "--keep", "--no-reference")
    (kept,) = own_tmp.iterdir()
    assert kept.name.startswith("ll-eval-")
    assert (kept / "eval-result.json").exists()


def test_a_failing_child_is_reported(monkeypatch, own_tmp):
    class Failed:
        returncode = 3

    monkeypatch.setattr(eval_search.subprocess, "run", lambda *a, **k: Failed())
    with pytest.raises(CommandError, match="exit status 3"):
        run(str(MICRO))
    assert list(own_tmp.iterdir()) == []


def test_postgres_database_is_created_for_the_run_and_dropped(monkeypatch, own_tmp):
    url = server_url()
    before = eval_databases(url)
    during: list[tuple[str, set[str]]] = []

    def fake_run(command, env, cwd, check):
        # While the child runs, its database exists and DATABASE_URL names it.
        during.append((env["DATABASE_URL"], eval_databases(url)))
        Path(command[command.index("--child-output") + 1]).write_text("{}")

        class Done:
            returncode = 0

        return Done()

    monkeypatch.setattr(eval_search.subprocess, "run", fake_run)
    run(str(MICRO), "--database-url", url, "--no-reference")
    ((child_url, existing),) = during
    name = child_url.rsplit("/", 1)[1]
    assert name.startswith("learnloop_eval_")
    assert name in existing and name not in before
    assert name not in eval_databases(url)  # dropped afterwards


def test_only_postgres_urls_are_accepted(own_tmp):
    with pytest.raises(CommandError, match="postgres://"):
        run(str(MICRO), "--database-url", "mysql://root@127.0.0.1/test")
    assert list(own_tmp.iterdir()) == []
