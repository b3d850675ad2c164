"""Reads for measures. Measures and their data belong to the whole network: every member
sees them; visitors who are not logged in see none."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from learnloop.core import access
from learnloop.measures import runchart
from learnloop.measures.models import Aggregation, DataPoint, Direction, Measure, MeasureLink
from learnloop.measures.periods import period_label
from learnloop.measures.services import can_change_point, can_unlink

NETWORK = "network"


def measure_list(*, viewer: Any, active: bool | None = None) -> QuerySet[Measure]:
    if not access.is_member(viewer):
        return Measure.objects.none()
    qs = Measure.objects.all()
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by("-active", "name")


def get_measure_for(viewer: Any, slug: Any, *, write: bool = False) -> Measure:
    """404 for anyone who is not a member; 403 for a member who may not change it."""
    if not access.is_member(viewer):
        raise Http404
    measure = Measure.objects.filter(slug=str(slug)).first()
    if measure is None:
        raise Http404
    if write and not access.is_steward(viewer):
        raise PermissionDenied
    return measure


def get_point_for(viewer: Any, pk: Any, *, write: bool = False) -> DataPoint:
    if not access.is_member(viewer):
        raise Http404
    try:
        point = DataPoint.objects.select_related("measure", "group", "reported_by").get(pk=pk)
    except (DataPoint.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_change_point(viewer, point):
        raise PermissionDenied
    return point


def get_link_for(viewer: Any, pk: Any, *, write: bool = False) -> MeasureLink:
    if not access.is_member(viewer):
        raise Http404
    link = (
        _visible_links(viewer)
        .select_related("measure", "idea", "test_cycle")
        .filter(pk=pk if str(pk).isdigit() else 0)
        .first()
    )
    if link is None:
        raise Http404
    if write and not can_unlink(viewer, link):
        raise PermissionDenied
    return link


def data_point_list(
    *,
    viewer: Any,
    measure: Measure,
    group: str | None = None,
    site: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[DataPoint]:
    if not access.is_member(viewer):
        return DataPoint.objects.none()
    qs = DataPoint.objects.filter(measure=measure)
    if group:
        qs = qs.filter(group__slug=group)
    if site:
        qs = qs.filter(site__iexact=site)
    if start:
        qs = qs.filter(period__gte=start)
    if end:
        qs = qs.filter(period__lte=end)
    return qs.select_related("measure", "group", "reported_by").order_by(
        "period", "group__name", "site", "breakdown_key", "id"
    )


# Series and run charts ------------------------------------------------------------------


@dataclass
class Series:
    key: str
    label: str
    periods: list[date] = field(default_factory=list)
    values: list[Decimal] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)  # how many figures make each value
    analysis: runchart.RunChart | None = None

    def analyze(self) -> Series:
        self.analysis = runchart.analyze([float(v) for v in self.values])
        return self

    @property
    def latest(self) -> Decimal | None:
        return self.values[-1] if self.values else None


def series_key(point: DataPoint) -> str:
    if point.group is not None:
        key = f"group:{point.group.slug}"
        return f"{key}/site:{point.site}" if point.site else key
    return f"site:{point.site}"


def series_label(point: DataPoint) -> str:
    if point.group is not None:
        return f"{point.group.name} · {point.site}" if point.site else point.group.name
    return point.site


def aggregate(values: list[Decimal], how: str) -> Decimal:
    total = sum(values, Decimal(0))
    if how == Aggregation.SUM:
        return total
    return (total / len(values)).quantize(Decimal("0.0001"))


def _by_period(points: list[DataPoint], how: str, key: str, label: str) -> Series:
    buckets: dict[date, list[Decimal]] = defaultdict(list)
    for p in points:
        buckets[p.period].append(p.value)
    series = Series(key=key, label=label)
    for period in sorted(buckets):
        series.periods.append(period)
        series.values.append(aggregate(buckets[period], how))
        series.counts.append(len(buckets[period]))
    return series.analyze()


def group_series(points: list[DataPoint]) -> list[Series]:
    """One series per group (or group and site) and per site, from total figures."""
    by_key: dict[str, list[DataPoint]] = defaultdict(list)
    labels: dict[str, str] = {}
    for p in points:
        key = series_key(p)
        by_key[key].append(p)
        labels[key] = series_label(p)
    result = []
    for key, rows in by_key.items():
        rows.sort(key=lambda p: p.period)
        s = Series(key=key, label=labels[key])
        for p in rows:
            s.periods.append(p.period)
            s.values.append(p.value)
            s.counts.append(1)
        result.append(s.analyze())
    return sorted(result, key=lambda s: s.label.casefold())


def network_series(measure: Measure, points: list[DataPoint]) -> Series:
    return _by_period(points, measure.aggregation, NETWORK, str(_network_label(measure)))


def _network_label(measure: Measure) -> str:
    from django.utils.translation import gettext as _

    if measure.aggregation == Aggregation.SUM:
        return _("Whole network (sum)")
    return _("Whole network (mean)")


@dataclass
class Breakdown:
    name: str
    lines: list[Series]
    latest_period: date | None
    latest_rows: list[dict[str, Any]]


def breakdowns(measure: Measure, points: list[DataPoint]) -> list[Breakdown]:
    """Per breakdown (population group, grade…): one line per value, combined across groups
    and sites the same way as the network figure, and the gap at the latest period in which
    two or more values were reported. A figure counts here when its breakdown names exactly
    this one dimension."""
    result = []
    for name in measure.breakdowns:
        by_value: dict[str, list[DataPoint]] = defaultdict(list)
        for p in points:
            if list(p.breakdown) == [name]:
                by_value[p.breakdown[name]].append(p)
        lines = [
            _by_period(rows, measure.aggregation, f"{name}={value}", value)
            for value, rows in sorted(by_value.items(), key=lambda kv: kv[0].casefold())
        ]
        latest_period, rows = _latest_gap(measure, lines)
        result.append(Breakdown(name, lines, latest_period, rows))
    return result


def _latest_gap(measure: Measure, lines: list[Series]) -> tuple[date | None, list[dict[str, Any]]]:
    periods = sorted({p for line in lines for p in line.periods}, reverse=True)
    for period in periods:
        figures = [
            (line.label, line.values[line.periods.index(period)])
            for line in lines
            if period in line.periods
        ]
        if len(figures) < 2:
            continue
        pick = max if measure.direction == Direction.HIGHER else min
        best = pick(v for _label, v in figures)
        rows = [
            {"label": label, "value": value, "gap": abs(best - value), "best": value == best}
            for label, value in figures
        ]
        rows.sort(key=lambda r: (r["gap"], str(r["label"])))
        return period, rows
    return None, []


def _visible_links(viewer: Any) -> QuerySet[MeasureLink]:
    return MeasureLink.objects.filter(
        (Q(idea__isnull=False) & access.visible_q(viewer, "idea__"))
        | (Q(test_cycle__isnull=False) & access.visible_q(viewer, "test_cycle__"))
    )


def measure_links(*, viewer: Any, measure: Measure) -> list[MeasureLink]:
    links = list(
        _visible_links(viewer)
        .filter(measure=measure)
        .select_related("idea", "test_cycle", "linked_by")
        .order_by("-linked_at", "-id")
    )
    for link in links:
        link.may_unlink = can_unlink(viewer, link)  # type: ignore[attr-defined]
    return links


def linkable_ideas(*, viewer: Any, measure: Measure, limit: int = 200) -> QuerySet[Any]:
    from learnloop.consolidation.models import Idea

    return (
        access.visible(viewer, Idea.objects.all())
        .exclude(measure_links__measure=measure)
        .order_by("title")
        .only("id", "title", "stage")[:limit]
    )


def linkable_test_cycles(*, viewer: Any, measure: Measure, limit: int = 200) -> QuerySet[Any]:
    from learnloop.generation.models import TestCycle

    return (
        access.visible(viewer, TestCycle.objects.all())
        .exclude(measure_links__measure=measure)
        .order_by("title")
        .only("id", "title")[:limit]
    )


def measure_dashboard(*, viewer: Any, measure: Measure, series: str | None = None) -> dict:
    """Everything the measure page shows, from one query for the data."""
    points = list(
        DataPoint.objects.filter(measure=measure)
        .select_related("group", "reported_by")
        .order_by("period", "id")
    )
    totals = [p for p in points if not p.breakdown_key]
    network = network_series(measure, totals)
    per_group = group_series(totals)
    chosen = next((s for s in per_group if s.key == series), network)
    recent = sorted(points, key=lambda p: (p.reported_at, p.pk), reverse=True)[:20]
    for p in recent:
        p.may_change = can_change_point(viewer, p)  # type: ignore[attr-defined]
    return {
        "points_count": len(points),
        "network": network,
        "series_list": per_group,
        "chosen": chosen,
        "breakdowns": breakdowns(measure, points),
        "recent": recent,
        "links": measure_links(viewer=viewer, measure=measure),
    }


def measure_overview(*, viewer: Any, measures: list[Measure]) -> list[dict[str, Any]]:
    """Each measure with its network figure over time (for the sparkline): one query."""
    by_measure: dict[int, list[DataPoint]] = defaultdict(list)
    rows = DataPoint.objects.filter(measure__in=[m.pk for m in measures], breakdown_key="").only(
        "measure_id", "period", "value"
    )
    for p in rows:
        by_measure[p.measure_id].append(p)
    return [
        {"measure": m, "network": network_series(m, by_measure.get(m.pk, []))} for m in measures
    ]


def idea_charts(*, viewer: Any, idea: Any = None, test_cycle: Any = None) -> list[dict[str, Any]]:
    """The measures an idea (or a test cycle) aims to move, each with its network figures."""
    target = {"idea": idea} if idea is not None else {"test_cycle": test_cycle}
    if not access.is_member(viewer) or (idea is None and test_cycle is None):
        return []
    links = MeasureLink.objects.filter(**target).select_related("measure").order_by("measure__name")
    return measure_overview(viewer=viewer, measures=[link.measure for link in links])


def label_for(measure: Measure, period: date) -> str:
    return period_label(period, measure.frequency)
