"""Measuring search quality and speed on a retrieval benchmark (`learnloop eval-search`).

A benchmark comes in the BEIR layout: `corpus.jsonl` (one `{"_id", "title", "text"}` per
line), `queries.jsonl` (`{"_id", "text"}`) and `qrels/test.tsv` (a header, then
`query-id<TAB>corpus-id<TAB>score` with graded relevance). This module:

- reads and checks such a directory (`load_beir`), with messages that say which file and
  which line is wrong;
- computes the standard metrics exactly as `trec_eval` does (`ndcg_at`: `ndcg_cut.10`, gain
  = the judged score, discount log2(rank + 1), ideal ranking from every judged document
  with a score above 0; `recall_at`: relevant found in the top k / all relevant);
- ranks the same data with a reference BM25 (`reference_bm25`: bm25s, Lucene's scoring with
  Anserini's defaults k1=0.9, b=0.4, Lucene's English stop words and the Porter stemmer), so
  that "at least as good as standard BM25" can be checked on any data set;
- imports a data set into the current database as public learnings (`import_dataset`),
  indexes it through the production path and asks every test query through the production
  search in each mode (`run_modes`), timing each call.

The command (`search/management/commands/eval_search.py`) runs the database part in a fresh,
separate database; nothing here ever touches a database it was not pointed at.
"""

from __future__ import annotations

import gzip
import json
import math
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

MODES = ("lexical", "semantic", "fused")
NDCG_DEPTH = 10
RECALL_DEPTH = 100
WARM_UP_QUERIES = 5
TITLE_MAX = 200  # Learning.title's max_length
EVAL_USERNAME = "eval-search"

# Anserini's BM25 defaults for BEIR ("flat" runs) and Lucene's English stop words.
REFERENCE_K1 = 0.9
REFERENCE_B = 0.4


class DatasetError(Exception):
    """The directory is not a readable BEIR data set; the message says why."""


@dataclass
class Dataset:
    name: str
    # BEIR id → (title, text), in file order.
    corpus: dict[str, tuple[str, str]]
    # Test queries only (those with judgments), BEIR id → text, in file order.
    queries: dict[str, str]
    # query id → {document id → graded relevance}; only the test queries.
    qrels: dict[str, dict[str, int]]
    warnings: list[str] = field(default_factory=list)


# Reading a BEIR directory -----------------------------------------------------------------


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def _find(directory: Path, name: str) -> Path:
    for candidate in (directory / name, directory / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    raise DatasetError(f"{directory}: {name} is missing (expected the BEIR layout)")


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """The non-blank lines of a data set's file, numbered from 1 (a file that cannot be
    read is a DatasetError)."""
    try:
        with _open_text(path) as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    yield number, line
    except (OSError, UnicodeDecodeError, EOFError) as error:
        raise DatasetError(f"{path}: cannot be read ({error})") from None


def _jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in _lines(path):
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise DatasetError(f"{path}, line {number}: not JSON ({error.msg})") from None
        if not isinstance(row, dict):
            raise DatasetError(f"{path}, line {number}: expected a JSON object")
        yield number, row


def _text_field(path: Path, number: int, row: dict[str, Any], key: str, *, required: bool) -> str:
    value = row.get(key)
    if value is None:
        if required:
            raise DatasetError(f'{path}, line {number}: "{key}" is missing')
        return ""
    if isinstance(value, int | float) and key == "_id":
        return str(value)
    if not isinstance(value, str):
        raise DatasetError(f'{path}, line {number}: "{key}" must be a string')
    return value


def _read_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    for number, line in _lines(path):
        cells = line.rstrip("\r\n").split("\t")
        if number == 1 and cells[:2] == ["query-id", "corpus-id"]:
            continue  # the header
        if len(cells) != 3:
            raise DatasetError(
                f"{path}, line {number}: expected 3 tab-separated columns "
                "(query-id, corpus-id, score)"
            )
        query_id, doc_id, score = (c.strip() for c in cells)
        try:
            grade = int(float(score))
        except ValueError:
            raise DatasetError(
                f"{path}, line {number}: the score {score!r} is not a number"
            ) from None
        qrels.setdefault(query_id, {})[doc_id] = grade
    return qrels


def load_beir(
    directory: Path | str, *, split: str = "test", max_queries: int | None = None
) -> Dataset:
    """Read a BEIR directory. Only the queries judged in `qrels/<split>.tsv` are kept (in
    the order of queries.jsonl); `max_queries` keeps the first N of them."""
    root = Path(directory)
    if not root.is_dir():
        raise DatasetError(f"{root}: no such directory")
    corpus_path = _find(root, "corpus.jsonl")
    queries_path = _find(root, "queries.jsonl")
    qrels_path = _find(root / "qrels", f"{split}.tsv")

    corpus: dict[str, tuple[str, str]] = {}
    for number, row in _jsonl(corpus_path):
        doc_id = _text_field(corpus_path, number, row, "_id", required=True)
        if doc_id in corpus:
            raise DatasetError(f'{corpus_path}, line {number}: the _id "{doc_id}" is repeated')
        title = _text_field(corpus_path, number, row, "title", required=False)
        text = _text_field(corpus_path, number, row, "text", required=True)
        corpus[doc_id] = (title, text)
    if not corpus:
        raise DatasetError(f"{corpus_path}: no documents")

    all_queries: dict[str, str] = {}
    for number, row in _jsonl(queries_path):
        query_id = _text_field(queries_path, number, row, "_id", required=True)
        all_queries[query_id] = _text_field(queries_path, number, row, "text", required=True)

    judged = _read_qrels(qrels_path)
    warnings: list[str] = []
    missing_queries = sorted(q for q in judged if q not in all_queries)
    if missing_queries:
        warnings.append(
            f"{len(missing_queries)} judged queries are not in queries.jsonl and are skipped "
            f"(first: {missing_queries[0]})"
        )
    unknown_docs = {d for rels in judged.values() for d in rels if d not in corpus}
    if unknown_docs:
        warnings.append(
            f"{len(unknown_docs)} judged documents are not in corpus.jsonl; they count as "
            "relevant but cannot be found"
        )
    queries = {
        q: text
        for q, text in all_queries.items()
        if q in judged and any(grade > 0 for grade in judged[q].values())
    }
    without_relevant = [q for q in judged if q in all_queries and q not in queries]
    if without_relevant:
        warnings.append(
            f"{len(without_relevant)} queries have no relevant document and are skipped"
        )
    if max_queries is not None:
        queries = dict(list(queries.items())[:max_queries])
    if not queries:
        raise DatasetError(f"{qrels_path}: no judged query with a relevant document")
    return Dataset(
        name=root.resolve().name,
        corpus=corpus,
        queries=queries,
        qrels={q: judged[q] for q in queries},
        warnings=warnings,
    )


# Metrics, as trec_eval computes them ----------------------------------------------------


def ndcg_at(ranking: Sequence[str], judged: dict[str, int], k: int = NDCG_DEPTH) -> float:
    """trec_eval's `ndcg_cut.k`: Σ gain_i / log2(i + 1) over the first k results (i from
    1), divided by the same sum for the ideal ordering of the judged documents. The gain is
    the judged score itself (not 2^score - 1); unjudged and non-positive documents gain 0."""
    dcg = sum(
        judged.get(doc, 0) / math.log2(rank + 1)
        for rank, doc in enumerate(ranking[:k], start=1)
        if judged.get(doc, 0) > 0
    )
    ideal_gains = sorted((g for g in judged.values() if g > 0), reverse=True)[:k]
    ideal = sum(g / math.log2(rank + 1) for rank, g in enumerate(ideal_gains, start=1))
    return dcg / ideal if ideal > 0 else 0.0


def recall_at(ranking: Sequence[str], judged: dict[str, int], k: int = RECALL_DEPTH) -> float:
    """trec_eval's `recall_k`: relevant documents (score > 0) among the first k results,
    divided by all relevant documents."""
    relevant = {doc for doc, grade in judged.items() if grade > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranking[:k])) / len(relevant)


def score_run(run: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    """Mean nDCG@10 and Recall@100 over every judged query (a query with no answer
    scores 0, as trec_eval's `-c` does)."""
    if not qrels:
        return {"ndcg@10": 0.0, "recall@100": 0.0}
    ndcg = [ndcg_at(run.get(q, []), judged) for q, judged in qrels.items()]
    recall = [recall_at(run.get(q, []), judged) for q, judged in qrels.items()]
    return {"ndcg@10": statistics.fmean(ndcg), "recall@100": statistics.fmean(recall)}


def latency_ms(seconds: Sequence[float]) -> tuple[float, float]:
    """Median and 95th percentile of per-call wall times, in milliseconds."""
    if not seconds:
        return (0.0, 0.0)
    if len(seconds) == 1:
        return (seconds[0] * 1000, seconds[0] * 1000)
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return (statistics.median(seconds) * 1000, cuts[94] * 1000)


def without_query_id(ranking: Iterable[str], query_id: str) -> list[str]:
    """Drop the query's own id from its ranking (Anserini's `-removeQuery`, BEIR's
    `ignore_identical_ids`): in data sets such as ArguAna the query is itself a document."""
    return [doc for doc in ranking if doc != query_id]


# The reference BM25 -------------------------------------------------------------------------


@dataclass
class Reference:
    scores: dict[str, float]
    stemmer: str
    run: dict[str, list[str]]


def _porter_stemmer() -> tuple[Callable[[list[str]], list[str]] | None, str]:
    try:
        import Stemmer  # PyStemmer: the stemmer bm25s documents
    except ImportError:
        return None, "none (install PyStemmer for Porter stemming)"
    return Stemmer.Stemmer("porter").stemWords, "porter"


def document_text(title: str, text: str) -> str:
    """How BEIR baselines index a document: title and text together."""
    return f"{title} {text}".strip()


def reference_bm25(dataset: Dataset, *, depth: int = RECALL_DEPTH) -> Reference:
    """Rank every test query with bm25s (Lucene's BM25, k1=0.9, b=0.4, Lucene's English stop
    words, Porter stemming: Anserini's BEIR defaults). Raises ImportError when bm25s is not
    installed (the `learnloop[eval]` extra)."""
    import bm25s
    import numpy as np

    stem, stemmer_name = _porter_stemmer()
    doc_ids = list(dataset.corpus)
    corpus_tokens = bm25s.tokenize(
        [document_text(*dataset.corpus[d]) for d in doc_ids],
        stopwords="en",
        stemmer=stem,
        show_progress=False,
    )
    retriever = bm25s.BM25(k1=REFERENCE_K1, b=REFERENCE_B, method="lucene")
    retriever.index(corpus_tokens, show_progress=False)
    query_ids = list(dataset.queries)
    run: dict[str, list[str]] = {}
    k = min(depth + 1, len(doc_ids))  # one more, in case the query itself is dropped
    # bm25s maps query words through the corpus vocabulary; keep the same tokenizer.
    for query_id in query_ids:
        tokens = bm25s.tokenize(
            [dataset.queries[query_id]],
            stopwords="en",
            stemmer=stem,
            show_progress=False,
            return_ids=False,
        )
        words = [w for w in tokens[0] if w in corpus_tokens.vocab]
        if not words:
            run[query_id] = []
            continue
        results, scores = retriever.retrieve([words], k=k, show_progress=False, n_threads=1)
        ranked = [
            doc_ids[int(i)]
            for i, s in zip(results[0], scores[0], strict=True)
            if np.isfinite(s) and s > 0
        ]
        run[query_id] = without_query_id(ranked, query_id)[:depth]
    return Reference(scores=score_run(run, dataset.qrels), stemmer=stemmer_name, run=run)


# Importing into the (fresh) database --------------------------------------------------------


def split_title(title: str, text: str) -> tuple[str, str]:
    """A learning's title holds 200 characters; the rest moves to the head of the body."""
    title = " ".join(title.split())
    if len(title) <= TITLE_MAX:
        return title, text
    return title[:TITLE_MAX], f"{title[TITLE_MAX:]}\n\n{text}".strip()


def import_dataset(
    dataset: Dataset, *, batch: int = 5000, progress: bool = True
) -> tuple[Any, dict[int, str]]:
    """Create the eval person and one public learning per corpus document (no group);
    return the person and {learning pk: BEIR id}. For a fresh database only."""
    from django.db import transaction
    from tqdm import tqdm

    from learnloop.core.models import Visibility
    from learnloop.generation.models import Learning
    from learnloop.people.models import Person

    person, _ = Person.objects.get_or_create(
        username=EVAL_USERNAME,
        defaults={"display_name": "Search evaluation", "email": "eval@example.invalid"},
    )
    pk_to_id: dict[int, str] = {}
    ids = list(dataset.corpus)
    with tqdm(
        total=len(ids), desc="importing", unit="doc", disable=not progress, file=sys.stderr
    ) as bar:
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            rows = []
            for doc_id in chunk:
                title, body = split_title(*dataset.corpus[doc_id])
                rows.append(
                    Learning(
                        author=person,
                        visibility=Visibility.PUBLIC,
                        title=title,
                        body=body,
                    )
                )
            with transaction.atomic():
                made = Learning.objects.bulk_create(rows, batch_size=batch)
            pk_to_id.update((m.pk, d) for m, d in zip(made, chunk, strict=True))
            bar.update(len(chunk))
    return person, pk_to_id


# Indexing and asking through the production path ---------------------------------------------


def _bar(desc: str, progress: bool) -> Any:
    """A tqdm bar on stderr driven by (done, total) callbacks, as the CLI draws them."""
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if not progress or "closed" in bars:
            return
        bar = bars.get("bar")
        if bar is None:
            bar = bars["bar"] = tqdm(total=total, desc=desc, unit="doc", file=sys.stderr)
        bar.total = total
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()
            bars["closed"] = bar

    return update


def index_all(*, progress: bool = True) -> dict[str, float]:
    """Index everything as an operator does: `search.services.reindex` (what `learnloop
    search reindex` runs: every search document, then every lexical engine's index), then
    `learnloop search_embed --refit` (fit the semantic model, compute every vector).
    Return the seconds each took."""
    from django.core.management import call_command, get_commands

    from learnloop.search import services

    timings: dict[str, float] = {}
    started = time.perf_counter()
    services.reindex(
        batch=5000,
        progress=_bar("search documents", progress),
        engine_progress=lambda name: _bar(f"index ({name})", progress),
    )
    timings["index_lexical_seconds"] = time.perf_counter() - started
    if "search_embed" in get_commands():
        started = time.perf_counter()
        # Its summary line goes to stderr with the progress: stdout is the report's.
        call_command(
            "search_embed", "--refit", *([] if progress else ["--quiet"]), stdout=sys.stderr
        )
        timings["index_semantic_seconds"] = time.perf_counter() - started
    return timings


@dataclass
class Answer:
    doc_ids: list[int]  # SearchDocument ids, best first
    mode: str  # the mode that answered (the facade falls back to lexical without vectors)
    engine: str  # the lexical engine that ranked (tantivy, native…)


def ask(viewer: Any, text: str, mode: str, *, limit: int = RECALL_DEPTH) -> Answer:
    """One query through the production facade, `search.searching.search`, as the search
    page and the API call it (with a page of `limit` results)."""
    from learnloop.search import searching
    from learnloop.search.engine import Filters

    result = searching.search(
        viewer=viewer, text=text, filters=Filters(), mode=mode, page=1, per_page=limit
    )
    return Answer(
        doc_ids=[r.document_id for r in result.results], mode=result.mode, engine=result.engine
    )


def evaluate_in_database(
    dataset: Dataset, *, modes: Sequence[str] = MODES, progress: bool = True
) -> dict[str, Any]:
    """Import, index and ask every test query in each mode, in the current database (which
    must be fresh: the command makes one). Return the figures as a flat dict."""
    from tqdm import tqdm

    from learnloop.search.models import SearchDocument

    report: dict[str, Any] = {}
    started = time.perf_counter()
    person, pk_to_id = import_dataset(dataset, progress=progress)
    report["import_seconds"] = time.perf_counter() - started
    report.update(index_all(progress=progress))
    doc_to_id = {
        doc: pk_to_id[item]
        for doc, item in SearchDocument.objects.filter(item_type="learning").values_list(
            "pk", "item_id"
        )
        if item in pk_to_id
    }
    query_ids = list(dataset.queries)
    for mode in modes:
        for query_id in query_ids[:WARM_UP_QUERIES]:
            ask(person, dataset.queries[query_id], mode)
        run: dict[str, list[str]] = {}
        seconds: list[float] = []
        answered_by: set[str] = set()
        engines: set[str] = set()
        for query_id in tqdm(
            query_ids, desc=mode, unit="query", disable=not progress, file=sys.stderr
        ):
            started = time.perf_counter()
            answer = ask(person, dataset.queries[query_id], mode)
            seconds.append(time.perf_counter() - started)
            answered_by.add(answer.mode)
            engines.add(answer.engine)
            ranked = [doc_to_id[d] for d in answer.doc_ids if d in doc_to_id]
            run[query_id] = without_query_id(ranked, query_id)[:RECALL_DEPTH]
        scores = score_run(run, dataset.qrels)
        p50, p95 = latency_ms(seconds)
        report[f"{mode}_ndcg@10"] = scores["ndcg@10"]
        report[f"{mode}_recall@100"] = scores["recall@100"]
        report[f"{mode}_latency_p50_ms"] = p50
        report[f"{mode}_latency_p95_ms"] = p95
        if answered_by != {mode}:
            report[f"{mode}_answered_by"] = ",".join(sorted(answered_by))
        report[f"{mode}_engine"] = ",".join(sorted(e for e in engines if e))
    report["semantic_model"] = _semantic_model_name()
    return report


def _semantic_model_name() -> str:
    from learnloop.search.semantic import active_model

    model = active_model()
    return f"{model.name} v{model.version} ({model.dim} dimensions)" if model else "none"
