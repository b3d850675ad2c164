"""The process map: monthly counts per phase, from the records, within what the viewer sees."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learnloop.application.models import Outcome
from learnloop.consolidation.models import Routine, StageChange
from learnloop.core.models import Visibility
from learnloop.health import charts, selectors
from tests.factories import (
    EvidenceFactory,
    GroupFactory,
    IdeaFactory,
    LearningFactory,
    PersonFactory,
    PlanFactory,
    ProductFactory,
    QuestionFactory,
    ShareFactory,
    TestCycleFactory,
)

pytestmark = pytest.mark.django_db


def last_march() -> date:
    today = timezone.localdate()
    return date(today.year if today.month >= 3 else today.year - 1, 3, 1)


def in_month(first: date, day: int = 15) -> datetime:
    return timezone.make_aware(datetime(first.year, first.month, day, 10, 0))


def phase(flows, key):
    return next(p for p in flows.phases if p.key == key)


def test_twelve_months_ending_this_month():
    months = selectors.month_starts(date(2026, 2, 10))
    assert months[0] == date(2025, 3, 1)
    assert months[-1] == date(2026, 2, 1)
    assert len(months) == 12


def test_a_learning_created_in_march_counts_in_marchs_generation_band(owner):
    march = last_march()
    LearningFactory(author=owner, created_at=in_month(march))
    flows = selectors.cycle_flows(viewer=owner)
    i = flows.months.index(march)
    generation = phase(flows, "generation")
    assert generation.entered[i] == 1
    assert sum(generation.entered) == 1
    assert generation.sources[0].counts[i] == 1
    assert flows.rows[i].cells[0] == ("Generation", 1, 0)


def test_every_phase_counts_its_records_and_what_it_passes_on(owner, group):
    when = timezone.now()
    learning = LearningFactory(author=owner)
    TestCycleFactory(author=owner)
    QuestionFactory(author=owner)
    idea = IdeaFactory(author=owner, stage="knowledge")
    EvidenceFactory(idea=idea, learning=learning)
    StageChange.objects.create(
        idea=idea, from_stage="promising", to_stage="knowledge", reason="r", decided_by=owner
    )
    StageChange.objects.create(
        idea=idea, from_stage="emerging", to_stage="testing", reason="r", decided_by=owner
    )
    Routine.objects.create(kind="summary", person=owner, title="S", completed_at=when)
    Routine.objects.create(kind="summary", person=owner, title="Not finished")
    product = ProductFactory(author=owner)
    ProductFactory(author=owner, published_at=None, visibility=Visibility.DRAFT)
    ShareFactory(product=product)
    plan = PlanFactory(product=product)
    Outcome.objects.create(plan=plan, title="It worked", description="d", recorded_by=owner)

    flows = selectors.cycle_flows(viewer=owner)
    now = {p.key: (p.entered[-1], p.left[-1]) for p in flows.phases}
    assert now == {
        "generation": (3, 1),  # learning, cycle, question; one learning became evidence
        "consolidation": (5, 1),  # idea, evidence, 2 stage changes, 1 routine; 1 elevated
        "capture": (1, 1),  # one published product, carried out once
        "sharing": (1, 1),  # one share; one plan started
        "application": (2, 1),  # plan + outcome; the outcome returns as a learning
    }
    assert phase(flows, "consolidation").last_activity is not None


def test_counts_never_include_what_the_viewer_cannot_see(owner, outsider, other_group, steward):
    hidden_author = PersonFactory()
    LearningFactory(author=hidden_author, group=other_group, visibility=Visibility.GROUP)
    LearningFactory(author=hidden_author, visibility=Visibility.DRAFT)
    LearningFactory(author=owner, visibility=Visibility.NETWORK)
    LearningFactory(author=owner, visibility=Visibility.NETWORK, deleted_at=timezone.now())
    secret = ProductFactory(author=hidden_author, group=other_group, visibility=Visibility.GROUP)
    ShareFactory(product=secret)
    PlanFactory(product=secret, group=other_group, visibility=Visibility.GROUP)

    def now(viewer, key):
        return phase(selectors.cycle_flows(viewer=viewer), key).entered[-1]

    assert now(owner, "generation") == 1
    assert now(owner, "capture") == 0
    assert now(owner, "sharing") == 0
    assert now(owner, "application") == 0
    assert now(outsider, "generation") == 2  # the group learning of their own group
    assert now(outsider, "sharing") == 1
    assert now(steward, "generation") == 2  # never someone else's private draft


def test_group_scope_counts_only_that_groups_records(owner, group, other_group):
    LearningFactory(author=owner, group=group)
    LearningFactory(author=owner, group=other_group)
    LearningFactory(author=owner)
    flows = selectors.cycle_flows(viewer=owner, group=group)
    assert phase(flows, "generation").entered[-1] == 1
    assert flows.group == group


def test_items_older_than_twelve_months_are_left_out(owner):
    LearningFactory(author=owner, created_at=timezone.now() - timedelta(days=400))
    flows = selectors.cycle_flows(viewer=owner)
    assert phase(flows, "generation").entered_total == 0
    assert phase(flows, "generation").last_activity is None


def _flow_queries(viewer) -> int:
    with CaptureQueriesContext(connection) as ctx:
        selectors.cycle_flows(viewer=viewer)
    return len(ctx.captured_queries)


def test_one_aggregate_query_per_source_whatever_the_number_of_items(steward):
    LearningFactory()
    few = _flow_queries(steward)
    for months_back in range(0, 300, 20):
        group = GroupFactory()
        LearningFactory(group=group, created_at=timezone.now() - timedelta(days=months_back))
        ShareFactory(product=ProductFactory(group=group))
    assert _flow_queries(steward) == few
    assert few == sum(len(p.sources) for p in selectors.PHASES)


def test_wave_draws_one_band_per_phase_scaled_to_the_busiest_month(owner):
    for _i in range(4):
        LearningFactory(author=owner)
    wave = charts.wave(selectors.cycle_flows(viewer=owner))
    assert [b.key for b in wave.bands] == selectors.PHASE_KEYS
    assert wave.peak == 4
    assert wave.bands[0].empty is False
    assert wave.bands[1].empty is True
    assert len(wave.ticks) == 12
    assert wave.bands[0].path.startswith("M") and wave.bands[0].path.endswith("Z")
