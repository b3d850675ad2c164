"""Issue 6 journey: a member starts writing a learning whose title is close to one already
shared; the form suggests it while she types, she opens it (in a new tab, her draft stays)
and sees what is related to it, and then, in her group's synthesis, groups the group's
learnings into themes. The themes page also reads on a phone."""

from __future__ import annotations

import pytest

from learnloop.core.models import Visibility
from learnloop.generation.services import learning_create
from learnloop.people.services import person_create
from learnloop.search import semantic_tasks
from tests.e2e.conftest import log_in
from tests.factories import GroupFactory, MembershipFactory
from tests.search.semantic_support import corpus, semantic_env  # noqa: F401

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("semantic_env"),
]
PASSWORD = "Journey-passphrase-6"


def test_member_is_pointed_to_a_similar_learning_and_groups_a_synthesis_into_themes(page, phone):
    group = GroupFactory(name="Attendance Circle", slug="attendance-circle")
    nia = person_create(
        username="nia", email="nia@example.org", password=PASSWORD, display_name="Nia Navarro"
    )
    MembershipFactory(person=nia, group=group)
    made = [
        learning_create(
            author=nia, title=title, body=body, group=group, visibility=Visibility.GROUP
        )
        for _topic, title, body in corpus()
    ]
    original = made[0]  # "Calling families on the first day lifts attendance"
    semantic_tasks.refresh()  # what `learnloop worker` does in the background

    log_in(page, "nia", PASSWORD)
    page.goto("/learnings/new")
    suggestions = page.locator("#similar")
    with page.expect_response(lambda r: r.url.endswith("/search/similar")):
        page.get_by_label("What did you learn? (in a line)").fill(
            "Calling the families on the first day lifted attendance"
        )
    link = suggestions.get_by_role("link", name=original.title)
    link.wait_for()
    assert suggestions.get_attribute("aria-live") == "polite"
    assert "add what you saw there as a comment instead" in suggestions.inner_text()

    with page.context.expect_page() as opened:
        link.click()
    other = opened.value
    other.wait_for_load_state()
    assert other.locator("h1").inner_text() == original.title
    # Its page fills the "Related" panel once shown: the other attendance learnings.
    other.locator("#related").get_by_role("link", name=made[1].title).wait_for()
    # The draft is still there in the first tab.
    field = page.get_by_label("What did you learn? (in a line)")
    assert field.input_value() == "Calling the families on the first day lifted attendance"

    page.goto(f"/routines/synthesis/new?group={group.pk}")
    with page.expect_navigation():
        page.get_by_role("button", name="Group these learnings into themes").click()
    assert page.locator("h1").inner_text() == "Themes in these learnings"
    headings = page.locator("h2").all_inner_texts()
    assert any(h.startswith("garden · beds · compost") for h in headings)
    assert any(h.startswith("tutoring · algebra · pass") for h in headings)
    assert page.get_by_role("link", name="Back to the synthesis").is_visible()
    assert page.csp_errors == []  # type: ignore[attr-defined]

    # On a 360 px phone the themes page fits the screen.
    log_in(phone, "nia", PASSWORD)
    phone.goto(f"/search/themes?group={group.pk}")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
