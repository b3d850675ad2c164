"""`learnloop search reindex` and `learnloop search status`, and the full-text index that a
real `learnloop migrate` creates."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from learnloop.search.models import SearchDocument
from learnloop.search.searching import search
from tests.factories import IdeaFactory, LearningFactory, PersonFactory
from tests.search.factories_search import isolated_search  # noqa: F401

pytestmark = pytest.mark.usefixtures("isolated_search")


@pytest.mark.django_db
def test_reindex_builds_every_document_with_a_progress_bar(owner, member):
    # Written in bulk, as an import or the demo does: no documents yet.
    LearningFactory.create_batch(5, author=owner, body="attendance calls")
    IdeaFactory(author=owner, summary="attendance")
    PersonFactory(is_active=False)
    assert not SearchDocument.objects.exists()
    out, err = io.StringIO(), io.StringIO()
    call_command("search", "reindex", "--batch", "2", stdout=out, stderr=err)
    assert out.getvalue().splitlines()[0] == "documents: 8"  # 6 items, 2 active people
    assert "native: 8 indexed" in out.getvalue()
    # The bar counts items read (the inactive person too), one line per stage.
    assert "documents: 100%" in err.getvalue() and "9/9" in err.getvalue()
    assert "native: 100%" in err.getvalue()
    assert search(viewer=member, text="attendance").total == 6


@pytest.mark.django_db
def test_reindex_quietly_and_refuses_a_bad_batch(owner):
    LearningFactory(author=owner)
    out, err = io.StringIO(), io.StringIO()
    call_command("search", "reindex", "--quiet", stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert "documents: 2" in out.getvalue()
    with pytest.raises(CommandError, match="at least 1"):
        call_command("search", "reindex", "--batch", "0", stdout=io.StringIO())


@pytest.mark.django_db
def test_status(owner):
    LearningFactory(author=owner)
    call_command("search", "reindex", "--quiet", stdout=io.StringIO())
    out = io.StringIO()
    call_command("search", "status", stdout=out)
    lines = dict(line.split(": ", 1) for line in out.getvalue().splitlines())
    assert lines["documents"] == "2"
    assert lines["documents_learning"] == "1"
    assert lines["documents_person"] == "1"
    assert lines["full_text_index"] == "ready"
    assert lines["engine_setting"] == "native"
    assert lines["engine"] == "native"
    assert "semantic_model" in lines


def test_a_fresh_database_gets_the_full_text_index_from_migrate(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update({"LEARNLOOP_DATA_DIR": str(tmp_path), "LEARNLOOP_TESTING": "0"})
    result = subprocess.run(
        [sys.executable, "-m", "learnloop.cli", "migrate", "-v0"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    db = sqlite3.connect(tmp_path / "learnloop.sqlite3")
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert {
        "search_searchdocument_fts",
        "search_searchdocument_fts_vocab",
        "search_searchdocument_fts_ai",
        "search_searchdocument_fts_ad",
        "search_searchdocument_fts_au",
    } <= names
