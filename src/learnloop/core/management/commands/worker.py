from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background tasks (emails, reminders): django-tasks' database worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then stop")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls")

    def handle(self, *args: Any, **o: Any) -> None:
        extra = ["--batch"] if o["batch"] else []
        call_command("db_worker", "--interval", str(o["interval"]), *extra)
