"""Reads for moderators: who in the group has gone quiet, and the nudges sent to them.

A member has gone quiet when, for some weeks, they have written no learning, test cycle,
question, idea, answer or comment, cast no vote, written no review, endorsed nothing, led no
routine and come to no meeting. Only activity the moderator may see counts, so that the
date shown never hints at a private draft or another group's group-only work; people who
joined within the window are new, not quiet.

Nudges are kept as notifications of kind NUDGE whose link is the group's page: that ties
each nudge to the group it was sent for (see the report's request for a Nudge record).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import DateTimeField, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learnloop.core import access
from learnloop.core.items import ITEM_TYPES
from learnloop.people.models import Group, Membership

DEFAULT_WEEKS = 6
WEEK_CHOICES = (2, 4, 6, 8, 12, 26)
NUDGE_INTERVAL = timedelta(days=7)

ACTIVITY_LABELS = {
    "learning": _("a learning"),
    "test_cycle": _("a test cycle"),
    "question": _("a question"),
    "idea": _("an idea"),
    "answer": _("an answer"),
    "comment": _("a comment"),
    "vote": _("a vote"),
    "review": _("a review"),
    "endorsement": _("an endorsement"),
    "routine": _("a routine"),
    "meeting": _("a meeting"),
}


def get_group_for(viewer: Any, slug: str) -> Group:
    """The group whose moderator tools are asked for: 404 for anyone outside the group
    (stewards excepted), 403 for its members who are not moderators."""
    from learnloop.community.meeting_selectors import get_group_for as group_for

    group = group_for(viewer, slug, members_only=True)
    if not access.can_moderate_group(viewer, group.pk):
        raise PermissionDenied
    return group


def clean_weeks(raw: Any) -> int:
    try:
        weeks = int(raw)
    except (TypeError, ValueError):
        return DEFAULT_WEEKS
    return weeks if weeks in WEEK_CHOICES else DEFAULT_WEEKS


def _latest(qs: QuerySet[Any], person_field: str, when_field: str) -> Subquery:
    """The latest `when_field` of the rows by the membership's person, as a subquery."""
    return Subquery(
        qs.filter(**{person_field: OuterRef("person_id")})
        .order_by()
        .values(person_field)
        .annotate(last=Max(when_field))
        .values("last")[:1],
        output_field=DateTimeField(),
    )


def _visible_targets_q(viewer: Any) -> Q:
    """Comments on items the viewer may see (comments hang on any kind of item)."""
    q = Q(pk__in=[])
    for label in ITEM_TYPES.values():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue  # a kind whose app is not there yet
        ct = ContentType.objects.get_for_model(model)
        q |= Q(
            content_type=ct, object_id__in=access.visible(viewer, model.objects.all()).values("pk")
        )
    return q


def _activity(viewer: Any, now: datetime) -> dict[str, Subquery]:
    from learnloop.consolidation.models import Endorsement, Idea, Review, Routine, Vote
    from learnloop.consolidation.routine_rules import routine_visible_q
    from learnloop.core.models import Comment
    from learnloop.generation.models import Answer, Learning, Question, TestCycle
    from learnloop.value.models import Convening

    seen = access.visible_q(viewer)
    attended = Convening.participants.through.objects.filter(
        access.visible_q(viewer, "convening__"), convening__starts_at__lte=now
    )
    return {
        "learning": _latest(Learning.objects.filter(seen), "author_id", "created_at"),
        "test_cycle": _latest(TestCycle.objects.filter(seen), "author_id", "created_at"),
        "question": _latest(Question.objects.filter(seen), "author_id", "created_at"),
        "idea": _latest(Idea.objects.filter(seen), "author_id", "created_at"),
        "answer": _latest(
            Answer.objects.filter(access.visible_q(viewer, "question__"), deleted_at__isnull=True),
            "author_id",
            "created_at",
        ),
        "comment": _latest(
            Comment.objects.filter(_visible_targets_q(viewer), deleted_at__isnull=True),
            "author_id",
            "created_at",
        ),
        "vote": _latest(
            Vote.objects.filter(
                Q(decision__idea__isnull=True) | access.visible_q(viewer, "decision__idea__")
            ),
            "voter_id",
            "cast_at",
        ),
        "review": _latest(
            Review.objects.filter(access.visible_q(viewer, "idea__")), "reviewer_id", "created_at"
        ),
        "endorsement": _latest(
            Endorsement.objects.filter(access.visible_q(viewer, "idea__")),
            "person_id",
            "created_at",
        ),
        "routine": _latest(
            Routine.objects.filter(routine_visible_q(viewer)), "person_id", "started_at"
        ),
        "meeting": _latest(attended, "person_id", "convening__starts_at"),
    }


@dataclass
class MemberActivity:
    person: Any
    role: str
    joined_at: datetime
    last_active: datetime | None
    last_what: str
    last_nudged_at: datetime | None
    nudge_again_at: datetime | None
    is_new: bool
    is_quiet: bool

    @property
    def can_nudge(self) -> bool:
        return self.nudge_again_at is None


def member_activity(
    *, viewer: Any, group: Group, weeks: int = DEFAULT_WEEKS, now: datetime | None = None
) -> list[MemberActivity]:
    """Every active member of the group but the viewer, with their latest activity (as the
    viewer may see it) and their latest nudge, in a fixed number of queries."""
    from learnloop.notifications.models import Notification, NotificationKind

    now = now or timezone.now()
    cutoff = now - timedelta(weeks=weeks)
    sources = _activity(viewer, now)
    last_nudge = (
        Notification.objects.filter(kind=NotificationKind.NUDGE, recipient_id=OuterRef("person_id"))
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    members = Membership.objects.filter(group=group, person__is_active=True)
    if access.is_member(viewer):
        members = members.exclude(person_id=viewer.pk)
    rows = (
        members.select_related("person")
        .annotate(**{f"last_{k}": v for k, v in sources.items()})
        .annotate(last_nudged_at=Subquery(last_nudge, output_field=DateTimeField()))
        .order_by("person__display_name", "person__username")
    )
    out: list[MemberActivity] = []
    for m in rows:
        stamps = [(getattr(m, f"last_{k}"), k) for k in sources]
        found = [(when, k) for when, k in stamps if when is not None]
        last, what = max(found) if found else (None, "")
        nudged = m.last_nudged_at
        again = nudged + NUDGE_INTERVAL if nudged and nudged + NUDGE_INTERVAL > now else None
        is_new = m.joined_at > cutoff
        out.append(
            MemberActivity(
                person=m.person,
                role=m.role,
                joined_at=m.joined_at,
                last_active=last,
                last_what=str(ACTIVITY_LABELS[what]) if what else "",
                last_nudged_at=nudged,
                nudge_again_at=again,
                is_new=is_new,
                is_quiet=not is_new and (last is None or last < cutoff),
            )
        )
    return out


def quiet_members(
    *, viewer: Any, group: Group, weeks: int = DEFAULT_WEEKS, now: datetime | None = None
) -> list[MemberActivity]:
    """The members who have gone quiet, longest silence first (never active at all on top)."""
    if not access.can_moderate_group(viewer, group.pk):
        raise PermissionDenied
    quiet = [
        m for m in member_activity(viewer=viewer, group=group, weeks=weeks, now=now) if m.is_quiet
    ]
    epoch = datetime.min.replace(tzinfo=timezone.get_current_timezone())
    return sorted(quiet, key=lambda m: (m.last_active or epoch, m.person.name))


def nudge_list(*, viewer: Any, group: Group, limit: int = 50) -> list[Any]:
    """Nudges sent for this group, newest first: for its moderators and stewards."""
    from learnloop.notifications.models import Notification, NotificationKind

    if not access.can_moderate_group(viewer, group.pk):
        raise PermissionDenied
    return list(
        Notification.objects.filter(kind=NotificationKind.NUDGE, url=group.get_absolute_url())
        .select_related("recipient", "actor")
        .order_by("-created_at", "-id")[:limit]
    )


def recent_nudges(people: list[Any], now: datetime | None = None) -> dict[int, datetime]:
    """person id → when they were last nudged, for those nudged within the interval."""
    from learnloop.notifications.models import Notification, NotificationKind

    now = now or timezone.now()
    rows = (
        Notification.objects.filter(
            kind=NotificationKind.NUDGE,
            recipient__in=people,
            created_at__gt=now - NUDGE_INTERVAL,
        )
        .values("recipient_id")
        .annotate(last=Max("created_at"))
    )
    return {r["recipient_id"]: r["last"] for r in rows}


def nudgeable(*, group: Group, usernames: list[str]) -> list[Any]:
    """Active members of the group named in a request; anyone else is a field error."""
    from learnloop.people.models import Person

    wanted = sorted(set(usernames))
    found = list(
        Person.objects.filter(username__in=wanted, is_active=True, memberships__group=group)
        .distinct()
        .order_by("display_name", "username")
    )
    missing = sorted(set(wanted) - {p.username for p in found})
    if missing:
        raise ValidationError(
            {
                "recipients": _("Not an active member of this group: %(names)s.")
                % {"names": ", ".join(missing)}
            }
        )
    return found
