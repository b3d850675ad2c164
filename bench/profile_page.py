"""Where one page spends its time: queries and a cProfile summary, in process.

    .venv/bin/python bench/profile_page.py --reuse bench/results/data-<ts> / /ideas/12/

Signs in as the benchmark member (as run.py does), requests each path a few times with
Django's test client, then prints the queries of the last request (slowest first) and
the functions with the most cumulative time. Used to explain a target that misses its
ratio; it changes nothing in the database except the member's session.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import (
    choose_targets,
    explain,
    learnloop,
    setup_django,
    signed_in_client,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", type=Path, required=True, help="a seeded data directory")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--sort", default="cumulative", help="pstats sort key")
    parser.add_argument(
        "--explain", type=float, metavar="MS", help="print the plan of queries slower than MS"
    )
    parser.add_argument("paths", nargs="*", help="default: every benchmark target")
    args = parser.parse_args()
    learnloop(args.reuse, "collectstatic", "--noinput", "-v", "0")
    setup_django(args.reuse)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member, urls = choose_targets()
    client = signed_in_client(member)
    for path in args.paths or list(urls.values()):
        client.get(path)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(path)
        profiler.disable()
        per = (time.perf_counter() - started) / args.repeat * 1000
        print(
            f"\n=== {path}: {response.status_code}, {len(response.content):,} bytes, "
            f"{per:.1f} ms per request (profiled), {len(ctx.captured_queries)} queries"
        )
        for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"])):
            print(f"  {float(q['time']) * 1000:7.2f} ms  {q['sql'][:300]}")
            if args.explain is not None and float(q["time"]) * 1000 >= args.explain:
                for line in explain(q["sql"]):
                    print(f"             plan: {line}")
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
