"""Issue 3 journeys: a summary routine proposes an idea; a synthesis adds cross-site
evidence; a reduction round's votes elevate one idea and return another."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from learnloop.consolidation.decisions import decisions_close_due
from learnloop.consolidation.models import (
    Criterion,
    Decision,
    Evidence,
    Idea,
    ReductionItem,
    Routine,
    Stage,
    StandardsVersion,
)
from learnloop.consolidation.services import idea_create
from learnloop.generation.services import learning_create
from learnloop.people.models import Role, StakeholderType
from learnloop.people.services import person_create
from tests.e2e.conftest import log_in
from tests.factories import GroupFactory, MembershipFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Journey-passphrase-9"


def _person(username: str, **profile):
    return person_create(
        username=username,
        email=f"{username}@example.org",
        password=PASSWORD,
        display_name=username.title(),
        **profile,
    )


def test_summary_routine_proposes_an_idea(page):
    ana = _person("ana", site="Northgate High")
    learning_create(author=ana, title="Texting parents in Spanish doubled replies")
    learning_create(author=ana, title="Morning greetings at the door calmed first period")

    log_in(page, "ana", PASSWORD)
    page.goto("/routines/summary/new")
    page.get_by_label("Texting parents in Spanish doubled replies").check()
    page.get_by_label("What evidence supports it?").fill("Reply rates went from 20% to 41%.")
    page.get_by_label("What changed in your understanding of the problem?").fill(
        "Language, not interest, was the barrier."
    )
    page.get_by_label("Propose a new idea").check()
    page.get_by_label("Idea title").fill("Reach families in their home language first")
    page.get_by_label("What is the idea?").fill(
        "The first message home is in the family's language."
    )
    page.get_by_role("button", name="Finish the summary").click()
    page.wait_for_url("**/routines/*/")

    routine = Routine.objects.get(kind="summary")
    idea = Idea.objects.get(title="Reach families in their home language first")
    assert list(routine.ideas.all()) == [idea]
    evidence = Evidence.objects.get(idea=idea)
    assert (evidence.learning.title, evidence.relation, evidence.routine) == (
        "Texting parents in Spanish doubled replies",
        "supports",
        routine,
    )
    page.goto(idea.get_absolute_url())
    assert "Texting parents in Spanish doubled replies" in page.content()
    assert page.csp_errors == []


def test_synthesis_adds_cross_site_evidence(page):
    cluster = GroupFactory(name="Attendance Cluster", slug="attendance-cluster", kind="cluster")
    north = GroupFactory(name="North Team", slug="north")
    east = GroupFactory(name="East Team", slug="east")
    north.clusters.add(cluster)
    east.clusters.add(cluster)
    lead = _person("lee", site="District office")
    MembershipFactory(person=lead, group=cluster, role=Role.MODERATOR)
    nia = _person("nia", site="North High")
    eli = _person("eli", site="East Middle")
    MembershipFactory(person=nia, group=north)
    MembershipFactory(person=eli, group=east)
    learning_create(author=nia, group=north, title="Attendance calls cut absences at North")
    learning_create(author=eli, group=east, title="Attendance calls cut absences at East")
    idea = idea_create(
        author=lead, title="Personal attendance calls", summary="Call on day one.", group=cluster
    )

    log_in(page, "lee", PASSWORD)
    page.goto(f"/routines/synthesis/new?group={cluster.pk}")
    page.get_by_label("Attendance calls cut absences at North").check()
    page.get_by_label("Attendance calls cut absences at East").check()
    page.get_by_label("Patterns").fill("Both sites saw fewer absences within a month.")
    page.get_by_label("Differences").fill("East needed evening calls.")
    page.get_by_label("Moderate: several contexts point the same way").check()
    page.get_by_label("Strengthen existing ideas").check()
    page.get_by_label("Ideas to strengthen").select_option(label="Personal attendance calls")
    page.get_by_role("button", name="Finish the synthesis").click()
    page.wait_for_url("**/routines/*/")

    sites = set(Evidence.objects.filter(idea=idea).values_list("context_site", flat=True))
    assert sites == {"North High", "East Middle"}
    assert "North High" in page.content()
    assert "East Middle" in page.content()
    assert page.csp_errors == []


def test_reduction_vote_elevates_one_idea_and_returns_another(page, browser, live_server):
    steward = _person("stella", is_steward=True)
    version = StandardsVersion.objects.create(
        title="Our standards",
        proposed_by=steward,
        number=1,
        status="adopted",
        adopted_at=timezone.now(),
    )
    Criterion.objects.create(
        version=version, kind="contexts", title="Tried in two places", min_contexts=2
    )
    Criterion.objects.create(version=version, kind="equity", title="Works for every family")
    strong = idea_create(author=steward, title="Good-news calls home", summary="Call first.")
    weak = idea_create(author=steward, title="Detention for lateness", summary="Keep them in.")
    Idea.objects.filter(pk__in=[strong.pk, weak.pk]).update(stage=Stage.PROMISING)
    voters = [
        _person(f"voter{i}", stakeholder_type=t)
        for i, t in enumerate(
            [StakeholderType.STAFF, StakeholderType.PARENT, StakeholderType.STUDENT]
        )
    ]

    log_in(page, "stella", PASSWORD)
    page.goto("/routines/reduction/new")
    page.locator(f"#candidate-{strong.pk}").get_by_label("Elevate to knowledge").check()
    page.locator(f"#candidate-{strong.pk}").get_by_label("Note: what is missing, or why").fill(
        "Tried in four schools; families asked for more."
    )
    page.locator(f"#candidate-{weak.pk}").get_by_label("Return to generation").check()
    page.locator(f"#candidate-{weak.pk}").get_by_label("Note: what is missing, or why").fill(
        "Lateness went up where it was tried."
    )
    page.get_by_role("button", name="Open the decisions").click()
    page.wait_for_url("**/routines/*/")
    items = {i.idea_id: i for i in ReductionItem.objects.select_related("decision")}
    assert {items[strong.pk].outcome, items[weak.pk].outcome} == {"elevate", "return"}
    Decision.objects.update(quorum=3)

    for voter in voters:
        context = browser.new_context(base_url=live_server.url)
        member_page = context.new_page()
        log_in(member_page, voter.username, PASSWORD)
        for item in items.values():
            member_page.goto(f"/decisions/{item.decision.pk}/")
            member_page.get_by_label("Agree", exact=True).check()
            with member_page.expect_response(lambda r: r.request.method == "POST") as answer:
                member_page.get_by_role("button", name="Cast my vote").click()
            assert answer.value.status == 200
        context.close()
    assert [i.decision.votes.filter(choice="agree").count() for i in items.values()] == [3, 3]

    Decision.objects.update(closes_at=timezone.now() - timedelta(minutes=1))
    decisions_close_due()
    strong.refresh_from_db()
    weak.refresh_from_db()
    assert (strong.stage, weak.stage) == (Stage.KNOWLEDGE, Stage.RETURNED)
    page.goto(f"/decisions/{items[strong.pk].decision.pk}/")
    assert "Agreed" in page.content()
    assert page.csp_errors == []
