"""Issue 6 journey: a member types into the header's search box, picks a suggestion with the
keyboard, then searches, narrows the results with the filters and a facet, and pages on.
On a 360 px phone the box sits in the header and nothing scrolls sideways."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from learnloop.consolidation.services import idea_create
from learnloop.generation.services import learning_create
from learnloop.people.services import person_create
from tests.e2e.conftest import log_in
from tests.factories import GroupFactory, MembershipFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Journey-passphrase-7"


@pytest.fixture(autouse=True)
def _native(settings, tmp_path):
    settings.SEARCH_ENGINE = "native"
    settings.DATA_DIR = tmp_path


def test_member_finds_a_learning_from_the_header_and_the_search_page(page, phone):
    group = GroupFactory(name="Attendance Circle", slug="attendance-circle")
    nia = person_create(
        username="nia", email="nia@example.org", password=PASSWORD, display_name="Nia Navarro"
    )
    MembershipFactory(person=nia, group=group)
    target = learning_create(
        author=nia,
        title="Families answer calls, not letters",
        body="We called every family in the first week; attendance rose.",
        group=group,
        visibility="group",
    )
    for n in range(22):
        learning_create(author=nia, title=f"Attendance note {n}", body="attendance")
    idea_create(author=nia, title="Personal calls raise attendance", summary="Calls work.")

    log_in(page, "nia", PASSWORD)
    box = page.get_by_role("searchbox", name="Search", exact=True)
    box.fill("famil")
    suggestions = page.locator("#site-search-suggestions")
    expect(
        suggestions.get_by_role("link", name="Families answer calls, not letters")
    ).to_be_visible()
    box.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/learnings/{target.pk}/$"))

    box = page.get_by_role("searchbox", name="Search", exact=True)
    box.fill("attendance")
    with page.expect_navigation():
        box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_role("status")).to_contain_text("of 24 results")
    with page.expect_navigation():
        page.get_by_role("link", name="Next →").click()
    expect(page.get_by_role("status")).to_contain_text("21\u201324 of 24 results")

    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Type", exact=True).select_option("idea")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    results = page.locator("ol.search-results")
    expect(results.get_by_role("link")).to_have_count(1)
    expect(results.locator("mark").first).to_have_text(re.compile("attendance", re.I))
    expect(results.locator(".badge.stage-emerging")).to_be_visible()
    assert page.csp_errors == []  # type: ignore[attr-defined]

    log_in(phone, "nia", PASSWORD)
    header = phone.locator(".site-search")
    expect(header).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    phone.get_by_role("searchbox", name="Search", exact=True).fill("families")
    with phone.expect_navigation():
        phone.get_by_role("searchbox", name="Search", exact=True).press("Enter")
    expect(phone.get_by_role("status")).to_contain_text("result")
