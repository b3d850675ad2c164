"""Decision pages: the list, the decision page with its vote form, proposing from the idea
page, withdrawing, overriding, and who may do each."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from learnloop.consolidation.decisions import decision_open, vote_cast
from learnloop.consolidation.models import Decision, DecisionStatus, Stage, StageChange
from learnloop.consolidation.services import idea_change_stage
from learnloop.people.models import StakeholderType
from tests.core.a11y import problems
from tests.factories import IdeaFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _open(idea, proposer, **kw):
    kw.setdefault("to_stage", Stage.KNOWLEDGE)
    kw.setdefault("rationale", "Tried at three schools with the same result.")
    return decision_open(proposer=proposer, idea=idea, **kw)


def _due(decision):
    """Move the closing time into the past, as if the week had gone by."""
    Decision.objects.filter(pk=decision.pk).update(closes_at=timezone.now() - timedelta(minutes=1))


@pytest.fixture
def promising(owner, group):
    return IdeaFactory(
        author=owner,
        group=group,
        stage=Stage.PROMISING,
        title="Call families on day one",
        serves=[StakeholderType.STUDENT, StakeholderType.PARENT],
    )


@pytest.fixture
def group_promising(owner, group):
    return IdeaFactory(
        author=owner, group=group, visibility="group", stage=Stage.PROMISING, title="Group idea"
    )


# The decision page ---------------------------------------------------------------------


def test_page_explains_the_proposal_and_the_rules(member_client, promising, owner):
    decision = _open(promising, owner, quorum=4, threshold=75)
    response = member_client.get(decision.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Call families on day one" in html
    assert "Tried at three schools" in html
    assert "At least 4 members must vote" in html
    assert "75%" in html
    assert "Closes in" in html
    assert problems(html) == []


def test_vote_form_has_the_labels_a_person_reads(member_client, promising, owner):
    html = member_client.get(_open(promising, owner).get_absolute_url()).content.decode()
    for label in ("Agree", "Abstain", "Disagree", "Block", "Reason", "Cast my vote"):
        assert label in html


def test_anonymous_is_sent_to_log_in(anon_client, promising, owner):
    decision = _open(promising, owner)
    for url in (
        decision.get_absolute_url(),
        reverse("decisions:decisions"),
        reverse("decisions:propose_stage", args=[promising.pk]),
    ):
        response = anon_client.get(url)
        assert response.status_code == 302
        assert "/login" in response["Location"]
    vote = anon_client.post(reverse("decisions:vote", args=[decision.pk]), {"choice": "agree"})
    assert vote.status_code == 302
    assert decision.votes.count() == 0


def test_outsider_gets_404_for_a_decision_on_a_group_idea(outsider_client, group_promising, owner):
    decision = _open(group_promising, owner)
    assert outsider_client.get(decision.get_absolute_url()).status_code == 404
    vote = outsider_client.post(reverse("decisions:vote", args=[decision.pk]), {"choice": "agree"})
    withdraw = outsider_client.post(reverse("decisions:withdraw", args=[decision.pk]))
    assert (vote.status_code, withdraw.status_code) == (404, 404)
    assert decision.votes.count() == 0
    assert "Group idea" not in outsider_client.get(reverse("decisions:decisions")).content.decode()


def test_unknown_decision_is_404(member_client):
    assert member_client.get(reverse("decisions:decision", args=[999999])).status_code == 404


def test_member_votes_and_changes_the_vote(member_client, member, promising, owner):
    decision = _open(promising, owner)
    url = reverse("decisions:vote", args=[decision.pk])
    first = member_client.post(url, {"choice": "agree"})
    member_client.post(url, {"choice": "disagree", "reason": "Only one site so far"})
    vote = decision.votes.get()
    assert first.status_code == 302
    assert (vote.voter, vote.choice, vote.reason) == (member, "disagree", "Only one site so far")
    html = member_client.get(decision.get_absolute_url()).content.decode()
    assert "You voted: <strong>Disagree</strong>" in html


def test_block_without_reason_re_renders_with_the_message(member_client, promising, owner):
    decision = _open(promising, owner)
    response = member_client.post(
        reverse("decisions:vote", args=[decision.pk]), {"choice": "block"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "needs a reason" in html
    assert 'value="block"' in html and "checked" in html
    assert decision.votes.count() == 0


def test_vote_by_htmx_returns_the_vote_fragment(member_client, promising, owner):
    decision = _open(promising, owner)
    response = member_client.post(
        reverse("decisions:vote", args=[decision.pk]), {"choice": "agree"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="vote"')
    assert "Your vote is counted" in html
    assert "<h1" not in html


def test_votes_after_closing_are_refused_and_the_page_closes_it(member_client, promising, owner):
    decision = _open(promising, owner, quorum=1)
    _due(decision)
    response = member_client.post(
        reverse("decisions:vote", args=[decision.pk]), {"choice": "agree"}
    )
    decision.refresh_from_db()
    assert response.status_code == 200
    assert decision.status == DecisionStatus.NO_QUORUM
    assert decision.votes.count() == 0


def test_reading_a_due_decision_closes_it_and_carries_it_out(
    member_client, member, moderator, promising, owner
):
    decision = _open(promising, owner, quorum=2)
    vote_cast(voter=member, decision=decision, choice="agree")
    vote_cast(voter=moderator, decision=decision, choice="agree")
    _due(decision)
    html = member_client.get(decision.get_absolute_url()).content.decode()
    decision.refresh_from_db()
    promising.refresh_from_db()
    assert decision.status == DecisionStatus.PASSED
    assert promising.stage == Stage.KNOWLEDGE
    assert "Outcome" in html and "Agreed" in html
    assert f"{promising.get_absolute_url()}#history" in html
    assert "Cast my vote" not in html


def test_participation_by_type_role_and_organization_and_missing_voices(
    member_client, promising, owner
):
    decision = _open(promising, owner)
    org = OrganizationFactory(name="Eastside Family Center")
    parent = PersonFactory(
        stakeholder_type=StakeholderType.PARENT, job_role="Parent leader", organization=org
    )
    vote_cast(voter=parent, decision=decision, choice="agree")
    html = member_client.get(decision.get_absolute_url()).content.decode()
    assert "Parent: 1" in html
    assert "Parent leader: 1" in html
    assert "Eastside Family Center: 1" in html
    assert "No voice yet from people the idea is meant to benefit: Student." in html


def test_withdraw_only_by_proposer_or_steward(
    member_client, owner_client, steward_client, promising, owner
):
    decision = _open(promising, owner)
    url = reverse("decisions:withdraw", args=[decision.pk])
    assert member_client.post(url).status_code == 403
    assert (
        "Withdraw this proposal"
        not in member_client.get(decision.get_absolute_url()).content.decode()
    )
    response = owner_client.post(url, {"reason": "Waiting for the spring data"})
    decision.refresh_from_db()
    assert response.status_code == 302
    assert decision.status == DecisionStatus.WITHDRAWN
    assert "Waiting for the spring data" in decision.outcome_reason
    again = _open(promising, owner)
    steward_client.post(reverse("decisions:withdraw", args=[again.pk]))
    again.refresh_from_db()
    assert again.status == DecisionStatus.WITHDRAWN


# The list ------------------------------------------------------------------------------


def test_list_shows_open_first_and_filters(member_client, owner, group):
    closed_idea = IdeaFactory(author=owner, group=group, stage=Stage.PROMISING, title="Old one")
    closed = _open(closed_idea, owner)
    _due(closed)
    closed.refresh_from_db()
    from learnloop.consolidation.decisions import decision_close

    decision_close(decision=closed)
    open_idea = IdeaFactory(author=owner, group=group, stage=Stage.PROMISING, title="New one")
    _open(open_idea, owner)
    html = member_client.get(reverse("decisions:decisions")).content.decode()
    assert html.index("New one") < html.index("Old one")
    assert problems(html) == []
    only_open = member_client.get(reverse("decisions:decisions") + "?status=open").content.decode()
    assert "New one" in only_open and "Old one" not in only_open
    only_closed = member_client.get(
        reverse("decisions:decisions") + "?status=closed"
    ).content.decode()
    assert "Old one" in only_closed and "New one" not in only_closed
    standards = member_client.get(
        reverse("decisions:decisions") + "?kind=standards"
    ).content.decode()
    assert "New one" not in standards


def test_list_query_count(member_client, owner, group, django_assert_max_num_queries):
    for n in range(8):
        idea = IdeaFactory(author=owner, group=group, stage=Stage.PROMISING, title=f"Idea {n}")
        decision = _open(idea, owner)
        vote_cast(voter=PersonFactory(), decision=decision, choice="agree")
    with django_assert_max_num_queries(8):
        response = member_client.get(reverse("decisions:decisions"))
    assert response.status_code == 200


# Proposing from the idea page ------------------------------------------------------------


def test_idea_page_offers_to_propose_and_direct_moves(owner_client, promising):
    html = owner_client.get(promising.get_absolute_url()).content.decode()
    assert "Propose to the members" in html
    assert reverse("decisions:propose_stage", args=[promising.pk]) in html
    assert "Override without a decision" not in html
    assert problems(html) == []


def test_member_proposes_a_stage_decision(member_client, member, promising):
    closes = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = member_client.post(
        reverse("decisions:propose_stage", args=[promising.pk]),
        {
            "to_stage": "knowledge",
            "rationale": "Three schools saw it work",
            "closes_at": closes,
            "quorum": "3",
            "threshold": "60",
        },
    )
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == decision.get_absolute_url()
    assert (decision.proposed_by, decision.to_stage, decision.quorum, decision.threshold) == (
        member,
        "knowledge",
        3,
        60,
    )
    html = member_client.get(promising.get_absolute_url()).content.decode()
    assert "The members are deciding" in html
    assert f"{decision.get_absolute_url()}#vote" in html


def test_proposal_without_a_reason_keeps_what_was_typed(member_client, promising):
    response = member_client.post(
        reverse("decisions:propose_stage", args=[promising.pk]),
        {
            "to_stage": "returned",
            "rationale": " ",
            "closes_at": "2999-01-01T10:00",
            "quorum": "7",
            "threshold": "66",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Say why" in html
    assert 'value="7"' in html
    assert Decision.objects.count() == 0
    assert problems(html) == []


def test_outsider_cannot_propose_on_a_group_idea(outsider_client, group_promising):
    url = reverse("decisions:propose_stage", args=[group_promising.pk])
    response = outsider_client.post(url, {"to_stage": "knowledge", "rationale": "x"})
    assert response.status_code == 404
    assert Decision.objects.count() == 0


# Overrides ---------------------------------------------------------------------------------


def test_moderator_overrides_and_the_idea_says_so(moderator_client, member_client, promising):
    html = moderator_client.get(promising.get_absolute_url()).content.decode()
    assert "Override without a decision" in html
    response = moderator_client.post(
        reverse("consolidation:idea_stage", args=[promising.pk]),
        {"to_stage": "knowledge", "reason": "Fixing an import mistake", "override": "on"},
    )
    change = StageChange.objects.get(idea=promising, to_stage="knowledge")
    assert response.status_code == 302
    assert change.override
    page = member_client.get(promising.get_absolute_url()).content.decode()
    assert "as an override, without a decision by the members" in page
    assert ">override<" in page


def test_moderator_without_override_is_told_to_propose(moderator_client, promising):
    response = moderator_client.post(
        reverse("consolidation:idea_stage", args=[promising.pk]),
        {"to_stage": "knowledge", "reason": "Ready"},
    )
    promising.refresh_from_db()
    assert response.status_code == 200
    assert "decision for the members" in response.content.decode()
    assert promising.stage == Stage.PROMISING


def test_history_links_the_decision_that_moved_the_idea(member_client, member, promising, owner):
    decision = _open(promising, owner, quorum=1)
    vote_cast(voter=member, decision=decision, choice="agree")
    _due(decision)
    member_client.get(decision.get_absolute_url())
    html = member_client.get(promising.get_absolute_url()).content.decode()
    assert "decided by the members" in html
    assert decision.get_absolute_url() in html


def test_override_notice_goes_once_the_members_decide(member_client, moderator, promising):
    idea_change_stage(
        viewer=moderator, idea=promising, to_stage="knowledge", reason="Quick fix", override=True
    )
    assert "as an override" in member_client.get(promising.get_absolute_url()).content.decode()
    idea_change_stage(viewer=moderator, idea=promising, to_stage="promising", reason="Undo")
    assert "as an override" not in member_client.get(promising.get_absolute_url()).content.decode()


# Whom an idea serves ------------------------------------------------------------------------


def test_idea_form_records_whom_it_serves(owner_client, group):
    response = owner_client.post(
        reverse("consolidation:idea_create"),
        {
            "title": "Family dinners",
            "summary": "Invite families to eat together.",
            "group": group.pk,
            "visibility": "network",
            "tags": "",
            "serves": ["parent", "student"],
        },
    )
    from learnloop.consolidation.models import Idea

    idea = Idea.objects.get(title="Family dinners")
    assert response.status_code == 302
    assert idea.serves == ["student", "parent"]
    edit = owner_client.post(
        reverse("consolidation:idea_edit", args=[idea.pk]),
        {
            "title": "Family dinners",
            "summary": "Invite families to eat together.",
            "group": group.pk,
            "visibility": "network",
            "tags": "",
            "serves": ["community"],
        },
    )
    idea.refresh_from_db()
    assert edit.status_code == 302
    assert idea.serves == ["community"]


# The command line ----------------------------------------------------------------------------


def test_cli_closes_due_decisions_and_lists(member, promising, owner):
    decision = _open(promising, owner, quorum=1)
    vote_cast(voter=member, decision=decision, choice="agree")
    listing = io.StringIO()
    call_command("decisions", "list", "--open", stdout=listing)
    assert "Open for votes" in listing.getvalue()
    _due(decision)
    out = io.StringIO()
    call_command("decisions", "close-due", stdout=out)
    promising.refresh_from_db()
    assert "Agreed" in out.getvalue()
    assert "1 decision(s) closed." in out.getvalue()
    assert promising.stage == Stage.KNOWLEDGE
    empty = io.StringIO()
    call_command("decisions", "list", "--open", stdout=empty)
    assert empty.getvalue() == ""


def test_pages_pass_the_accessibility_check(moderator_client, promising, moderator, owner):
    decision = _open(promising, owner)
    vote_cast(voter=moderator, decision=decision, choice="block", reason="Not with families yet")
    pages = [
        promising.get_absolute_url(),
        reverse("consolidation:idea_stage", args=[promising.pk]),
        reverse("consolidation:idea_create"),
        reverse("decisions:propose_stage", args=[promising.pk]),
        decision.get_absolute_url(),
    ]
    for url in pages:
        response = moderator_client.get(url)
        assert response.status_code == 200, url
        assert problems(response.content.decode()) == [], url


def test_closing_tells_proposer_and_voters_in_plain_text(
    promising, owner, mailoutbox, django_capture_on_commit_callbacks
):
    decision = _open(promising, owner, quorum=1)
    voter = PersonFactory(display_name="Siobhán O'Neil")
    vote_cast(voter=voter, decision=decision, choice="block", reason="Parents weren't asked")
    _due(decision)
    from learnloop.consolidation.decisions import decisions_close_due

    with django_capture_on_commit_callbacks(execute=True):
        decisions_close_due()
    bodies = {m.to[0]: m.body for m in mailoutbox}
    assert set(bodies) == {owner.email, voter.email}
    assert "Siobhán O'Neil: Parents weren't asked" in bodies[owner.email]
    assert decision.get_absolute_url() in bodies[voter.email]
