"""Chart geometry for server-rendered SVG: numbers in, coordinates and labels out. The
templates draw them; nothing here needs JavaScript or anything from the internet."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from learnloop.measures.models import Direction, Measure
from learnloop.measures.periods import period_label
from learnloop.measures.selectors import Series

SIZES = {
    "large": (640, 280, 48, 16, 20, 36),  # width, height, left, right, top, bottom
    "small": (320, 170, 40, 10, 12, 28),
    "spark": (120, 32, 2, 2, 4, 4),
}
# Okabe-Ito colours (readable with colour blindness), with a dash pattern per line too.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4"]
SIGNAL_ORDER = ["astronomical", "shift", "trend"]


def fmt(value: Any, places: int | None = None) -> str:
    """12.5000 → 12.5; 100.0000 → 100; with `places`, rounded first (for charts, where a
    mean of several figures would otherwise show four decimals)."""
    if value is None:
        return ""
    d = Decimal(str(value))
    if places is not None:
        d = d.quantize(Decimal(1).scaleb(-places))
    return f"{d.normalize():f}"


def signal_names() -> dict[str, str]:
    return {
        "shift": _("Shift"),
        "trend": _("Trend"),
        "astronomical": _("Astronomical point"),
        "too_few": _("Too few runs"),
        "too_many": _("Too many runs"),
    }


@dataclass
class Scale:
    lo: float
    hi: float
    x0: float
    x1: float
    y0: float
    y1: float
    n: int

    def x(self, i: int) -> float:
        if self.n <= 1:
            return round((self.x0 + self.x1) / 2, 1)
        return round(self.x0 + (self.x1 - self.x0) * i / (self.n - 1), 1)

    def y(self, v: float) -> float:
        return round(self.y1 - (self.y1 - self.y0) * (v - self.lo) / (self.hi - self.lo), 1)


def _scale(values: list[float], n: int, size: str) -> Scale:
    width, height, left, right, top, bottom = SIZES[size]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.08
    return Scale(lo - pad, hi + pad, left, width - right, top, height - bottom, n)


def _ticks(scale: Scale, count: int = 4) -> list[dict[str, Any]]:
    step = (scale.hi - scale.lo) / count
    return [
        {"y": scale.y(scale.lo + step * i), "label": _short(scale.lo + step * i)}
        for i in range(count + 1)
    ]


def _x_ticks(spots: list[tuple[float, str]]) -> list[dict[str, Any]]:
    """First, middle and last period, anchored so that no label runs off the chart."""
    if not spots:
        return []
    if len(spots) == 1:
        return [{"x": spots[0][0], "label": spots[0][1], "anchor": "middle"}]
    chosen = [(spots[0], "start")]
    if len(spots) > 4:
        chosen.append((spots[len(spots) // 2], "middle"))
    chosen.append((spots[-1], "end"))
    return [{"x": x, "label": label, "anchor": anchor} for (x, label), anchor in chosen]


def _short(v: float) -> str:
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.0f}"
    return f"{v:.2g}" if v else "0"


def _direction_word(measure: Measure, up: bool) -> str:
    better = (measure.direction == Direction.HIGHER) == up
    return _("in the better direction") if better else _("in the worse direction")


def run_chart(measure: Measure, series: Series, *, size: str = "large") -> dict[str, Any]:
    """Coordinates for one run chart, its signals explained, and its data table."""
    analysis = series.analysis
    values = [float(v) for v in series.values]
    extra = [analysis.median] if analysis and analysis.median is not None else []
    if measure.target is not None:
        extra.append(float(measure.target))
    scale = _scale(values + extra, len(values), size)
    width, height, *_rest = SIZES[size]
    points: list[dict[str, Any]] = []
    for i, (period, value) in enumerate(zip(series.periods, series.values, strict=True)):
        signals = analysis.signals_at(i) if analysis else []
        shape = next((s for s in SIGNAL_ORDER if s in signals), "dot") if size != "spark" else "dot"
        x, y = scale.x(i), scale.y(float(value))
        points.append(
            {
                "x": x,
                "y": y,
                "period": period,
                "label": period_label(period, measure.frequency),
                "value": fmt(value, 2),
                "count": series.counts[i] if i < len(series.counts) else 1,
                "signals": signals,
                "signal_labels": [signal_names()[s] for s in signals],
                "shape": shape,
                "sx": round(x - 5, 1),
                "sy": round(y - 5, 1),
                "diamond": f"{x},{y - 6} {x + 6},{y} {x},{y + 6} {x - 6},{y}",
                "triangle": f"{x},{y - 6} {x + 6},{y + 5} {x - 6},{y + 5}",
            }
        )
    median = analysis.median if analysis else None
    x_ticks = _x_ticks([(p["x"], p["label"]) for p in points])
    return {
        "key": series.key,
        "label": series.label,
        "size": size,
        "width": width,
        "height": height,
        "plot": {"x0": scale.x0, "x1": scale.x1, "y0": scale.y0, "y1": scale.y1},
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "points": points,
        "median": fmt(round(median, 4), 2) if median is not None else "",
        "median_y": scale.y(median) if median is not None else None,
        "target": fmt(measure.target) if measure.target is not None else "",
        "target_y": scale.y(float(measure.target))
        if measure.target is not None and size != "spark"
        else None,
        "y_ticks": _ticks(scale) if size != "spark" else [],
        "x_ticks": x_ticks if size != "spark" else [],
        "signals": explain(measure, series, points),
        "has_signal": bool(analysis and analysis.has_signal),
        "n": len(points),
        "first_label": points[0]["label"] if points else "",
        "last_label": points[-1]["label"] if points else "",
        "runs_note": "",
    }


def explain(measure: Measure, series: Series, points: list[dict[str, Any]]) -> list[str]:
    """Each signal in a sentence a busy reader can act on."""
    analysis = series.analysis
    if analysis is None or analysis.median is None:
        return []
    found = []
    for span in analysis.shifts:
        found.append(
            _(
                "Shift: %(n)d points in a row %(side)s the median, from %(start)s to %(end)s "
                "(%(better)s)."
            )
            % {
                "n": len(span.indices),
                "side": _("above") if span.direction == "up" else _("below"),
                "start": points[span.start]["label"],
                "end": points[span.end]["label"],
                "better": _direction_word(measure, span.direction == "up"),
            }
        )
    for span in analysis.trends:
        found.append(
            _("Trend: %(n)d points going %(way)s, from %(start)s to %(end)s (%(better)s).")
            % {
                "n": _trend_len(analysis, span),
                "way": _("up") if span.direction == "up" else _("down"),
                "start": points[span.start]["label"],
                "end": points[span.end]["label"],
                "better": _direction_word(measure, span.direction == "up"),
            }
        )
    runs = analysis.runs
    if runs and runs.verdict == "too_few":
        found.append(
            _(
                "Too few runs: %(runs)d runs where at least %(lower)d are expected from "
                "%(n)d points off the median; the level has probably moved."
            )
            % {"runs": runs.runs, "lower": runs.lower, "n": runs.useful}
        )
    if runs and runs.verdict == "too_many":
        found.append(
            _(
                "Too many runs: %(runs)d runs where at most %(upper)d are expected from "
                "%(n)d points off the median; the figures may alternate for a reason, such "
                "as two sources taking turns."
            )
            % {"runs": runs.runs, "upper": runs.upper, "n": runs.useful}
        )
    for i in analysis.astronomical:
        found.append(
            _("Astronomical point: %(value)s in %(period)s is far from the usual range.")
            % {"value": points[i]["value"], "period": points[i]["label"]}
        )
    return found


def _trend_len(analysis: Any, span: Any) -> int:
    """Points counted in a trend: repeats of the same value count once."""
    count = 0
    last = None
    for i in span.indices:
        if analysis.values[i] != last:
            count += 1
            last = analysis.values[i]
    return count


def runs_note(series: Series) -> str:
    runs = series.analysis.runs if series.analysis else None
    if runs is None:
        return ""
    if not runs.applied:
        return _(
            "Runs: %(runs)d from %(n)d points off the median; the runs test needs at least 10."
        ) % {"runs": runs.runs, "n": runs.useful}
    return _("Runs: %(runs)d from %(n)d points off the median (expected %(lo)d to %(hi)d).") % {
        "runs": runs.runs,
        "n": runs.useful,
        "lo": runs.lower,
        "hi": runs.upper,
    }


def multi_line(measure: Measure, lines: list[Series], *, size: str = "large") -> dict[str, Any]:
    """Several series on one time axis: the breakdown (equity) chart."""
    periods = sorted({p for line in lines for p in line.periods})
    index = {p: i for i, p in enumerate(periods)}
    values = [float(v) for line in lines for v in line.values]
    extra = [float(measure.target)] if measure.target is not None else []
    scale = _scale(values + extra, len(periods), size)
    width, height, *_rest = SIZES[size]
    drawn = []
    for n, line in enumerate(lines):
        pts = [
            {"x": scale.x(index[p]), "y": scale.y(float(v)), "value": fmt(v, 2)}
            for p, v in zip(line.periods, line.values, strict=True)
        ]
        drawn.append(
            {
                "label": line.label,
                "colour": PALETTE[n % len(PALETTE)],
                "dash": DASHES[n % len(DASHES)],
                "polyline": " ".join(f"{p['x']},{p['y']}" for p in pts),
                "points": pts,
            }
        )
    table = [
        {
            "label": period_label(p, measure.frequency),
            "cells": [
                fmt(line.values[line.periods.index(p)], 2) if p in line.periods else ""
                for line in lines
            ],
        }
        for p in periods
    ]
    ticks = _x_ticks(
        [(scale.x(i), period_label(p, measure.frequency)) for i, p in enumerate(periods)]
    )
    return {
        "width": width,
        "height": height,
        "plot": {"x0": scale.x0, "x1": scale.x1, "y0": scale.y0, "y1": scale.y1},
        "lines": drawn,
        "table": table,
        "y_ticks": _ticks(scale),
        "x_ticks": ticks,
        "target": fmt(measure.target) if measure.target is not None else "",
        "target_y": scale.y(float(measure.target)) if measure.target is not None else None,
    }
