"""The network map: snapshots of the ties between people, computed in the background.

A snapshot is derived data. It is rebuilt from the records on every refresh and holds only
what every member may see: ties come from group memberships and from items visible to the
whole network (never from private drafts or group-only items).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class SnapshotKind(models.TextChoices):
    YEAR = "year", _("The last twelve months")
    QUARTER = "quarter", _("Quarter")


class NetworkSnapshot(models.Model):
    """The map of the network over one window of time.

    `data` holds the computed map (see `network.graph.compute` for its shape): people with
    their degree, betweenness, group reach and bridging score; groups with their ties in and
    out and a silo score; the ties with their weights; a fixed layout in 0..1 coordinates.
    The few figures the "how it changed" table needs are kept in columns as well, so that
    the table reads them without loading every map.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=SnapshotKind.choices)
    window_start = models.DateField(_("from"))  # inclusive
    window_end = models.DateField(_("until"))  # exclusive
    # A quarter still under way is recomputed on every refresh; a finished one is kept.
    complete = models.BooleanField(default=True)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now, db_index=True)
    seconds = models.FloatField(default=0.0)
    people_count = models.PositiveIntegerField(default=0)
    tie_count = models.PositiveIntegerField(default=0)
    cross_tie_count = models.PositiveIntegerField(default=0)
    silos = models.JSONField(default=list, blank=True)  # [{"slug", "name"}] at the time
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-window_end", "-computed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "window_start"],
                condition=models.Q(kind="quarter"),
                name="network_snapshot_one_per_quarter",
            ),
            models.CheckConstraint(
                condition=models.Q(window_end__gt=models.F("window_start")),
                name="network_snapshot_window_order",
            ),
        ]
        indexes = [models.Index(fields=["kind", "-computed_at"], name="network_snap_kind")]
        verbose_name = _("network snapshot")
        verbose_name_plural = _("network snapshots")

    def __str__(self) -> str:
        return f"{self.kind} {self.window_start}..{self.window_end}"

    @property
    def last_day(self) -> date:
        return self.window_end - timedelta(days=1)

    @property
    def label(self) -> str:
        """In plain words: "Jul-Sep 2024" (with an en dash), or "the last twelve months"."""
        if self.kind == SnapshotKind.YEAR:
            return str(_("the last twelve months"))
        first = date_format(self.window_start, "M")
        last = date_format(self.last_day, "M Y")
        return f"{first}\u2013{last}"

    @property
    def key(self) -> str:
        """How a URL names this window: "year" or "2024-q3"."""
        if self.kind == SnapshotKind.YEAR:
            return "year"
        return f"{self.window_start.year}-q{(self.window_start.month - 1) // 3 + 1}"

    @property
    def cross_share(self) -> float:
        return self.cross_tie_count / self.tie_count if self.tie_count else 0.0

    @property
    def summary(self) -> dict[str, Any]:
        return {
            "people": self.people_count,
            "ties": self.tie_count,
            "cross_group_ties": self.cross_tie_count,
            "cross_group_share": round(self.cross_share, 3),
            "silos": self.silos,
        }
