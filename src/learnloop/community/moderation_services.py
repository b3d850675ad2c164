"""Writes for moderators: nudge members who have gone quiet, and bring powerful questions
to the group (on the next meeting's agenda, or posted as a question)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from learnloop.community import meeting_selectors, moderation_selectors, prompts
from learnloop.core import access
from learnloop.core.models import Visibility
from learnloop.core.services import audit
from learnloop.people.models import Group, Membership, Person

MAX_MESSAGE = 2000


def _require_moderator(viewer: Any, group: Group) -> None:
    if not access.is_member(viewer) or not access.can_moderate_group(viewer, group.pk):
        raise PermissionDenied


def default_nudge_message(*, group: Group, moderator: Any, meeting: Any = None) -> str:
    """A kind first draft for the moderator to make their own."""
    text = _(
        "Hello! We have not heard from you in %(group)s for a while, and we miss your view. "
        "No pressure: a line about something you noticed at work, or an answer to one of "
        "our open questions, is plenty."
    ) % {"group": group.name}
    if meeting is not None:
        when = date_format(timezone.localtime(meeting.starts_at), "l j F")
        text += " " + _("We would love to see you at our next meeting on %(when)s.") % {
            "when": when
        }
    return text + "\n\n" + moderator.name


def nudge_title(*, moderator: Any, group: Group) -> str:
    return _("A note from %(name)s, %(group)s") % {"name": moderator.name, "group": group.name}


@transaction.atomic
def nudge_send(
    *, moderator: Any, group: Group, recipients: Sequence[Person], message: str
) -> list[Any]:
    """Send a kind word to one or several members (in the app, and by email if they take
    it). Nobody is nudged twice within a week, by anyone: the whole send is refused,
    naming who was nudged too recently, so the moderator can leave them out."""
    from learnloop.notifications.models import NotificationKind
    from learnloop.notifications.services import notify

    _require_moderator(moderator, group)
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Write a few words first.")})
    if len(message) > MAX_MESSAGE:
        raise ValidationError(
            {"message": _("Keep it under %(n)d characters.") % {"n": MAX_MESSAGE}}
        )
    people = list({p.pk: p for p in recipients}.values())
    if not people:
        raise ValidationError({"recipients": _("Choose at least one person.")})
    if any(p.pk == moderator.pk for p in people):
        raise ValidationError({"recipients": _("You cannot nudge yourself.")})
    # Lock the recipients' rows so that two moderators sending at once cannot both pass
    # the weekly limit.
    ids = sorted(p.pk for p in people)
    in_group = Membership.objects.filter(group=group).values("person_id")
    locked = list(
        Person.objects.select_for_update()
        .filter(pk__in=ids, is_active=True)
        .filter(pk__in=in_group)
        .order_by("pk")
    )
    if len(locked) != len(ids):
        raise ValidationError({"recipients": _("Only active members of the group can be nudged.")})
    recent = moderation_selectors.recent_nudges(locked)
    if recent:
        again = [
            _("%(name)s (again from %(day)s)")
            % {
                "name": p.name,
                "day": date_format(
                    timezone.localtime(recent[p.pk] + moderation_selectors.NUDGE_INTERVAL), "j F"
                ),
            }
            for p in locked
            if p.pk in recent
        ]
        raise ValidationError(
            {
                "recipients": _(
                    "Nudged within the last week, so not yet: %(people)s. Leave them out this time."
                )
                % {"people": "; ".join(again)}
            }
        )
    made = notify(
        recipients=locked,
        kind=NotificationKind.NUDGE,
        title=nudge_title(moderator=moderator, group=group),
        body=message,
        url=group.get_absolute_url(),
        actor=moderator,
    )
    audit(moderator, "nudged", group, people=[p.pk for p in locked])
    return made


@transaction.atomic
def prompt_to_question(*, moderator: Any, group: Group, key: str) -> Any:
    """Post a powerful question to the group as a question of its own."""
    from learnloop.generation.services import question_create

    _require_moderator(moderator, group)
    prompt = prompts.get_prompt(key)
    if prompt is None:
        raise ValidationError({"prompt": _("There is no such question.")})
    if group.archived_at is not None:
        raise ValidationError(_("This group is archived."))
    body = _(
        "A question from %(name)s to get us thinking (%(purpose)s). A line or two is plenty; "
        "stories from your own work are welcome."
    ) % {"name": moderator.name, "purpose": prompts.purpose_label(prompt.purpose).lower()}
    return question_create(
        author=moderator,
        title=str(prompt.text),
        body=body,
        group=group,
        visibility=Visibility.GROUP,
    )


@transaction.atomic
def prompt_to_agenda(*, moderator: Any, group: Group, key: str) -> Any:
    """Put a powerful question on the agenda of the group's next meeting; returns that
    meeting. Without a meeting ahead, the moderator is asked to plan one first."""
    from learnloop.community.meeting_services import meeting_agenda_add

    _require_moderator(moderator, group)
    prompt = prompts.get_prompt(key)
    if prompt is None:
        raise ValidationError({"prompt": _("There is no such question.")})
    meeting = meeting_selectors.next_meeting(viewer=moderator, group=group)
    if meeting is None:
        raise ValidationError(
            {"prompt": _("There is no meeting ahead yet: plan the next meeting first.")}
        )
    meeting_agenda_add(
        viewer=moderator,
        meeting=meeting,
        title=str(prompt.text),
        why=prompts.purpose_label(prompt.purpose),
        kind="prompt",
        key=f"prompt-{prompt.key}",
    )
    return meeting
