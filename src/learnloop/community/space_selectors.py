"""Reads for creation spaces: a cluster's linked groups side by side.

A creation space is a group of kind cluster; the groups linked to it work on a shared aim
and learn from each other's approaches and results. Every record shown passes through
`access`: a group-only idea of group X is shown to members of X (and stewards) only, even
on the page of a space that X belongs to. Measures belong to the whole network (members
see them all). Each section is one grouped query, whatever the number of groups.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.urls import reverse

from learnloop.community.models import Follow
from learnloop.core import access
from learnloop.measures.models import DataPoint, Measure
from learnloop.measures.selectors import Series, aggregate
from learnloop.people.models import Group, GroupKind

IDEAS_PER_STAGE = 3
CYCLES_PER_GROUP = 4
LEARNINGS_PER_GROUP = 3
QUESTIONS_SHOWN = 8


def space_list(*, viewer: Any) -> list[Group]:
    """Every live creation space, with how many groups, people and followers it has, and
    whether the viewer takes part in it or follows it."""
    if not access.is_member(viewer):
        return []
    spaces: list[Group] = list(
        Group.objects.filter(kind=GroupKind.CLUSTER, archived_at__isnull=True)
        .select_related("organization")
        .annotate(
            group_count=Count(
                "linked_groups",
                filter=Q(linked_groups__archived_at__isnull=True),
                distinct=True,
            ),
            follower_count=Count("followers", distinct=True),
        )
        .order_by("name")
    )
    people = dict(
        Group.objects.filter(pk__in=[s.pk for s in spaces])
        .annotate(
            n=Count(
                "linked_groups__memberships__person",
                filter=Q(linked_groups__archived_at__isnull=True),
                distinct=True,
            )
        )
        .values_list("pk", "n")
    )
    followed = set(
        Follow.objects.filter(person=viewer, group__in=spaces).values_list("group_id", flat=True)
    )
    linked = defaultdict(list)
    through = Group.clusters.through.objects.filter(
        to_group__in=spaces, from_group__archived_at__isnull=True
    ).select_related("from_group")
    for row in through.order_by("from_group__name"):
        linked[row.to_group_id].append(row.from_group)
    mine = access.group_ids(viewer)
    for space in spaces:
        space.people_count = people.get(space.pk, 0)  # type: ignore[attr-defined]
        space.is_mine = space.pk in mine  # type: ignore[attr-defined]
        space.is_followed = space.pk in followed  # type: ignore[attr-defined]
        space.groups = linked[space.pk]  # type: ignore[attr-defined]
    return spaces


def get_space_for(viewer: Any, slug: str) -> Group:
    """A creation space by its slug: members only (404 for anyone else, and for a group
    that is not a cluster)."""
    if not access.is_member(viewer):
        raise Http404
    space = (
        Group.objects.select_related("organization")
        .filter(slug=str(slug), kind=GroupKind.CLUSTER)
        .first()
    )
    if space is None:
        raise Http404
    return space


def get_group_by_slug(viewer: Any, slug: str) -> Group:
    """Any group or space by slug, for following: members only."""
    if not access.is_member(viewer):
        raise Http404
    group = Group.objects.filter(slug=str(slug)).first()
    if group is None:
        raise Http404
    return group


def linked_groups(space: Group) -> list[Group]:
    return list(
        space.linked_groups.filter(archived_at__isnull=True)
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )


@dataclass
class StageColumn:
    stage: str
    label: str
    count: int = 0
    ideas: list[Any] = field(default_factory=list)


@dataclass
class MeasureSpark:
    measure: Measure
    series: Series
    latest: Decimal | None
    latest_label: str
    latest_text: str = ""
    chart: dict[str, Any] = field(default_factory=dict)


@dataclass
class GroupColumn:
    group: Group
    stages: list[StageColumn]
    idea_count: int
    cycles: list[Any]
    cycle_counts: dict[str, int]
    learnings: list[Any]
    measures: list[MeasureSpark]
    is_mine: bool
    is_followed: bool


@dataclass
class SpaceBoard:
    space: Group
    columns: list[GroupColumn]
    all_groups: list[Group]
    shared_measures: list[dict[str, Any]]
    questions: list[Any]
    narratives: list[Any]
    follower_count: int
    is_mine: bool
    is_followed: bool


def _top_per_group(qs: QuerySet[Any], n: int, order: Any, partition: Any = None) -> list[Any]:
    """The first `n` rows per group (or per `partition`), in one query."""
    ranked = qs.annotate(
        _rank=Window(
            expression=RowNumber(), partition_by=partition or [F("group_id")], order_by=order
        )
    )
    return list(ranked.filter(_rank__lte=n))


def _ideas(viewer: Any, ids: list[int]) -> tuple[dict[int, list[StageColumn]], dict[int, int]]:
    from learnloop.consolidation.models import LADDER, Idea, Stage

    visible = Idea.objects.filter(access.visible_q(viewer), group_id__in=ids)
    counts: dict[tuple[int, str], int] = {
        (row["group_id"], row["stage"]): row["n"]
        for row in visible.values("group_id", "stage").annotate(n=Count("id")).order_by()
    }
    top = _top_per_group(
        visible.select_related("group").only(
            "id", "title", "stage", "stage_changed_at", "group_id", "visibility", "group__name"
        ),
        IDEAS_PER_STAGE,
        [F("stage_changed_at").desc(), F("id").desc()],
        partition=[F("group_id"), F("stage")],
    )
    by_key: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for idea in sorted(top, key=lambda i: (i.stage_changed_at, i.pk), reverse=True):
        by_key[(idea.group_id, idea.stage)].append(idea)
    stages = [*LADDER, Stage.RETURNED]
    result: dict[int, list[StageColumn]] = {}
    totals: dict[int, int] = {}
    for gid in ids:
        result[gid] = [
            StageColumn(
                stage=str(s),
                label=str(s.label),
                count=counts.get((gid, s), 0),
                ideas=by_key.get((gid, s), []),
            )
            for s in stages
        ]
        totals[gid] = sum(counts.get((gid, s), 0) for s in stages)
    return result, totals


def _cycles(viewer: Any, ids: list[int]) -> tuple[dict[int, list[Any]], dict[int, dict[str, int]]]:
    from learnloop.generation.models import TestCycle

    visible = TestCycle.objects.filter(access.visible_q(viewer), group_id__in=ids)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in visible.values("group_id", "status").annotate(n=Count("id")).order_by():
        counts[row["group_id"]][row["status"]] = row["n"]
    top = _top_per_group(
        visible.only("id", "title", "status", "group_id", "started_on", "ended_on", "created_at"),
        CYCLES_PER_GROUP,
        [F("created_at").desc(), F("id").desc()],
    )
    result: dict[int, list[Any]] = defaultdict(list)
    for cycle in sorted(top, key=lambda c: (c.created_at, c.pk), reverse=True):
        result[cycle.group_id].append(cycle)
    return result, counts


def _learnings(viewer: Any, ids: list[int]) -> dict[int, list[Any]]:
    from learnloop.generation.models import Learning

    visible = Learning.objects.filter(access.visible_q(viewer), group_id__in=ids)
    top = _top_per_group(
        visible.select_related("author").only(
            "id",
            "title",
            "kind",
            "group_id",
            "created_at",
            "visibility",
            "author__username",
            "author__display_name",
            "author__first_name",
            "author__last_name",
        ),
        LEARNINGS_PER_GROUP,
        [F("created_at").desc(), F("id").desc()],
    )
    result: dict[int, list[Any]] = defaultdict(list)
    for learning in sorted(top, key=lambda x: (x.created_at, x.pk), reverse=True):
        result[learning.group_id].append(learning)
    return result


def group_lines(measure: Measure, points: list[DataPoint], groups: list[Group]) -> list[Series]:
    """One line per group: its total figures (all its sites) combined per period the way
    the network figure is (sum or mean)."""
    by_group: dict[int, dict[date, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for p in points:
        if p.group_id is not None:
            by_group[p.group_id][p.period].append(p.value)
    lines = []
    for g in groups:
        buckets = by_group.get(g.pk)
        if not buckets:
            continue
        s = Series(key=f"group:{g.slug}", label=g.name)
        for period in sorted(buckets):
            s.periods.append(period)
            s.values.append(aggregate(buckets[period], measure.aggregation))
            s.counts.append(len(buckets[period]))
        lines.append(s.analyze())
    return lines


def _measures(groups: list[Group]) -> tuple[list[dict[str, Any]], dict[int, list[MeasureSpark]]]:
    """The shared measures with figures from the space's groups: one line per group."""
    from learnloop.measures import charts
    from learnloop.measures.periods import period_label

    ids = [g.pk for g in groups]
    points = list(
        DataPoint.objects.filter(group_id__in=ids, breakdown_key="", measure__active=True)
        .select_related("measure")
        .only("measure", "period", "value", "group_id")
        .order_by("measure__name", "period", "id")
    )
    by_measure: dict[int, list[DataPoint]] = defaultdict(list)
    measures: dict[int, Measure] = {}
    for p in points:
        by_measure[p.measure_id].append(p)
        measures[p.measure_id] = p.measure
    shared: list[dict[str, Any]] = []
    sparks: dict[int, list[MeasureSpark]] = defaultdict(list)
    for mid, rows in by_measure.items():
        measure = measures[mid]
        lines = group_lines(measure, rows, groups)
        chart = charts.multi_line(measure, lines)
        chart_lines = {line["label"]: line for line in chart["lines"]}
        shared.append(
            {
                "measure": measure,
                "chart": chart,
                "title": measure.name,
                "csv_url": reverse("measures:chart_csv", args=[measure.slug]),
                "groups": len(lines),
            }
        )
        by_label = {g.name: g for g in groups}
        for line in lines:
            group = by_label[line.label]
            spark = charts.run_chart(measure, line, size="spark")
            spark["colour"] = chart_lines[line.label]["colour"]
            sparks[group.pk].append(
                MeasureSpark(
                    measure=measure,
                    series=line,
                    latest=line.latest,
                    latest_label=period_label(line.periods[-1], measure.frequency)
                    if line.periods
                    else "",
                    latest_text=charts.fmt(line.latest, 2),
                    chart=spark,
                )
            )
    shared.sort(key=lambda m: m["measure"].name.casefold())
    return shared, sparks


def space_questions(*, viewer: Any, space: Group, limit: int = QUESTIONS_SHOWN) -> list[Any]:
    """Questions posed to the whole space, newest first, with their answers counted."""
    from learnloop.generation.models import Answer, Question

    accepted = Answer.objects.filter(
        question=OuterRef("pk"), accepted=True, deleted_at__isnull=True
    )
    return list(
        Question.objects.filter(access.visible_q(viewer), group=space)
        .select_related("author")
        .annotate(
            answer_count=Count("answers", filter=Q(answers__deleted_at__isnull=True)),
            has_accepted=Exists(accepted),
        )
        .order_by("-created_at", "-id")[:limit]
    )


def space_board(*, viewer: Any, space: Group, only: list[str] | None = None) -> SpaceBoard:
    """Everything the space page shows; `only` (group slugs) narrows the comparison."""
    from learnloop.community.narrative_selectors import narrative_list

    all_groups = linked_groups(space)
    groups = [g for g in all_groups if not only or g.slug in only] or all_groups
    ids = [g.pk for g in groups]
    ideas, idea_totals = _ideas(viewer, ids)
    cycles, cycle_counts = _cycles(viewer, ids)
    learnings = _learnings(viewer, ids)
    shared, sparks = _measures(groups)
    mine = access.group_ids(viewer)
    direct_follows = set(
        Follow.objects.filter(person=viewer, group_id__in=[*ids, space.pk]).values_list(
            "group_id", flat=True
        )
    )
    columns = [
        GroupColumn(
            group=g,
            stages=ideas[g.pk],
            idea_count=idea_totals[g.pk],
            cycles=cycles.get(g.pk, []),
            cycle_counts=cycle_counts.get(g.pk, {}),
            learnings=learnings.get(g.pk, []),
            measures=sparks.get(g.pk, []),
            is_mine=g.pk in mine,
            is_followed=g.pk in direct_follows,
        )
        for g in groups
    ]
    return SpaceBoard(
        space=space,
        columns=columns,
        all_groups=all_groups,
        shared_measures=shared,
        questions=space_questions(viewer=viewer, space=space),
        narratives=list(narrative_list(viewer=viewer, space=space.pk)[:5]),
        follower_count=Follow.objects.filter(group=space).count(),
        is_mine=space.pk in mine,
        is_followed=space.pk in direct_follows,
    )
