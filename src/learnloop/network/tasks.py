"""Background work for the network map, through the django-tasks API."""

from __future__ import annotations

from django_tasks import task


@task()
def network_refresh(force: bool = False) -> int:
    """Recompute the network map. `learnloop worker` queues this every few minutes (see
    settings.PERIODIC_TASKS); it does nothing while the map is less than 20 hours old, so
    the map is computed about once a day. A steward's "refresh now" passes `force`.
    Returns the number of snapshots computed."""
    from learnloop.network.services import network_refresh as refresh

    return len(refresh(force=force).computed)
