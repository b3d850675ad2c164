"""Background work for group meetings, through the django-tasks API (`learnloop worker`
queues it every few minutes: settings.PERIODIC_TASKS)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_meeting_reminders() -> int:
    """Remind each group's members of a meeting a day before it; once per meeting."""
    from learnloop.community.meeting_reminders import send_meeting_reminders as send

    return send()
