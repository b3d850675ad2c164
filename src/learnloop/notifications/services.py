"""Writes for notifications. `notify` is the one way any app tells people something."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from learnloop.core.notify import email_people
from learnloop.notifications.models import Notification, NotificationSettings


def settings_for(person: Any) -> NotificationSettings:
    found, _created = NotificationSettings.objects.get_or_create(person=person)
    return found


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
    their settings allow it. Email goes out after commit through a background task."""
    ct = ContentType.objects.get_for_model(target) if target is not None else None
    seen: set[int] = set()
    made: list[Notification] = []
    for person in recipients:
        if person is None or person.pk in seen or not person.is_active:
            continue
        if actor is not None and person.pk == actor.pk:
            continue
        seen.add(person.pk)
        made.append(
            Notification(
                recipient=person,
                kind=kind,
                actor=actor,
                title=title[:300],
                body=body,
                url=url,
                content_type=ct,
                object_id=target.pk if target is not None else None,
            )
        )
    Notification.objects.bulk_create(made)
    emailed = [n for n in made if settings_for(n.recipient).wants_email(kind)]
    if emailed:
        email_people(
            people=[n.recipient for n in emailed],
            subject=title[:200],
            template="notifications/email.txt",
            context={"title": title, "body": body, "url": url},
        )
        Notification.objects.filter(pk__in=[n.pk for n in emailed if n.pk]).update(
            emailed_at=timezone.now()
        )
    return made
