"""Background work for notifications, through the django-tasks API.

`learnloop worker` queues `send_due_digests` every few minutes (settings.PERIODIC_TASKS);
it is safe to run that often, and from several workers at once.
"""

from __future__ import annotations

from django_tasks import task


@task()
def send_due_digests() -> int:
    """Email each person whose digest is due what is new for them; returns how many
    digests went out (people with nothing new get none)."""
    from learnloop.notifications.services import digests_send_due

    return sum(1 for outcome in digests_send_due() if outcome.sent)
