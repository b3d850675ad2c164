"""Issue 4 journey: a member builds a value story from records that already exist — a
convening, a learning, a knowledge product and an adoption outcome — step by step through
immediate, potential, applied and realized value; the story page draws the thread with
those records linked, and the value matrix counts it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from learnloop.application.services import outcome_record
from learnloop.generation.services import learning_create
from learnloop.people.services import person_create
from learnloop.value.models import StoryStep, ValueStory
from learnloop.value.services import convening_create
from tests.e2e.conftest import log_in
from tests.factories import GroupFactory, MembershipFactory, PlanFactory, ProductFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Journey-passphrase-7"


def test_member_builds_a_value_story_from_existing_records(page, phone):
    group = GroupFactory(name="Attendance Circle", slug="attendance-circle")
    nia = person_create(
        username="nia",
        email="nia@example.org",
        password=PASSWORD,
        display_name="Nia Navarro",
        site="Eastside Middle",
    )
    MembershipFactory(person=nia, group=group)
    convening = convening_create(
        author=nia,
        title="Spring attendance huddle",
        kind="workshop",
        starts_at=timezone.now() - timedelta(days=40),
        group=group,
        visibility="group",
        participants=[nia],
        other_participants=12,
        outputs="A shared script for first-day calls.",
    )
    learning = learning_create(
        author=nia,
        title="Families answer calls, not letters",
        group=group,
        visibility="group",
    )
    product = ProductFactory(author=nia, title="First-day call script", group=group)
    plan = PlanFactory(product=product, author=nia, title="Calls at Eastside", group=group)
    outcome = outcome_record(
        viewer=nia,
        plan=plan,
        title="Eastside teachers call every family in week one",
        description="All six homeroom teachers made the calls.",
    )

    log_in(page, "nia", PASSWORD)

    # Start from the convening: the story begins where the thread began.
    page.goto(convening.get_absolute_url())
    page.get_by_role("link", name="Start a value story from it").click()
    page.wait_for_url("**/value/stories/new*")
    page.get_by_label("The story, in a line").fill("From one huddle to full classrooms")
    page.get_by_label("Summary").fill("How a spring workshop changed the first week of school.")
    page.get_by_label("Group").select_option(label="Attendance Circle")
    page.get_by_label("Who can see it").select_option("group")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the story").click()
    story = ValueStory.objects.get(title="From one huddle to full classrooms")
    assert f"/value/stories/{story.pk}/steps/new" in page.url

    # Immediate value: the convening arrives already chosen.
    assert page.get_by_label("Cycle of value").input_value() == "immediate"
    assert page.get_by_label("Convening").input_value() == str(convening.pk)
    page.get_by_label("What happened").fill("Twelve teachers felt heard for the first time.")
    with page.expect_navigation():
        page.get_by_role("button", name="Add step and another").click()

    # Potential value: what it produced.
    page.get_by_label("Cycle of value").select_option("potential")
    page.get_by_label("What happened").fill("We wrote down what works and made a script.")
    page.get_by_label("Learning").select_option(label=learning.title)
    page.get_by_label("Knowledge product").select_option(label=product.title)
    with page.expect_navigation():
        page.get_by_role("button", name="Add step and another").click()

    # Applied value: someone changed their practice.
    page.get_by_label("Cycle of value").select_option("applied")
    page.get_by_label("What happened").fill("Homeroom teachers at Eastside made the calls.")
    page.get_by_label("Adoption outcome").select_option(label=f"{outcome.title} — {plan.title}")
    with page.expect_navigation():
        page.get_by_role("button", name="Add step and another").click()

    # Realized value: the difference it made, with data.
    page.get_by_label("Cycle of value").select_option("realized")
    page.get_by_label("What happened").fill("Week-one attendance rose.")
    page.get_by_label("Indicator").fill("Week-one attendance 88% → 94%")
    page.get_by_label("Measure (its short name)").fill("week-one-attendance")
    with page.expect_navigation():
        page.get_by_role("button", name="Add step", exact=True).click()
    page.wait_for_url(f"**/value/stories/{story.pk}/#step-*")

    assert sorted(StoryStep.objects.filter(story=story).values_list("cycle", flat=True)) == [
        "applied",
        "immediate",
        "potential",
        "realized",
    ]
    thread = page.locator("ol.thread")
    assert (
        thread.locator("#cycle-immediate")
        .get_by_role("link", name="Spring attendance huddle")
        .is_visible()
    )
    assert thread.locator("#cycle-potential").get_by_role("link", name=learning.title).is_visible()
    assert thread.locator("#cycle-potential").get_by_role("link", name=product.title).is_visible()
    assert thread.locator("#cycle-applied").get_by_role("link", name=outcome.title).is_visible()
    assert "Week-one attendance 88% → 94%" in thread.locator("#cycle-realized").inner_text()
    assert "Not told yet." in thread.locator("#cycle-reframing").inner_text()

    # The link leads to the record itself.
    with page.expect_navigation():
        thread.get_by_role("link", name=learning.title).click()
    assert page.url.endswith(learning.get_absolute_url())

    # The matrix counts the story in each cycle it reaches.
    page.goto(f"/value/matrix?group={group.pk}")
    stories_row = page.locator("table.matrix tbody tr").first
    cells = stories_row.locator("td").all_inner_texts()
    assert cells == ["1", "1", "1", "1", "0"]
    assert "Value flows on." in page.content()
    assert page.csp_errors == []

    # On a 360 px phone the thread and the matrix fit the screen.
    log_in(phone, "nia", PASSWORD)
    for url in (story.get_absolute_url(), f"/value/matrix?group={group.pk}", "/value/convenings/"):
        phone.goto(url)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
