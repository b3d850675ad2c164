"""Each kind of gap: found when the cycle breaks, gone once it is fixed, measured against
the thresholds stewards set."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from learnloop.consolidation.models import Routine, RoutineSchedule
from learnloop.core.models import Visibility
from learnloop.health import selectors, services
from learnloop.health.models import GapKind, HealthSettings
from tests.factories import (
    IdeaFactory,
    LearningFactory,
    PersonFactory,
    PlanFactory,
    ProductFactory,
    ShareFactory,
    StepFactory,
)
from tests.health.conftest import ago, gap_keys

pytestmark = pytest.mark.django_db


def test_defaults_apply_until_a_steward_saves_thresholds():
    cfg = selectors.health_settings()
    assert cfg.quiet_days == 30
    assert cfg.stuck_days() == {"emerging": 90, "testing": 90, "promising": 90, "knowledge": 180}
    assert HealthSettings.objects.count() == 0


# Quiet phases -------------------------------------------------------------------------


def test_phase_with_no_activity_is_a_gap_until_something_happens(steward, owner):
    assert gap_keys(steward, GapKind.QUIET_PHASE) == selectors.PHASE_KEYS
    LearningFactory(author=owner)
    assert "generation" not in gap_keys(steward, GapKind.QUIET_PHASE)


def test_quiet_window_set_by_a_steward_takes_effect(steward, owner):
    LearningFactory(author=owner, created_at=ago(40))
    assert "generation" in gap_keys(steward, GapKind.QUIET_PHASE)
    services.health_settings_update(viewer=steward, quiet_days=60)
    assert "generation" not in gap_keys(steward, GapKind.QUIET_PHASE)


# Groups and their cadence ----------------------------------------------------------------


def test_group_without_learnings_in_its_cadence(steward, owner, old_group):
    assert str(old_group.pk) in gap_keys(steward, GapKind.NO_LEARNINGS)
    LearningFactory(author=owner, group=old_group, created_at=ago(10))
    assert str(old_group.pk) not in gap_keys(steward, GapKind.NO_LEARNINGS)


def test_new_group_is_not_yet_a_gap(steward, group):
    assert str(group.pk) not in gap_keys(steward, GapKind.NO_LEARNINGS)
    assert str(group.pk) not in gap_keys(steward, GapKind.NO_REFLECTION)


def test_group_that_has_not_reflected_until_a_synthesis_is_done(steward, owner, old_group):
    assert str(old_group.pk) in gap_keys(steward, GapKind.NO_REFLECTION)
    Routine.objects.create(
        kind="synthesis", person=owner, group=old_group, title="Q1", completed_at=ago(3)
    )
    assert str(old_group.pk) not in gap_keys(steward, GapKind.NO_REFLECTION)


def test_reflection_cadence_follows_the_groups_synthesis_schedule(steward, owner, old_group):
    Routine.objects.create(
        kind="synthesis", person=owner, group=old_group, title="Q1", completed_at=ago(60)
    )
    assert str(old_group.pk) in gap_keys(steward, GapKind.NO_REFLECTION)  # fortnightly
    RoutineSchedule.objects.create(
        kind="synthesis", group=old_group, cadence="quarterly", next_due_on=timezone.localdate()
    )
    assert str(old_group.pk) not in gap_keys(steward, GapKind.NO_REFLECTION)


def test_cadence_slack_set_by_a_steward_takes_effect(steward, owner, old_group):
    LearningFactory(author=owner, group=old_group, created_at=ago(25))
    assert str(old_group.pk) in gap_keys(steward, GapKind.NO_LEARNINGS)
    services.health_settings_update(viewer=steward, cadence_grace_days=14)
    assert str(old_group.pk) not in gap_keys(steward, GapKind.NO_LEARNINGS)


def test_group_gaps_are_shown_to_its_members_only(member, outsider, old_group):
    assert gap_keys(member, GapKind.NO_LEARNINGS) == [str(old_group.pk)]
    assert gap_keys(outsider, GapKind.NO_LEARNINGS) == []


# Ideas ------------------------------------------------------------------------------------


def test_idea_stuck_in_its_stage_until_it_moves(steward):
    idea = IdeaFactory(stage="testing", stage_changed_at=ago(100))
    fresh = IdeaFactory(stage="testing", stage_changed_at=ago(20))
    IdeaFactory(stage="scaling", stage_changed_at=ago(900))
    IdeaFactory(stage="returned", stage_changed_at=ago(900))
    assert gap_keys(steward, GapKind.STUCK_IDEA) == [str(idea.pk)]
    idea.stage, idea.stage_changed_at = "promising", timezone.now()
    idea.save()
    assert str(fresh.pk) not in gap_keys(steward, GapKind.STUCK_IDEA)
    assert gap_keys(steward, GapKind.STUCK_IDEA) == []


def test_knowledge_waits_longer_before_it_counts_as_stuck(steward):
    knowledge = IdeaFactory(stage="knowledge", stage_changed_at=ago(100))
    assert str(knowledge.pk) not in gap_keys(steward, GapKind.STUCK_IDEA)
    knowledge.stage_changed_at = ago(200)
    knowledge.save()
    assert gap_keys(steward, GapKind.STUCK_IDEA) == [str(knowledge.pk)]


def test_stuck_threshold_set_by_a_steward_takes_effect(steward):
    idea = IdeaFactory(stage="emerging", stage_changed_at=ago(100))
    services.health_settings_update(viewer=steward, stuck_emerging_days=120)
    assert gap_keys(steward, GapKind.STUCK_IDEA) == []
    services.health_settings_update(viewer=steward, stuck_emerging_days=50)
    assert gap_keys(steward, GapKind.STUCK_IDEA) == [str(idea.pk)]


def test_knowledge_never_captured_until_a_product_draws_on_it(steward):
    idea = IdeaFactory(stage="knowledge", stage_changed_at=ago(30))
    IdeaFactory(stage="knowledge", stage_changed_at=ago(3))  # still within the grace
    IdeaFactory(stage="promising", stage_changed_at=ago(30))
    gap = selectors.all_gaps(selectors.cycle_gaps(viewer=steward, kind=GapKind.UNCAPTURED))
    assert [g.item_key for g in gap] == [str(idea.pk)]
    assert gap[0].action_url == f"/products/new?idea={idea.pk}"
    draft = ProductFactory(visibility=Visibility.DRAFT, published_at=None)
    draft.ideas.add(idea)
    assert gap_keys(steward, GapKind.UNCAPTURED) == [str(idea.pk)]
    ProductFactory().ideas.add(idea)
    assert gap_keys(steward, GapKind.UNCAPTURED) == []


def test_grace_set_by_a_steward_takes_effect(steward):
    idea = IdeaFactory(stage="scaling", stage_changed_at=ago(10))
    assert gap_keys(steward, GapKind.UNCAPTURED) == []
    services.health_settings_update(viewer=steward, grace_days=5)
    assert gap_keys(steward, GapKind.UNCAPTURED) == [str(idea.pk)]


# Products and plans ---------------------------------------------------------------------


def test_product_never_shared_until_a_share_is_recorded(steward):
    product = ProductFactory(published_at=ago(30))
    ProductFactory(published_at=ago(2))
    gaps = selectors.all_gaps(selectors.cycle_gaps(viewer=steward, kind=GapKind.UNSHARED))
    assert [g.item_key for g in gaps] == [str(product.pk)]
    assert gaps[0].action_url == f"/products/{product.pk}/#shares"
    ShareFactory(product=product)
    assert gap_keys(steward, GapKind.UNSHARED) == []


def test_shared_product_never_adopted_until_a_plan_starts(steward):
    product = ProductFactory(published_at=ago(60))
    ShareFactory(product=product, shared_at=ago(30))
    recent = ProductFactory(published_at=ago(60))
    ShareFactory(product=recent, shared_at=ago(2))
    gaps = selectors.all_gaps(selectors.cycle_gaps(viewer=steward, kind=GapKind.UNADOPTED))
    assert [g.item_key for g in gaps] == [str(product.pk)]
    assert gaps[0].action_url == f"/adoption/new?product={product.pk}"
    PlanFactory(product=product)
    assert gap_keys(steward, GapKind.UNADOPTED) == []


def test_plan_with_overdue_reviews_until_they_are_reviewed(steward):
    step = StepFactory(state="trying", next_review_on=timezone.localdate() - timedelta(days=3))
    StepFactory(state="aware", next_review_on=timezone.localdate() + timedelta(days=3))
    StepFactory(state="declined", next_review_on=timezone.localdate() - timedelta(days=30))
    gaps = selectors.all_gaps(selectors.cycle_gaps(viewer=steward, kind=GapKind.OVERDUE_REVIEW))
    assert [g.item_key for g in gaps] == [str(step.plan_id)]
    assert gaps[0].action_url == f"/adoption/{step.plan_id}/"
    step.state = "adopted"
    step.save()
    assert gap_keys(steward, GapKind.OVERDUE_REVIEW) == []


# Who sees and acts -----------------------------------------------------------------------


def test_gaps_respect_visibility(owner, outsider, other_group):
    hidden = IdeaFactory(
        author=PersonFactory(),
        group=other_group,
        visibility=Visibility.GROUP,
        stage="knowledge",
        stage_changed_at=ago(30),
    )
    assert gap_keys(owner, GapKind.UNCAPTURED) == []
    assert gap_keys(outsider, GapKind.UNCAPTURED) == [str(hidden.pk)]


def test_moderators_and_authors_act_other_members_read(member, moderator, owner, group, steward):
    IdeaFactory(author=owner, group=group, stage="knowledge", stage_changed_at=ago(30))

    def acts(viewer):
        sections = selectors.cycle_gaps(viewer=viewer, kind=GapKind.UNCAPTURED)
        return [g.can_act for g in selectors.all_gaps(sections)]

    assert acts(moderator) == [True]
    assert acts(owner) == [True]
    assert acts(steward) == [True]
    assert acts(member) == [False]


def test_group_scope_lists_only_that_groups_gaps(steward, group, other_group):
    mine = IdeaFactory(group=group, stage="knowledge", stage_changed_at=ago(30))
    IdeaFactory(group=other_group, stage="knowledge", stage_changed_at=ago(30))
    assert gap_keys(steward, GapKind.UNCAPTURED, group=group) == [str(mine.pk)]


def test_page_limit_keeps_the_oldest_and_says_there_are_more(steward):
    for days in range(30, 33):
        IdeaFactory(stage="knowledge", stage_changed_at=ago(days))
    sections = selectors.cycle_gaps(viewer=steward, kind=GapKind.UNCAPTURED, limit=2)
    assert len(sections[0].gaps) == 2
    assert sections[0].more is True


# Thresholds --------------------------------------------------------------------------------


def test_only_stewards_change_thresholds(moderator, steward):
    with pytest.raises(PermissionDenied):
        services.health_settings_update(viewer=moderator, quiet_days=10)
    cfg = services.health_settings_update(viewer=steward, quiet_days=10)
    assert cfg.quiet_days == 10
    assert cfg.updated_by == steward


def test_bad_threshold_is_a_field_error(steward):
    with pytest.raises(ValidationError) as exc:
        services.health_settings_update(viewer=steward, quiet_days=0)
    assert "quiet_days" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.health_settings_update(viewer=steward, nonsense=3)
    assert "nonsense" in exc.value.message_dict
    assert HealthSettings.objects.count() == 0
