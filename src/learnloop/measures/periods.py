"""Reporting periods: every data point is filed under the first day of its period."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from learnloop.measures.models import Frequency

MAX_ABS_VALUE = Decimal("9999999999")  # fits DecimalField(max_digits=14, decimal_places=4)
FOUR_PLACES = Decimal("0.0001")

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})[- ]?q([1-4])$", re.IGNORECASE)
_WEEK = re.compile(r"^(\d{4})-?w(\d{1,2})$", re.IGNORECASE)
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


def period_start(day: date, frequency: str) -> date:
    if frequency == Frequency.WEEKLY:
        return day - timedelta(days=day.weekday())
    if frequency == Frequency.QUARTERLY:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, day.month, 1)


def parse_period(raw: object, frequency: str) -> date:
    """A date (2024-03-17, or 17/03/2024), a month (2024-03), a quarter (2024-Q1) or an ISO
    week (2024-W11), moved to the first day of its period. Raises ValueError with a message
    for people."""
    if isinstance(raw, date):
        return period_start(raw, frequency)
    text = str(raw or "").strip()
    if not text:
        raise ValueError(_("Give the period, e.g. 2024-03 or 2024-03-01."))
    try:
        if m := _MONTH.match(text):
            day = date(int(m[1]), int(m[2]), 1)
        elif m := _QUARTER.match(text):
            day = date(int(m[1]), 3 * (int(m[2]) - 1) + 1, 1)
        elif m := _WEEK.match(text):
            day = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        elif m := _DAY_FIRST.match(text):
            day = date(int(m[3]), int(m[2]), int(m[1]))
        else:
            day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            _(
                "“%(text)s” is not a period we can read: "
                "use 2024-03-01, 2024-03, 2024-Q1 or 2024-W11."
            )
            % {"text": text[:40]}
        ) from None
    if not 1900 <= day.year <= 2200:
        raise ValueError(_("The year must be between 1900 and 2200."))
    return period_start(day, frequency)


def period_label(day: date, frequency: str) -> str:
    if frequency == Frequency.QUARTERLY:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if frequency == Frequency.WEEKLY:
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day.year}-{day.month:02d}"


def parse_value(raw: object) -> Decimal:
    """A number, with a decimal point or (as many spreadsheets write it) a decimal comma;
    a trailing % is allowed and ignored. Rounded to four decimal places."""
    if isinstance(raw, bool):
        raise ValueError(_("Give a number."))
    if isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(str(raw))
    else:
        text = str(raw or "").strip().replace("\u00a0", "").replace(" ", "").removesuffix("%")
        if not text:
            raise ValueError(_("Give a number."))
        if "," in text and "." not in text and text.count(",") == 1:
            text = text.replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                _("“%(text)s” is not a number.") % {"text": str(raw).strip()[:40]}
            ) from None
    if not value.is_finite():
        raise ValueError(_("Give a number."))
    if abs(value) > MAX_ABS_VALUE:
        raise ValueError(_("This number is too large."))
    return value.quantize(FOUR_PLACES)
