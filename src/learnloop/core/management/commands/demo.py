from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Load the demo network (deterministic) into an empty database and print the demo logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="Print nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        from learnloop.core.pagecache import bump_content_version
        from learnloop.demo.builder import DemoError, build_demo

        quiet = options["quiet"]
        try:
            summary = build_demo(progress=(lambda _m: None) if quiet else self.stdout.write)
        except DemoError as exc:
            raise CommandError(str(exc)) from None
        # Fit the semantic model and embed the demo's text, so related items, duplicate
        # suggestions and themes work from the first page (the builder skips it: tests
        # build the demo many times).
        if not quiet:
            self.stdout.write("Fitting the semantic model to the demo's text…")
        call_command("search_embed", "--quiet")
        bump_content_version()
        if not quiet:
            for line in summary.lines():
                self.stdout.write(line)


def print_logins(write: Any) -> None:
    from learnloop.demo.builder import DEMO_LOGINS, DEMO_PASSWORD

    write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for username, what in DEMO_LOGINS:
        write(f"  {username:<14} {what}")
