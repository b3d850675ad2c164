from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Load the demo network (deterministic) into an empty database and print the demo logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="Print only the logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        from learnloop.demo.builder import DemoError, build_demo

        started = time.perf_counter()
        quiet = options["quiet"]
        try:
            summary = build_demo(progress=(lambda _m: None) if quiet else self.stdout.write)
        except DemoError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Demo network loaded in {time.perf_counter() - started:.1f} s.")
        )
        print_logins(self.stdout.write)
        del summary


def print_logins(write: Any) -> None:
    from learnloop.demo.builder import DEMO_LOGINS, DEMO_PASSWORD

    write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for username, what in DEMO_LOGINS:
        write(f"  {username:<12} {what}")
