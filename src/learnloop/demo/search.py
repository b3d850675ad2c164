"""Demo network: search (issue 6).

The demo builder writes its rows in bulk, without the services that keep search in step, so
this step runs once everything else is written: every item's search document is built in
bulk and the database's own full-text index is rebuilt from them. A Tantivy index, when
installed, notices it is missing or behind after the demo commits and builds itself in the
background (see search/tantivy_engine.py).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def build(b: Any) -> None:
    """Add this part of the demo; `b` is the demo builder (see builder._Builder)."""
    from learnloop.search.native import NativeEngine
    from learnloop.search.services import rebuild_documents

    rebuild_documents(batch=2000)
    NativeEngine().rebuild()
    transaction.on_commit(_wake_derived_indexes)


def _wake_derived_indexes() -> None:
    from learnloop.search.searching import lexical_engine

    try:
        lexical_engine()  # asks a derived engine whether it is ready; it rebuilds if not
    except Exception:  # the demo is committed; search falls back to the database's own
        logger.exception("search: the derived index could not be checked after the demo")
