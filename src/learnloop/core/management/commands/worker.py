from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


def enqueue_periodic() -> int:
    """Queue each task named in settings.PERIODIC_TASKS (closing due decisions, routine
    reminders…); the worker then runs them like any other task."""
    queued = 0
    for path in settings.PERIODIC_TASKS:
        try:
            import_string(path).enqueue()
            queued += 1
        except Exception:  # one broken job must not stop the others, nor the worker
            log.exception("could not queue periodic task %s", path)
    return queued


class Command(BaseCommand):
    help = (
        "Run background tasks (emails, reminders, closing due decisions) with django-tasks' "
        "database worker; every --every seconds it also queues the periodic tasks."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then stop")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls")
        parser.add_argument(
            "--every",
            type=float,
            default=300.0,
            help="Seconds between rounds of periodic tasks; 0 turns them off",
        )

    def handle(self, *args: Any, **o: Any) -> None:
        if o["every"] > 0:
            enqueue_periodic()
            if not o["batch"]:
                stop = threading.Event()
                clock = threading.Thread(target=self._clock, args=(o["every"], stop), daemon=True)
                clock.start()
        extra = ["--batch"] if o["batch"] else []
        call_command("db_worker", "--interval", str(o["interval"]), *extra)

    @staticmethod
    def _clock(every: float, stop: threading.Event) -> None:
        from django.db import close_old_connections

        while not stop.wait(every):
            close_old_connections()
            enqueue_periodic()
