"""Background work for consolidation, through the django-tasks API.

`learnloop worker` queues the periodic ones (settings.PERIODIC_TASKS) every few minutes;
each is safe to run as often as that.
"""

from __future__ import annotations

from django_tasks import task


@task()
def send_routine_reminders() -> int:
    """Email the people a due routine waits for (once a day per routine)."""
    from learnloop.consolidation.routines import send_due_reminders

    return send_due_reminders()


@task()
def close_due_decisions() -> int:
    """Count the votes of every decision whose time is up; `learnloop worker` queues this
    every few minutes, and a decision's page closes it too when read."""
    from learnloop.consolidation.decisions import decisions_close_due

    return len(decisions_close_due())
