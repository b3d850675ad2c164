"""Where a short search spends its time: a cProfile summary and the Tantivy options, in process.

    .venv/bin/python bench/profile_search.py --data-dir /work/benchdata/sqlite-1m
    .venv/bin/python bench/profile_search.py --data-dir DIR --viewer anonymous --options

Reads an indexed data directory made by `bench/search_run.py` (it changes nothing: no
reindex, no ANALYZE). Takes the same short queries as `search_run.py` (same seed), warms
up, then profiles `search.searching.search` for one viewer and prints the functions with the
most cumulative time. `--options` also times, on the same queries, what the Tantivy engine
can do to count and facet the matches (count pass, aggregation, both, top-k alone), so a
choice between them rests on figures from one run.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import math
import os
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.search_run import STEWARD, short_queries  # noqa: E402
from bench.seed import BENCH_USERNAME, configure  # noqa: E402

REPEAT = 5


def viewer_named(who: str) -> Any:
    from django.contrib.auth.models import AnonymousUser

    from learnloop.people.models import Person

    if who == "anonymous":
        return AnonymousUser()
    return Person.objects.get(username=BENCH_USERNAME if who == "member" else STEWARD)


def timed_series(viewer: Any, queries: list[str], mode: str) -> list[float]:
    from learnloop.search import searching

    out = []
    for q in queries:
        started = time.perf_counter()
        searching.search(viewer=viewer, text=q, mode=mode)
        out.append((time.perf_counter() - started) * 1000)
    return out


def options(viewer: Any, queries: list[str]) -> None:
    """Each way of getting the page, the count and the facets out of Tantivy, timed per
    query (median over the queries, in ms)."""
    from learnloop.search import tantivy_engine as te
    from learnloop.search.engine import FACETS, Filters, Scope
    from learnloop.search.query import parse

    engine = te.get_engine()
    scope = Scope.for_viewer(viewer)
    reader = engine._reader()
    searcher = reader.index.searcher()
    composed = []
    for text in queries:
        tq = engine._text_query(parse(text), searcher)
        if tq is not None:
            composed.append(engine._compose(tq, scope, Filters(), []))

    def agg(fields: tuple[str, ...], extra: dict[str, Any] | None = None) -> Callable[[Any], Any]:
        spec = {name: {"terms": {"field": name, "size": te.FACET_SIZE}} for name in fields}
        spec.update(extra or {})
        return lambda q: searcher.aggregate(q, spec)

    variants: dict[str, Callable[[Any], Any]] = {
        "top-20 only (no count)": lambda q: searcher.search(q, limit=20, count=False),
        "top-20 + count": lambda q: searcher.search(q, limit=20, count=True),
        "aggregate 5 facets": agg(FACETS),
        "aggregate item_type only": agg(("item_type",)),
        "aggregate keyword facets (3)": agg(("item_type", "kind", "stage")),
        "aggregate id facets (2)": agg(("group_id", "organization_id")),
        "aggregate value_count": agg((), {"n": {"value_count": {"field": "doc_id"}}}),
        "aggregate 5 facets + value_count": agg(
            FACETS, {"n": {"value_count": {"field": "doc_id"}}}
        ),
        "engine.search facets=True": None,  # filled below
    }
    for name, call in variants.items():
        times = []
        for q, text in zip(composed, queries, strict=False):
            best = math.inf  # the best of a few tries: less at the mercy of a busy machine
            for _ in range(REPEAT):
                started = time.perf_counter()
                if call is None:
                    engine.search(parse(text), scope, Filters(), limit=20, facets=True)
                else:
                    call(q)
                best = min(best, (time.perf_counter() - started) * 1000)
            times.append(best)
        print(f"  {name:<36}{statistics.median(times):>8.2f} ms (median of per-query bests)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--viewer", default="member", choices=("member", "steward", "anonymous"))
    parser.add_argument("--mode", default="lexical")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative", help="pstats sort key")
    parser.add_argument("--options", action="store_true", help="time the Tantivy options too")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    configure(args.data_dir.resolve())
    viewer = viewer_named(args.viewer)
    queries = short_queries(random.Random(args.seed), args.queries + 10)
    warm, measured = queries[:10], queries[10:]
    timed_series(viewer, warm, args.mode)
    plain = timed_series(viewer, measured, args.mode)
    profiler = cProfile.Profile()
    profiler.enable()
    timed_series(viewer, measured, args.mode)
    profiler.disable()
    load = "/".join(f"{x:.2f}" for x in os.getloadavg()[:2])
    print(
        f"{args.viewer}/{args.mode}: {len(measured)} queries, median "
        f"{statistics.median(plain):.1f} ms, p95 "
        f"{statistics.quantiles(plain, n=100, method='inclusive')[94]:.1f} ms (load {load})"
    )
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(args.sort)
    stats.print_stats(args.top)
    print(out.getvalue())
    if args.options:
        print(f"Tantivy options, {args.viewer} (load {load}):")
        options(viewer, measured)


if __name__ == "__main__":
    main()
