"""Search at scale: index a seeded network and time queries through the production code.

    .venv/bin/python bench/search_run.py --data-dir bench/results/search-100k --learnings 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ll_search_bench \
        .venv/bin/python bench/search_run.py --data-dir bench/results/search-pg --learnings 100000

When the database is empty it is seeded first (`bench/search_seed.py`); otherwise it is
reused (`--reindex` indexes it again). Then, all in this process and through the same
functions the web pages and the API call:

1. indexing, timed: `search.services.reindex` (what `learnloop search reindex` runs: the
   search documents, then the lexical engines) and `learnloop search_embed --refit` (the
   SVD model and every vector);
2. short queries (1-4 words taken from stored titles, as people type them) in each mode
   (lexical, semantic, fused) for a member, a steward and an anonymous visitor, through
   `search.searching.search` with the page's default page size: median and p95;
3. a whole learning as the query: related items of a learning (the panel on its page) and
   duplicate suggestions for a draft (title and body of an existing learning, cut short, as
   while typing): median and p95;
4. write → searchable: a writer creates learnings through `generation.services.
   learning_create` at `--writes-per-second` while the reader polls the search for each
   one's unique word; the lag from commit to found: median, p95, max;
5. sizes (database, index directory) and the process's peak memory.

Results go to bench/results/search-run-<timestamp>.json and a table on stdout. The machine
is shared and small: the load average is recorded before and after each phase; compare
ratios (1M against 100k, one mode against another) rather than absolute figures across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.seed import BENCH_USERNAME, configure, migrate  # noqa: E402

MODES = ("lexical", "semantic", "fused")
TARGETS = {"short": (20.0, 100.0), "long": (150.0, 400.0)}  # median, p95 in ms
STEWARD = "bench-steward"
STOP = {"the", "of", "and", "to", "a", "in", "that", "it", "is", "was", "for", "on", "with"}


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f}/{five:.2f}"


def summary(seconds: list[float]) -> dict[str, float]:
    if not seconds:
        return {"n": 0}
    ms = sorted(s * 1000 for s in seconds)
    p95 = statistics.quantiles(ms, n=100, method="inclusive")[94] if len(ms) > 1 else ms[0]
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(p95, 2),
        "max_ms": round(ms[-1], 2),
        "mean_ms": round(statistics.fmean(ms), 2),
    }


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')} load {load()}] {message}", flush=True)


# Production entry points --------------------------------------------------------------


def search(viewer: Any, text: str, mode: str) -> Any:
    from learnloop.search import searching
    from learnloop.search.engine import Filters

    return searching.search(viewer=viewer, text=text, filters=Filters(), mode=mode)


def related(viewer: Any, learning: Any) -> list[Any]:
    from learnloop.search import related as related_module

    return list(related_module.related_items(viewer=viewer, item_type="learning", item=learning))


def similar(viewer: Any, title: str, body: str) -> list[Any]:
    from learnloop.search import related as related_module

    return list(related_module.similar_drafts(viewer=viewer, title=title, body=body))


# Phases -------------------------------------------------------------------------------


def index(report: dict[str, Any]) -> None:
    """What `learnloop search reindex` and `learnloop search_embed --refit` run, timed."""
    from learnloop.search.evaluation import index_all

    log("indexing: search documents, lexical engines, then the semantic model and vectors…")
    timings = index_all(progress=True)
    report["index"] = {k: round(v, 1) for k, v in timings.items()}
    report["index"]["load_after"] = load()
    log(f"indexed: {report['index']}")


def refit(report: dict[str, Any]) -> None:
    from django.core.management import call_command

    from learnloop.search.models import SemanticModel

    log("refitting the semantic model from scratch: search_embed --refit…")
    SemanticModel.objects.all().delete()  # and their vectors: time a first fit
    started = time.perf_counter()
    call_command("search_embed", "--refit", stdout=sys.stderr)
    report["index"] = {"semantic_seconds": round(time.perf_counter() - started, 1)}


def analyze() -> None:
    """Statistics for the query planner, as `learnloop serve` gathers them on SQLite after
    migrating and autovacuum does on a live PostgreSQL server."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def short_queries(rng: random.Random, count: int) -> list[str]:
    from learnloop.generation.models import Learning

    top = Learning.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    queries: list[str] = []
    while len(queries) < count:
        row = (
            Learning.objects.filter(pk__gte=rng.randint(1, top))
            .order_by("pk")
            .values("title")
            .first()
        )
        if row is None:
            continue
        words = [w.strip(".,").lower() for w in row["title"].split()]
        words = [w for w in words if w and w not in STOP]
        if words:
            k = min(len(words), rng.choice((1, 2, 2, 3, 3, 4)))
            queries.append(" ".join(rng.sample(words, k)))
    return queries


def time_short(
    report: dict[str, Any], viewers: dict[str, Any], queries: list[str], *, warm_up: int = 10
) -> None:
    results: dict[str, Any] = {}
    for who, viewer in viewers.items():
        for mode in MODES:
            for q in queries[:warm_up]:
                search(viewer, q, mode)  # warm-up: models, readers, caches
            seconds, totals, answered = [], [], set()
            for q in queries[warm_up:]:
                started = time.perf_counter()
                result = search(viewer, q, mode)
                seconds.append(time.perf_counter() - started)
                totals.append(getattr(result, "total", 0))
                answered.add(getattr(result, "mode", mode))
            row = summary(seconds)
            row["median_total"] = statistics.median(totals) if totals else 0
            row["answered_by"] = ",".join(sorted(answered))
            results[f"{who}/{mode}"] = row
            log(f"short {who}/{mode}: {row}")
    report["short"] = results
    report["short_load_after"] = load()


def time_long(
    report: dict[str, Any], member: Any, rng: random.Random, count: int, *, warm_up: int = 5
) -> None:
    from learnloop.generation.models import Learning

    ids = list(
        Learning.objects.filter(visibility__in=("network", "public"), deleted_at=None)
        .order_by("?")
        .values_list("pk", flat=True)[: count + 5]
    )
    learnings = list(Learning.objects.filter(pk__in=ids))
    rng.shuffle(learnings)
    out: dict[str, Any] = {}
    for name, call in (
        ("related", lambda item: related(member, item)),
        (
            "duplicates",
            lambda item: similar(
                member, item.title, " ".join(item.body.split()[: max(8, len(item.body) // 12)])
            ),
        ),
    ):
        for item in learnings[:warm_up]:
            call(item)
        seconds, found = [], []
        for item in learnings[warm_up:]:
            started = time.perf_counter()
            got = call(item)
            seconds.append(time.perf_counter() - started)
            found.append(len(got))
        row = summary(seconds)
        row["median_found"] = statistics.median(found) if found else 0
        out[name] = row
        log(f"long {name}: {row}")
    report["long"] = out
    report["long_load_after"] = load()


def time_lag(report: dict[str, Any], member: Any, seconds: float, per_second: float) -> None:
    """Write learnings at a steady rate in one thread; find each one by its unique word."""
    from django.db import connection

    from learnloop.generation.services import learning_create

    committed: dict[str, float] = {}
    lock = threading.Lock()
    errors: list[str] = []
    total = int(seconds * per_second)
    tokens = [f"zqlag{i:05d}x{random.randrange(10**6):06d}" for i in range(total)]

    def writer() -> None:
        try:
            start = time.perf_counter()
            for i, token in enumerate(tokens):
                pause = start + i / per_second - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                learning_create(
                    author=member,
                    title=f"Probe {token} for the write lag",
                    body=f"The word {token} appears only in this learning.",
                    visibility="network",
                )
                with lock:
                    committed[token] = time.perf_counter()
        except Exception as error:  # reported, not raised: the reader must stop too
            errors.append(repr(error))
        finally:
            connection.close()

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    found: dict[str, float] = {}
    deadline = time.perf_counter() + seconds + 30
    while len(found) < total and time.perf_counter() < deadline and not errors:
        with lock:
            waiting = [t for t in committed if t not in found]
        for token in waiting:
            result = search(member, token, "lexical")
            if getattr(result, "total", 0) or getattr(result, "results", None):
                found[token] = time.perf_counter() - committed[token]
        time.sleep(0.02)
    thread.join(timeout=5)
    row = summary(list(found.values()))
    row.update({"writes": len(committed), "found": len(found), "errors": errors[:3]})
    report["lag"] = row
    log(f"write → searchable: {row}")


def sizes(report: dict[str, Any], data_dir: Path) -> None:
    from django.db import connection

    if connection.vendor == "sqlite":
        db = sum(p.stat().st_size for p in data_dir.glob("learnloop.sqlite3*"))
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            db = cursor.fetchone()[0]
    index_bytes = (
        sum(p.stat().st_size for p in (data_dir / "search").rglob("*") if p.is_file())
        if (data_dir / "search").exists()
        else 0
    )
    report["sizes"] = {
        "database_mb": round(db / 2**20, 1),
        "index_dir_mb": round(index_bytes / 2**20, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def print_table(report: dict[str, Any]) -> None:
    print()
    print(f"{report['database']} · {report['counts']} · {report['machine']['date']}")
    if "index" in report:
        print(f"indexing: {report['index']}")
    short_goal, long_goal = TARGETS["short"], TARGETS["long"]
    print(f"{'query':<28}{'p50 ms':>9}{'p95 ms':>9}  goal")
    for name, row in report.get("short", {}).items():
        print(
            f"{'short ' + name:<28}{row.get('p50_ms', 0):>9}{row.get('p95_ms', 0):>9}"
            f"  {short_goal[0]:g}/{short_goal[1]:g}"
        )
    for name, row in report.get("long", {}).items():
        print(
            f"{name:<28}{row.get('p50_ms', 0):>9}{row.get('p95_ms', 0):>9}"
            f"  {long_goal[0]:g}/{long_goal[1]:g}"
        )
    if "lag" in report:
        lag = report["lag"]
        print(f"write → searchable: p50 {lag.get('p50_ms')} ms, max {lag.get('max_ms')} ms")
    print(f"sizes: {report.get('sizes')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--learnings", type=int, default=100_000, help="when seeding")
    parser.add_argument("--queries", type=int, default=200, help="short queries per series")
    parser.add_argument("--long", type=int, default=60, help="related / duplicate queries")
    parser.add_argument("--lag-seconds", type=float, default=20)
    parser.add_argument("--writes-per-second", type=float, default=10)
    parser.add_argument("--reindex", action="store_true", help="index even if indexed")
    parser.add_argument(
        "--refit",
        action="store_true",
        help="drop the semantic models and fit one again with its vectors (timed)",
    )
    parser.add_argument("--skip", default="", help="phases to skip: short,long,lag")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    data_dir = args.data_dir.resolve()
    migrate_seconds = migrate(data_dir)
    configure(data_dir)
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from bench.search_seed import SearchSeeder
    from learnloop.generation.models import Learning
    from learnloop.people.models import Person
    from learnloop.search.models import SearchDocument

    report: dict[str, Any] = {
        "machine": {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_at_start": load(),
        },
        "database": connection.vendor,
        "migrate_seconds": round(migrate_seconds, 1),
    }
    if not Person.objects.exists():
        log(f"seeding {args.learnings:,} learnings…")
        started = time.perf_counter()
        report["seed"] = SearchSeeder(learnings=args.learnings, seed=args.seed).run()
        report["seed_seconds"] = round(time.perf_counter() - started, 1)
    report["counts"] = f"{Learning.objects.count():,} learnings"
    if args.reindex or not SearchDocument.objects.exists():
        index(report)
    elif args.refit:
        refit(report)
    analyze()
    report["documents"] = SearchDocument.objects.count()

    rng = random.Random(args.seed)
    member = Person.objects.get(username=BENCH_USERNAME)
    viewers = {
        "member": member,
        "steward": Person.objects.get(username=STEWARD),
        "anonymous": AnonymousUser(),
    }
    skip = set(args.skip.split(","))
    if "short" not in skip:
        time_short(report, viewers, short_queries(rng, args.queries + 10))
    if "long" not in skip:
        time_long(report, member, rng, args.long)
    if "lag" not in skip:
        time_lag(report, member, args.lag_seconds, args.writes_per_second)
    sizes(report, data_dir)
    report["machine"]["load_at_end"] = load()
    out = ROOT / "bench" / "results" / f"search-run-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str))
    print_table(report)
    print(f"written to {out}")


if __name__ == "__main__":
    main()
