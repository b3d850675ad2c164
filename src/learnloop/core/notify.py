"""Tell people by email that something needs them. Mail goes out after the transaction
commits, through a background task, so a slow mail server never slows a page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from learnloop.core.tasks import send_email


def email_people(
    *, people: Iterable[Any], subject: str, template: str, context: dict[str, Any]
) -> None:
    """Render `template` (a .txt template) per recipient and queue one email each."""
    for person in people:
        if not getattr(person, "email", "") or not person.is_active:
            continue
        body = render_to_string(
            template, {**context, "person": person, "site_url": settings.SITE_URL}
        )
        _queue(to=[person.email], subject=subject, body=body)


def email_person(
    *,
    person: Any,
    subject: str,
    template: str,
    context: dict[str, Any],
    html_template: str = "",
    headers: dict[str, str] | None = None,
) -> bool:
    """One email to one person: `template` (.txt) as the body, `html_template` rendered as
    an HTML alternative when given, and extra `headers` (List-Unsubscribe and the like).
    Returns False when the person has no address or is no longer active."""
    if not getattr(person, "email", "") or not person.is_active:
        return False
    full = {**context, "person": person, "site_url": settings.SITE_URL}
    body = render_to_string(template, full)
    html = render_to_string(html_template, full) if html_template else ""
    _queue(to=[person.email], subject=subject, body=body, html=html, headers=headers)
    return True


def email_address(*, to: str, subject: str, template: str, context: dict[str, Any]) -> None:
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    _queue(to=[to], subject=subject, body=body)


def _queue(
    *,
    to: list[str],
    subject: str,
    body: str,
    html: str = "",
    headers: dict[str, str] | None = None,
) -> None:
    # Subjects are one line: a title with a line break in it would break the header.
    subject = " ".join(subject.split())
    extra: dict[str, Any] = {}
    if html:
        extra["html"] = html
    if headers:
        extra["headers"] = dict(headers)

    def enqueue() -> None:
        send_email.enqueue(to=to, subject=subject, body=body, **extra)

    transaction.on_commit(enqueue)
