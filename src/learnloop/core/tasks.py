"""Background work, through the django-tasks API (Django's own tasks framework, backported).

`learnloop worker` runs queued tasks from the database; tests run them immediately.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(
    *,
    to: list[str],
    subject: str,
    body: str,
    html: str = "",
    headers: dict[str, str] | None = None,
) -> int:
    """One email: plain text, an optional HTML alternative, optional extra headers (such
    as List-Unsubscribe)."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=to,
        from_email=settings.DEFAULT_FROM_EMAIL,
        headers=headers or None,
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
