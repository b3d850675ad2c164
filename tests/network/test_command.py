"""`learnloop network refresh | show`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from learnloop.network.models import NetworkSnapshot, SnapshotKind

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("network", *args, stdout=out)
    return out.getvalue()


def test_refresh_says_what_it_does_and_stores_the_map(bridge):
    out = run("refresh")
    assert "Mapping the last twelve months" in out
    assert "Mapping the quarter" in out
    assert "Done in" in out and "ties" in out
    assert NetworkSnapshot.objects.filter(kind=SnapshotKind.YEAR).count() == 1


def test_refresh_if_stale_skips_a_fresh_map_and_plain_refresh_does_not(bridge):
    run("refresh")
    assert "skipped" in run("refresh", "--if-stale")
    assert "Done in" in run("refresh")


def test_show_prints_the_figures_or_says_there_are_none(bridge):
    assert "No map yet" in run("show")
    run("refresh")
    out = run("show")
    assert "the last twelve months" in out
    assert "across groups" in out
