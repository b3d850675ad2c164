"""Time the semantic layer's in-memory index at a million vectors: exact scan against the
approximate (faiss IVF) path, with recall, build time and memory. No database: synthetic
clustered vectors go through the real `semantic.VectorIndex` (its `extend` loader path).

    .venv/bin/python bench/vector_index_bench.py                    # 1M x 256, 200 queries
    .venv/bin/python bench/vector_index_bench.py --n 200000 --queries 50 --nprobes 8,16,32

Columns as in `bench/search_seed.py`: 72 % network, 15 % group (400 groups), 10 % public,
3 % private drafts; 4,000 authors. Vectors: 2,000 topic centres, each document near one
(cosine ~0.7 to it) plus a share of a second, normalised. Short queries are noisier points
near a centre; whole-learning queries are a stored document's own vector (minus itself,
with the duplicate floor as `min_score` for half of them).

The exact figures come from an index whose threshold is lifted (float32 matrix, today's
path); the ANN figures from the same rows with the threshold in force. Recall@100 is the
share of the exact top 100 (in scope) that the ANN path returns.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnloop.settings")
os.environ.setdefault("LEARNLOOP_DATA_DIR", "/tmp/learnloop-vector-bench")

import django

django.setup()

from learnloop.search import ann, semantic  # noqa: E402
from learnloop.search.engine import Filters, Scope  # noqa: E402

VISIBILITY = np.array(["network", "group", "public", "draft"], dtype=object)
VISIBILITY_SHARE = (0.72, 0.15, 0.10, 0.03)
GROUPS = 400
AUTHORS = 4000
TOPICS = 2000


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


class Corpus:
    def __init__(self, n: int, dim: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.n, self.dim, self.seed = n, dim, seed
        self.centres = rng.standard_normal((TOPICS, dim)).astype(np.float32)
        self.centres /= np.linalg.norm(self.centres, axis=1, keepdims=True)
        self.ids = np.cumsum(rng.integers(1, 3, size=n)).astype(np.int64)  # gaps, as in life
        self.topic = rng.integers(0, TOPICS, size=n)
        self.visibility = rng.choice(4, size=n, p=VISIBILITY_SHARE)
        self.group = rng.integers(1, GROUPS + 1, size=n)
        self.author = rng.integers(1, AUTHORS + 1, size=n)
        self.created = datetime(2025, 1, 1, tzinfo=UTC)

    def vectors(self, start: int, end: int) -> np.ndarray:
        rng = np.random.default_rng((self.seed, start))
        count = end - start
        second = rng.integers(0, TOPICS, size=count)
        noise = rng.standard_normal((count, self.dim)).astype(np.float32) / np.sqrt(self.dim)
        out = self.centres[self.topic[start:end]] + 0.35 * self.centres[second] + 0.9 * noise
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def rows(self) -> Iterator[tuple[Any, ...]]:
        step = 50_000
        for start in range(0, self.n, step):
            end = min(self.n, start + step)
            blobs = self.vectors(start, end).astype(np.float16)
            for i in range(start, end):
                vis = VISIBILITY[self.visibility[i]]
                yield (
                    int(self.ids[i]),
                    blobs[i - start].tobytes(),
                    vis,
                    int(self.author[i]),
                    int(self.group[i]) if vis == "group" else None,
                    None,
                    "learning",
                    "",
                    "",
                    self.created,
                    None,
                )


def make_index(corpus: Corpus, threshold: int) -> tuple[semantic.VectorIndex, dict[str, float]]:
    """Fill a VectorIndex through its loader path; `threshold` decides exact or ANN."""
    ann.MIN_VECTORS = threshold
    state = semantic.ModelState(1, "svd", 1, corpus.dim, None, 0, 0)
    before = rss_mb()
    started = time.perf_counter()
    index = semantic.VectorIndex(state)
    index._allocate(corpus.n)
    built: dict[str, float] = {}
    real_sync = index._sync_ann

    def timed_sync() -> None:  # time the ANN build apart from reading the rows
        began = time.perf_counter()
        real_sync()
        built["ann_build_s"] = time.perf_counter() - began

    index._sync_ann = timed_sync  # type: ignore[method-assign]
    index.extend(corpus.rows())
    total = time.perf_counter() - started
    gc.collect()
    figures = {
        "load_s": round(total, 1),
        "ann_build_s": round(built.get("ann_build_s", 0.0), 1),
        "rss_growth_mb": round(rss_mb() - before),
        "matrix_mb": round(index.matrix.nbytes / 2**20),
        "ann_mb": round(index.ann.memory_bytes() / 2**20) if index.ann else 0,
    }
    return index, figures


def scopes(corpus: Corpus) -> dict[str, tuple[Scope, Filters]]:
    member = Scope(anonymous=False, person_id=17, group_ids=frozenset({3, 250}))
    return {
        "member": (member, Filters()),
        "steward": (Scope(anonymous=False, steward=True, person_id=18), Filters()),
        "anonymous": (Scope(anonymous=True), Filters()),
        "member+group filter": (member, Filters(group_ids=(3,))),
    }


def short_queries(corpus: Corpus, count: int) -> np.ndarray:
    rng = np.random.default_rng(corpus.seed + 1)
    centres = corpus.centres[rng.integers(0, TOPICS, size=count)]
    noise = rng.standard_normal((count, corpus.dim)).astype(np.float32) / np.sqrt(corpus.dim)
    return centres + 1.2 * noise


def whole_queries(index: semantic.VectorIndex, count: int) -> list[tuple[int, np.ndarray]]:
    rng = np.random.default_rng(7)
    positions = rng.integers(0, index.size, size=count)
    return [(int(index.ids[p]), index.matrix[p].astype(np.float32)) for p in positions]


def timed(run: Callable[[], Any]) -> tuple[Any, tuple[float, float]]:
    """The answer, wall and CPU milliseconds (this thread's CPU time is less disturbed by
    other people's load on a shared machine than the wall clock)."""
    started, cpu = time.perf_counter(), time.thread_time()
    out = run()
    return out, ((time.perf_counter() - started) * 1000, (time.thread_time() - cpu) * 1000)


def summary(times: list[tuple[float, float]]) -> dict[str, float]:
    wall = sorted(t[0] for t in times)
    cpu = sorted(t[1] for t in times)
    return {
        "median_ms": round(statistics.median(wall), 1),
        "p95_ms": round(wall[int(0.95 * (len(wall) - 1))], 1),
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "cpu_p95_ms": round(cpu[int(0.95 * (len(cpu) - 1))], 1),
    }


def run_queries(
    index: semantic.VectorIndex,
    corpus: Corpus,
    queries: np.ndarray,
    whole: list[tuple[int, np.ndarray]],
) -> dict[str, Any]:
    """Answers and times per scope: short queries (limit 100), whole-learning (limit 200)."""
    out: dict[str, Any] = {}
    for name, (scope, filters) in scopes(corpus).items():
        answers, times = [], []
        for q in queries:
            ids, t = timed(
                lambda q=q, s=scope, f=filters: index.search(q, s, f, limit=100)[0]  # type: ignore[misc]
            )
            answers.append(ids)
            times.append(t)
        out[name] = {"answers": answers, **summary(times)}
        masks = [timed(lambda s=scope, f=filters: index.mask(s, f))[1] for _ in range(20)]
        out[name]["mask_cpu_median_ms"] = summary(masks)["cpu_median_ms"]
    scope, filters = scopes(corpus)["member"]
    answers, times = [], []
    for i, (doc_id, vector) in enumerate(whole):
        f = Filters(exclude_ids=(doc_id,))
        floor = 0.6 if i % 2 else None

        def go(v: np.ndarray = vector, f: Filters = f, m: float | None = floor) -> list[int]:
            return index.search(v, scope, f, limit=200, min_score=m)[0]

        ids, t = timed(go)
        answers.append(ids)
        times.append(t)
    out["member whole-learning"] = {"answers": answers, **summary(times)}
    return out


def recall(exact: list[list[int]], approx: list[list[int]], k: int = 100) -> float:
    shares = [
        len(set(e[:k]) & set(a[:k])) / len(e[:k]) for e, a in zip(exact, approx, strict=True) if e
    ]
    return round(float(np.mean(shares)), 4) if shares else 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--dim", type=int, default=256)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--nprobes", default="8,16,24,32,48")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    corpus = Corpus(args.n, args.dim, args.seed)
    report: dict[str, Any] = {"n": args.n, "dim": args.dim, "queries": args.queries}
    chosen = ann.MIN_VECTORS

    def say(label: str, value: Any) -> None:
        print(f"{label}: {value}  load {loadavg()}", flush=True)
        report[label] = value

    exact_index, figures = make_index(corpus, threshold=args.n + 1)
    say("exact build", figures)
    queries = short_queries(corpus, args.queries)
    whole = whole_queries(exact_index, args.queries)
    exact = run_queries(exact_index, corpus, queries, whole)
    for name, result in exact.items():
        say(f"exact {name}", {k: v for k, v in result.items() if k != "answers"})
    for name, (scope, filters) in scopes(corpus).items():
        say(f"masked rows {name}", int(exact_index.mask(scope, filters).sum()))
    del exact_index
    gc.collect()

    ann_index, figures = make_index(corpus, threshold=min(chosen, args.n))
    say("ann build", figures)
    settings = (ann.NPROBE, ann.EXACT_BELOW)
    for nprobe in [int(p) for p in args.nprobes.split(",")]:
        # every scope through the probed cells (NPROBE x total / masked rows)
        ann.NPROBE, ann.EXACT_BELOW = nprobe, 0
        result = run_queries(ann_index, corpus, queries, whole)
        for name, res in result.items():
            figures = {k: v for k, v in res.items() if k != "answers"}
            figures["recall@100"] = recall(exact[name]["answers"], res["answers"])
            say(f"ann nprobe={nprobe} {name}", figures)
    ann.NPROBE, ann.EXACT_BELOW = settings  # as shipped
    result = run_queries(ann_index, corpus, queries, whole)
    for name, res in result.items():
        figures = {k: v for k, v in res.items() if k != "answers"}
        figures["recall@100"] = recall(exact[name]["answers"], res["answers"])
        say(f"shipped (nprobe={ann.NPROBE}) {name}", figures)
    say("rss_mb_end", round(rss_mb()))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
