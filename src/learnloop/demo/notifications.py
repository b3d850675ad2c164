"""Demo network: notifications (issue 5).

Everyone gets notification settings (most a weekly digest, some daily, a few none or with
email off, a past digest date), and the demo logins get an inbox drawn from what really
happened to them in the demo year: stage changes on their ideas, answers to their
questions, comments on their work, shares of their products, decisions waiting for their
vote. Older ones are read, the last fortnight's are not. Nobody is told about anything
they may not see.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.urls import reverse

from learnloop.consolidation.models import (
    Decision,
    DecisionStatus,
    Idea,
    Stage,
    StageChange,
    Vote,
)
from learnloop.demo.content import DEMO_LOGINS, DEMO_ROLES
from learnloop.generation.models import Answer
from learnloop.notifications.models import (
    DigestRhythm,
    Notification,
    NotificationKind,
    NotificationSettings,
)
from learnloop.notifications.selectors import target_visible
from learnloop.sharing.models import Share

# The demo logins' own settings: what each one shows.
LOGIN_SETTINGS: dict[str, dict[str, Any]] = {
    # A steward who reads the weekly digest and mutes routine reminders (she leads them).
    "amara.okafor": {"rhythm": DigestRhythm.WEEKLY, "days": 3, "muted": ["routine"]},
    # A moderator who wants the daily digest.
    "rosa.jimenez": {"rhythm": DigestRhythm.DAILY, "days": 1, "muted": []},
    # A member with a weekly digest nearly due: a full preview.
    "tom.whitaker": {"rhythm": DigestRhythm.WEEKLY, "days": 6, "muted": []},
    # A partner who only wants answers and votes by email.
    "james.okonkwo": {
        "rhythm": DigestRhythm.DAILY,
        "days": 1,
        "muted": ["comment", "share", "routine", "meeting"],
    },
    "maria.lopez": {"rhythm": DigestRhythm.WEEKLY, "days": 5, "muted": []},
    # A funder who reads in the app only: no digest.
    "daniel.reyes": {"rhythm": DigestRhythm.NEVER, "days": 12, "muted": []},
}
UNREAD_DAYS = 14  # notifications newer than this are left unread
INBOX_DAYS = 90  # how far back the demo inboxes reach
PER_KIND = 6  # at most this many notifications of one kind per person


def build(b: Any) -> None:
    """Add this part of the demo; `b` is the demo builder (see builder._Builder)."""
    rng = random.Random("learnloop-demo-notifications")  # apart from b.rng: others stay put
    _settings(b, rng)
    made = _inboxes(b)
    Notification.objects.bulk_create(made, batch_size=500)


def _settings(b: Any, rng: random.Random) -> None:
    rows = []
    # `people`, not `everyone`: quiet members other parts add have settings too.
    for person in sorted(b.people.values(), key=lambda p: p.username):
        spec = LOGIN_SETTINGS.get(person.username)
        if spec is None:
            rhythm = rng.choices(
                [DigestRhythm.WEEKLY, DigestRhythm.DAILY, DigestRhythm.NEVER], weights=[6, 2, 2]
            )[0]
            days = rng.randint(1, 6) if rhythm == DigestRhythm.WEEKLY else 1
            spec = {
                "rhythm": rhythm,
                "days": days,
                "muted": sorted(rng.sample(["comment", "share", "routine"], rng.randint(0, 2))),
                "email_off": rng.random() < 0.08,
            }
        last = b.end - timedelta(days=spec["days"], hours=rng.randint(0, 5))
        rows.append(
            NotificationSettings(
                person=person,
                email_enabled=not spec.get("email_off", False),
                muted_kinds=spec["muted"],
                digest_rhythm=spec["rhythm"],
                last_digest_at=last if spec["rhythm"] != DigestRhythm.NEVER else None,
                updated_at=b.at(rng.randint(20, 200)),
            )
        )
    NotificationSettings.objects.bulk_create(rows, batch_size=500)


def _inboxes(b: Any) -> list[Notification]:
    made: list[Notification] = []
    since = b.end - timedelta(days=INBOX_DAYS)
    for login in DEMO_LOGINS:
        person = b.people.get(login.username)
        if person is None:
            continue
        found: list[tuple[datetime, str, str, str, str, Any, Any]] = []
        found += _stage_changes(person, since)
        found += _answers(person, since)
        found += _shares(person, since)
        found += _votes(person, since)
        found += _comments(b, person, since)
        found += _news(b, person)
        unread_from = b.end - timedelta(days=UNREAD_DAYS)
        for when, kind, title, body, url, target, actor in found:
            if target is not None and not target_visible(person, target):
                continue
            made.append(
                Notification(
                    recipient=person,
                    kind=kind,
                    actor=actor,
                    title=title[:300],
                    body=body[:5000],
                    url=url,
                    content_type=ContentType.objects.get_for_model(target) if target else None,
                    object_id=target.pk if target is not None else None,
                    created_at=when,
                    read_at=None if when >= unread_from else when + timedelta(hours=5),
                    emailed_at=when,
                )
            )
    return made


def _stage_changes(person: Any, since: datetime) -> list[Any]:
    ideas = Idea.objects.filter(author=person) | Idea.objects.filter(endorsements__person=person)
    changes = (
        StageChange.objects.filter(idea__in=ideas.distinct(), decided_at__gte=since)
        .exclude(decided_by=person)
        .select_related("idea", "decided_by")
        .order_by("-decided_at", "-id")[:PER_KIND]
    )
    return [
        (
            c.decided_at,
            NotificationKind.STAGE,
            f"“{c.idea.title}” is now at the stage: {Stage(c.to_stage).label}",
            f"{c.decided_by.name} moved it "
            f"{'from ' + Stage(c.from_stage).label + ' ' if c.from_stage else ''}"
            f"to {Stage(c.to_stage).label}. Why: {c.reason}",
            c.idea.get_absolute_url(),
            c.idea,
            c.decided_by,
        )
        for c in changes
    ]


def _answers(person: Any, since: datetime) -> list[Any]:
    answers = (
        Answer.objects.filter(question__author=person, created_at__gte=since, deleted_at=None)
        .exclude(author=person)
        .select_related("question", "author")
        .order_by("-created_at", "-id")[:PER_KIND]
    )
    return [
        (
            a.created_at,
            NotificationKind.ANSWER,
            f"{a.author.name} answered your question “{a.question.title}”",
            a.body,
            a.question.get_absolute_url(),
            a.question,
            a.author,
        )
        for a in answers
    ]


def _shares(person: Any, since: datetime) -> list[Any]:
    shares = (
        Share.objects.filter(product__author=person, shared_at__gte=since)
        .exclude(shared_by=person)
        .select_related("product", "shared_by")
        .order_by("-shared_at", "-id")[:PER_KIND]
    )
    return [
        (
            s.shared_at,
            NotificationKind.SHARE,
            f"“{s.product.title}” travelled to {s.audience}",
            s.response or s.note,
            s.product.get_absolute_url(),
            s.product,
            s.shared_by,
        )
        for s in shares
    ]


def _votes(person: Any, since: datetime) -> list[Any]:
    waiting = (
        Decision.objects.filter(status=DecisionStatus.OPEN, opened_at__gte=since)
        .filter(~Exists(Vote.objects.filter(decision=OuterRef("pk"), voter=person)))
        .exclude(proposed_by=person)
        .select_related("idea", "proposed_by")
        .order_by("-opened_at", "-id")[:PER_KIND]
    )
    return [
        (
            d.opened_at,
            NotificationKind.VOTE,
            f"A decision waits for your vote: {d.title}",
            d.rationale,
            d.get_absolute_url(),
            d,
            d.proposed_by,
        )
        for d in waiting
    ]


def _comments(b: Any, person: Any, since: datetime) -> list[Any]:
    """Comments on the person's ideas and products, from the builder's pending comments."""
    from learnloop.capture.models import KnowledgeProduct

    own: dict[tuple[int, int], Any] = {}
    mine: list[Any] = [*Idea.objects.filter(author=person)]
    mine += KnowledgeProduct.objects.filter(author=person)
    for item in mine:
        own[(b.content_type(type(item)).pk, item.pk)] = item
    rows = []
    for comment in sorted(b.comments, key=lambda c: c.created_at, reverse=True):
        item = own.get((comment.content_type_id, comment.object_id))
        if item is None or comment.author_id == person.pk or comment.created_at < since:
            continue
        rows.append(
            (
                comment.created_at,
                NotificationKind.COMMENT,
                f"{comment.author.name} commented on “{item.title}”",
                comment.body,
                item.get_absolute_url(),
                item,
                comment.author,
            )
        )
        if len(rows) >= PER_KIND:
            break
    return rows


def _news(b: Any, person: Any) -> list[Any]:
    """A note from a steward to everyone, and the routine reminder the demo says is due."""
    rows: list[Any] = []
    steward = next((p for p in b.stewards if p.pk != person.pk), None)
    rows.append(
        (
            b.end - timedelta(days=20, hours=3),
            NotificationKind.SYSTEM,
            "Choose how you hear from the network",
            "Notifications now come to your inbox here, and by email if you like: pick what "
            "you want by email, and a daily or weekly digest, in your notification settings.",
            reverse("notifications:settings"),
            None,
            steward,
        )
    )
    if person.username == DEMO_ROLES["member"]:
        rows.append(
            (
                b.end - timedelta(hours=6),
                NotificationKind.ROUTINE,
                "Your monthly summary is due",
                "Take twenty minutes to look back over what you learned and tried since the "
                "last one: tick what is worth sharing, say what supports it and who could "
                "help test it further.",
                reverse("routines:summary_new"),
                None,
                None,
            )
        )
    return rows
