"""The decision engine: quorum, blocks, threshold, and what an agreed decision does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from learnloop.consolidation.decisions import (
    decision_close,
    decision_open,
    decisions_close_due,
    participation,
    vote_cast,
)
from learnloop.consolidation.models import (
    Criterion,
    DecisionStatus,
    Stage,
    StandardsVersion,
    VersionStatus,
)
from learnloop.consolidation.services import idea_change_stage
from learnloop.people.models import StakeholderType
from tests.factories import IdeaFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _later():
    return timezone.now() + timedelta(days=7)


def _vote_all(decision, choices):
    people = []
    for choice in choices:
        person = PersonFactory(stakeholder_type=StakeholderType.STAFF)
        vote_cast(
            voter=person,
            decision=decision,
            choice=choice,
            reason="Not yet tried with families" if choice == "block" else "",
        )
        people.append(person)
    return people


def _close(decision):
    return decision_close(decision=decision, now=decision.closes_at + timedelta(seconds=1))


@pytest.fixture
def idea(owner):
    return IdeaFactory(author=owner, stage=Stage.PROMISING, serves=["student", "parent"])


def test_agreed_decision_elevates_the_idea(idea, owner):
    decision = decision_open(
        proposer=owner,
        idea=idea,
        to_stage=Stage.KNOWLEDGE,
        rationale="Three schools, same result.",
        quorum=3,
        threshold=66,
    )
    _vote_all(decision, ["agree", "agree", "agree", "disagree"])
    closed = _close(decision)
    idea.refresh_from_db()
    assert closed.status == DecisionStatus.PASSED
    assert idea.stage == Stage.KNOWLEDGE
    assert closed.stage_change.to_stage == Stage.KNOWLEDGE
    assert "75% agree" in closed.outcome_reason


def test_a_block_stops_it_whatever_the_count(idea, owner):
    decision = decision_open(
        proposer=owner, idea=idea, to_stage=Stage.KNOWLEDGE, rationale="Ready.", quorum=2
    )
    _vote_all(decision, ["agree", "agree", "agree", "block"])
    closed = _close(decision)
    idea.refresh_from_db()
    assert closed.status == DecisionStatus.BLOCKED
    assert "Not yet tried with families" in closed.outcome_reason
    assert idea.stage == Stage.PROMISING


def test_too_few_voices_decide_nothing(idea, owner):
    decision = decision_open(
        proposer=owner, idea=idea, to_stage=Stage.RETURNED, rationale="Did not hold.", quorum=5
    )
    _vote_all(decision, ["agree", "agree"])
    assert _close(decision).status == DecisionStatus.NO_QUORUM


def test_below_threshold_is_not_agreed(idea, owner):
    decision = decision_open(
        proposer=owner,
        idea=idea,
        to_stage=Stage.KNOWLEDGE,
        rationale="Ready.",
        quorum=3,
        threshold=66,
    )
    _vote_all(decision, ["agree", "disagree", "abstain", "abstain"])
    assert _close(decision).status == DecisionStatus.FAILED


def test_block_needs_a_reason_and_votes_close_on_time(idea, owner, member):
    decision = decision_open(proposer=owner, idea=idea, to_stage=Stage.KNOWLEDGE, rationale="x")
    with pytest.raises(ValidationError):
        vote_cast(voter=member, decision=decision, choice="block")
    vote_cast(voter=member, decision=decision, choice="agree")
    vote_cast(voter=member, decision=decision, choice="abstain")  # a vote may change
    assert decision.votes.get().choice == "abstain"
    with pytest.raises(ValidationError):
        decision_close(decision=decision)  # still open


def test_decisions_close_when_due(idea, owner):
    decision = decision_open(
        proposer=owner, idea=idea, to_stage=Stage.KNOWLEDGE, rationale="x", quorum=1
    )
    assert decisions_close_due(now=decision.closes_at - timedelta(minutes=1)) == []
    [closed] = decisions_close_due(now=decision.closes_at + timedelta(minutes=1))
    assert closed.status == DecisionStatus.NO_QUORUM


def test_one_open_decision_per_idea(idea, owner):
    decision_open(proposer=owner, idea=idea, to_stage=Stage.KNOWLEDGE, rationale="x")
    with pytest.raises(ValidationError):
        decision_open(proposer=owner, idea=idea, to_stage=Stage.RETURNED, rationale="y")


def test_participation_flags_unheard_stakeholders(idea, owner):
    decision = decision_open(proposer=owner, idea=idea, to_stage=Stage.KNOWLEDGE, rationale="x")
    parent = PersonFactory(stakeholder_type=StakeholderType.PARENT)
    vote_cast(voter=parent, decision=decision, choice="agree")
    _vote_all(decision, ["agree"])
    who = participation(decision)
    assert who["voters"] == 2
    assert who["unheard"] == ["Student"]
    assert dict(who["by_type"]) == {"Parent": 1, "Staff": 1}


def test_decided_moves_need_a_decision_or_an_override(idea, owner, moderator, group):
    idea.group = group
    idea.save()
    with pytest.raises(PermissionDenied):
        idea_change_stage(viewer=owner, idea=idea, to_stage=Stage.KNOWLEDGE, reason="x")
    with pytest.raises(ValidationError):
        idea_change_stage(viewer=moderator, idea=idea, to_stage=Stage.KNOWLEDGE, reason="x")
    change = idea_change_stage(
        viewer=moderator,
        idea=idea,
        to_stage=Stage.KNOWLEDGE,
        reason="Correcting an import error",
        override=True,
    )
    assert change.override


def test_agreed_standards_become_the_current_version(owner):
    version = StandardsVersion.objects.create(title="First standards", proposed_by=owner)
    Criterion.objects.create(
        version=version, title="Tried in three contexts", kind="contexts", min_contexts=3
    )
    decision = decision_open(
        proposer=owner, standards_version=version, rationale="Start.", quorum=1
    )
    version.refresh_from_db()
    assert version.status == VersionStatus.PROPOSED
    _vote_all(decision, ["agree"])
    _close(decision)
    version.refresh_from_db()
    assert (version.status, version.number) == (VersionStatus.ADOPTED, 1)
