"""Journey 1: a steward invites a newcomer into a group; they join by the link and post
their first learning, which the group then sees."""

from __future__ import annotations

import pytest

from learnloop.generation.models import Learning
from learnloop.people.models import Membership
from learnloop.people.services import person_create
from tests.e2e.conftest import log_in
from tests.factories import GroupFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_newcomer_joins_by_invitation_and_posts_a_learning(page, browser, live_server):
    person_create(
        username="stella",
        email="stella@example.org",
        password="Journey-passphrase-1",
        is_steward=True,
    )
    group = GroupFactory(name="Attendance Circle", slug="attendance-circle")
    log_in(page, "stella", "Journey-passphrase-1")
    page.goto(f"/groups/{group.slug}/")
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("Their email").fill("nia@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    link = page.get_by_label("Invitation link").input_value()
    assert page.csp_errors == []

    context = browser.new_context(base_url=live_server.url)
    newcomer = context.new_page()
    newcomer.goto("/join/" + link.split("/join/")[1])  # SITE_URL is not the test server
    newcomer.get_by_label("Username").fill("nia")
    newcomer.get_by_label("Your name as others see it").fill("Nia Newcomer")
    newcomer.locator("#id_password").fill("Journey-passphrase-2")
    newcomer.get_by_label("Password again").fill("Journey-passphrase-2")
    newcomer.get_by_role("button", name="Join").click()
    newcomer.wait_for_url("**/")
    assert "Welcome, Nia Newcomer" in newcomer.content()
    newcomer.goto(f"/groups/{group.slug}/")
    assert newcomer.get_by_role("heading", level=1).inner_text().startswith("Attendance Circle")
    assert Membership.objects.filter(person__username="nia", group=group).exists()

    # Their first learning, posted to the group in a few fields.
    newcomer.get_by_role("link", name="Post to this group").click()
    newcomer.get_by_label("What did you learn? (in a line)").fill(
        "Greeting families by name at the gate"
    )
    newcomer.get_by_label("Kind").select_option("observation")
    newcomer.get_by_label("Tell the story").fill(
        "Parents *stopped* to talk when we used their names."
    )
    newcomer.get_by_label("Who can see it").select_option("group")
    newcomer.get_by_label("Tags").fill("family engagement")
    newcomer.get_by_role("button", name="Post learning").click()
    newcomer.wait_for_url("**/learnings/*/")
    assert (
        newcomer.get_by_role("heading", level=1).inner_text()
        == "Greeting families by name at the gate"
    )
    assert newcomer.locator(".prose em").inner_text() == "stopped"
    learning = Learning.objects.get(title="Greeting families by name at the gate")
    assert (learning.group, learning.visibility, learning.author.username) == (
        group,
        "group",
        "nia",
    )
    context.close()

    page.goto(f"/groups/{group.slug}/")
    assert "Greeting families by name at the gate" in page.content()
    page.goto("/stewardship/")
    assert "Nia Newcomer" in page.content()
    assert page.csp_errors == []
