"""Run-chart analysis: the median and the four standard signals of non-random variation.

Pure Python, no Django: a list of numbers in time order goes in, a `RunChart` comes out.

The rules (Perla, Provost & Murray, "The run chart: a simple analytical tool for learning
from variation in healthcare processes", BMJ Quality & Safety 2011):

* **Shift**: six or more consecutive points all above or all below the median. Points that
  fall exactly on the median neither add to a shift nor break it.
* **Trend**: five or more consecutive points all going up or all going down. When two or
  more successive points have the same value, only one of them is counted; the repeat
  neither adds to the trend nor breaks it.
* **Too few or too many runs**: a run is one or more consecutive points on the same side of
  the median (points on the median are skipped). With 10 to 60 useful observations (points
  not on the median) the number of runs is compared with the published table below; with
  fewer than 10 the test is not applied; beyond 60 the same limits come from the normal
  approximation of the runs distribution (Swed & Eisenhart 1943) at about 5 % risk.
* **Astronomical point**: our rule, since the standard one is a judgement call: a point
  beyond Tukey's "far out" fences, that is more than three interquartile ranges below the
  first quartile or above the third. Quartiles are insensitive to a shift in level, so a
  process that has improved does not make its new normal look astronomical. Not applied
  with fewer than 5 points or when the interquartile range is zero (most points share one
  value).
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

SHIFT_LENGTH = 6
TREND_LENGTH = 5
MIN_RUNS_POINTS = 10
MAX_TABLE_POINTS = 60
MIN_ASTRONOMICAL_POINTS = 5
FAR_OUT = 3  # interquartile ranges beyond the quartiles

# Number of useful observations → (lower, upper) limits for the number of runs.
# Fewer runs than `lower` is "too few"; more than `upper` is "too many".
# Table 1 of Perla, Provost & Murray (2011), based on Swed & Eisenhart (1943), ~5 % risk.
RUNS_TABLE: dict[int, tuple[int, int]] = {
    10: (3, 9), 11: (3, 10), 12: (3, 11), 13: (4, 11), 14: (4, 12),
    15: (5, 12), 16: (5, 13), 17: (5, 13), 18: (6, 14), 19: (6, 15),
    20: (6, 16), 21: (7, 16), 22: (7, 17), 23: (7, 17), 24: (8, 18),
    25: (8, 18), 26: (9, 19), 27: (10, 19), 28: (10, 20), 29: (10, 20),
    30: (11, 21), 31: (11, 22), 32: (11, 22), 33: (11, 23), 34: (12, 23),
    35: (13, 24), 36: (13, 24), 37: (13, 25), 38: (14, 25), 39: (14, 26),
    40: (15, 26), 41: (16, 26), 42: (16, 27), 43: (17, 27), 44: (17, 28),
    45: (17, 29), 46: (17, 30), 47: (18, 30), 48: (18, 31), 49: (19, 31),
    50: (19, 32), 51: (20, 32), 52: (20, 33), 53: (21, 33), 54: (21, 34),
    55: (22, 34), 56: (22, 35), 57: (23, 35), 58: (23, 36), 59: (24, 36),
    60: (24, 37),
}  # fmt: skip


@dataclass(frozen=True)
class Span:
    """A signal over consecutive points: `start`..`end` are indices into the input."""

    kind: str  # "shift" | "trend"
    start: int
    end: int
    direction: str  # "up" | "down"
    indices: tuple[int, ...]  # the points that make the signal (median points excluded)


@dataclass(frozen=True)
class RunsTest:
    useful: int
    runs: int
    lower: int | None
    upper: int | None
    applied: bool
    verdict: str  # "too_few" | "too_many" | "ok" | "not_applied"


@dataclass
class RunChart:
    values: list[float]
    median: float | None
    shifts: list[Span] = field(default_factory=list)
    trends: list[Span] = field(default_factory=list)
    runs: RunsTest | None = None
    astronomical: list[int] = field(default_factory=list)
    fences: tuple[float, float] | None = None

    @property
    def has_signal(self) -> bool:
        verdict = self.runs.verdict if self.runs else "ok"
        return bool(
            self.shifts or self.trends or self.astronomical or verdict in {"too_few", "too_many"}
        )

    def signals_at(self, index: int) -> list[str]:
        """The signals a point takes part in, for marking it on the chart and in tables."""
        found = [s.kind for s in (*self.shifts, *self.trends) if index in s.indices]
        if index in self.astronomical:
            found.append("astronomical")
        return sorted(set(found))


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2


def _side(value: float, centre: float) -> int:
    return 0 if value == centre else (1 if value > centre else -1)


def find_shifts(values: Sequence[float], centre: float, length: int = SHIFT_LENGTH) -> list[Span]:
    spans: list[Span] = []
    current: list[int] = []
    current_side = 0
    for i, value in enumerate(values):
        side = _side(value, centre)
        if side == 0:
            continue  # on the median: skipped, neither counts nor breaks
        if side != current_side:
            if len(current) >= length:
                spans.append(_span("shift", current, current_side))
            current, current_side = [], side
        current.append(i)
    if len(current) >= length:
        spans.append(_span("shift", current, current_side))
    return spans


def _span(kind: str, indices: list[int], sign: int) -> Span:
    return Span(
        kind=kind,
        start=indices[0],
        end=indices[-1],
        direction="up" if sign > 0 else "down",
        indices=tuple(indices),
    )


def find_trends(values: Sequence[float], length: int = TREND_LENGTH) -> list[Span]:
    # Collapse repeats: a run of equal values counts as its first point.
    kept: list[int] = []
    for i, value in enumerate(values):
        if not kept or value != values[kept[-1]]:
            kept.append(i)
    spans: list[Span] = []
    start = 0  # position in `kept` where the current monotone stretch begins
    direction = 0
    for pos in range(1, len(kept)):
        step = 1 if values[kept[pos]] > values[kept[pos - 1]] else -1
        if step != direction:
            if direction and pos - start >= length:
                spans.append(_trend(values, kept[start:pos], direction))
            start = pos - 1  # the turning point belongs to both stretches
            direction = step
    if direction and len(kept) - start >= length:
        spans.append(_trend(values, kept[start:], direction))
    return spans


def _trend(values: Sequence[float], kept: list[int], sign: int) -> Span:
    # Repeated values inside the stretch are part of it on the chart, so mark them too.
    indices = list(range(kept[0], kept[-1] + 1))
    return _span("trend", indices, sign)


def runs_limits(useful: int, above: int, below: int) -> tuple[int, int] | None:
    if useful < MIN_RUNS_POINTS:
        return None
    if useful <= MAX_TABLE_POINTS:
        return RUNS_TABLE[useful]
    # Normal approximation of the number of runs for `above` and `below` points.
    n1, n2, n = above, below, above + below
    if not n1 or not n2:
        return (2, n)
    mean = 2 * n1 * n2 / n + 1
    sd = math.sqrt(2 * n1 * n2 * (2 * n1 * n2 - n) / (n * n * (n - 1)))
    return (math.ceil(mean - 1.96 * sd), math.floor(mean + 1.96 * sd))


def runs_test(values: Sequence[float], centre: float) -> RunsTest:
    sides = [s for s in (_side(v, centre) for v in values) if s]
    useful = len(sides)
    runs = (1 + sum(1 for a, b in itertools.pairwise(sides) if a != b)) if sides else 0
    limits = runs_limits(useful, sides.count(1), sides.count(-1))
    if limits is None:
        return RunsTest(useful, runs, None, None, False, "not_applied")
    lower, upper = limits
    verdict = "too_few" if runs < lower else ("too_many" if runs > upper else "ok")
    return RunsTest(useful, runs, lower, upper, True, verdict)


def quartiles(values: Sequence[float]) -> tuple[float, float]:
    """First and third quartiles, by linear interpolation between the closest ranks (the
    'inclusive' method, as spreadsheets' QUARTILE computes them)."""
    q1, _q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q3


def find_astronomical(values: Sequence[float]) -> tuple[list[int], tuple[float, float] | None]:
    if len(values) < MIN_ASTRONOMICAL_POINTS:
        return [], None
    q1, q3 = quartiles(values)
    iqr = q3 - q1
    if iqr == 0:
        return [], None
    low, high = q1 - FAR_OUT * iqr, q3 + FAR_OUT * iqr
    return [i for i, v in enumerate(values) if v < low or v > high], (low, high)


def analyze(values: Sequence[float]) -> RunChart:
    """The median and every signal for a series of numbers in time order."""
    data = [float(v) for v in values]
    centre = median(data)
    if centre is None:
        return RunChart(values=data, median=None)
    astronomical, fences = find_astronomical(data)
    return RunChart(
        values=data,
        median=centre,
        shifts=find_shifts(data, centre),
        trends=find_trends(data),
        runs=runs_test(data, centre),
        astronomical=astronomical,
        fences=fences,
    )
