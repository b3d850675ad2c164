"""A reindex leaves the planner statistics of the search documents current: without them
SQLite reads every visible document to re-check a page of 20 (see `NativeEngine.rebuild`)."""

from __future__ import annotations

import pytest
from django.db import connection

from learnloop.search.ddl import TABLE
from learnloop.search.native import NativeEngine
from tests.search.factories_search import isolated_search, learning  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_search")]


def statistics_rows() -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return 0
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [TABLE])
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [TABLE])
        return int(cursor.fetchone()[0])


def test_rebuild_gathers_the_planner_statistics_of_the_documents(owner):
    for n in range(5):
        learning(owner, f"Attendance note {n}", "Families answered.")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is not None:
                cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [TABLE])
    if connection.vendor == "sqlite":
        assert statistics_rows() == 0
    NativeEngine().rebuild()
    assert statistics_rows() > 0


def test_statistics_are_gathered_again_only_after_the_table_grew(owner):
    engine = NativeEngine()
    for n in range(4):
        learning(owner, f"Attendance note {n}", "Families answered.")
    if connection.vendor != "sqlite":
        assert engine.refresh_statistics() is False  # autovacuum's job there
        return
    engine.rebuild()
    assert engine.refresh_statistics() is False  # fresh: nothing to do
    learning(owner, "One more", "Growth under a quarter.")
    assert engine.refresh_statistics() is False
    for n in range(3):
        learning(owner, f"Later note {n}", "The table grew by half.")
    assert engine.refresh_statistics() is True
    assert engine.refresh_statistics() is False  # and now they are current again
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [TABLE])
    assert engine.refresh_statistics() is True  # none at all
    assert statistics_rows() > 0
