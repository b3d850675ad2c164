"""LearnLoop's benchmark: seed a network at scale, serve it with gunicorn, time key pages.

    .venv/bin/python bench/run.py [--learnings 100000] [--seconds 20] [--concurrency 8]
                                  [--workers 3] [--rounds 4] [--reuse DIR] [--no-demo]

Targets, all measured in the same run against the same server and database:

  bare   /bench/bare: a bare Django view listing 20 rows of one table with a plain
         template (bench/bare_urls.py), the floor every other page is compared with
  feed   /: the home page of a signed-in member, the network's activity feed
  idea   /ideas/<pk>/: the idea with the most evidence links
  api    /api/v1/learnings?kind=test_result&group=<id>: a filtered API list

Each target gets `--seconds` of load in total, split into `--rounds` slices that are
interleaved (the order rotates each round) so that a noisy machine affects every target
alike; throughput is reported as a ratio to the bare view within the same round. The load
client is Python threads, one http.client connection each, to 127.0.0.1 only. Query counts
come from Django's test client in this process against the same database. The time to load
the demo network (`learnloop demo`) into a fresh data directory is measured at the end.
Results go to bench/results/run-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import importlib.util
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
TARGET_RATIO = 0.7
TARGETS = ("bare", "feed", "idea", "api")


def log(message: str) -> None:
    print(message, flush=True)


# The database ----------------------------------------------------------------------------


def child_env(data_dir: Path, settings: str = "learnloop.settings") -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {
        **os.environ,
        "LEARNLOOP_DATA_DIR": str(data_dir.resolve()),
        "DJANGO_SETTINGS_MODULE": settings,
        "PYTHONPATH": path,
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
    }


def learnloop(data_dir: Path, *args: str, quiet: bool = True, sqlite: bool = False) -> str:
    env = child_env(data_dir)
    if sqlite:  # a throwaway database in the data directory, whatever DATABASE_URL says
        env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "learnloop.cli", *args],
        env=env,
        check=True,
        capture_output=quiet,
        text=True,
    )
    return result.stdout or ""


def prepare(args: argparse.Namespace, stamp: str) -> tuple[Path, dict[str, Any]]:
    """Seed a fresh data directory (or reuse one), then migrate and collect static files."""
    if args.reuse:
        data_dir = args.reuse.resolve()
        summary_file = data_dir / "seed.json"
        seed_summary = json.loads(summary_file.read_text()) if summary_file.exists() else {}
        log(f"Reusing {data_dir}")
        learnloop(data_dir, "migrate", "--noinput", "-v", "0")
        learnloop(data_dir, "createcachetable", "-v", "0")
    else:
        data_dir = (RESULTS / f"data-{stamp}").resolve()
        log(f"Seeding {args.learnings:,} learnings into {data_dir}")
        subprocess.run(
            [
                sys.executable,
                str(HERE / "seed.py"),
                "--data-dir",
                str(data_dir),
                "--learnings",
                str(args.learnings),
                "--json",
                str(data_dir / "seed.json"),
            ],
            env=child_env(data_dir),
            check=True,
        )
        seed_summary = json.loads((data_dir / "seed.json").read_text())
    learnloop(data_dir, "collectstatic", "--noinput", "-v", "0")
    return data_dir, seed_summary


# In process: the session, the targets, query counts --------------------------------------


def setup_django(data_dir: Path) -> None:
    os.environ.update(
        {k: v for k, v in child_env(data_dir, "bench.settings").items() if k != "PYTHONPATH"}
    )
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def choose_targets() -> tuple[Any, dict[str, str]]:
    """The member to sign in as and the URL of each target."""
    from django.db.models import Count, Q

    from bench.seed import BENCH_USERNAME
    from learnloop.consolidation.models import Idea
    from learnloop.people.models import Person

    member = Person.objects.get(username=BENCH_USERNAME)
    group_id = (
        member.memberships.annotate(
            n=Count(
                "group__generation_learning_items",
                filter=Q(group__generation_learning_items__kind="test_result"),
            )
        )
        .order_by("-n")
        .values_list("group_id", flat=True)
        .first()
    )
    idea = (
        Idea.objects.filter(visibility="network", deleted_at__isnull=True)
        .annotate(n=Count("evidence"))
        .order_by("-n", "id")
        .first()
    )
    if idea is None or group_id is None:
        raise SystemExit("the database has no network idea or the member has no group")
    urls = {
        "bare": "/bench/bare",
        "feed": "/",
        "idea": f"/ideas/{idea.pk}/",
        "api": f"/api/v1/learnings?kind=test_result&group={group_id}&limit=20",
    }
    return member, urls


def signed_in_client(member: Any) -> Any:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(member)
    return client


def profile_pages(client: Any, urls: dict[str, str], repeat: int = 5) -> dict[str, Any]:
    """Per page: status, bytes, queries, SQL time and the rest, and the slowest queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out: dict[str, Any] = {}
    for name, url in urls.items():
        try:
            client.get(url)  # warm the templates and caches
        except Exception as exc:  # a page another helper is still writing
            out[name] = {"url": url, "status": f"error: {exc.__class__.__name__}: {exc}"[:300]}
            continue
        runs = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                total = time.perf_counter() - started
            sql = sum(float(q["time"]) for q in ctx.captured_queries)
            runs.append((total, sql, list(ctx.captured_queries), response))
        runs.sort(key=lambda r: r[0])
        total, sql, queries, response = runs[len(runs) // 2]
        slow = sorted(queries, key=lambda q: float(q["time"]), reverse=True)[:3]
        out[name] = {
            "url": url,
            "status": response.status_code,
            "bytes": len(response.content),
            "queries": len(queries),
            "in_process_ms": round(total * 1000, 2),
            "sql_ms": round(sql * 1000, 2),
            "python_and_template_ms": round((total - sql) * 1000, 2),
            "slowest_queries": [
                {"ms": round(float(q["time"]) * 1000, 2), "sql": q["sql"][:1500]} for q in slow
            ],
            "slowest_plan": explain(slow[0]["sql"]) if slow else [],
        }
    connection.close()
    return out


def explain(sql: str) -> list[str]:
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    try:
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            return [" ".join(str(c) for c in row) for row in cursor.fetchall()]
    except Exception as exc:  # the logged SQL is not always re-runnable as is
        return [f"(no plan: {exc.__class__.__name__})"]


# The server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def gunicorn(data_dir: Path, workers: int) -> Iterator[int]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "learnloop.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=child_env(data_dir, "bench.settings"),
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit("gunicorn exited before it answered")
            with contextlib.suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    break
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer /healthz within 60 s")
            time.sleep(0.3)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# The load client -------------------------------------------------------------------------


def load(port: int, path: str, cookie: str, seconds: float, concurrency: int) -> dict[str, Any]:
    """`concurrency` threads, each one connection, GET `path` until the time is up."""
    deadline = time.perf_counter() + seconds
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    kinds: list[dict[str, int]] = [{} for _ in range(concurrency)]
    headers = {"Cookie": cookie, "Accept": "text/html,application/json"}

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                errors[i] += 1
                kind = exc.__class__.__name__
                kinds[i][kind] = kinds[i].get(kind, 0) + 1
                time.sleep(0.01)  # a server that refuses is not to be hammered
                continue
            if response.status == 200:
                latencies[i].append(time.perf_counter() - started)
            else:
                errors[i] += 1
                kinds[i][str(response.status)] = kinds[i].get(str(response.status), 0) + 1
            if response.will_close:  # gunicorn's sync workers close after each response
                conn.close()
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    elapsed = time.perf_counter() - started
    flat = [x for row in latencies for x in row]
    error_kinds: dict[str, int] = {}
    for row in kinds:
        for kind, n in row.items():
            error_kinds[kind] = error_kinds.get(kind, 0) + n
    return {
        "requests": len(flat),
        "errors": sum(errors),
        "error_kinds": error_kinds,
        "seconds": elapsed,
        "latencies": flat,
    }


def merge_counts(rows: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in rows:
        for key, n in row.items():
            out[key] = out.get(key, 0) + n
    return out


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def measure(
    port: int, urls: dict[str, str], cookie: str, args: argparse.Namespace
) -> dict[str, Any]:
    names = list(urls)
    slice_seconds = args.seconds / args.rounds
    for name in names:  # warm every worker: templates, connections, caches
        load(port, urls[name], cookie, args.warmup, args.concurrency)
    rounds: list[dict[str, Any]] = []
    for r in range(args.rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        got = {}
        for name in order:
            got[name] = load(port, urls[name], cookie, slice_seconds, args.concurrency)
            rps = got[name]["requests"] / got[name]["seconds"]
            log(f"  round {r + 1}/{args.rounds} {name:<5} {rps:8.1f} req/s")
        rounds.append(got)
    results: dict[str, Any] = {}
    for name in names:
        lat = [x for got in rounds for x in got[name]["latencies"]]
        requests = sum(got[name]["requests"] for got in rounds)
        seconds = sum(got[name]["seconds"] for got in rounds)
        per_round = [got[name]["requests"] / got[name]["seconds"] for got in rounds]
        ratios = [  # rounds in which the bare view failed altogether say nothing
            (got[name]["requests"] / got[name]["seconds"])
            / (got["bare"]["requests"] / got["bare"]["seconds"])
            for got in rounds
            if got["bare"]["requests"]
        ] or [float("nan")]
        results[name] = {
            "url": urls[name],
            "requests": requests,
            "errors": sum(got[name]["errors"] for got in rounds),
            "error_kinds": merge_counts(got[name]["error_kinds"] for got in rounds),
            "rps": round(requests / seconds, 1),
            "rps_per_round": [round(x, 1) for x in per_round],
            "ratio_to_bare": round(statistics.median(ratios), 3),
            "ratio_per_round": [round(x, 3) for x in ratios],
            "p50_ms": round(percentile(lat, 50) * 1000, 1),
            "p95_ms": round(percentile(lat, 95) * 1000, 1),
            "p99_ms": round(percentile(lat, 99) * 1000, 1),
        }
    return results


# The demo network ------------------------------------------------------------------------


DEMO_TIMER = """
import time, django
django.setup()
from learnloop.demo.builder import build_demo
started = time.perf_counter()
build_demo(progress=lambda _m: None)
print(f"build_demo {time.perf_counter() - started:.3f}")
"""


def time_demo(stamp: str) -> dict[str, Any]:
    if importlib.util.find_spec("learnloop.demo") is None or (
        importlib.util.find_spec("learnloop.demo.builder") is None
    ):
        return {"skipped": "learnloop.demo.builder is not there yet"}
    data_dir = RESULTS / f"demo-{stamp}"
    started = time.perf_counter()
    learnloop(data_dir, "migrate", "--noinput", "-v", "0", sqlite=True)
    learnloop(data_dir, "createcachetable", "-v", "0", sqlite=True)
    migrate_seconds = time.perf_counter() - started
    started = time.perf_counter()
    learnloop(data_dir, "demo", "--quiet", sqlite=True)
    wall = time.perf_counter() - started
    # The build alone, without starting Python and Django: once more, into another
    # fresh directory, timed around build_demo() in that process.
    again = RESULTS / f"demo-{stamp}-build"
    learnloop(again, "migrate", "--noinput", "-v", "0", sqlite=True)
    env = child_env(again)
    env.pop("DATABASE_URL", None)
    output = subprocess.run(
        [sys.executable, "-c", DEMO_TIMER],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = re.search(r"build_demo ([0-9.]+)", output)
    return {
        "data_dir": str(data_dir),
        "database": "sqlite",
        "migrate_seconds": round(migrate_seconds, 2),
        "demo_command_seconds": round(wall, 2),
        "demo_build_seconds": float(found.group(1)) if found else None,
    }


# Reporting -------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    import django

    mem = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    from django.db import connection

    return {
        "nproc": os.cpu_count(),
        "memory": mem,
        "cpu": cpu,
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": connection.vendor,
        "database_version": ".".join(map(str, connection.Database.sqlite_version_info))
        if connection.vendor == "sqlite"
        else str(connection.pg_version if hasattr(connection, "pg_version") else ""),
        "platform": platform.platform(),
    }


def table(load_results: dict[str, Any], pages: dict[str, Any]) -> str:
    lines = [
        f"{'target':<6} {'req/s':>8} {'ratio':>6} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'queries':>7} {'sql ms':>7} {'py ms':>7} {'errors':>6}  url",
    ]
    for name, r in load_results.items():
        page = pages[name]
        flag = "" if name == "bare" or r["ratio_to_bare"] >= TARGET_RATIO else " !"
        lines.append(
            f"{name:<6} {r['rps']:>8.1f} {r['ratio_to_bare']:>6.2f} {r['p50_ms']:>8.1f} "
            f"{r['p95_ms']:>8.1f} {page['queries']:>7} {page['sql_ms']:>7.1f} "
            f"{page['python_and_template_ms']:>7.1f} {r['errors']:>6}  {r['url']}{flag}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learnings", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=20, help="load per target, in total")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (2-4)")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds per target")
    parser.add_argument("--reuse", type=Path, help="a data directory seeded before")
    parser.add_argument("--no-demo", action="store_true", help="skip timing `learnloop demo`")
    args = parser.parse_args()
    if not 1 <= args.concurrency <= 64:
        parser.error("--concurrency must be between 1 and 64")

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS.mkdir(parents=True, exist_ok=True)
    data_dir, seed_summary = prepare(args, stamp)
    setup_django(data_dir)
    from django.conf import settings as django_settings

    # In process, profile the work each page does; gunicorn runs with the page cache as
    # configured (LEARNLOOP_PAGE_CACHE_SECONDS, 60 by default; 0 measures every page cold).
    django_settings.PAGE_CACHE_SECONDS = 0
    from learnloop.core.management.commands.serve import optimize_database

    optimize_database()  # what `learnloop serve` does at start: ANALYZE on SQLite
    page_cache = os.environ.get("LEARNLOOP_PAGE_CACHE_SECONDS", "60")
    log(f"gunicorn's page cache: {page_cache} s")
    member, urls = choose_targets()
    client = signed_in_client(member)
    log("Profiling each page in process (queries, SQL time)…")
    pages = profile_pages(client, urls)
    # Send the cookies a browser would hold after its first page: the session and the CSRF
    # cookie that page set.
    cookie = "; ".join(f"{n}={client.cookies[n].value}" for n in ("sessionid", "csrftoken"))
    for name, page in list(pages.items()):
        if page["status"] != 200:
            log(f"  {name} {page['url']} answered {page['status']}: left out of the load test")
            if name == "bare":
                raise SystemExit("the bare view must work")
            del urls[name]

    log(
        f"Load: {args.concurrency} connections, {args.seconds:g} s per target in "
        f"{args.rounds} rounds, gunicorn with {args.workers} sync workers"
    )
    with gunicorn(data_dir, args.workers) as port:
        load_results = measure(port, urls, cookie, args)

    demo = {"skipped": "--no-demo"} if args.no_demo else time_demo(stamp)
    report = {
        "date": stamp,
        "machine": machine(),
        "config": {
            "page_cache_seconds": page_cache,
            "learnings": seed_summary.get("counts", {}).get("learnings", args.learnings),
            "seconds_per_target": args.seconds,
            "rounds": args.rounds,
            "concurrency": args.concurrency,
            "workers": args.workers,
            "load_client": "Python threads, http.client, 127.0.0.1",
            "data_dir": str(data_dir),
        },
        "seed": seed_summary,
        "load": load_results,
        "pages": pages,
        "demo": demo,
        "target_ratio": TARGET_RATIO,
    }
    out = RESULTS / f"run-{stamp}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    log("")
    log(table(load_results, pages))
    if "skipped" in demo:
        log(f"demo: skipped ({demo['skipped']})")
    else:
        log(
            f"demo: `learnloop demo` took {demo['demo_command_seconds']:.1f} s "
            f"(build {demo['demo_build_seconds']} s) "
            f"after a {demo['migrate_seconds']:.1f} s migrate"
        )
    missed = [n for n, r in load_results.items() if r["ratio_to_bare"] < TARGET_RATIO]
    if missed:
        log(f"below the {TARGET_RATIO} target: {', '.join(missed)}")
    log(f"results: {out}")


if __name__ == "__main__":
    main()
