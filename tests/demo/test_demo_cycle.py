"""The demo network's consolidation cycle: standards with history, decisions with varied
participation, reviews, routines and a review flag, as the services would have recorded them."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType

from learnloop.consolidation import decisions
from learnloop.consolidation.models import (
    Criterion,
    CriterionKind,
    Decision,
    DecisionKind,
    DecisionStatus,
    Evidence,
    Idea,
    ReductionItem,
    ReductionOutcome,
    Relation,
    Review,
    Routine,
    RoutineKind,
    RoutineSchedule,
    StageChange,
    StandardsVersion,
    VersionStatus,
    VoteChoice,
)
from learnloop.core.models import AuditEvent
from learnloop.demo.builder import DEMO_ROLES
from learnloop.people.models import Cadence, Group, Person, StakeholderType
from tests.demo.conftest import TODAY

pytestmark = pytest.mark.django_db

DECIDED = ("knowledge", "scaling", "returned")


def _days_ago(moment) -> int:
    return (TODAY - moment.date()).days


def _closed_decisions():
    return (
        Decision.objects.exclude(status=DecisionStatus.OPEN)
        .select_related("idea", "standards_version")
        .prefetch_related("votes__voter")
    )


def test_every_idea_says_whom_it_serves(demo):
    for serves in Idea.objects.values_list("serves", flat=True):
        assert serves
        assert set(serves) <= set(StakeholderType.values)


def test_standards_have_a_history_and_equity_in_the_current_version(demo):
    adopted = list(
        StandardsVersion.objects.filter(status=VersionStatus.ADOPTED)
        .order_by("number")
        .prefetch_related("criteria")
    )
    assert [v.number for v in adopted] == [1, 2]
    v1, v2 = adopted
    assert 280 <= _days_ago(v1.adopted_at) <= 330
    assert 100 <= _days_ago(v2.adopted_at) <= 150
    assert v2.based_on == v1
    first = {c.kind: c for c in v1.criteria.all()}
    assert set(first) == {
        CriterionKind.CONTEXTS,
        CriterionKind.MEASURE,
        CriterionKind.CONTRADICTION,
    }
    assert first[CriterionKind.CONTEXTS].min_contexts == 2
    current = {c.kind: c for c in v2.criteria.all()}
    assert set(current) == set(first) | {CriterionKind.EQUITY}
    assert current[CriterionKind.CONTEXTS].min_contexts == 3
    equity = current[CriterionKind.EQUITY]
    assert "furthest from opportunity" in equity.title
    assert len(equity.description) > 80
    for version in adopted:
        decision = version.decisions.get()
        assert decision.kind == DecisionKind.STANDARDS
        assert decision.status == DecisionStatus.PASSED
        assert decision.closed_at == version.adopted_at
        assert decision.tally == decisions.tally(decision)
        assert decision.outcome_reason.startswith("Agreed. ")
        assert decision.votes.count() >= 10

    rejected = StandardsVersion.objects.get(status=VersionStatus.REJECTED)
    assert rejected.number is None
    assert rejected.criteria.count() == 5
    refused = rejected.decisions.get()
    assert refused.status in (DecisionStatus.FAILED, DecisionStatus.BLOCKED)
    assert "Blocks: " in refused.outcome_reason
    assert refused.votes.filter(choice=VoteChoice.BLOCK).exclude(reason="").exists()

    proposed = StandardsVersion.objects.get(status=VersionStatus.PROPOSED)
    assert proposed.based_on == v2
    pending = proposed.decisions.get()
    assert pending.status == DecisionStatus.OPEN
    assert 2 <= (pending.closes_at.date() - TODAY).days <= 6
    assert 0 < pending.votes.count() < 10
    assert pending.tally == {}


def test_closed_decisions_are_counted_as_the_engine_counts(demo):
    closed = list(_closed_decisions())
    assert len(closed) >= 18
    for decision in closed:
        counts = decisions.tally(decision)
        assert decision.tally == counts
        status, reason = decisions._outcome(decision, counts)
        assert (decision.status, decision.outcome_reason) == (status, reason)
        assert decision.opened_at < decision.closes_at <= decision.closed_at
        assert all(
            decision.opened_at <= v.cast_at <= decision.closes_at for v in decision.votes.all()
        )
        assert all(v.reason for v in decision.votes.all() if v.choice == VoteChoice.BLOCK)


def test_every_decided_stage_change_is_backed_by_a_decision_or_an_override(demo):
    changes = StageChange.objects.filter(to_stage__in=DECIDED).select_related(
        "decision", "decided_by"
    )
    assert changes.count() >= 10
    overrides = [c for c in changes if c.override]
    assert len(overrides) == 1
    assert overrides[0].reason.startswith("Override")
    assert not hasattr(overrides[0], "decision") or overrides[0].decision is None
    ct = ContentType.objects.get_for_model(Idea)
    events = {
        e.data["stage_change"]: e
        for e in AuditEvent.objects.filter(verb="changed the stage", content_type=ct)
    }
    for change in changes:
        event = events[change.pk]
        assert event.actor_id == change.decided_by_id
        if change.override:
            assert event.data["override"] is True
            continue
        decision = change.decision
        assert decision.status == DecisionStatus.PASSED
        assert decision.kind == DecisionKind.STAGE
        assert (decision.idea_id, decision.to_stage) == (change.idea_id, change.to_stage)
        assert decision.proposed_by_id == change.decided_by_id
        assert decision.closed_at == change.decided_at
        assert change.reason == decision.rationale + "\n\n" + decision.outcome_reason
        assert 5 <= decision.votes.count() <= 15
        assert event.data["decision"] == decision.pk


def test_decisions_on_ideas_vary_in_outcome_and_voices(demo):
    stage = Decision.objects.filter(kind=DecisionKind.STAGE)
    statuses = Counter(stage.values_list("status", flat=True))
    assert statuses[DecisionStatus.PASSED] >= 13
    assert statuses[DecisionStatus.BLOCKED] == 1
    assert statuses[DecisionStatus.NO_QUORUM] == 1
    assert statuses[DecisionStatus.FAILED] == 1
    assert 2 <= statuses[DecisionStatus.OPEN] <= 3
    blocked = stage.get(status=DecisionStatus.BLOCKED)
    assert blocked.stage_change is None
    block = blocked.votes.get(choice=VoteChoice.BLOCK)
    assert block.voter.stakeholder_type == StakeholderType.STUDENT
    assert f"Blocks: {block.voter.name}: {block.reason}" in blocked.outcome_reason

    passed = stage.filter(status=DecisionStatus.PASSED).select_related("idea")
    voter_types = set()
    unheard = []
    for decision in passed:
        who = decisions.participation(decision)
        voter_types |= {t for t, _n in who["by_type"]}
        assert len(who["by_organization"]) >= 2
        heard = set(decision.votes.values_list("voter__stakeholder_type", flat=True))
        if {"student", "parent"} & set(decision.idea.serves) and not {"student", "parent"} & heard:
            unheard.append(who["unheard"])
    assert len(voter_types) >= 5
    assert unheard
    assert all(names for names in unheard)

    steward = Person.objects.get(username=DEMO_ROLES["steward"])
    parent = Person.objects.get(username=DEMO_ROLES["parent"])
    open_ones = list(stage.filter(status=DecisionStatus.OPEN).prefetch_related("votes"))
    for decision in open_ones:
        assert 2 <= (decision.closes_at.date() - TODAY).days <= 6
        assert 0 < decision.votes.count() < decision.quorum + 5
        assert decision.tally == {}
    assert any(not d.votes.filter(voter=steward).exists() for d in open_ones)
    assert any(not d.votes.filter(voter=parent).exists() for d in open_ones)
    assert len({d.idea_id for d in open_ones}) == len(open_ones)


def test_reviews_use_the_standards_current_at_the_time_and_disagree(demo):
    adopted = list(StandardsVersion.objects.filter(status=VersionStatus.ADOPTED))
    criteria = defaultdict(set)
    for c in Criterion.objects.all():
        criteria[c.version_id].add(c.pk)
    reviewed = Idea.objects.filter(stage__in=["promising", "knowledge", "scaling"])
    assert reviewed.count() >= 10
    used = Counter()
    for idea in reviewed:
        reviews = list(idea.reviews.select_related("version").prefetch_related("scores__evidence"))
        assert 2 <= len(reviews) <= 4
        assert len({r.reviewer_id for r in reviews}) == len(reviews)
        assert idea.author_id not in {r.reviewer_id for r in reviews}
        verdicts = defaultdict(set)
        for review in reviews:
            current = max(
                (v for v in adopted if v.adopted_at <= review.created_at), key=lambda v: v.number
            )
            assert review.version == current
            used[review.version.number] += 1
            scores = list(review.scores.all())
            assert {s.criterion_id for s in scores} == criteria[review.version_id]
            for score in scores:
                assert score.justification
                verdicts[(review.version_id, score.criterion_id)].add(score.verdict)
                for evidence in score.evidence.all():
                    assert evidence.idea_id == idea.pk
                    assert evidence.added_at <= review.created_at
        assert any(len(v) > 1 for v in verdicts.values())
    assert used[1] >= 2
    assert used[2] >= 20
    assert Review.objects.filter(scores__evidence__isnull=False).distinct().count() >= 20
    assert Review.objects.filter(routine__kind=RoutineKind.REDUCTION).exists()
    ct = ContentType.objects.get_for_model(Idea)
    assert AuditEvent.objects.filter(verb="reviewed", content_type=ct).count() == (
        Review.objects.count()
    )


def test_one_knowledge_idea_is_flagged_by_new_contradicting_evidence(demo):
    flagged = Idea.objects.get(review_flagged_at__isnull=False)
    assert flagged.stage == "knowledge"
    evidence = flagged.evidence.get(added_at=flagged.review_flagged_at)
    assert evidence.relation == Relation.CONTRADICTS
    assert _days_ago(evidence.added_at) <= 7
    assert f"Learning #{evidence.learning_id} " in flagged.review_flag
    assert AuditEvent.objects.filter(verb="flagged for review", object_id=flagged.pk).exists()


def test_routine_schedules_with_some_due(demo):
    summaries = RoutineSchedule.objects.filter(kind=RoutineKind.SUMMARY)
    assert summaries.count() == 12
    assert set(summaries.values_list("cadence", flat=True)) == {Cadence.MONTHLY}
    assert not summaries.filter(person=None).exists()
    syntheses = RoutineSchedule.objects.filter(kind=RoutineKind.SYNTHESIS)
    assert set(syntheses.values_list("group_id", flat=True)) == set(
        Group.objects.values_list("pk", flat=True)
    )
    assert set(syntheses.values_list("cadence", flat=True)) <= {
        Cadence.FORTNIGHTLY,
        Cadence.MONTHLY,
    }
    reduction = RoutineSchedule.objects.get(kind=RoutineKind.REDUCTION)
    assert reduction.cadence == Cadence.QUARTERLY
    assert reduction.person is None and reduction.group is None
    assert reduction.next_due_on <= TODAY
    member = summaries.get(person__username=DEMO_ROLES["member"])
    assert member.next_due_on <= TODAY
    assert RoutineSchedule.objects.filter(next_due_on__lte=TODAY).count() >= 5
    assert RoutineSchedule.objects.filter(next_due_on__gt=TODAY).count() >= 10


def test_past_summaries_choose_own_learnings_and_propose_ideas(demo):
    summaries = Routine.objects.filter(kind=RoutineKind.SUMMARY).prefetch_related(
        "learnings", "ideas", "evidence"
    )
    assert 18 <= summaries.count() <= 22
    outputs = Counter()
    for routine in summaries:
        assert set(routine.answers) == {"evidence", "understanding", "helpers", "output"}
        assert routine.schedule.person_id == routine.person_id
        assert routine.schedule.created_at < routine.started_at < routine.completed_at
        learnings = list(routine.learnings.all())
        assert all(lr.author_id == routine.person_id for lr in learnings)
        assert all(lr.created_at < routine.completed_at for lr in learnings)
        outputs[routine.answers["output"]] += 1
        if routine.answers["output"] != "none":
            assert learnings
            assert {e.learning_id for e in routine.evidence.all()} <= {lr.pk for lr in learnings}
            assert routine.evidence.exists()
            assert len(routine.ideas.all()) == 1
        if routine.answers["output"] == "new":
            idea = routine.ideas.get()
            assert idea.author_id == routine.person_id
            assert abs(idea.created_at - routine.completed_at) < timedelta(minutes=5)
    assert outputs["new"] >= 2
    assert outputs["existing"] >= 2
    assert outputs["none"] >= 8


def test_past_syntheses_compare_contexts_and_strengthen_ideas(demo):
    syntheses = Routine.objects.filter(kind=RoutineKind.SYNTHESIS).prefetch_related(
        "learnings", "ideas", "evidence"
    )
    assert 6 <= syntheses.count() <= 10
    for routine in syntheses:
        assert {"patterns", "differences", "strength", "output", "tag", "period"} <= set(
            routine.answers
        )
        assert routine.answers["strength"] in ("weak", "moderate", "strong")
        assert routine.answers["patterns"]
        learnings = list(routine.learnings.all())
        assert len({(lr.group_id, lr.site) for lr in learnings}) >= 2
        assert routine.group is not None
    strengthened = [r for r in syntheses if r.answers["output"] == "existing"]
    assert len(strengthened) >= 5
    for routine in strengthened:
        assert routine.ideas.exists()
        assert routine.evidence.exists()
    assert Evidence.objects.filter(routine__kind=RoutineKind.SYNTHESIS).count() >= 10


def test_reduction_rounds_record_their_outcomes_and_decisions(demo):
    rounds = list(
        Routine.objects.filter(kind=RoutineKind.REDUCTION)
        .order_by("started_at")
        .prefetch_related("items__decision", "ideas")
    )
    assert len(rounds) == 3
    outcomes = Counter()
    nothing = 0
    for routine in rounds:
        assert set(routine.answers) == {"notes"}
        assert routine.standards_version.status == VersionStatus.ADOPTED
        assert routine.standards_version.adopted_at <= routine.started_at
        items = list(routine.items.all())
        assert items
        assert {i.idea_id for i in items} == {i.pk for i in routine.ideas.all()}
        for item in items:
            outcomes[item.outcome] += 1
            assert item.note or item.outcome == ReductionOutcome.ELEVATE
            if item.outcome == ReductionOutcome.REFINE:
                assert item.decision is None
            else:
                assert item.decision.routine_id == routine.pk
                assert item.decision.idea_id == item.idea_id
                assert item.decision.proposed_by_id == routine.person_id
        nothing += not any(i.outcome == ReductionOutcome.ELEVATE for i in items)
    assert nothing >= 1
    assert set(outcomes) == set(ReductionOutcome.values)
    elevated = ReductionItem.objects.filter(outcome=ReductionOutcome.ELEVATE)
    assert all(i.decision.status == DecisionStatus.PASSED for i in elevated)
    assert all(i.decision.stage_change is not None for i in elevated)
