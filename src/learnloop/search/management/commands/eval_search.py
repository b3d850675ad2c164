"""`learnloop eval-search DIR`: search quality and speed on a BEIR-layout benchmark.

The data set is imported into a fresh, separate database, never the one LearnLoop is
configured with: the command runs itself again in a child process whose environment points
at a new temporary data directory (SQLite), or, with `--database-url
postgres://…/postgres`, at a throwaway PostgreSQL database `learnloop_eval_<hex>` created for
the run and dropped after it (unless `--keep`). The child migrates, imports one public
learning per document, indexes them through the production path and asks every judged test
query through the production search in each mode; the parent prints plain `name: value`
lines (or JSON with `--json`). Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.core.management.base import BaseCommand, CommandError

from learnloop.search import evaluation

# Variables that would point the child at LearnLoop's own database, cache or files.
_INHERITED_STATE = ("DATABASE_URL", "REDIS_URL", "LEARNLOOP_DATA_DIR", "LEARNLOOP_MEDIA_DIR")


def _modes(value: str) -> tuple[str, ...]:
    modes = tuple(m.strip() for m in value.split(",") if m.strip())
    unknown = [m for m in modes if m not in evaluation.MODES]
    if not modes or unknown:
        raise argparse.ArgumentTypeError(
            f"choose among {', '.join(evaluation.MODES)} (comma-separated)"
        )
    return modes


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError("a whole number of at least 1")
    return number


class Command(BaseCommand):
    help = (
        "Measure search quality (nDCG@10, Recall@100) and speed (median and p95 latency) "
        "per mode on a BEIR-layout benchmark, in a fresh, separate database."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", help="corpus.jsonl, queries.jsonl and qrels/test.tsv")
        parser.add_argument(
            "--modes",
            type=_modes,
            default=evaluation.MODES,
            help="ranking modes to measure (default: lexical,semantic,fused)",
        )
        parser.add_argument(
            "--max-queries", type=_positive, help="only the first N judged test queries"
        )
        parser.add_argument(
            "--database-url",
            help="a PostgreSQL server's maintenance database (postgres://…/postgres): a "
            "throwaway database is created there for the run. Default: a temporary SQLite "
            "database.",
        )
        parser.add_argument(
            "--keep",
            action="store_true",
            help="keep the temporary data directory (and PostgreSQL database) afterwards",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--no-reference", action="store_true", help="skip the reference BM25 (bm25s)"
        )
        parser.add_argument(
            "--engine",
            choices=("auto", "native", "tantivy"),
            help="the lexical engine (sets LEARNLOOP_SEARCH_ENGINE for the run)",
        )
        parser.add_argument(
            "--semantic-model",
            choices=("svd", "minilm"),
            help="the semantic model (sets LEARNLOOP_SEMANTIC_MODEL for the run)",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bars")
        # Internal: the child process, already pointed at the fresh database.
        parser.add_argument("--child-output", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            dataset = evaluation.load_beir(options["directory"], max_queries=options["max_queries"])
        except evaluation.DatasetError as error:
            raise CommandError(str(error)) from None
        if options["child_output"]:
            self._child(dataset, options)
            return
        for warning in dataset.warnings:
            self.stderr.write(f"warning: {warning}")
        child = self._run_child(options)
        report = {
            "dataset": dataset.name,
            "documents": len(dataset.corpus),
            "queries": len(dataset.queries),
            **child,
        }
        if not options["no_reference"]:
            report.update(self._reference(dataset))
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
        else:
            for name, value in report.items():
                self.stdout.write(f"{name}: {_format(name, value)}")

    # The parent ------------------------------------------------------------------------

    def _reference(self, dataset: evaluation.Dataset) -> dict[str, Any]:
        try:
            reference = evaluation.reference_bm25(dataset)
        except ImportError:
            self.stderr.write("reference BM25 skipped: bm25s is not installed")
            return {"reference_bm25": "unavailable (pip install bm25s PyStemmer)"}
        return {
            "reference_bm25_ndcg@10": reference.scores["ndcg@10"],
            "reference_bm25_recall@100": reference.scores["recall@100"],
            "reference_bm25_stemmer": reference.stemmer,
        }

    def _run_child(self, options: dict[str, Any]) -> dict[str, Any]:
        data_dir = Path(tempfile.mkdtemp(prefix="ll-eval-"))
        output = data_dir / "eval-result.json"
        env = {k: v for k, v in os.environ.items() if k not in _INHERITED_STATE}
        env["LEARNLOOP_DATA_DIR"] = str(data_dir)
        env["DJANGO_SETTINGS_MODULE"] = "learnloop.settings"
        if options["engine"]:
            env["LEARNLOOP_SEARCH_ENGINE"] = options["engine"]
        if options["semantic_model"]:
            env["LEARNLOOP_SEMANTIC_MODEL"] = options["semantic_model"]
        server, database = None, None
        command = [
            sys.executable,
            "-m",
            "learnloop.cli",
            "eval_search",
            str(Path(options["directory"]).resolve()),
            "--child-output",
            str(output),
            "--modes",
            ",".join(options["modes"]),
        ]
        if options["max_queries"]:
            command += ["--max-queries", str(options["max_queries"])]
        if options["quiet"]:
            command.append("--quiet")
        try:
            if options["database_url"]:
                server, database = _create_database(options["database_url"])
                env["DATABASE_URL"] = _with_database(options["database_url"], database)
            # Our own interpreter and command; the directory is an argument, never a shell.
            done = subprocess.run(command, env=env, cwd=str(data_dir), check=False)  # noqa: S603
            if done.returncode != 0 or not output.exists():
                raise CommandError(
                    f"the evaluation run failed (exit status {done.returncode}); "
                    "see the messages above"
                )
            result = dict(json.loads(output.read_text()))
            if database:
                result["throwaway_database"] = database
            return result
        finally:
            if options["keep"]:
                where = f"data directory {data_dir}"
                if database:
                    where += f", database {database}"
                self.stderr.write(f"kept: {where}")
            else:
                if server and database:
                    _drop_database(server, database)
                shutil.rmtree(data_dir, ignore_errors=True)

    # The child -------------------------------------------------------------------------

    def _child(self, dataset: evaluation.Dataset, options: dict[str, Any]) -> None:
        from django.core.management import call_command
        from django.db import connection

        from learnloop.generation.models import Learning

        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        if Learning.objects.exists():
            raise CommandError("not a fresh database: refusing to import a benchmark into it")
        migrate_seconds = time.perf_counter() - started
        result = evaluation.evaluate_in_database(
            dataset, modes=options["modes"], progress=not options["quiet"]
        )
        result = {
            "database": connection.vendor,
            "migrate_seconds": round(migrate_seconds, 1),
            **result,
        }
        Path(options["child_output"]).write_text(json.dumps(result))


def _format(name: str, value: Any) -> str:
    """Scores with four decimals (as BEIR tables print them), times with one."""
    if isinstance(value, float):
        return f"{value:.1f}" if name.endswith(("_ms", "_seconds")) else f"{value:.4f}"
    return str(value)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _create_database(url: str) -> tuple[str, str]:
    """CREATE DATABASE learnloop_eval_<hex> on the server `url` points at; return the
    maintenance URL and the new name. Refuses a name that exists (never reuses one)."""
    import psycopg

    if urlsplit(url).scheme not in {"postgres", "postgresql"}:
        raise CommandError("--database-url must be a postgres:// URL")
    name = f"learnloop_eval_{secrets.token_hex(6)}"
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if exists.fetchone():
                raise CommandError(f"database {name} already exists")
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        raise CommandError(f"cannot create a database on {url}: {error}") from None
    return url, name


def _drop_database(url: str, name: str) -> None:
    import psycopg

    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg.Error as error:
        sys.stderr.write(f"could not drop database {name}: {error}\n")
