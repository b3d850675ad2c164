from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def optimize_database() -> None:
    """SQLite plans queries from table statistics only once ANALYZE has gathered them."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = "Migrate, collect static files and serve LearnLoop with gunicorn on 127.0.0.1."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 3))
        )
        parser.add_argument(
            "--demo", action="store_true", help="Load the demo network if the database is empty"
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="Skip migrations (another node runs them)"
        )

    def handle(self, *args: Any, **o: Any) -> None:
        from learnloop.people.models import Person

        if not o["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
            optimize_database()
        call_command("collectstatic", interactive=False, verbosity=0)
        if o["demo"] and not Person.objects.exists():
            self.stdout.write("Loading the demo network (first run only)…")
            call_command("demo", quiet=True)
        address = f"http://{o['host']}:{o['port']}/"
        self.stdout.write(self.style.SUCCESS(f"LearnLoop is starting at {address}"))
        if o["demo"]:
            from learnloop.core.management.commands.demo import print_logins

            print_logins(self.stdout.write)
        self.stdout.write(f"Data directory: {settings.DATA_DIR}. Press Ctrl+C to stop.")
        sys.stdout.flush()
        os.execvp(  # noqa: S606 - replace this process with gunicorn
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "learnloop.wsgi:application",
                "--bind",
                f"{o['host']}:{o['port']}",
                "--workers",
                str(o["workers"]),
                "--access-logfile",
                "-",
                "--timeout",
                "60",
            ],
        )
