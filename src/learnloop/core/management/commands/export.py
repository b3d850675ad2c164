from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Export the whole network (records and uploaded files) as one JSON file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="File to write, or - for standard output")

    def handle(self, *args: Any, **o: Any) -> None:
        from learnloop.core.network_file import export_network, summary

        progress = self.stderr.write
        if o["path"] == "-":
            counts = export_network(sys.stdout, progress=progress)
        else:
            with open(o["path"], "w", encoding="utf-8") as out:
                counts = export_network(out, progress=progress)
        self.stderr.write(self.style.SUCCESS(f"Exported {summary(counts)}."))
