"""The process map as successive waves: one band per phase, months across, the band as thick
as the number of items that entered the phase that month. Pure geometry; the template
draws it as inline SVG (no script, no inline style)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from django.utils.formats import date_format

from learnloop.health.selectors import Flows

WIDTH = 760
LABEL_W = 130
ROW_H = 64
BAND_MAX = 52  # the thickest band, leaving a little air between rows
TOP = 8
AXIS_H = 34
MIN_VISIBLE = 1.5  # a month with any activity is never drawn thinner than this
# A quiet network's single item should not fill a whole row: the scale starts at this peak.
MIN_PEAK = 5


@dataclass
class Cell:
    x: float
    y: float
    w: float
    h: float
    tip: str


@dataclass
class Band:
    key: str
    label: str
    path: str
    cy: float
    label_y: float
    empty: bool
    cells: list[Cell]


@dataclass
class Tick:
    x: float
    label: str
    year: str


@dataclass
class Wave:
    width: int
    height: int
    plot_left: int
    plot_right: int
    bands: list[Band]
    ticks: list[Tick]
    peak: int


def _fmt(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _smooth(points: list[tuple[float, float]]) -> str:
    """Cubic curves through the points, flat at each point (no overshoot)."""
    parts = []
    for (x0, y0), (x1, y1) in pairwise(points):
        mx = (x0 + x1) / 2
        parts.append(f"C{_fmt(mx)},{_fmt(y0)} {_fmt(mx)},{_fmt(y1)} {_fmt(x1)},{_fmt(y1)}")
    return " ".join(parts)


def wave(flows: Flows) -> Wave:
    n = len(flows.months)
    right = WIDTH - 10
    col = (right - LABEL_W) / n
    xs = [LABEL_W + col * (i + 0.5) for i in range(n)]
    peak = flows.peak
    scale = max(peak, MIN_PEAK)
    bands = []
    for row, phase in enumerate(flows.phases):
        cy = TOP + ROW_H * row + ROW_H / 2
        thick = [0.0 if c == 0 else max(MIN_VISIBLE, BAND_MAX * c / scale) for c in phase.entered]
        xs_full = [float(LABEL_W), *xs, float(right)]
        th_full = [thick[0], *thick, thick[-1]]
        upper = [(x, cy - t / 2) for x, t in zip(xs_full, th_full, strict=True)]
        lower = [(x, cy + t / 2) for x, t in zip(xs_full, th_full, strict=True)][::-1]
        path = (
            f"M{_fmt(upper[0][0])},{_fmt(upper[0][1])} {_smooth(upper)} "
            f"L{_fmt(lower[0][0])},{_fmt(lower[0][1])} {_smooth(lower)} Z"
        )
        cells = [
            Cell(
                x=LABEL_W + col * i,
                y=cy - ROW_H / 2,
                w=col,
                h=ROW_H,
                tip=f"{phase.label}, {date_format(m, 'F Y')}: {phase.entered[i]}",
            )
            for i, m in enumerate(flows.months)
        ]
        bands.append(
            Band(
                phase.key,
                phase.label,
                path,
                cy,
                cy + 4,
                phase.entered_total == 0,
                cells,
            )
        )
    height = TOP + ROW_H * len(flows.phases) + AXIS_H
    ticks = [
        Tick(
            x,
            date_format(m, "M"),
            str(m.year) if (i == 0 or m.month == 1) else "",
        )
        for i, (x, m) in enumerate(zip(xs, flows.months, strict=True))
    ]
    return Wave(WIDTH, height, LABEL_W, right, bands, ticks, peak)
