from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Import a network file made by `learnloop export` into an empty database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="File to read, or - for standard input")

    def handle(self, *args: Any, **o: Any) -> None:
        from learnloop.core.network_file import NetworkFileError, import_network, summary

        try:
            if o["path"] == "-":
                counts = import_network(sys.stdin, progress=self.stdout.write)
            else:
                with open(o["path"], encoding="utf-8") as source:
                    counts = import_network(source, progress=self.stdout.write)
        except FileNotFoundError:
            raise CommandError(f"No such file: {o['path']}") from None
        except NetworkFileError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Imported {summary(counts)}."))
