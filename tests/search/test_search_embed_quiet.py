"""`learnloop search_embed --quiet` prints nothing when it succeeds (not even that it fitted
a model) and still reports a failure on stderr."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from learnloop.search import semantic_tasks
from learnloop.search.management.commands.search_embed import Command
from learnloop.search.models import SearchVector, SemanticModel
from tests.search.factories_search import learning
from tests.search.semantic_support import corpus, semantic_env  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("semantic_env")]


@pytest.fixture
def written(outsider):
    return [learning(outsider, title, body) for _topic, title, body in corpus()]


def test_quiet_fits_and_embeds_without_a_word(written, capsys):
    call_command("search_embed", "--quiet")
    shown = capsys.readouterr()
    assert (shown.out, shown.err) == ("", "")
    assert SemanticModel.objects.get().complete  # the work was done all the same
    assert SearchVector.objects.count() >= len(written)
    call_command("search_embed", "--quiet", "--refit")
    shown = capsys.readouterr()
    assert (shown.out, shown.err) == ("", "")
    assert list(SemanticModel.objects.values_list("version", flat=True)) == [2]


def test_without_quiet_it_says_what_it_did(written, capsys):
    call_command("search_embed")
    shown = capsys.readouterr()
    assert "Fitted a new model: no model yet." in shown.out
    assert "embedding (svd): 100%" in shown.err


def test_quiet_still_reports_a_failure_on_stderr(written, capsys, monkeypatch):
    monkeypatch.setattr(semantic_tasks, "refresh", lambda **kw: {"busy": True})
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["learnloop", "search_embed", "--quiet"])
    assert exit_.value.code == 1
    shown = capsys.readouterr()
    assert shown.out == ""
    assert "Another process is computing vectors" in shown.err
