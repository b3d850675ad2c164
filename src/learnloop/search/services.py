"""Writes that keep search in step with the items people write.

Every service that creates or changes a learning, idea, question, knowledge product or
person calls `document_sync(item=...)` inside its own transaction: the item's search
document is upserted (the database's full-text index follows through its trigger or
generated column) and a `SearchChange` row is added for the derived indexes (Tantivy, the
vectors), which apply it after commit. So the database's own index is never stale, and
nothing is searchable that was rolled back.

`reindex()` rebuilds every document in bulk (the demo, imports, `learnloop search
reindex`), then asks the engines to rebuild from them.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q

from learnloop.search import documents
from learnloop.search.models import SearchChange, SearchDocument

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

_UPDATED = [
    "title",
    "body",
    "kind",
    "stage",
    "author_id",
    "group_id",
    "organization_id",
    "site",
    "visibility",
    "deleted_at",
    "created_at",
    "updated_at",
]


def _upsert(rows: list[SearchDocument]) -> list[SearchDocument]:
    """Insert or update by (item_type, item_id) in one statement; sets each row's pk."""
    return SearchDocument.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["item_type", "item_id"],
        update_fields=_UPDATED,
    )


@functools.cache
def _derived_hooks() -> tuple[Callable[[], Any], ...]:
    """After-commit hooks of the derived indexes that exist in this installation."""
    from learnloop.search.searching import optional_module  # the facade loads engines

    hooks = []
    for module, name in (
        ("learnloop.search.tantivy_engine", "schedule_apply"),
        ("learnloop.search.semantic_tasks", "schedule_embed"),
    ):
        hook = getattr(optional_module(module), name, None)
        if callable(hook):
            hooks.append(hook)
    return tuple(hooks)


def _after_commit() -> None:
    for hook in _derived_hooks():
        try:
            hook()
        except Exception:  # a derived index catches up later; the write has committed
            logger.exception("search: %s failed after commit", getattr(hook, "__name__", hook))


def _schedule() -> None:
    # One callback per transaction, however many documents it changed.
    if not _derived_hooks():
        return
    pending = getattr(connection, "run_on_commit", None) or []
    if any(entry[1] is _after_commit for entry in pending):
        return
    transaction.on_commit(_after_commit)


@transaction.atomic(savepoint=False)
def document_sync(*, item: Any) -> SearchDocument | None:
    """Bring the item's search document in step with it (create, edit, visibility or group
    change, stage change, delete, restore). Call it inside the write's transaction, after
    the item (and its tags) are saved. Items of types that are not searched are ignored."""
    fields = documents.document_for(item)
    if fields is None:
        if documents.item_type_of(item) is not None:
            document_remove(item=item)
        return None
    (doc,) = _upsert([SearchDocument(**fields)])
    SearchChange.objects.create(document_id=doc.pk, deleted=doc.deleted_at is not None)
    _follow_ups(item, fields["item_type"])
    _schedule()
    return doc


def _follow_ups(item: Any, item_type: str) -> None:
    """Documents that copy something from this item: a product's stage comes from its
    ideas; every document of a person carries their organization."""
    if item_type == "idea":
        products = documents.bulk_queryset("product").filter(ideas=item)
        documents_sync_bulk(list(products))
    elif item_type == "person":
        stale = SearchDocument.objects.filter(author_id=item.pk).exclude(item_type="person")
        if item.organization_id is None:
            stale = stale.filter(organization_id__isnull=False)
        else:
            stale = stale.filter(
                Q(organization_id__isnull=True) | ~Q(organization_id=item.organization_id)
            )
        ids = list(stale.values_list("pk", flat=True))
        if ids:
            SearchDocument.objects.filter(pk__in=ids).update(organization_id=item.organization_id)
            SearchChange.objects.bulk_create([SearchChange(document_id=pk) for pk in ids])


@transaction.atomic(savepoint=False)
def document_remove(*, item: Any) -> None:
    """Take an item out of search entirely (a deactivated person, an item that is gone)."""
    item_type = documents.item_type_of(item)
    if item_type is None:
        return
    ids = list(
        SearchDocument.objects.filter(item_type=item_type, item_id=item.pk).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        return
    SearchDocument.objects.filter(pk__in=ids).delete()
    SearchChange.objects.bulk_create([SearchChange(document_id=pk, deleted=True) for pk in ids])
    _schedule()


@transaction.atomic(savepoint=False)
def documents_sync_bulk(items: Iterable[Any], *, record_changes: bool = True) -> int:
    """`document_sync` for many items in a few statements (load them with
    `documents.bulk_queryset` so that no item costs a query of its own)."""
    items = list(items)
    rows = [SearchDocument(**fields) for fields in documents.documents_for(items)]
    gone = [i for i in items if documents.item_type_of(i) == "person" and not i.is_active]
    for person in gone:
        document_remove(item=person)
    if not rows:
        return 0
    rows = _upsert(rows)
    if record_changes:
        SearchChange.objects.bulk_create(
            [SearchChange(document_id=d.pk, deleted=d.deleted_at is not None) for d in rows]
        )
        _schedule()
    return len(rows)


def _drop_orphans(item_type: str) -> int:
    """Documents whose item no longer exists (or, for people, is no longer active)."""
    model = documents.model_for(item_type)
    alive = model._default_manager.all()
    if item_type == "person":
        alive = alive.filter(is_active=True)
    # NOT EXISTS, not NOT IN: PostgreSQL plans NOT IN over a large subquery as a quadratic
    # scan (minutes at a million items); NOT EXISTS is an anti-join.
    orphans = SearchDocument.objects.filter(item_type=item_type).filter(
        ~Exists(alive.filter(pk=OuterRef("item_id")))
    )
    deleted, _ = orphans.delete()
    return deleted


def rebuild_documents(*, batch: int = 2000, progress: Progress | None = None) -> int:
    """Rewrite every item's search document from the items themselves, batch by batch (each
    batch its own transaction, so a long rebuild never holds the database). No change rows
    are written: the engines rebuild from the documents afterwards. Returns documents
    written."""
    batch = max(1, batch)
    totals = {t: documents.model_for(t)._default_manager.count() for t in documents.MODEL_FOR}
    total = sum(totals.values())
    done = written = 0
    if progress:
        progress(0, total)
    for item_type in documents.MODEL_FOR:
        last = 0
        while True:
            chunk = list(documents.bulk_queryset(item_type).filter(pk__gt=last)[:batch])
            if not chunk:
                break
            last = chunk[-1].pk
            with transaction.atomic():
                rows = [SearchDocument(**f) for f in documents.documents_for(chunk)]
                if rows:
                    _upsert(rows)
                written += len(rows)
            done += len(chunk)
            if progress:
                progress(done, total)
        with transaction.atomic():
            _drop_orphans(item_type)
    return written


def engines_to_rebuild() -> list[tuple[str, Callable[[Progress | None], int]]]:
    """(name, rebuild function) of every lexical engine: the database's own always, Tantivy
    when it is installed here (its module's `rebuild(progress)`, or its engine's)."""
    from learnloop.search.native import NativeEngine

    native = NativeEngine()
    found: list[tuple[str, Callable[[Progress | None], int]]] = [(native.name, native.rebuild)]
    from learnloop.search.searching import engine_setting, optional_module

    tantivy = optional_module("learnloop.search.tantivy_engine")
    if tantivy is not None and engine_setting() != "native":
        if callable(getattr(tantivy, "rebuild", None)):
            found.append(("tantivy", tantivy.rebuild))
        elif callable(getattr(tantivy, "get_engine", None)):
            engine = tantivy.get_engine()
            if engine is not None:
                found.append((getattr(engine, "name", "tantivy"), engine.rebuild))
    return found


def reindex(
    *,
    batch: int = 2000,
    progress: Progress | None = None,
    engine_progress: Callable[[str], Progress | None] | None = None,
) -> dict[str, int]:
    """Rebuild every search document, then every engine's index from them. Returns the
    number of documents and, per engine, what it indexed."""
    report = {"documents": rebuild_documents(batch=batch, progress=progress)}
    for name, rebuild in engines_to_rebuild():
        report[name] = rebuild(engine_progress(name) if engine_progress else None)
    return report
