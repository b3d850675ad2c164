"""`learnloop network refresh [--if-stale]`, `learnloop network show`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "The network map: `network refresh` computes the map of the last twelve months and "
        "the quarter snapshots that are missing (with --if-stale, only when the map is more "
        "than 20 hours old, as the background task does); `network show` prints the latest "
        "figures."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="Compute the network map now")
        refresh.add_argument(
            "--if-stale",
            action="store_true",
            help="Do nothing if the map is less than 20 hours old",
        )
        sub.add_parser("show", help="Print the latest figures of the map")

    def handle(self, *args: Any, **o: Any) -> None:
        getattr(self, f"_{o['action']}")(o)

    def _say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def _refresh(self, o: dict[str, Any]) -> None:
        from learnloop.network.services import network_refresh

        network_refresh(force=not o["if_stale"], progress=self._say)

    def _show(self, o: dict[str, Any]) -> None:
        from learnloop.network.models import NetworkSnapshot, SnapshotKind

        year = NetworkSnapshot.objects.filter(kind=SnapshotKind.YEAR).first()
        if year is None:
            self.stdout.write("No map yet: run `learnloop network refresh`.")
            return
        self.stdout.write(f"Computed {year.computed_at:%Y-%m-%d %H:%M} for {year.label}.")
        quarters = NetworkSnapshot.objects.filter(kind=SnapshotKind.QUARTER).order_by(
            "window_start"
        )
        for s in [*quarters, year]:
            silos = ", ".join(x["name"] for x in s.silos) or "none"
            self.stdout.write(
                f"{s.label}\t{s.people_count} people\t{s.tie_count} ties\t"
                f"{s.cross_share:.0%} across groups\tsilos: {silos}"
            )
