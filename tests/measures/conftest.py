"""Measures fixtures: a monthly outcome measure with a population breakdown, and a year of
figures with a clear shift upwards in the second half."""

from __future__ import annotations

from decimal import Decimal

import pytest

from learnloop.measures.services import PointInput, data_points_import, measure_create

# Twelve months: six low, six high. Median 85.5 → a shift of six above (and six below).
YEAR = [80, 82, 81, 83, 80, 84, 87, 90, 89, 91, 92, 90]


@pytest.fixture
def measure(steward):
    return measure_create(
        author=steward,
        name="Ninth-grade attendance",
        slug="attendance",
        unit="%",
        kind="outcome",
        direction="higher",
        frequency="monthly",
        target=Decimal("95"),
        breakdowns=["population"],
    )


@pytest.fixture
def year_of_data(measure, owner, group):
    rows = [
        (i, PointInput(measure=measure, period=f"2024-{i + 1:02d}", value=v, group=group))
        for i, v in enumerate(YEAR)
    ]
    rows += [
        (
            100 + i,
            PointInput(
                measure=measure,
                period=f"2024-{i + 1:02d}",
                value=v,
                group=group,
                breakdown={"population": "English learners"},
            ),
        )
        for i, v in enumerate([70, 72, 71, 73, 75, 74, 78, 80, 79, 82, 81, 83])
    ]
    data_points_import(reporter=owner, rows=rows)
    return measure
