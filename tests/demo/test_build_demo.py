"""The demo network: built once per module (about a second), then inspected."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Count, Q
from django.test import Client
from django.urls import reverse

from learnloop.application.models import (
    ActionKind,
    AdoptionPlan,
    AdoptionState,
    Outcome,
    StakeholderStep,
    StepUpdate,
)
from learnloop.capture.models import KnowledgeProduct, ProductKind
from learnloop.consolidation.models import (
    Decision,
    Endorsement,
    Evidence,
    Idea,
    Relation,
    ReviewScore,
    Routine,
    RoutineSchedule,
    Stage,
    StageChange,
    Vote,
)
from learnloop.core.models import Attachment, AuditEvent, Comment, Revision, Visibility
from learnloop.demo.builder import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DEMO_ROLES,
    DemoError,
    build_demo,
)
from learnloop.generation import models as generation
from learnloop.generation.models import Answer, Learning, LearningKind, Question, TestCycle
from learnloop.measures.models import DataPoint, MeasureLink
from learnloop.people.models import Group, GroupKind, Person, Role, StakeholderType
from learnloop.sharing.models import Channel, Share
from learnloop.value.models import Convening, StoryStep
from tests.demo.conftest import TODAY, quiet

LADDER = ["emerging", "testing", "promising", "knowledge", "scaling"]

pytestmark = pytest.mark.django_db
_quiet = quiet


def _first_titles(n: int = 60) -> list[tuple[str, str, str, str]]:
    return list(
        Learning.objects.order_by("created_at", "pk").values_list(
            "title", "kind", "visibility", "author__username"
        )[:n]
    )


def test_loads_in_seconds_and_reports_counts(demo):
    assert demo.seconds < 20
    assert demo.counts["measures"] == 4
    assert demo.counts["convenings"] >= 15
    assert demo.counts["value_stories"] >= 6
    assert demo.counts["organizations"] >= 3
    assert demo.counts["groups"] >= 6
    assert demo.counts["people"] >= 40
    assert demo.counts["learnings"] >= 300
    assert demo.counts["test_cycles"] >= 20
    assert demo.counts["questions"] >= 15
    assert demo.counts["learnings"] == Learning.objects.count()
    assert demo.ideas_by_stage == dict(
        Idea.objects.order_by().values_list("stage").annotate(n=Count("pk"))
    )
    assert any("learnloop-demo" in line for line in demo.lines())
    assert any(line.startswith("Decisions by status: open") for line in demo.lines())
    assert demo.counts["decisions"] == sum(demo.decisions_by_status.values())
    assert demo.routines_by_kind == {"summary": 20, "synthesis": 8, "reduction": 3}
    assert demo.standards_by_status == {"draft": 0, "proposed": 1, "adopted": 2, "rejected": 1}


def test_people_groups_and_roles(demo):
    types = set(Person.objects.values_list("stakeholder_type", flat=True))
    assert {
        StakeholderType.STAFF,
        StakeholderType.PARTNER,
        StakeholderType.STUDENT,
        StakeholderType.PARENT,
        StakeholderType.COMMUNITY,
        StakeholderType.FUNDER,
    } <= types
    assert Person.objects.filter(is_steward=True).count() == 2
    assert not Person.objects.filter(Q(job_role="") | Q(site="") | Q(expertise="")).exists()
    groups = Group.objects.annotate(
        people=Count("memberships"),
        moderators=Count("memberships", filter=Q(memberships__role=Role.MODERATOR)),
    )
    assert all(g.moderators >= 1 for g in groups)
    impact = [g.people for g in groups if g.kind == GroupKind.IMPACT]
    assert len(impact) >= 4
    # One small group, so that the size advice shows; the others are the right size.
    assert sorted(not 5 <= n <= 15 for n in impact).count(True) == 1
    assert groups.filter(kind=GroupKind.TEAM).exists()
    cluster = Group.objects.get(kind=GroupKind.CLUSTER)
    assert cluster.linked_groups.count() >= 3


def test_learnings_cycles_and_questions(demo):
    kinds = Counter(Learning.objects.values_list("kind", flat=True))
    assert all(kinds[k] >= 10 for k in LearningKind.values)
    vis = Counter(Learning.objects.values_list("visibility", flat=True))
    assert vis[Visibility.NETWORK] > vis[Visibility.GROUP] > vis[Visibility.DRAFT] > 0
    assert vis[Visibility.PUBLIC] > 0
    assert not Learning.objects.filter(visibility=Visibility.GROUP, group=None).exists()
    assert Learning.objects.filter(tags__isnull=False).distinct().count() >= 250
    learning_ct = ContentType.objects.get_for_model(Learning)
    links = Attachment.objects.filter(content_type=learning_ct).exclude(url="")
    assert links.count() >= 20
    assert Comment.objects.filter(content_type=learning_ct).count() >= 30
    span = Learning.objects.order_by("created_at")
    assert (TODAY - span.first().created_at.date()).days > 300
    assert span.last().created_at.date() < TODAY

    statuses = Counter(TestCycle.objects.values_list("status", flat=True))
    assert all(statuses[s] >= 3 for s in generation.TestCycleStatus.values)
    from_cycles = Learning.objects.filter(test_cycle__isnull=False)
    assert from_cycles.count() >= 5
    assert set(from_cycles.values_list("kind", flat=True)) == {LearningKind.TEST_RESULT}
    assert all(lr.author_id == lr.test_cycle.author_id for lr in from_cycles)

    assert Question.objects.filter(answers__isnull=False).distinct().count() >= 10
    assert Answer.objects.filter(accepted=True).count() >= 5
    assert Question.objects.filter(answers__isnull=True).exists()
    assert Question.objects.filter(closed_at__isnull=False).exists()


def test_ideas_at_every_stage_with_evidence_and_history(demo):
    stages = Counter(Idea.objects.values_list("stage", flat=True))
    assert all(stages[s] >= 3 for s in Stage.values)
    assert set(Evidence.objects.values_list("relation", flat=True)) == set(Relation.values)
    assert Endorsement.objects.count() >= 50
    for idea in Idea.objects.prefetch_related("evidence", "stage_changes"):
        evidence = list(idea.evidence.all())
        assert len(evidence) >= 2
        history = sorted(idea.stage_changes.all(), key=lambda c: c.decided_at)
        path = [c.to_stage for c in history]
        assert history[0].from_stage == ""
        assert path[-1] == idea.stage
        assert idea.stage_changed_at == history[-1].decided_at
        assert all(c.reason and "counts" in c.evidence_snapshot for c in history)
        assert [c.from_stage for c in history[1:]] == path[:-1]
        climb = path[:-1] if idea.stage == Stage.RETURNED else path
        assert climb == LADDER[: len(climb)]
    mature = Idea.objects.filter(stage__in=["promising", "knowledge", "scaling"])
    for idea in mature.prefetch_related("evidence"):
        assert len({e.context_group_id for e in idea.evidence.all()}) >= 2
        assert len({e.context_site for e in idea.evidence.all()}) >= 2
    returned = Idea.objects.filter(stage=Stage.RETURNED)
    for idea in returned:
        assert len(idea.stage_changes.get(to_stage=Stage.RETURNED).reason) > 80
        assert idea.evidence.filter(relation=Relation.CONTRADICTS).exists()


def test_products_channels_and_shares(demo):
    kinds = Counter(KnowledgeProduct.objects.values_list("kind", flat=True))
    assert all(kinds[k] >= 1 for k in ProductKind.values)
    for product in KnowledgeProduct.objects.prefetch_related("ideas"):
        assert product.actions and product.audience
        assert len(product.ideas.all()) >= 1
        assert (product.published_at is None) == (product.visibility == Visibility.DRAFT)
    assert not KnowledgeProduct.objects.filter(kind=ProductKind.MEDIA, media_url="").exists()
    assert KnowledgeProduct.objects.filter(visibility=Visibility.PUBLIC).count() >= 3
    assert Channel.objects.count() >= 5
    assert Channel.objects.filter(reaches_outside=True).exists()
    assert Share.objects.count() >= 15
    assert not Share.objects.filter(product__published_at__isnull=True).exists()


def test_adoption_plans_steps_and_the_loop_closing(demo):
    states = Counter(StakeholderStep.objects.values_list("state", flat=True))
    assert all(states[s] >= 2 for s in AdoptionState.values)
    assert set(StakeholderStep.objects.values_list("action_kind", flat=True)) == set(
        ActionKind.values
    )
    unsettled = StakeholderStep.objects.exclude(state__in=["adopted", "declined"])
    assert not unsettled.filter(next_review_on__isnull=True).exists()
    assert unsettled.filter(next_review_on__lt=TODAY).count() >= 3
    assert StakeholderStep.objects.exclude(motivations="").exists()
    assert StakeholderStep.objects.exclude(barriers="").exists()
    assert StakeholderStep.objects.exclude(support="").exists()
    for step in StakeholderStep.objects.prefetch_related("updates"):
        updates = sorted(step.updates.all(), key=lambda u: u.at)
        final = updates[-1].to_state if updates else AdoptionState.NOT_REACHED
        assert final == step.state
        assert all(a.to_state == b.from_state for a, b in itertools.pairwise(updates))
    assert StepUpdate.objects.count() >= 40
    assert AdoptionPlan.objects.filter(share__isnull=False).exists()

    assert Outcome.objects.count() >= 8
    for outcome in Outcome.objects.select_related("learning", "plan__product"):
        learning = outcome.learning
        assert learning.kind in (LearningKind.OBSERVATION, LearningKind.TEST_RESULT)
        linked = set(learning.evidence_links.values_list("idea_id", flat=True))
        assert linked == set(outcome.plan.product.ideas.values_list("pk", flat=True))


def test_every_revisioned_item_has_a_first_revision_and_audit(demo):
    for model in (Learning, TestCycle, Question, Idea, KnowledgeProduct, AdoptionPlan):
        ct = ContentType.objects.get_for_model(model)
        first = Revision.objects.filter(content_type=ct, number=1)
        assert first.count() == model.objects.count()
    learning = Learning.objects.prefetch_related("tags").filter(tags__isnull=False).first()
    rev = Revision.objects.get(
        content_type=ContentType.objects.get_for_model(Learning), object_id=learning.pk
    )
    assert rev.data["title"] == learning.title
    assert rev.data["tag_names"] == learning.tag_names
    assert rev.data["group_id"] == learning.group_id
    assert AuditEvent.objects.filter(verb="posted").count() == Learning.objects.count()


def test_demo_logins_work(demo):
    assert {"steward", "group moderator", "member", "partner", "parent"} <= set(DEMO_ROLES)
    assert set(DEMO_ROLES.values()) == {username for username, _what in DEMO_LOGINS}
    roles = {role: Person.objects.get(username=name) for role, name in DEMO_ROLES.items()}
    assert roles["steward"].is_steward
    assert roles["group moderator"].memberships.filter(role=Role.MODERATOR).exists()
    assert roles["parent"].stakeholder_type == StakeholderType.PARENT
    assert roles["partner"].stakeholder_type == StakeholderType.PARTNER
    for username, _what in DEMO_LOGINS:
        assert Client().login(username=username, password=DEMO_PASSWORD)
    client = Client()
    assert client.login(username="maria.lopez@example.org", password=DEMO_PASSWORD)
    assert client.get(reverse("generation:learnings")).status_code == 200


def test_every_person_shares_one_password_hash(demo):
    assert Person.objects.values("password").distinct().count() == 1
    assert Person.objects.first().password.startswith("argon2")


def test_refuses_to_load_twice(demo):
    before = Learning.objects.count()
    with pytest.raises(DemoError, match="already holds people"):
        build_demo(progress=_quiet, today=TODAY)
    assert Learning.objects.count() == before


def _cycle_rows() -> list[list[tuple]]:
    return [
        list(
            Decision.objects.order_by("pk").values_list(
                "title", "status", "tally", "outcome_reason", "proposed_by__username", "closes_at"
            )
        ),
        list(
            Vote.objects.order_by("pk").values_list(
                "decision__idea__title", "decision__kind", "voter__username", "choice"
            )
        ),
        list(
            ReviewScore.objects.order_by("pk").values_list(
                "review__reviewer__username", "criterion__title", "verdict", "justification"
            )
        ),
        list(Routine.objects.order_by("pk").values_list("title", "answers", "person__username")),
        list(RoutineSchedule.objects.order_by("pk").values_list("kind", "next_due_on")),
        list(StageChange.objects.order_by("pk").values_list("reason", "override")),
    ]


def _impact_rows() -> list[list[tuple]]:
    return [
        list(
            DataPoint.objects.order_by("pk").values_list(
                "measure__slug", "period", "value", "site", "breakdown_key", "reported_at"
            )
        ),
        # Titles, not ids: a flush need not restart PostgreSQL sequences.
        list(MeasureLink.objects.order_by("pk").values_list("idea__title", "test_cycle__title")),
        list(
            Convening.objects.order_by("pk", "participants__username").values_list(
                "title", "starts_at", "created_at", "participants__username"
            )
        ),
        list(StoryStep.objects.order_by("pk").values_list("story__title", "cycle", "created_at")),
    ]


def test_is_deterministic(demo):
    first = _first_titles()
    impact = _impact_rows()
    ideas = list(Idea.objects.order_by("pk").values_list("title", "stage", "author__username"))
    evidence = Evidence.objects.count()
    cycle = _cycle_rows()
    call_command("flush", interactive=False, verbosity=0)
    assert not Person.objects.exists()
    again = build_demo(progress=_quiet, today=TODAY)
    assert _first_titles() == first
    assert (
        list(Idea.objects.order_by("pk").values_list("title", "stage", "author__username")) == ideas
    )
    assert Evidence.objects.count() == evidence
    assert _cycle_rows() == cycle
    assert _impact_rows() == impact
    assert again.counts == demo.counts
    assert again.steps_by_state == demo.steps_by_state
    assert again.decisions_by_status == demo.decisions_by_status
    assert again.routines_by_kind == demo.routines_by_kind
