"""Vectors in the background: fit the SVD model, embed new and changed documents.

`semantic_refresh` is the periodic task (`learnloop worker` queues it every few minutes
through settings.PERIODIC_TASKS). Each run, under a lock so that two workers never do the
same work:

1. fits a TF-IDF → SVD model when there is none, when the corpus grew by more than 20 %
   since the last fit, or when a week passed and documents changed; the new version starts
   *incomplete* and queries keep using the previous one until every document has a vector
   under the new one;
2. re-embeds the documents named in `SearchChange` rows past its watermark (edits);
3. embeds documents that have no vector yet under each current model, a batch at a time,
   and queues itself again while work remains so other tasks are not held up;
4. marks a model complete when no document is missing, and drops older versions.

When the `learnloop[semantic]` extra is installed, the same steps keep MiniLM vectors
too (slowly: about 30 documents a second on two cores). `learnloop search_embed` does all
of it at once with a progress bar. Vectors are float16 bytes in `SearchVector`.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import random
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django_tasks import task

from learnloop.search import embedders, semantic
from learnloop.search.models import SearchChange, SearchDocument, SearchVector, SemanticModel
from learnloop.search.semantic import forget_state, mark_ready, vector_to_bytes

log = logging.getLogger(__name__)

GROWTH = 1.2  # refit when the corpus grew by more than 20 %
REFIT_AFTER = timedelta(days=7)
MIN_DOCUMENTS = 5  # below this, there is nothing to learn meaning from
SVD_BATCH = 2000
MINILM_BATCH = 64
SVD_PER_RUN = 100_000  # documents embedded per run of the periodic task, at most
MINILM_PER_RUN = 2_000
WATERMARK_KEY = "learnloop:semantic:change-watermark"
LOCK_KEY = 0x4C4C5333  # "LLS3": the PostgreSQL advisory lock of this module

Progress = Callable[[int, int], None] | None


# Locking -----------------------------------------------------------------------------


@contextlib.contextmanager
def exclusive() -> Iterator[bool]:
    """One embedder at a time: a PostgreSQL advisory lock (every host shares it), or a
    file lock next to the SQLite database (which lives on one host). Yields False when
    someone else holds it; never waits."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
            got = bool(cursor.fetchone()[0])
        try:
            yield got
        finally:
            if got:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
        return
    path = settings.DATA_DIR / "search"
    path.mkdir(parents=True, exist_ok=True)
    with open(path / "semantic.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# Fitting -----------------------------------------------------------------------------


def _live() -> Any:
    return SearchDocument.objects.filter(deleted_at__isnull=True)


def current(name: str) -> SemanticModel | None:
    """The newest version of a model, complete or not."""
    return SemanticModel.objects.filter(name=name).order_by("-version").first()


def fit_reason(model: SemanticModel | None, documents: int) -> str:
    """Why the SVD model should be fitted again now ("" when it should not)."""
    if documents < MIN_DOCUMENTS:
        return ""
    if model is None:
        return "no model yet"
    if documents > model.documents * GROWTH:
        return "the corpus grew by more than 20 %"
    if model.fitted_at < timezone.now() - REFIT_AFTER:
        changed = SearchChange.objects.filter(created_at__gt=model.fitted_at).exists()
        if changed:
            return "a week passed and documents changed"
    return ""


def _texts(ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for start in range(0, len(ids), 5000):
        rows = SearchDocument.objects.filter(pk__in=ids[start : start + 5000]).values_list(
            "pk", "title", "body"
        )
        for pk, title, body in rows:
            found[pk] = embedders.document_text(title, body)
    return found


def fit_svd(*, progress: Progress = None) -> SemanticModel | None:
    """Fit a new SVD version on a sample of at most 200k live documents (deterministic)."""
    ids = list(_live().order_by("pk").values_list("pk", flat=True))
    if len(ids) < MIN_DOCUMENTS:
        return None
    sample = (
        ids
        if len(ids) <= embedders.FIT_SAMPLE
        else random.Random(0).sample(ids, k=embedders.FIT_SAMPLE)
    )
    texts = _texts(sorted(sample))
    if progress:
        progress(0, 1)
    fitted = embedders.SvdEmbedder.fit([texts[pk] for pk in sorted(texts)])
    if progress:
        progress(1, 1)
    if fitted is None:
        return None
    last = SemanticModel.objects.filter(name=embedders.SVD_NAME).aggregate(v=Max("version"))["v"]
    return SemanticModel.objects.create(
        name=embedders.SVD_NAME,
        version=(last or 0) + 1,
        dim=fitted.dim,
        documents=len(ids),
        payload=fitted.to_payload(),
        complete=False,
    )


def ensure_minilm() -> SemanticModel | None:
    """The MiniLM model row when the extra is installed (its weights stay on disk)."""
    if not embedders.minilm_available():
        return None
    model, _created = SemanticModel.objects.get_or_create(
        name=embedders.MINILM_NAME,
        version=1,
        defaults={"dim": embedders.MiniLmEmbedder.dim, "payload": b"", "complete": False},
    )
    return model


# Embedding ---------------------------------------------------------------------------


def _embedder(model: SemanticModel) -> embedders.Embedder:
    from learnloop.search.semantic import embedder_for

    return embedder_for(model)


def _batch_size(model: SemanticModel) -> int:
    return MINILM_BATCH if model.name == embedders.MINILM_NAME else SVD_BATCH


def embed(model: SemanticModel, document_ids: list[int], *, progress: Progress = None) -> int:
    """(Re)compute and store the vectors of these documents under `model`. Documents that
    were deleted meanwhile are skipped; an old vector is replaced by a new row, so readers
    notice it by its id."""
    embedder = _embedder(model)
    done = 0
    size = _batch_size(model)
    ids = sorted(set(document_ids))
    for start in range(0, len(ids), size):
        texts = _texts(ids[start : start + size])
        live = set(_live().filter(pk__in=list(texts)).values_list("pk", flat=True))
        keys = [pk for pk in sorted(texts) if pk in live]
        if keys:
            rows = embedder.encode([texts[pk] for pk in keys])
            with transaction.atomic():
                SearchVector.objects.filter(model=model, document_id__in=keys).delete()
                SearchVector.objects.bulk_create(
                    [
                        SearchVector(model=model, document_id=pk, vector=vector_to_bytes(row))
                        for pk, row in zip(keys, rows, strict=True)
                    ]
                )
        done += len(keys)
        if progress:
            progress(done, len(ids))
    return done


def missing(model: SemanticModel) -> Any:
    """Live documents without a vector under `model`, oldest first."""
    has_vector = SearchVector.objects.filter(model=model, document=OuterRef("pk"))
    return _live().filter(~Exists(has_vector)).order_by("pk")


def embed_missing(
    model: SemanticModel, *, limit: int | None = None, progress: Progress = None
) -> int:
    qs = missing(model).values_list("pk", flat=True)
    ids = list(qs[:limit] if limit else qs)
    return embed(model, ids, progress=progress) if ids else 0


def complete_if_done(model: SemanticModel) -> bool:
    """Mark a model complete once no live document lacks a vector; then the versions it
    replaces (and their vectors) go."""
    if model.complete:
        mark_ready()
        return True
    if missing(model).exists():
        return False
    model.complete = True
    model.save(update_fields=["complete"])
    SemanticModel.objects.filter(name=model.name, version__lt=model.version).delete()
    transaction.on_commit(forget_state)
    forget_state()
    mark_ready()
    return True


def changed_since_watermark() -> tuple[list[int], int]:
    """Documents named in the change log past the watermark, and the new watermark. The
    watermark is kept in the shared cache; if it is lost (or the database was restored,
    so the log is shorter than the watermark), every change still kept is read again —
    re-embedding is idempotent."""
    top = SearchChange.objects.aggregate(m=Max("id"))["m"] or 0
    mark = cache.get(WATERMARK_KEY) or 0
    if mark > top:
        mark = 0
    ids = list(
        SearchChange.objects.filter(id__gt=mark, id__lte=top, deleted=False)
        .values_list("document_id", flat=True)
        .distinct()
    )
    return ids, top


def _to_refresh(model: SemanticModel, ids: list[int]) -> list[int]:
    """Changed documents to embed under `model` now: all of them once the model serves;
    while a new version is still being built, only those it has a vector for already (the
    others are on its list of missing documents anyway)."""
    if model.complete or not ids:
        return ids
    return list(
        SearchVector.objects.filter(model=model, document_id__in=ids).values_list(
            "document_id", flat=True
        )
    )


def current_models() -> list[SemanticModel]:
    """The models kept up to date: the newest SVD version, the complete one it will
    replace (if any), and MiniLM when installed."""
    models: list[SemanticModel] = []
    newest = current(embedders.SVD_NAME)
    if newest is not None and (not newest.complete or semantic.readable(newest)):
        models.append(newest)
        if not newest.complete:
            serving = (
                SemanticModel.objects.filter(name=embedders.SVD_NAME, complete=True)
                .order_by("-version")
                .first()
            )
            if serving is not None and semantic.readable(serving):
                models.append(serving)
    minilm = ensure_minilm()
    if minilm is not None:
        models.append(minilm)
    return models


def refresh(
    *,
    refit: bool = False,
    limit_svd: int | None = SVD_PER_RUN,
    limit_minilm: int | None = MINILM_PER_RUN,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """One round of background work (see the module's docstring). Returns what was done:
    {"fitted": reason or "", "changed": n, "embedded": n, "remaining": bool, "busy": bool}."""
    report: dict[str, Any] = {
        "fitted": "",
        "changed": 0,
        "embedded": 0,
        "remaining": False,
        "busy": False,
    }

    def step(label: str) -> Progress:
        if progress is None:
            return None
        return lambda done, total: progress(label, done, total)

    with exclusive() as got:
        if not got:
            report["busy"] = True
            return report
        documents = _live().count()
        newest = current(embedders.SVD_NAME)
        reason = "asked to refit" if refit and documents >= MIN_DOCUMENTS else ""
        if not reason and newest is not None and newest.complete:
            # A model this process cannot load (corrupt, another format) is as good as none.
            reason = "" if semantic.readable(newest) else "the stored model cannot be read"
        reason = reason or fit_reason(newest, documents)
        due = reason and (newest is None or newest.complete or refit)
        if due and fit_svd(progress=step("fit")) is not None:
            report["fitted"] = reason
        models = current_models()
        changed, mark = changed_since_watermark()
        for model in models:
            report["changed"] += embed(
                model, _to_refresh(model, changed), progress=step(f"changed:{model.name}")
            )
        cache.set(WATERMARK_KEY, mark, timeout=None)
        for model in models:
            limit = limit_minilm if model.name == embedders.MINILM_NAME else limit_svd
            report["embedded"] += embed_missing(
                model, limit=limit, progress=step(f"embed:{model.name}")
            )
        # The version being served first, the new one last: completing the new one drops
        # the old one, which must not be touched after that.
        for model in sorted(models, key=lambda m: (m.name, m.version)):
            if not complete_if_done(model):
                report["remaining"] = True
    return report


@task()
def semantic_refresh() -> dict[str, Any]:
    """Periodic (settings.PERIODIC_TASKS): keep the semantic models and vectors current.
    Queues itself again while documents are still waiting, so a large corpus is embedded
    in batches without holding up other background work."""
    report = refresh()
    if report["remaining"] and report["embedded"] and not settings.TESTING:
        semantic_refresh.enqueue()
    return report


@task()
def embed_changes(document_ids: list[int] | None = None) -> int:
    """Embed what was just written (queued after commit by `schedule_embed`): the documents
    named, or those in the change log past the watermark, under every current model.
    Nothing happens before a model was fitted (the periodic task fits the first one)."""
    if not SemanticModel.objects.exists():
        return 0
    with exclusive() as got:
        if not got:
            return 0  # the run holding the lock, or the next periodic one, will do it
        models = current_models()
        if not models:
            return 0
        if document_ids:
            return sum(embed(model, _to_refresh(model, list(document_ids))) for model in models)
        changed, mark = changed_since_watermark()
        done = sum(embed(model, _to_refresh(model, changed)) for model in models)
        cache.set(WATERMARK_KEY, mark, timeout=None)
        return done


def schedule_embed(document_ids: list[int] | None = None) -> None:
    """The hook `search.services` calls after a write commits: queue the embedding of the
    documents named (or of everything in the change log past the watermark). Called inside
    a transaction, it waits for the commit."""
    ids = sorted({int(i) for i in document_ids}) if document_ids else None
    transaction.on_commit(lambda: embed_changes.enqueue(ids))
