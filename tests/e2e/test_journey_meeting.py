"""Issue 5 journey: a moderator plans the group's next meeting, whose agenda starts from
what is open in the group (its running test cycle and its open question), records who came,
writes the step back together with the group, and turns two answers into learnings that
then show on the group's page."""

from __future__ import annotations

import pytest

from learnloop.community.meeting_selectors import STEP_BACK
from learnloop.generation import services as generation
from learnloop.generation.models import Learning, LearningKind
from learnloop.notifications.models import Notification, NotificationKind
from learnloop.people.models import Role
from learnloop.people.services import person_create
from learnloop.value.models import Convening
from tests.e2e.conftest import log_in
from tests.factories import GroupFactory, MembershipFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Journey-passphrase-11"


def test_moderator_runs_a_meeting_whose_step_back_becomes_learnings(page, phone):
    group = GroupFactory(name="Attendance Circle", slug="attendance-circle", cadence="weekly")
    malik = person_create(
        username="malik",
        email="malik@example.org",
        password=PASSWORD,
        display_name="Malik Moderator",
        site="Eastside High",
    )
    nia = person_create(
        username="nia", email="nia@example.org", display_name="Nia Navarro", site="Northgate"
    )
    sam = person_create(
        username="sam", email="sam@example.org", display_name="Sam Stone", site="Riverbend"
    )
    MembershipFactory(person=malik, group=group, role=Role.MODERATOR)
    MembershipFactory(person=nia, group=group)
    MembershipFactory(person=sam, group=group)
    generation.test_cycle_create(
        author=nia,
        title="Text families on the first morning",
        plan="Every homeroom texts absent students' families by 9 am.",
        group=group,
        visibility="group",
        status="running",
    )
    generation.question_create(
        author=sam, title="Who should call on Mondays?", group=group, visibility="group"
    )

    log_in(page, "malik", PASSWORD)
    page.goto(group.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("link", name="Plan the next meeting").first.click()
    assert page.url.endswith("/groups/attendance-circle/meetings/plan")

    # The agenda starts from what is open in the group, each item ticked.
    cycle_box = page.get_by_role("checkbox", name="Text families on the first morning")
    question_box = page.get_by_role("checkbox", name="Who should call on Mondays?")
    assert cycle_box.is_checked() and question_box.is_checked()
    assert "Running since" in page.locator("table.agenda-pick").inner_text()
    page.get_by_label("Place").fill("Northgate library")
    page.get_by_label("Your own items").fill("Welcome Sam to the group")
    with page.expect_navigation():
        page.get_by_role("button", name="Plan the meeting").click()
    meeting = Convening.objects.get(kind="meeting", group=group)
    assert page.url.endswith(f"/groups/attendance-circle/meetings/{meeting.pk}/")
    agenda = page.locator("#agenda")
    assert agenda.get_by_role("link", name="Text families on the first morning").is_visible()
    assert agenda.get_by_role("link", name="Who should call on Mondays?").is_visible()
    assert "Welcome Sam to the group" in agenda.inner_text()
    told = Notification.objects.filter(kind=NotificationKind.MEETING, object_id=meeting.pk)
    assert sorted(n.recipient.username for n in told) == ["nia", "sam"]

    # Record who came, with a note on the test cycle.
    record = page.locator("#record")
    record.get_by_label("Nia Navarro (Northgate)").check()
    record.get_by_label("Malik Moderator (Eastside High)").check()
    record.get_by_label("Others who came").fill("2")
    cycle_row = record.locator("fieldset.agenda-row", has_text="Text families on the first morning")
    cycle_row.get_by_label("Note").fill("Nine families answered before first period.")
    cycle_row.get_by_label("Dealt with").check()
    with page.expect_navigation():
        record.get_by_role("button", name="Save the record").click()
    meeting.refresh_from_db()
    assert sorted(p.username for p in meeting.participants.all()) == ["malik", "nia"]
    assert meeting.other_participants == 2
    assert "Nine families answered before first period." in page.locator("#agenda").inner_text()

    # The step back, together.
    with page.expect_navigation():
        page.get_by_role("link", name="Step back", exact=True).click()
    page.get_by_label("What did we learn?").fill(
        "Families answer a text before 9 am more often than a call."
    )
    page.get_by_label("What surprised us?").fill("Grandparents replied first in most homes.")
    page.get_by_label("What will we try next?").fill("Sam tries Monday texts at Riverbend.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save answers").click()
    answers = page.locator("#answers")
    for text in (
        "Families answer a text before 9 am more often than a call.",
        "Grandparents replied first in most homes.",
    ):
        item = answers.locator("li", has_text=text)
        with page.expect_navigation():
            item.get_by_role("button", name="Make it a learning").click()
        assert page.locator("#answers li", has_text=text).get_by_role("link").is_visible()

    made = Learning.objects.filter(group=group).order_by("created_at")
    assert [lrn.title for lrn in made] == [
        "Families answer a text before 9 am more often than a call.",
        "Grandparents replied first in most homes.",
    ]
    assert all(lrn.kind == LearningKind.REFLECTION and lrn.author == malik for lrn in made)
    assert "with Nia Navarro and 2 others" in made[0].body
    meeting.refresh_from_db()
    assert set(meeting.learnings.all()) == set(made)
    step_back = meeting.agenda[-1]
    assert step_back["kind"] == STEP_BACK
    assert len(step_back["answers"]) == 3

    # The learnings show on the group's page.
    page.goto(group.get_absolute_url())
    recent = page.locator("section[aria-labelledby=learnings-h]")
    for learning in made:
        assert recent.get_by_role("link", name=learning.title).is_visible()
    assert page.csp_errors == []

    # On a 360 px phone the meeting's pages fit the screen.
    log_in(phone, "malik", PASSWORD)
    for url in (
        f"/groups/attendance-circle/meetings/{meeting.pk}/",
        f"/groups/attendance-circle/meetings/{meeting.pk}/reflection",
        "/groups/attendance-circle/meetings/plan",
        "/groups/attendance-circle/moderate",
    ):
        phone.goto(url)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, url
