"""`learnloop routines due | remind | schedule`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from learnloop.consolidation.models import RoutineSchedule

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("routines", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def due(owner, outsider):
    today = timezone.localdate()
    return [
        RoutineSchedule.objects.create(kind="summary", person=owner, next_due_on=today),
        RoutineSchedule.objects.create(kind="summary", person=outsider, next_due_on=today),
    ]


def test_due_lists_every_due_routine_or_one_persons(due):
    assert "2 routine(s) due." in run("due")
    mine = run("due", "--user", "olu")
    assert "Olu Owner" in mine
    assert "Oscar" not in mine


def test_remind_sends_once_a_day(due, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert "for 2 routine(s)" in run("remind")
        assert "for 0 routine(s)" in run("remind")
    assert sorted(m.to[0] for m in mailoutbox) == ["olu@example.org", "oscar@example.org"]


def test_schedule_as_a_moderator_and_refused_for_a_member(moderator, member, group):
    assert "Weekly" in run("schedule", "mo", "synthesis", "weekly", "--group", group.slug)
    assert RoutineSchedule.objects.get().cadence == "weekly"
    with pytest.raises(CommandError, match="may not"):
        run("schedule", "mia", "synthesis", "monthly", "--group", group.slug)


def test_unknown_person(db):
    with pytest.raises(CommandError, match="No person"):
        run("due", "--user", "ghost")
