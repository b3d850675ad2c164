"""Journey: a member opens the network map, narrows it to one group, selects the person who
links that group with another, and sees whom she connects; hovering a person lights up
their ties. On a phone the tables come first and the map scrolls in its own box."""

from __future__ import annotations

import pytest

from learnloop.core.models import Visibility
from learnloop.network.services import network_refresh
from learnloop.people.services import person_create
from tests.e2e.conftest import log_in
from tests.factories import (
    GroupFactory,
    IdeaFactory,
    LearningFactory,
    MembershipFactory,
    PersonFactory,
)
from tests.network.factories_network import comment, endorse

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Journey-passphrase-5"


def test_member_explores_the_network_map(page, phone):
    attendance = GroupFactory(name="Attendance Circle", slug="attendance-circle")
    reading = GroupFactory(name="Reading Team", slug="reading-team")
    nia = person_create(
        username="nia", email="nia@example.org", password=PASSWORD, display_name="Nia Navarro"
    )
    MembershipFactory(person=nia, group=attendance)
    bea = PersonFactory(username="bea", display_name="Bea Bridge")
    MembershipFactory(person=bea, group=attendance)
    MembershipFactory(person=bea, group=reading)
    olu = PersonFactory(username="olu", display_name="Olu Okafor")
    MembershipFactory(person=olu, group=reading)
    ray = PersonFactory(username="ray", display_name="Ray Reader")
    MembershipFactory(person=ray, group=reading)
    comment(LearningFactory(author=nia, group=attendance, visibility=Visibility.NETWORK), bea)
    endorse(IdeaFactory(author=olu, group=reading), bea)
    network_refresh(force=True)

    log_in(page, "nia", PASSWORD)
    page.goto("/network/")
    assert page.get_by_role("heading", level=1).inner_text() == "Network map"
    assert page.locator("svg.net-svg circle").count() == 4
    assert "Last refreshed" in page.get_by_test_id("last-refreshed").inner_text()

    # Only the Reading Team and the people tied to it.
    page.get_by_label("Group", exact=True).select_option(label="Reading Team")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert "group=reading-team" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Network map: Reading Team"
    connectors = page.get_by_test_id("connectors")
    assert connectors.locator("tr", has_text="Bea Bridge").count() == 1

    # Hovering Bea lights up her ties (network.js); clicking her selects her.
    node = page.locator('a[data-person="bea"] circle')
    node.hover()
    assert page.locator("svg.net-svg.net-hovering line.hl").count() >= 2
    with page.expect_navigation():
        node.click()
    assert "person=bea" in page.url and "group=reading-team" in page.url
    panel = page.locator("section.net-person")
    assert panel.get_by_role("heading", level=2).inner_text() == "Whom Bea Bridge connects"
    assert panel.get_by_role("heading", name="Attendance Circle").count() == 1
    assert panel.get_by_role("heading", name="Reading Team").count() == 1
    assert panel.get_by_role("link", name="Olu Okafor").count() == 1
    assert "endorsed one another" in panel.inner_text()
    assert page.locator("line.tie-sel").count() == 3  # Nia, Olu and Ray

    # From her list, on to Nia: the selection follows, the group filter stays.
    with page.expect_navigation():
        panel.get_by_role("link", name="Nia Navarro").click()
    assert page.locator("section.net-person h2").inner_text() == "Whom Nia Navarro connects"
    assert page.csp_errors == []

    # On a phone: the tables first, the map after them, nothing wider than the screen
    # except the map, which scrolls inside its own box.
    log_in(phone, "nia", PASSWORD)
    phone.goto("/network/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    brokers = phone.get_by_role("heading", name="Brokers in practice").bounding_box()
    the_map = phone.locator("svg.net-svg").bounding_box()
    assert brokers["y"] < the_map["y"]
    box = phone.locator(".net-scroll")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
