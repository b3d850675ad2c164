"""Journey: a steward opens the health of the knowledge cycle, finds knowledge that was
never captured in a product, packages it from there, and the gap is gone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from learnloop.capture.models import KnowledgeProduct
from learnloop.people.services import person_create
from tests.e2e.conftest import log_in
from tests.factories import GroupFactory, IdeaFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_steward_resolves_an_uncaptured_knowledge_gap(page):
    group = GroupFactory(name="Family Partnership Team", slug="family-team")
    steward = person_create(
        username="sam",
        email="sam@example.org",
        password="Journey-passphrase-9",
        display_name="Sam Steward",
    )
    steward.is_steward = True
    steward.save(update_fields=["is_steward"])
    idea = IdeaFactory(
        author=steward,
        group=group,
        title="Welcome calls in the first week lift attendance",
        stage="knowledge",
        stage_changed_at=timezone.now() - timedelta(days=40),
    )

    log_in(page, "sam", "Journey-passphrase-9")
    page.goto("/health/")
    section = page.locator("section[aria-labelledby=gap-uncaptured]")
    row = section.locator("tr", has_text=idea.title)
    assert row.count() == 1
    assert page.locator("svg[role=img] title#wave-title").count() == 1
    page.screenshot(path="/tmp/health-desktop.png", full_page=True)

    with page.expect_navigation():
        row.get_by_role("link", name="Package it in a product").click()
    assert f"/products/new?idea={idea.pk}" in page.url
    page.locator("#id_title").fill("Welcome calls: a one-page guide")
    page.get_by_label("What it asks of them").fill("Call every new family in week one.")
    page.get_by_label("Who can see it").select_option("network")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    product = KnowledgeProduct.objects.get(title="Welcome calls: a one-page guide")
    assert list(product.ideas.all()) == [idea]

    page.goto("/health/")
    uncaptured = page.locator("section[aria-labelledby=gap-uncaptured]")
    assert uncaptured.locator("tr", has_text=idea.title).count() == 0
    assert "None right now." in uncaptured.inner_text()
    assert page.csp_errors == []

    # The same page on a phone: the tables stack, nothing overflows the screen.
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    page.screenshot(path="/tmp/health-phone.png", full_page=True)
