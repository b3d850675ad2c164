"""Journey 2: a moderator finds learnings from two sites, links them to an idea as evidence,
and moves the idea from emerging to testing with a recorded reason."""

from __future__ import annotations

import pytest

from learnloop.consolidation.models import Evidence, Stage, StageChange
from learnloop.consolidation.services import idea_create
from learnloop.generation.services import learning_create
from learnloop.people.models import Role
from learnloop.people.services import person_create
from tests.e2e.conftest import log_in
from tests.factories import GroupFactory, MembershipFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_moderator_links_evidence_and_moves_the_stage(page):
    group = GroupFactory(name="Ninth Grade Success", slug="ninth-grade")
    mod = person_create(
        username="malik",
        email="malik@example.org",
        password="Journey-passphrase-3",
        display_name="Malik Moderator",
        site="Eastside High",
    )
    author = person_create(username="rosa", email="rosa@example.org", display_name="Rosa")
    MembershipFactory(person=mod, group=group, role=Role.MODERATOR)
    MembershipFactory(person=author, group=group)
    idea = idea_create(
        author=author,
        title="Advisory check-ins keep ninth graders on track",
        summary="A weekly check-in with one adult.",
        group=group,
        visibility="network",
    )
    learning_create(
        author=author,
        title="Check-ins flagged absences early",
        group=group,
        site="Eastside High",
        body="Advisors saw patterns within two weeks.",
    )
    learning_create(
        author=mod,
        title="Check-ins helped at Riverside too",
        group=group,
        site="Riverside Middle",
        body="Same pattern in a second school.",
    )

    log_in(page, "malik", "Journey-passphrase-3")
    page.goto(idea.get_absolute_url())
    assert page.locator(".badge.stage").first.inner_text() == "Emerging"

    for title, relation in [
        ("Check-ins flagged absences early", "supports"),
        ("Check-ins helped at Riverside too", "supports"),
    ]:
        page.get_by_label("Find learnings by words").fill("check-ins")
        page.get_by_role("button", name="Find", exact=True).click()
        result = page.locator("#find-results li", has_text=title)
        result.get_by_label("How it relates").select_option(relation)
        with page.expect_navigation():
            result.get_by_role("button", name="Link as evidence").click()
        assert page.locator("#evidence-h").is_visible()

    assert Evidence.objects.filter(idea=idea).count() == 2
    assert set(Evidence.objects.values_list("context_site", flat=True)) == {
        "Eastside High",
        "Riverside Middle",
    }

    page.get_by_text("Move it along the ladder").click()
    page.get_by_label("Move it to", exact=True).select_option("testing")
    page.locator("#stage-reason").fill(
        "Two schools saw the same early signal; time to test it on purpose."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Record the decision").click()

    assert page.locator(".badge.stage").first.inner_text() == "Testing"
    assert "time to test it on purpose" in page.content()
    change = StageChange.objects.get(idea=idea, to_stage=Stage.TESTING)
    assert (change.from_stage, change.decided_by) == (Stage.EMERGING, mod)
    assert change.evidence_snapshot["counts"]["supports"] == 2
    assert page.csp_errors == []
