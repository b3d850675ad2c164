"""A reminder before each group meeting: a day ahead, the group's members are told (in the
app, and by email when their notification settings allow meeting emails) when and where it
is and what is on its agenda.

Once per meeting and person, without a column of its own: whoever already has a meeting
notification about it from within the reminder window (the reminder, or the notice that it
was planned, when it was planned less than a day ahead) is not told again. A meeting that
is moved to a later day falls out of the window and is reminded of again before its new
date. Safe to run every few minutes and from several workers: each meeting's row is locked
while its reminder goes out (SQLite's IMMEDIATE transactions serialize writers anyway).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from learnloop.community import meeting_selectors as sel
from learnloop.community.meeting_services import meeting_details, meeting_url, meeting_when
from learnloop.notifications.models import NotificationKind
from learnloop.notifications.services import notify, recently_told
from learnloop.value.models import Convening

REMIND_BEFORE = timedelta(days=1)


def reminder_notice(meeting: Convening, viewer: Any) -> tuple[str, str]:
    """The title and text of the reminder for one person: the agenda as they may see it
    now (an item may have been deleted or hidden since the meeting was planned)."""
    assert meeting.group is not None
    parts = {"group": meeting.group.name, "when": meeting_when(meeting)}
    body = _("The next meeting of %(group)s is on %(when)s.") % parts
    title = _("Reminder: %(group)s meets on %(when)s") % parts
    return title, body + meeting_details(meeting, viewer)


def due_meetings(now: datetime) -> QuerySet[Convening]:
    """Group meetings that start within the reminder window, live, in live groups."""
    return Convening.objects.filter(
        kind=sel.MEETING,
        group__isnull=False,
        group__archived_at__isnull=True,
        deleted_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + REMIND_BEFORE,
    ).order_by("starts_at", "id")


def _told(meeting: Convening) -> set[int]:
    """Who already heard about this meeting within its reminder window (and its planner,
    when they planned it within the window)."""
    since = meeting.starts_at - REMIND_BEFORE
    told = recently_told(kind=NotificationKind.MEETING, target=meeting, since=since)
    if meeting.created_at >= since:
        told.add(meeting.author_id)
    return told


def send_meeting_reminders(now: datetime | None = None) -> int:
    """Remind the members of every group whose meeting is a day away or less; returns how
    many people were told."""
    now = now or timezone.now()
    told = 0
    for pk in list(due_meetings(now).values_list("pk", flat=True)):
        with transaction.atomic():
            # Read again under lock: another worker may have just reminded, or it moved.
            locked = due_meetings(now).select_for_update(of=("self",)).filter(pk=pk).first()
            if locked is None:
                continue
            group = locked.group
            assert group is not None
            already = _told(locked)
            waiting = [m.person for m in sel.group_members(group) if m.person_id not in already]
            if not waiting:
                continue
            by_text: dict[tuple[str, str], list[Any]] = {}
            for person in waiting:
                by_text.setdefault(reminder_notice(locked, person), []).append(person)
            for (title, body), people in by_text.items():
                told += len(
                    notify(
                        recipients=people,
                        kind=NotificationKind.MEETING,
                        title=title,
                        url=meeting_url(locked),
                        body=body,
                        target=locked,
                    )
                )
    return told
