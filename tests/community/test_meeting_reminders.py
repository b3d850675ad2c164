"""A day before a group meeting its members are reminded, once, in the app and by email as
their notification settings allow; no reminder for a meeting they just heard of, a deleted
one, one further off, or one that is over."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from learnloop.community import meeting_services as services
from learnloop.community.meeting_reminders import send_meeting_reminders
from learnloop.community.meeting_tasks import send_meeting_reminders as reminder_task
from learnloop.notifications.models import Notification, NotificationKind
from learnloop.notifications.services import settings_update
from learnloop.value.models import Convening
from tests.community.factories_meetings import open_work  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(group, owner, member, moderator):
    """Planned three days ahead; then time passes: the planned notice is two days old and
    the meeting starts in 20 hours."""
    meeting = services.meeting_plan(
        planner=moderator,
        group=group,
        starts_at=timezone.now() + timedelta(days=3),
        place="Room 12",
        own_items=["Plan the family night"],
    )
    Notification.objects.update(created_at=timezone.now() - timedelta(days=2))
    Convening.objects.filter(pk=meeting.pk).update(
        created_at=timezone.now() - timedelta(days=2),
        starts_at=timezone.now() + timedelta(hours=20),
    )
    mail.outbox.clear()
    meeting.refresh_from_db()
    return meeting


def reminders():
    return Notification.objects.filter(kind=NotificationKind.MEETING, title__startswith="Reminder:")


def test_members_are_reminded_once_a_day_before(
    meeting, owner, member, moderator, outsider, django_capture_on_commit_callbacks
):
    settings_update(
        person=member,
        email_enabled=True,
        muted_kinds=[NotificationKind.MEETING],
        digest_rhythm="never",
    )
    settings_update(person=owner, email_enabled=True, muted_kinds=[], digest_rhythm="never")
    with django_capture_on_commit_callbacks(execute=True):  # email goes out after commit
        assert send_meeting_reminders() == 3  # the planner too: a reminder has no actor
    told = {n.recipient.username for n in reminders()}
    assert told == {owner.username, member.username, moderator.username}  # not the outsider
    note = reminders().get(recipient=owner)
    assert note.url.endswith(f"/{meeting.pk}/")
    assert "Room 12" in note.body and "Plan the family night" in note.body
    # Email as each person's settings say: the member muted meeting emails.
    emailed = {address for m in mail.outbox for address in m.to}
    assert owner.email in emailed and member.email not in emailed
    # Once: the next rounds find everyone told.
    assert send_meeting_reminders() == 0
    assert reminder_task.enqueue().return_value == 0
    assert reminders().count() == 3


def test_no_reminder_for_a_meeting_just_planned_for_tomorrow(group, moderator, member):
    services.meeting_plan(
        planner=moderator, group=group, starts_at=timezone.now() + timedelta(hours=10)
    )
    assert Notification.objects.filter(recipient=member).count() == 1  # it was planned
    assert send_meeting_reminders() == 0  # nor the planner, who has just planned it


def test_a_meeting_moved_to_another_day_is_reminded_of_again(meeting, member):
    assert send_meeting_reminders() == 3
    Notification.objects.update(created_at=timezone.now() - timedelta(days=2))
    Convening.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() + timedelta(hours=5))
    assert send_meeting_reminders() == 3


def test_nothing_for_meetings_further_off_deleted_or_over(meeting):
    Convening.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() + timedelta(days=2))
    assert send_meeting_reminders() == 0
    Convening.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    assert send_meeting_reminders() == 0
    Convening.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() + timedelta(hours=5), deleted_at=timezone.now()
    )
    assert send_meeting_reminders() == 0
    assert not reminders().exists()


def test_the_worker_queues_it():
    assert "learnloop.community.meeting_tasks.send_meeting_reminders" in settings.PERIODIC_TASKS


def test_the_reminder_leaves_out_agenda_items_deleted_or_hidden_since_planning(
    group,
    moderator,
    member,
    open_work,  # noqa: F811
):
    question = open_work.question
    meeting = services.meeting_plan(
        planner=moderator,
        group=group,
        starts_at=timezone.now() + timedelta(hours=20),
        picked=[f"question-{question.pk}"],
        own_items=["Plan the family night"],
    )
    assert question.title in meeting.agenda[0]["title"]
    Notification.objects.all().delete()  # as if the planned notice were days old
    question.deleted_at = timezone.now()
    question.save(update_fields=["deleted_at"])
    mail.outbox.clear()
    assert send_meeting_reminders() >= 1
    bodies = [n.body for n in reminders()]
    assert bodies and all("Plan the family night" in b for b in bodies)
    assert not any(question.title in b for b in bodies)
    assert not any(question.title in m.body for m in mail.outbox)
