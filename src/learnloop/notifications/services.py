"""Writes for notifications. `notify` is the one way any app tells people something.

Email goes out through `core.notify` after the transaction commits, one message per person,
each with a one-click unsubscribe link (RFC 8058) that needs no login.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.core.notify import email_person
from learnloop.core.pagecache import bump_content_version
from learnloop.core.services import audit
from learnloop.notifications.models import (
    DigestRhythm,
    Notification,
    NotificationKind,
    NotificationSettings,
)
from learnloop.notifications.selectors import target_visible

BODY_LIMIT = 5000
log = logging.getLogger(__name__)


# Settings --------------------------------------------------------------------------------


def settings_for(person: Any) -> NotificationSettings:
    found, _created = NotificationSettings.objects.get_or_create(person=person)
    return found


def settings_for_many(people: Iterable[Any]) -> dict[int, NotificationSettings]:
    """Everyone's settings in two queries at most, creating the missing rows."""
    ids = {p.pk for p in people}
    found = {s.person_id: s for s in NotificationSettings.objects.filter(person_id__in=ids)}
    missing = [NotificationSettings(person_id=pk) for pk in sorted(ids - set(found))]
    if missing:
        NotificationSettings.objects.bulk_create(missing, ignore_conflicts=True)
        found = {s.person_id: s for s in NotificationSettings.objects.filter(person_id__in=ids)}
    return found


def unsubscribe_url(person_settings: NotificationSettings) -> str:
    path = reverse("notifications:unsubscribe", args=[person_settings.unsubscribe_token])
    return f"{settings.SITE_URL}{path}"


def unsubscribe_headers(person_settings: NotificationSettings) -> dict[str, str]:
    """RFC 2369 and RFC 8058: mail programs show an unsubscribe button that POSTs here."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(person_settings)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def email_footer_context(person_settings: NotificationSettings) -> dict[str, str]:
    return {
        "unsubscribe_url": unsubscribe_url(person_settings),
        "settings_url": f"{settings.SITE_URL}{reverse('notifications:settings')}",
    }


@transaction.atomic
def settings_update(
    *,
    person: Any,
    email_enabled: bool,
    muted_kinds: Iterable[str],
    digest_rhythm: str,
) -> NotificationSettings:
    access.require_member(person)
    muted = sorted(set(muted_kinds))
    unknown = [k for k in muted if k not in NotificationKind.values]
    if unknown:
        raise ValidationError(
            {"muted_kinds": _("Unknown kinds: %(kinds)s.") % {"kinds": ", ".join(unknown)}}
        )
    if digest_rhythm not in DigestRhythm.values:
        raise ValidationError({"digest_rhythm": _("Choose never, daily or weekly.")})
    found = settings_for(person)
    found.email_enabled = bool(email_enabled)
    found.muted_kinds = muted
    found.digest_rhythm = digest_rhythm
    found.updated_at = timezone.now()
    found.save(update_fields=["email_enabled", "muted_kinds", "digest_rhythm", "updated_at"])
    audit(
        person,
        "changed notification settings",
        found,
        email_enabled=found.email_enabled,
        digest_rhythm=digest_rhythm,
        muted_kinds=muted,
    )
    return found


@transaction.atomic
def unsubscribe(*, token: str) -> NotificationSettings:
    """Turn every email off for whoever holds this token (the link in each email); no
    login needed. The person turns email back on in their settings."""
    found = (
        NotificationSettings.objects.select_for_update()
        .select_related("person")
        .filter(unsubscribe_token=token)
        .first()
        if token
        else None
    )
    if found is None:
        raise Http404
    if found.email_enabled:
        found.email_enabled = False
        found.updated_at = timezone.now()
        found.save(update_fields=["email_enabled", "updated_at"])
        audit(found.person, "turned email off with the unsubscribe link", found)
    return found


# Reading -----------------------------------------------------------------------------------


def _after_read() -> None:
    # Marking read is not worth an audit row, but the header count on cached pages must
    # not lag behind: retire them like any other write does.
    transaction.on_commit(bump_content_version)


@transaction.atomic
def notification_mark_read(*, viewer: Any, notification: Notification) -> Notification:
    if notification.recipient_id != getattr(viewer, "pk", None):
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        _after_read()
    return notification


@transaction.atomic
def notifications_mark_all_read(*, viewer: Any) -> int:
    access.require_member(viewer)
    marked = Notification.objects.filter(recipient=viewer, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if marked:
        _after_read()
    return marked


# Telling people ------------------------------------------------------------------------------


def recently_told(
    *, kind: str, target: Any, since: datetime, recipients: Iterable[Any] | None = None
) -> set[int]:
    """Ids of the people who got a notification of this kind about this target since then
    (among `recipients`, when given): so a reminder or a request is not sent twice."""
    found = Notification.objects.filter(
        kind=kind,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        created_at__gte=since,
    )
    if recipients is not None:
        found = found.filter(recipient__in=recipients)
    return set(found.values_list("recipient_id", flat=True))


def _email_link(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


@transaction.atomic
def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    url: str = "",
    body: str = "",
    actor: Any = None,
    target: models.Model | None = None,
) -> list[Notification]:
    """Tell each recipient (once, never the actor themself) in the app, and by email when
    their settings allow it. Email goes out after commit through a background task.

    Nobody is told about a `target` they may not see: the check is made here, once, so
    that no caller can leak a private item through a notification.
    """
    if kind not in NotificationKind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    ct = ContentType.objects.get_for_model(target) if target is not None else None
    seen: set[int] = set()
    people: list[Any] = []
    for person in recipients:
        if person is None or person.pk in seen or not person.is_active:
            continue
        if actor is not None and person.pk == actor.pk:
            continue
        seen.add(person.pk)
        if target is not None and not target_visible(person, target):
            continue
        people.append(person)
    if not people:
        return []
    title = " ".join(title.split())[:300]
    body = body.strip()[:BODY_LIMIT]
    made = [
        Notification(
            recipient=person,
            kind=kind,
            actor=actor,
            title=title,
            body=body,
            url=url[:500],
            content_type=ct,
            object_id=target.pk if target is not None else None,
        )
        for person in people
    ]
    Notification.objects.bulk_create(made)

    every = settings_for_many(people)
    emailed: list[int] = []
    context = {
        "title": title,
        "body": body,
        "link": _email_link(url) if url else "",
        "kind_label": NotificationKind(kind).label,
        "actor": actor,
        "network_name": settings.NETWORK_NAME,
    }
    for n in made:
        mine = every[n.recipient.pk]
        if not mine.wants_email(kind):
            continue
        sent = email_person(
            person=n.recipient,
            subject=title,
            template="notifications/email.txt",
            html_template="notifications/email.html",
            context={**context, **email_footer_context(mine)},
            headers=unsubscribe_headers(mine),
        )
        if sent and n.pk:
            emailed.append(n.pk)
    if emailed:
        Notification.objects.filter(pk__in=emailed).update(emailed_at=timezone.now())
    # The header's unread count is part of every cached page.
    transaction.on_commit(bump_content_version)
    return made


# Digests -----------------------------------------------------------------------------------

RHYTHM_PERIOD = {
    DigestRhythm.DAILY: timedelta(days=1),
    DigestRhythm.WEEKLY: timedelta(days=7),
}
# The worker looks every few minutes; a digest is due a little before its full period is
# up so that a daily digest does not creep later by a few minutes each day.
DUE_SLACK = timedelta(hours=1)


@dataclass
class DigestOutcome:
    person: Any
    since: datetime
    until: datetime
    sent: bool
    reason: str  # "sent", "nothing new", "dry run"
    new_count: int
    digest: Any = None


def digest_window(
    person_settings: NotificationSettings, now: datetime
) -> tuple[datetime, datetime]:
    """From the end of the last digest (or one period back) to now: windows never overlap
    and never leave a gap."""
    period = RHYTHM_PERIOD.get(DigestRhythm(person_settings.digest_rhythm), timedelta(days=7))
    since = person_settings.last_digest_at or now - period
    return min(since, now), now


def digest_is_due(person_settings: NotificationSettings, now: datetime) -> bool:
    period = RHYTHM_PERIOD.get(DigestRhythm(person_settings.digest_rhythm))
    if period is None:
        return False
    last = person_settings.last_digest_at
    return last is None or now - last >= period - DUE_SLACK


def next_digest_at(person_settings: NotificationSettings, now: datetime) -> datetime | None:
    """When the next digest goes out, for the settings and preview pages."""
    period = RHYTHM_PERIOD.get(DigestRhythm(person_settings.digest_rhythm))
    if period is None or not person_settings.email_enabled:
        return None
    last = person_settings.last_digest_at
    if last is None:
        return now
    return max(now, last + period - DUE_SLACK)


def _digest_candidates(person: Any | None) -> models.QuerySet[NotificationSettings]:
    """Settings of active people with an address who want a digest by email."""
    from learnloop.people.models import Person

    people = Person.objects.filter(is_active=True).exclude(email="")
    if person is not None:
        people = people.filter(pk=person.pk)
    # People who never opened their settings get the defaults (a weekly digest).
    settings_for_many(list(people.filter(notification_settings__isnull=True).only("pk")))
    return (
        NotificationSettings.objects.filter(
            person__in=people,
            email_enabled=True,
            digest_rhythm__in=[DigestRhythm.DAILY, DigestRhythm.WEEKLY],
        )
        .select_related("person")
        .order_by("person_id")
    )


def digest_send(
    *,
    person_settings: NotificationSettings,
    now: datetime | None = None,
    dry_run: bool = False,
) -> DigestOutcome:
    """Build one person's digest for the window since their last one and email it when
    there is something new. The window is claimed first (compare-and-set on
    `last_digest_at`), so two workers never send the same digest twice."""
    from learnloop.sharing.digests import build_digest

    now = now or timezone.now()
    person = person_settings.person
    since, until = digest_window(person_settings, now)
    digest = build_digest(person=person, since=since, until=until)
    if dry_run:
        return DigestOutcome(person, since, until, False, "dry run", digest.new_count, digest)
    with transaction.atomic():
        claimed = NotificationSettings.objects.filter(
            pk=person_settings.pk, last_digest_at=person_settings.last_digest_at
        ).update(last_digest_at=until)
        if not claimed:
            return DigestOutcome(person, since, until, False, "taken", 0, digest)
        person_settings.last_digest_at = until
        if digest.is_empty:
            return DigestOutcome(person, since, until, False, "nothing new", 0, digest)
        email_person(
            person=person,
            subject=digest.subject,
            template="sharing/digest_email.txt",
            html_template="sharing/digest_email.html",
            context={
                "digest": digest,
                "rhythm_label": person_settings.get_digest_rhythm_display(),
                **email_footer_context(person_settings),
            },
            headers=unsubscribe_headers(person_settings),
        )
    return DigestOutcome(person, since, until, True, "sent", digest.new_count, digest)


def digests_send_due(
    *,
    now: datetime | None = None,
    force: bool = False,
    dry_run: bool = False,
    person: Any | None = None,
) -> list[DigestOutcome]:
    """Send every digest that is due (or every digest, with `force`); safe to run often
    and from several workers at once."""
    now = now or timezone.now()
    outcomes = []
    for person_settings in _digest_candidates(person):
        if not force and not digest_is_due(person_settings, now):
            continue
        try:
            outcomes.append(digest_send(person_settings=person_settings, now=now, dry_run=dry_run))
        except Exception:  # one person's broken digest must not stop everyone else's
            log.exception("could not send the digest of person %s", person_settings.person_id)
    return outcomes
