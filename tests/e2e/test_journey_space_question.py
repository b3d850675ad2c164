"""Issue 5 journey: a question answered across groups. A member of the attendance group
poses a question to their creation space; among the people who might know is a member of
the reading team who wrote on that topic; the asker asks her; she answers (logged in as
herself); the asker accepts her answer, and the space page shows it answered."""

from __future__ import annotations

import pytest

from learnloop.core.models import Tag
from learnloop.generation.models import Answer, Question
from learnloop.generation.services import learning_create
from learnloop.notifications.models import Notification
from learnloop.people.services import person_create
from tests.e2e.conftest import log_in
from tests.factories import GroupFactory, MembershipFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Journey-passphrase-7"


def test_question_to_the_space_is_answered_by_another_group(page, phone):
    attendance = GroupFactory(name="Attendance Circle", slug="attendance-circle")
    reading = GroupFactory(name="Reading Team", slug="reading-team")
    space = GroupFactory(name="Freshman Success Space", slug="freshman-success", kind="cluster")
    for g in (attendance, reading):
        g.clusters.add(space)
    ana = person_create(
        username="ana", email="ana@example.org", password=PASSWORD, display_name="Ana Asker"
    )
    bea = person_create(
        username="bea", email="bea@example.org", password=PASSWORD, display_name="Bea Buddy"
    )
    cal = person_create(
        username="cal", email="cal@example.org", password=PASSWORD, display_name="Cal Colleague"
    )
    MembershipFactory(person=ana, group=attendance)
    MembershipFactory(person=cal, group=attendance)
    MembershipFactory(person=bea, group=reading)
    for title in ("Buddies walk in together", "Monday check-ins held October"):
        learning_create(
            author=bea, title=title, group=reading, tags="attendance", visibility="network"
        )
    learning_create(author=cal, title="Bus times changed", group=attendance, tags="transport")

    # Ana poses the question from the space page.
    log_in(page, "ana", PASSWORD)
    page.goto("/spaces/")
    with page.expect_navigation():
        page.get_by_role("link", name="Freshman Success Space").click()
    assert page.get_by_role("heading", name="Reading Team").is_visible()
    page.get_by_label("Your question").fill("How do you keep ninth graders coming in October?")
    page.get_by_label("Details").fill("Attendance slides after the first month.")
    page.get_by_label("Tags").fill("attendance")
    page.get_by_label("Everyone in this space").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Pose the question").click()
    question = Question.objects.get(title="How do you keep ninth graders coming in October?")
    assert (question.group, question.visibility) == (space, "group")
    assert Tag.objects.filter(questions=question, name="attendance").exists()

    # The people who might know: Bea, from the other group, with the reason.
    panel = page.locator("#suggest")
    assert panel.get_by_text("Bea Buddy").is_visible()
    assert panel.get_by_text("wrote 2 learnings tagged attendance").is_visible()
    assert panel.get_by_text("Cal Colleague").count() == 0
    panel.get_by_label("Bea Buddy").check()
    panel.get_by_label("A note to them (optional)").fill("Your buddies idea sounds like it.")
    with page.expect_navigation():
        panel.get_by_role("button", name="Ask them to answer").click()
    assert "Asked Bea Buddy to help." in page.content()
    assert page.locator("#suggest").get_by_text("Asked on").is_visible()
    note = Notification.objects.get(recipient=bea, kind="question")
    assert note.url == question.get_absolute_url()

    # Bea answers, logged in as herself: the question reaches her in her notifications.
    page.context.clear_cookies()
    log_in(page, "bea", PASSWORD)
    page.goto("/notifications/")
    assert page.get_by_text("Ana Asker asks if you can help answer").first.is_visible()
    page.goto(question.get_absolute_url())
    answers = page.locator("section[aria-labelledby=ans-h]")
    answers.locator("textarea[name=body]").fill(
        "Pair them up: two ninth graders who walk in together."
    )
    with page.expect_navigation():
        answers.get_by_role("button", name="Answer", exact=True).click()
    answer = Answer.objects.get(question=question)
    assert answer.author == bea

    # Ana accepts it.
    page.context.clear_cookies()
    log_in(page, "ana", PASSWORD)
    page.goto(question.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("button", name="Accept this answer").click()
    answer.refresh_from_db()
    assert answer.accepted
    assert page.get_by_text("Accepted answer").first.is_visible()
    page.goto(f"/spaces/{space.slug}/")
    row = page.locator("li", has_text="How do you keep ninth graders coming in October?")
    assert row.get_by_text("Accepted answer").is_visible()
    assert page.csp_errors == []

    # The space page fits a 360 px phone.
    log_in(phone, "ana", PASSWORD)
    phone.goto(f"/spaces/{space.slug}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
