"""Journey: an author makes a network product public. Choosing Public brings up the
network's voice guidelines; saving without ticking them all is refused; once every one is
ticked the product goes public, and a visitor who is not logged in finds it under its topic
with the stage of its idea and the credits of everyone who contributed."""

from __future__ import annotations

import pytest

from learnloop.capture.services import product_create
from learnloop.consolidation.models import Evidence, Stage
from learnloop.consolidation.services import idea_create
from learnloop.generation.services import learning_create
from learnloop.people.services import person_create
from learnloop.sharing.guideline_services import guideline_create
from learnloop.sharing.models import PublicationCheck
from tests.e2e.conftest import log_in
from tests.factories import GroupFactory, MembershipFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GUIDELINES = (
    "We say how sure we are: the stage, the number of schools.",
    "No student or family can be recognized.",
    "Plain words a busy parent understands on first reading.",
)


def test_product_made_public_after_the_guideline_check(page, browser, live_server):
    group = GroupFactory(name="Attendance Circle", slug="attendance-circle")
    people = {}
    for username, name in (("lena", "Lena Lead"), ("sam", "Sam Site"), ("ivy", "Ivy Idea")):
        people[username] = person_create(
            username=username,
            email=f"{username}@example.org",
            password="Journey-passphrase-5",
            display_name=name,
        )
        MembershipFactory(person=people[username], group=group)
    stella = person_create(
        username="stella", email="stella@example.org", display_name="Stella", is_steward=True
    )
    for text in GUIDELINES:
        guideline_create(viewer=stella, text=text, explanation="Why it matters.")
    idea = idea_create(
        author=people["ivy"],
        title="First-week calls home lift attendance",
        summary="Advisers call every family in the first week.",
        visibility="network",
        tags="attendance",
    )
    proof = learning_create(
        author=people["sam"],
        title="Calls at Eastside: fewer absences by October",
        visibility="network",
        tags="attendance",
    )
    Evidence.objects.create(idea=idea, learning=proof, added_by=people["sam"])
    idea.stage = Stage.TESTING
    idea.save(update_fields=["stage"])
    product = product_create(
        author=people["lena"],
        title="A how-to for first-week calls",
        actions="Call five families before Friday.",
        ideas=[idea],
        tags="attendance",
        visibility="network",
    )
    # The idea and its evidence go public first (their authors tick the guidelines too).
    from learnloop.consolidation.services import idea_update
    from learnloop.generation.services import learning_update

    learning_update(
        viewer=people["sam"], learning=proof, visibility="public", guidelines_confirmed=True
    )
    idea_update(viewer=people["ivy"], idea=idea, visibility="public", guidelines_confirmed=True)

    log_in(page, "lena", "Journey-passphrase-5")
    page.goto(product.get_absolute_url())
    page.get_by_role("link", name="Edit").first.click()
    page.wait_for_url("**/products/*/edit")

    checklist = page.get_by_role("group", name="Before it goes public")
    assert not checklist.is_visible()  # only while Public is chosen (static script)
    page.get_by_label("Who can see it").select_option("public")
    assert checklist.is_visible()
    for text in GUIDELINES:
        assert page.get_by_label(text).is_visible()

    # Two of three ticked: refused, nothing public yet.
    page.get_by_label(GUIDELINES[0]).check()
    page.get_by_label(GUIDELINES[1]).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "tick them all" in page.content()
    product.refresh_from_db()
    assert product.visibility == "network"

    # The form kept the choice and the ticks; tick the last one and save.
    assert page.get_by_label("Who can see it").input_value() == "public"
    assert page.get_by_label(GUIDELINES[0]).is_checked()
    page.get_by_label(GUIDELINES[2]).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**{product.get_absolute_url()}")
    product.refresh_from_db()
    assert product.visibility == "public"
    check = PublicationCheck.objects.get(
        object_id=product.pk, content_type__model="knowledgeproduct"
    )
    assert check.checked_by == people["lena"]
    assert check.guidelines == list(GUIDELINES)
    assert page.csp_errors == []  # type: ignore[attr-defined]

    # A visitor, not logged in, finds it under its topic, with its stage and its credits.
    visitor = browser.new_context(base_url=live_server.url).new_page()
    visitor.goto("/public/topics/")
    visitor.get_by_role("link", name="attendance").click()
    visitor.wait_for_url("**/public/topics/attendance/")
    listed = visitor.get_by_role("listitem").filter(has_text="A how-to for first-week calls")
    assert listed.locator(".stage-testing").count() >= 1
    assert "Ivy Idea" in listed.inner_text()
    with visitor.expect_navigation():
        visitor.get_by_role("link", name="A how-to for first-week calls").click()
    body = visitor.content()
    assert "Contributors" in body
    for name in ("Lena Lead", "Ivy Idea", "Sam Site"):
        assert name in body
    assert visitor.locator(".stage-testing").count() >= 1
    assert "Meets the network" not in body  # it is testing, not knowledge
    visitor.context.close()
