"""Issue 4 journey: a member uploads a year of figures with one bad row, fixes the file,
confirms, and reads the run chart with its signal and data table."""

from __future__ import annotations

import pytest

from learnloop.measures.models import DataPoint
from learnloop.measures.services import measure_create
from learnloop.people.services import person_create
from tests.e2e.conftest import log_in
from tests.factories import GroupFactory, MembershipFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Journey-passphrase-9"
YEAR = [80, 82, 81, 83, 80, 84, 87, 90, 89, 91, 92, 90]


def _csv(values: list[object]) -> bytes:
    lines = ["measure;period;group;value"]
    lines += [f"attendance;2024-{m:02d};north-team;{v}" for m, v in enumerate(values, start=1)]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def test_member_uploads_fixes_and_reads_the_dashboard(page):
    steward = person_create(
        username="stella", email="stella@example.org", password=PASSWORD, is_steward=True
    )
    measure_create(author=steward, name="Ninth-grade attendance", slug="attendance", unit="%")
    north = GroupFactory(name="North Team", slug="north-team")
    nia = person_create(username="nia", email="nia@example.org", password=PASSWORD)
    MembershipFactory(person=nia, group=north)

    log_in(page, "nia", PASSWORD)
    page.goto("/measures/")
    page.get_by_role("link", name="Upload figures (CSV)").click()
    bad = [*YEAR[:4], "eighty-five", *YEAR[5:]]
    page.get_by_label("CSV file").set_input_files(
        {"name": "attendance.csv", "mimeType": "text/csv", "buffer": _csv(bad)}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Check the file").click()
    errors = page.locator("#upload-errors")
    assert "Nothing was imported" in errors.inner_text()
    assert "Row 6" in errors.inner_text()
    assert "“eighty-five” is not a number." in errors.inner_text()
    assert DataPoint.objects.count() == 0

    page.get_by_label("CSV file").set_input_files(
        {"name": "attendance.csv", "mimeType": "text/csv", "buffer": _csv(YEAR)}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Check the file").click()
    assert "12 rows are ready" in page.locator("#upload-preview").inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="Import 12 rows").click()
    assert DataPoint.objects.count() == 12

    page.wait_for_url("**/measures/attendance/")
    assert "Imported 12 new figures" in page.content()
    chart = page.locator("#run-chart svg.chart-large")
    assert chart.is_visible()
    assert chart.locator(".signal-shift").count() == 12  # six below, then six above
    assert "Shift: 6 points in a row above the median" in page.locator("#run-chart").inner_text()
    page.locator("#run-chart details").first.locator("summary").click()
    table = page.locator("#run-chart table")
    assert table.is_visible()
    assert table.locator("tbody tr").count() == 12
    assert page.csp_errors == []


def test_dashboard_reads_on_a_phone(phone, live_server):
    steward = person_create(
        username="stella", email="stella@example.org", password=PASSWORD, is_steward=True
    )
    measure_create(author=steward, name="Ninth-grade attendance", slug="attendance")
    log_in(phone, "stella", PASSWORD)
    phone.goto("/measures/attendance/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
