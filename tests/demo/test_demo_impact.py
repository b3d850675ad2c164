"""The demo network's measures, convenings and value stories: a year of figures with real
run-chart signals, convenings past and ahead, and stories whose value thins out."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count

from learnloop.application.models import AdoptionPlan, Outcome
from learnloop.core.models import AuditEvent, Revision
from learnloop.demo import impact_content as V
from learnloop.demo.impact import CHECK_SCHOOLS, CHECKS_FROM, STRIKE_MONTH, month_starts
from learnloop.generation.models import Learning
from learnloop.measures import runchart
from learnloop.measures.models import DataPoint, Measure, MeasureLink
from learnloop.people.models import Person
from learnloop.value.models import Convening, StoryStep, ValueCycle, ValueStory
from learnloop.value.selectors import value_matrix
from tests.demo.conftest import TODAY

pytestmark = pytest.mark.django_db

MONTHS = month_starts(TODAY)


def _chart(slug: str, site: str) -> tuple[runchart.RunChart, list[DataPoint]]:
    """The run chart of one school's totals for one measure, straight from the rows."""
    points = list(
        DataPoint.objects.filter(measure__slug=slug, site=site, breakdown_key="").order_by("period")
    )
    return runchart.analyze([float(p.value) for p in points]), points


def _happened(record):
    """When a linked record came to be: a convening once it was over."""
    if isinstance(record, Convening):
        return record.ends_at
    if isinstance(record, Outcome):
        return record.recorded_at
    return record.created_at


def test_summary_counts_and_lines(demo):
    assert demo.counts["measures"] == Measure.objects.count() == 4
    assert demo.counts["data_points"] == DataPoint.objects.count() >= 300
    assert demo.counts["measure_links"] == MeasureLink.objects.count() >= 12
    assert 15 <= demo.counts["convenings"] == Convening.objects.count() <= 30
    assert 6 <= demo.counts["value_stories"] == ValueStory.objects.count() <= 8
    assert demo.counts["story_steps"] == StoryStep.objects.count()
    assert sum(demo.points_by_measure.values()) == demo.counts["data_points"]
    assert sum(demo.convenings_by_kind.values()) == demo.counts["convenings"]
    assert demo.stories_by_cycle["immediate"] == demo.counts["value_stories"]
    lines = demo.lines()
    assert any(line.startswith("Data points by measure: ") for line in lines)
    assert any(line.startswith("Convenings by kind: meeting") for line in lines)
    assert any(line.startswith("Value stories reaching each cycle: immediate") for line in lines)


def test_measures_are_defined_like_a_steward_would(demo):
    measures = {m.slug: m for m in Measure.objects.select_related("created_by")}
    assert set(measures) == {V.ON_TRACK, V.ATTENDANCE_RATE, V.FAMILIES_REACHED, V.CHRONIC_ABSENCE}
    assert {m.kind for m in measures.values()} == {"process", "outcome"}
    assert measures[V.CHRONIC_ABSENCE].direction == "lower"
    assert measures[V.FAMILIES_REACHED].aggregation == "sum"
    assert measures[V.ON_TRACK].aggregation == "mean"
    assert measures[V.ON_TRACK].breakdowns == [V.POPULATION]
    assert measures[V.ON_TRACK].target == Decimal("85")
    assert all(m.frequency == "monthly" and m.unit and m.description for m in measures.values())
    assert all(m.created_by.is_steward for m in measures.values())
    defined = AuditEvent.objects.filter(verb="defined a measure")
    assert defined.count() == 4


def test_a_year_of_figures_from_the_groups_and_sites(demo):
    periods = sorted(set(DataPoint.objects.values_list("period", flat=True)))
    assert periods == MONTHS
    assert periods[-1] == date(2025, 5, 1)  # the last full month before TODAY
    assert not DataPoint.objects.filter(reported_at__date__gte=TODAY).exists()
    for point in DataPoint.objects.select_related("group", "reported_by"):
        if point.group is None:
            assert point.reported_by.is_steward
        else:
            assert point.reported_by.memberships.filter(group=point.group).exists()
        assert point.reported_at.date() > point.period
    totals = DataPoint.objects.filter(breakdown_key="")
    per_series = totals.values("measure", "group", "site").annotate(n=Count("pk"))
    assert len(per_series) == 16
    # Northgate missed two months of calls; Lakeview joined the absence report late.
    assert sorted(row["n"] for row in per_series) == [5, 10] + [12] * 14
    imports = AuditEvent.objects.filter(verb="imported data points")
    assert sum(e.data["rows"] for e in imports) == DataPoint.objects.count()


def test_run_charts_show_real_signals(demo):
    # A shift where weekly grade checks began, after the adoption plan started.
    plan = AdoptionPlan.objects.get(title="Weekly grade checks at Lakeview and Northgate")
    assert plan.created_at.date() < MONTHS[CHECKS_FROM]
    for site in CHECK_SCHOOLS:
        chart, points = _chart(V.ON_TRACK, site)
        up = [s for s in chart.shifts if s.direction == "up"]
        assert len(up) == 1
        assert up[0].start == CHECKS_FROM
        assert len(up[0].indices) >= 6
        assert all(chart.values[i] > chart.median for i in up[0].indices)
        assert chart.runs.verdict == "too_few"
        assert "weekly grade checks" in points[CHECKS_FROM].note.lower()
    # The other schools vary only by chance.
    for site in ("Eastside High", "Riverbend High"):
        assert not _chart(V.ON_TRACK, site)[0].has_signal
    # Attendance: a rising trend at Eastside, an astronomical month at Riverbend.
    eastside, _points = _chart(V.ATTENDANCE_RATE, "Eastside High")
    rising = [t for t in eastside.trends if t.direction == "up"]
    assert rising
    assert len(rising[0].indices) >= 5
    assert not eastside.shifts
    riverbend, points = _chart(V.ATTENDANCE_RATE, "Riverbend High")
    assert riverbend.astronomical == [STRIKE_MONTH]
    assert "strike" in points[STRIKE_MONTH].note
    # A school that joined the chronic-absence report late: too few points to judge runs.
    lakeview, points = _chart(V.CHRONIC_ABSENCE, "Lakeview Ninth Grade Academy")
    assert len(points) < runchart.MIN_RUNS_POINTS
    assert lakeview.runs.verdict == "not_applied"
    assert all(p.group_id is None for p in points)


def test_the_population_breakdown_shows_an_equity_gap(demo):
    latest = MONTHS[-1]
    rows = DataPoint.objects.filter(measure__slug=V.ON_TRACK, period=latest).exclude(
        breakdown_key=""
    )
    by_population: dict[str, list[float]] = defaultdict(list)
    for point in rows:
        assert list(point.breakdown) == [V.POPULATION]
        assert point.breakdown_key == f"{V.POPULATION}={point.breakdown[V.POPULATION]}"
        by_population[point.breakdown[V.POPULATION]].append(float(point.value))
    assert set(by_population) == {V.ALL_STUDENTS, V.ENGLISH_LEARNERS, V.DISABILITIES}
    assert all(len(values) == 4 for values in by_population.values())
    mean = {name: sum(v) / len(v) for name, v in by_population.items()}
    assert mean[V.ALL_STUDENTS] - mean[V.ENGLISH_LEARNERS] >= 5
    assert mean[V.ALL_STUDENTS] - mean[V.DISABILITIES] >= 10
    totals = dict(
        DataPoint.objects.filter(
            measure__slug=V.ON_TRACK, period=latest, breakdown_key=""
        ).values_list("site", "value")
    )
    for point in rows.filter(breakdown_key=f"{V.POPULATION}={V.ALL_STUDENTS}"):
        assert point.value == totals[point.site]


def test_ideas_and_test_cycles_aim_at_the_measures(demo):
    links = MeasureLink.objects.select_related("measure", "idea", "test_cycle", "linked_by")
    by_measure: dict[str, set[str]] = defaultdict(set)
    for link in links:
        target = link.idea or link.test_cycle
        assert link.linked_by_id == target.author_id
        assert link.linked_at >= max(link.measure.created_at, target.created_at)
        if link.idea:
            by_measure[link.measure.slug].add(link.idea.title)
    assert set(by_measure) == set(V.IDEA_LINKS)
    assert any("weekly" in title for title in by_measure[V.ON_TRACK])
    assert links.filter(test_cycle__isnull=False).count() >= 6
    audits = AuditEvent.objects.filter(verb="linked to a measure")
    assert audits.count() == links.count()


def test_convenings_over_the_year_and_in_the_weeks_ahead(demo):
    convenings = list(Convening.objects.prefetch_related("participants"))
    assert {c.kind for c in convenings} == {"meeting", "conversation", "workshop", "event"}
    soon = [c for c in convenings if c.starts_at.date() > TODAY]
    assert 3 <= len(soon) <= 6
    assert all(c.starts_at.date() <= TODAY + timedelta(days=35) for c in soon)
    assert any(c.visibility == "public" for c in soon)
    past = [c for c in convenings if c.starts_at.date() <= TODAY]
    assert (TODAY - min(c.starts_at for c in past).date()).days > 300
    assert all(c.outputs and c.notes for c in past)
    assert not any(c.outputs for c in soon)
    assert any(c.kind == "event" and c.group is None for c in convenings)
    for c in convenings:
        people = list(c.participants.all())
        assert c.author in people
        assert len(people) >= 3
        assert c.ends_at > c.starts_at
        assert c.created_at < c.starts_at
        assert c.place or c.link
    ct = ContentType.objects.get_for_model(Convening)
    first = Revision.objects.filter(content_type=ct, number=1)
    assert first.count() == len(convenings)
    assert Revision.objects.filter(content_type=ct, number=2).count() == len(past)
    assert AuditEvent.objects.filter(verb="planned a convening").count() == len(convenings)


def test_value_stories_follow_threads_and_thin_out(demo):
    stories = list(ValueStory.objects.prefetch_related("steps").select_related("author"))
    cycles = ValueCycle.values
    reached = {
        c: sum(1 for s in stories if any(st.cycle == c for st in s.steps.all())) for c in cycles
    }
    assert reached["immediate"] == len(stories)
    assert reached["immediate"] >= reached["potential"] > reached["applied"]
    assert reached["applied"] >= reached["realized"] >= reached["reframing"] == 1
    assert reached["potential"] >= 2 * reached["applied"]
    for story in stories:
        steps = sorted(story.steps.all(), key=lambda s: (s.created_at, s.pk))
        order = [cycles.index(s.cycle) for s in steps]
        assert order == sorted(order)
        assert steps[0].cycle == "immediate"
        assert story.created_at == steps[0].created_at
        assert story.updated_at == steps[-1].created_at
        for step in steps:
            linked = [step.convening, step.learning, step.product, step.outcome]
            assert any(linked) or step.measure_slug
            for record in filter(None, linked):
                assert step.created_at >= _happened(record)
            assert step.added_by_id == story.author_id
    kinds_linked = {
        "convening": StoryStep.objects.filter(convening__isnull=False).exists(),
        "learning": StoryStep.objects.filter(learning__isnull=False).exists(),
        "product": StoryStep.objects.filter(product__isnull=False).exists(),
        "outcome": StoryStep.objects.filter(outcome__isnull=False).exists(),
        "measure": StoryStep.objects.exclude(measure_slug="").exists(),
    }
    assert all(kinds_linked.values())
    slugs = set(StoryStep.objects.exclude(measure_slug="").values_list("measure_slug", flat=True))
    assert slugs <= set(Measure.objects.values_list("slug", flat=True))


def test_the_value_matrix_shows_where_value_stops(demo):
    steward = Person.objects.get(username="amara.okafor")
    matrix = value_matrix(viewer=steward)
    counts = {c.cycle: c.stories for c in matrix.columns}
    assert matrix.story_count == ValueStory.objects.count()
    assert counts["immediate"] > counts["applied"] > 0
    assert counts["potential"] > counts["realized"] > 0
    assert matrix.stop == ("potential", "applied")


def test_a_quiet_team_that_never_reflected(demo):
    team = Person.objects.get(username="samuel.ortiz").memberships.get(
        group__slug=V.QUIET_GROUP["slug"]
    )
    assert team.role == "moderator"
    group = team.group
    last = Learning.objects.filter(group=group).order_by("-created_at").first()
    assert (TODAY - last.created_at.date()).days > 60
    assert not group.routines.exists()
