"""One template draws every multi-line chart: a measure's breakdown (lines per part of the
population, a link to the chart's data) and a space's shared measures (a line per group, a
link to the measure)."""

from __future__ import annotations

from django.template.loader import render_to_string


class _Measure:
    name = "Attendance"

    def get_absolute_url(self) -> str:
        return "/measures/attendance/"


def _chart(target: str = "") -> dict:
    return {
        "width": 600,
        "height": 300,
        "plot": {"x0": 40, "x1": 590, "y0": 10, "y1": 280},
        "lines": [
            {"label": "North", "colour": "#000", "dash": "", "polyline": "1,2", "points": []},
            {"label": "South", "colour": "#111", "dash": "4 2", "polyline": "3,4", "points": []},
        ],
        "table": [{"label": "2025-01", "cells": ["88", "80"]}],
        "y_ticks": [],
        "x_ticks": [],
        "target": target,
        "target_y": 20 if target else None,
    }


def _render(**extra) -> str:
    context = {"measure": _Measure(), "cid": "c", "title": "Attendance by site", **extra}
    return render_to_string("measures/_multiline.html", context)


def test_a_breakdown_links_to_its_data():
    html = _render(chart=_chart(), csv_url="/measures/attendance/chart.csv")
    assert "One line for each of 2 groups of the population." in html
    assert 'href="/measures/attendance/chart.csv" download' in html
    assert "All of Attendance" not in html
    assert "Dotted green line" not in html  # no target, no note


def test_a_space_draws_a_line_per_group_and_links_to_the_measure():
    html = _render(chart=_chart(target="90"), groups=True)
    assert "One line for each of 2 groups." in html
    assert "of the population" not in html
    assert '<a href="/measures/attendance/">All of Attendance' in html
    assert "download" not in html
    assert "Dotted green line: the target (90)." in html
