"""Writes for the network map: computing snapshots, and a steward's request for a refresh.

The map is computed in the background (`network.tasks.network_refresh`, queued by
`learnloop worker` from settings.PERIODIC_TASKS, or by a steward) or from the command line
(`learnloop network refresh`). One refresh computes the last twelve months, which the map
shows, and keeps one snapshot per calendar quarter, so that the map can say how the network
changed: finished quarters are computed once, the quarter under way on every refresh.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from learnloop.core import access
from learnloop.core.services import audit
from learnloop.network.graph import compute
from learnloop.network.models import NetworkSnapshot, SnapshotKind
from learnloop.network.ties import Window, collect

log = logging.getLogger(__name__)

# The periodic task runs every few minutes; the map is recomputed at most about daily.
FRESH_FOR = timedelta(hours=20)
QUARTERS = 4  # finished quarters to keep computed, besides the one under way
YEAR_DAYS = 365


@dataclass
class RefreshResult:
    skipped: bool = False
    computed: list[NetworkSnapshot] = field(default_factory=list)
    seconds: float = 0.0


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def next_quarter(start: date) -> date:
    return date(start.year + 1, 1, 1) if start.month == 10 else date(start.year, start.month + 3, 1)


def previous_quarter(start: date) -> date:
    return date(start.year - 1, 10, 1) if start.month == 1 else date(start.year, start.month - 3, 1)


def quarter_windows(today: date, count: int = QUARTERS) -> list[Window]:
    """The quarter under way, then the `count` finished ones before it (newest first)."""
    start = quarter_start(today)
    windows = [Window(start, next_quarter(start))]
    for _ in range(count):
        start = previous_quarter(start)
        windows.append(Window(start, next_quarter(start)))
    return windows


def year_window(today: date) -> Window:
    return Window(today - timedelta(days=YEAR_DAYS - 1), today + timedelta(days=1))


def latest_computed_at() -> Any:
    return (
        NetworkSnapshot.objects.filter(kind=SnapshotKind.YEAR)
        .order_by("-computed_at")
        .values_list("computed_at", flat=True)
        .first()
    )


def _first_joined() -> date | None:
    from learnloop.people.models import Person

    joined = (
        Person.objects.filter(is_active=True)
        .order_by("date_joined")
        .values_list("date_joined", flat=True)
    )
    first = joined.first()
    return timezone.localdate(first) if first else None


def _build(
    kind: str,
    window: Window,
    *,
    complete: bool,
    places: dict[int, tuple[float, float]] | None = None,
) -> NetworkSnapshot:
    started = time.perf_counter()
    data = compute(collect(window), places)
    totals = data["totals"]
    names = {g["id"]: g for g in data["groups"]}
    return NetworkSnapshot(
        kind=kind,
        window_start=window.start,
        window_end=window.end,
        complete=complete,
        computed_at=timezone.now(),
        seconds=round(time.perf_counter() - started, 3),
        people_count=totals["people"],
        tie_count=totals["ties"],
        cross_tie_count=totals["cross_group_ties"],
        silos=[{"slug": names[g]["slug"], "name": names[g]["name"]} for g in totals["silos"]],
        data=data,
    )


def network_refresh(
    *,
    force: bool = False,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> RefreshResult:
    """Compute the map of the last twelve months and the quarter snapshots that are missing
    (and the quarter under way). Without `force`, nothing happens while the latest map is
    less than FRESH_FOR old. Everything is computed first and written in one short
    transaction, so that people keep reading the previous map meanwhile."""
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    last = latest_computed_at()
    if not force and last is not None and timezone.now() - last < FRESH_FOR:
        say(f"The map was computed at {timezone.localtime(last):%Y-%m-%d %H:%M}; skipped.")
        return RefreshResult(skipped=True)
    day = today or timezone.localdate()

    window = year_window(day)
    say(f"Mapping the last twelve months ({window.start} to {day})…")
    year = _build(SnapshotKind.YEAR, window, complete=True)
    built = [year]
    # Each quarter keeps people where the year's map put them, so that switching between
    # them shows what changed rather than a new picture.
    places = {p["id"]: (p["x"], p["y"]) for p in year.data["people"]}
    have = set(
        NetworkSnapshot.objects.filter(kind=SnapshotKind.QUARTER, complete=True).values_list(
            "window_start", flat=True
        )
    )
    first_joined = _first_joined()
    for q in quarter_windows(day):
        under_way = q.end > day
        if (not under_way and q.start in have) or first_joined is None or q.end <= first_joined:
            continue  # kept already, or from before anyone joined
        say(f"Mapping the quarter {q.start} to {q.end - timedelta(days=1)}…")
        built.append(_build(SnapshotKind.QUARTER, q, complete=not under_way, places=places))

    try:
        with transaction.atomic():
            for snapshot in built:
                if snapshot.kind == SnapshotKind.QUARTER:
                    NetworkSnapshot.objects.filter(
                        kind=SnapshotKind.QUARTER, window_start=snapshot.window_start
                    ).delete()
                snapshot.save()
            # The map shows the newest twelve months; older ones have nothing to add.
            NetworkSnapshot.objects.filter(kind=SnapshotKind.YEAR).exclude(pk=year.pk).delete()
            audit(
                None,
                "refreshed the network map",
                year,
                people=year.people_count,
                ties=year.tie_count,
                quarters=len(built) - 1,
            )
    except IntegrityError:
        # Another refresh wrote the same quarter at the same moment: its map is as good.
        log.warning("network map refreshed twice at once; kept the other refresh")
        return RefreshResult(skipped=True)
    result = RefreshResult(computed=built, seconds=time.perf_counter() - started)
    say(
        f"Done in {result.seconds:.1f} s: {year.people_count} people, {year.tie_count} ties, "
        f"{len(year.silos)} silo(s); {len(built) - 1} quarter(s) computed."
    )
    return result


@transaction.atomic
def refresh_request(*, viewer: Any) -> None:
    """A steward asks for the map to be recomputed now (in the background)."""
    access.require_steward(viewer)
    from learnloop.network.tasks import network_refresh as task

    audit(viewer, "asked for a fresh network map")
    transaction.on_commit(lambda: task.enqueue(force=True))
