"""Background work for the search index, through the django-tasks API. (The semantic
layer's tasks live in `search/semantic_tasks.py`.)"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Max
from django.utils import timezone
from django_tasks import task

log = logging.getLogger(__name__)

CHANGE_RETENTION_DAYS = 7


@task()
def apply_search_changes() -> int:
    """Keep this host's Tantivy index in step: build it when missing or unusable (see
    `TantivyEngine.needs_rebuild`), apply pending changes, and rebuild if the number of
    documents has drifted from the database's. `learnloop worker` queues it every few
    minutes (settings.PERIODIC_TASKS); writes also apply right after they commit.
    Returns the change rows applied (or documents indexed by a rebuild)."""
    from learnloop.search.tantivy_engine import engine_setting, get_engine

    if engine_setting() == "native":
        return 0
    engine = get_engine()
    rebuilt = engine.rebuild_if_needed()
    if rebuilt is not None:
        return rebuilt
    applied = engine.apply_changes()
    if engine.current_generation() is None or engine.pending_document_ids():
        return applied  # someone else is applying: the drift check waits for a quiet moment
    if engine.check_drift():
        # A count that differs may be a commit landing between the two counts: look again.
        applied += engine.apply_changes()
        drift = engine.check_drift()
        if drift and not engine.pending_document_ids():
            log.warning("search index differs from the database by %s documents", drift)
            return engine.rebuild()
    return applied


@task()
def rebuild_search_index() -> int:
    """Rebuild this host's Tantivy index from the database (swapped in when done)."""
    from learnloop.search.tantivy_engine import get_engine

    return get_engine().rebuild()


@task()
def refresh_search_statistics() -> bool:
    """SQLite: planner statistics for the search documents once they have grown by a
    quarter since last gathered (`learnloop serve` gathers them at start)."""
    from learnloop.search.native import NativeEngine

    return NativeEngine().refresh_statistics()


@task()
def prune_search_changes(days: int = CHANGE_RETENTION_DAYS) -> int:
    """Delete SearchChange rows older than `days`, always keeping the newest one (it tells
    an index whether the database went back). An index that had not applied a pruned row
    rebuilds itself (`needs_rebuild`), so a host that was down for a week catches up."""
    from learnloop.search.models import SearchChange

    newest = SearchChange.objects.aggregate(m=Max("id"))["m"]
    if newest is None:
        return 0
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = SearchChange.objects.filter(id__lt=newest, created_at__lt=cutoff).delete()
    return deleted
