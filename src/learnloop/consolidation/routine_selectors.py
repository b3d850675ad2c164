"""Reads for the consolidation routines: schedules, what is due, the material each routine
works through, and the record each session leaves. Every read takes the viewer."""

from __future__ import annotations

from collections import Counter, OrderedDict, defaultdict
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from learnloop.consolidation import routine_rules as rules
from learnloop.consolidation.models import (
    Decision,
    DecisionStatus,
    Evidence,
    Idea,
    ReductionOutcome,
    ReviewScore,
    Routine,
    RoutineKind,
    RoutineSchedule,
    Stage,
    StandardsVersion,
)
from learnloop.consolidation.selectors import context_label, summarize_contexts
from learnloop.core import access
from learnloop.core.models import Tag
from learnloop.generation.models import Learning, TestCycle
from learnloop.people.models import Group, GroupKind

# How far back a synthesis may look, in days ("" = all time).
PERIODS = {"30": 30, "90": 90, "180": 180, "365": 365}
SUMMARY_SHOWN = 60
SYNTHESIS_SHOWN = 200


def today() -> date:
    return timezone.localdate()


# Schedules and what is due -------------------------------------------------------------


def _schedules() -> QuerySet[RoutineSchedule]:
    return RoutineSchedule.objects.select_related("person", "group")


def due_for(*, viewer: Any, on: date | None = None) -> list[RoutineSchedule]:
    """Routines due for this person: their own summary, the syntheses of groups they
    moderate or belong to, and the reduction round for stewards and moderators."""
    if not access.is_member(viewer):
        return []
    on = on or today()
    mine = Q(kind=RoutineKind.SUMMARY, person_id=viewer.pk) | Q(
        kind=RoutineKind.SYNTHESIS, group_id__in=sorted(access.group_ids(viewer))
    )
    if rules.is_lead(viewer):
        mine |= Q(kind=RoutineKind.REDUCTION)
    due = list(
        _schedules().filter(mine, active=True, next_due_on__lte=on).order_by("next_due_on", "id")
    )
    for schedule in due:
        schedule.cadence_word = rules.cadence_word(schedule.cadence)  # type: ignore[attr-defined]
    return due


def schedule_overview(*, viewer: Any) -> dict[str, Any]:
    """The /routines/ page's schedules: mine, my groups', the network's reduction."""
    own = _schedules().filter(kind=RoutineKind.SUMMARY, person_id=viewer.pk).first()
    groups = list(
        Group.objects.filter(pk__in=sorted(rules.synthesis_group_ids(viewer)))
        .filter(archived_at__isnull=True)
        .order_by("name")
    )
    by_group = {
        s.group_id: s
        for s in _schedules().filter(kind=RoutineKind.SYNTHESIS, group__in=groups).order_by("id")
    }
    moderated = rules.moderated_group_ids(viewer)
    steward = access.is_steward(viewer)
    return {
        "own_schedule": own,
        "group_schedules": [
            {
                "group": g,
                "schedule": by_group.get(g.pk),
                "may_set": steward or g.pk in moderated,
            }
            for g in groups
        ],
        "reduction_schedule": _schedules().filter(kind=RoutineKind.REDUCTION).first(),
        "may_set_reduction": steward,
        "is_lead": rules.is_lead(viewer),
        "today": today(),
    }


def schedule_list(*, viewer: Any) -> QuerySet[RoutineSchedule]:
    """Schedules the viewer may see (the API's list)."""
    if not access.is_member(viewer):
        return RoutineSchedule.objects.none()
    qs = _schedules()
    if not access.is_steward(viewer):
        qs = qs.filter(
            Q(kind=RoutineKind.SUMMARY, person_id=viewer.pk)
            | Q(kind=RoutineKind.SYNTHESIS, group_id__in=sorted(rules.synthesis_group_ids(viewer)))
            | Q(kind=RoutineKind.REDUCTION)
        )
    return qs.order_by("next_due_on", "id")


def get_schedule_for(viewer: Any, pk: Any, *, write: bool = False) -> RoutineSchedule:
    """404 when the viewer may not see the schedule, 403 when they may not change it."""
    schedule = _schedules().filter(pk=pk).first() if str(pk).isdigit() else None
    if schedule is None or not rules.may_see_schedule(viewer, schedule):
        raise Http404
    if write and not rules.may_change_schedule(viewer, schedule):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return schedule


def get_group_or_404(pk: Any) -> Group:
    group = Group.objects.filter(pk=pk, archived_at__isnull=True).first() if pk else None
    if group is None:
        raise Http404
    return group


# Sessions ------------------------------------------------------------------------------


def routine_list(
    *, viewer: Any, kind: str | None = None, group: int | None = None
) -> QuerySet[Routine]:
    qs = Routine.objects.filter(rules.routine_visible_q(viewer))
    if kind in RoutineKind.values:
        qs = qs.filter(kind=kind)
    if group:
        qs = qs.filter(group_id=group)
    return (
        qs.select_related("person", "group")
        .annotate(
            learning_count=Count("learnings", distinct=True),
            idea_count=Count("ideas", distinct=True),
        )
        .order_by("-started_at", "-id")
    )


def get_routine_for(viewer: Any, pk: Any) -> Routine:
    try:
        return (
            Routine.objects.filter(rules.routine_visible_q(viewer))
            .select_related("person", "group", "standards_version", "schedule")
            .get(pk=pk)
        )
    except (Routine.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def routines_for_idea(*, viewer: Any, idea: Idea) -> list[Routine]:
    """The routines that produced or strengthened an idea, newest first."""
    return list(
        Routine.objects.filter(rules.routine_visible_q(viewer))
        .filter(Q(ideas=idea) | Q(evidence__idea=idea))
        .select_related("person", "group")
        .distinct()
        .order_by("-started_at", "-id")
    )


# Summary -------------------------------------------------------------------------------


def last_summary(person: Any) -> Routine | None:
    return (
        Routine.objects.filter(kind=RoutineKind.SUMMARY, person=person)
        .order_by("-started_at", "-id")
        .first()
    )


def summary_learnings(*, person: Any, since: Any = None) -> QuerySet[Learning]:
    """The person's own learnings since their last summary (all of them before a first)."""
    qs = Learning.objects.filter(author=person, deleted_at__isnull=True)
    if since is not None:
        qs = qs.filter(created_at__gt=since)
    return qs.select_related("group", "test_cycle").order_by("-created_at", "-id")


def summary_test_cycles(*, person: Any, since: Any = None) -> list[TestCycle]:
    qs = TestCycle.objects.filter(author=person, deleted_at__isnull=True)
    if since is not None:
        qs = qs.filter(updated_at__gt=since)
    return list(
        qs.annotate(learning_count=Count("learnings", distinct=True)).order_by(
            "-updated_at", "-id"
        )[:20]
    )


def idea_choices(*, viewer: Any) -> QuerySet[Idea]:
    """Ideas the viewer may add evidence to (returned ones have gone back to generation)."""
    if not access.is_member(viewer):
        return Idea.objects.none()
    return access.visible(viewer, Idea.objects.exclude(stage=Stage.RETURNED)).order_by(
        "title", "id"
    )


# Synthesis -----------------------------------------------------------------------------


def synthesis_scope(group: Group) -> list[int]:
    """A group's own id; a cluster spans the groups it links as well."""
    ids = [group.pk]
    if group.kind == GroupKind.CLUSTER:
        ids += list(
            group.linked_groups.filter(archived_at__isnull=True).values_list("pk", flat=True)
        )
    return ids


def synthesis_learnings(
    *, viewer: Any, group: Group, tag: str | None = None, period: str | None = None
) -> QuerySet[Learning]:
    qs = access.visible(viewer, Learning.objects.filter(group_id__in=synthesis_scope(group)))
    if tag:
        qs = qs.filter(tags__slug=Tag.slug_for(tag))
    if period in PERIODS:
        qs = qs.filter(created_at__gte=timezone.now() - timedelta(days=PERIODS[period]))
    return (
        qs.select_related("author", "group")
        .prefetch_related("tags")
        .order_by("group__name", "site", "-created_at", "-id")
    )


def by_context(learnings: Any) -> list[dict[str, Any]]:
    """Learnings grouped by where they come from (group and site), in a stable order."""
    contexts: OrderedDict[tuple[Any, str], dict[str, Any]] = OrderedDict()
    for learning in learnings:
        key = (learning.group_id, learning.site)
        if key not in contexts:
            label = context_label(learning.group.name if learning.group else "", learning.site)
            contexts[key] = {"label": label or "—", "learnings": []}
        contexts[key]["learnings"].append(learning)
    return list(contexts.values())


# Reduction -----------------------------------------------------------------------------


def current_standards() -> StandardsVersion | None:
    """The adopted version with the highest number, criteria loaded (as reviews use it)."""
    from learnloop.consolidation.review_selectors import current_version

    return current_version()


def _summaries(viewer: Any, ideas: list[Idea]) -> dict[int, dict[str, Any]]:
    """`selectors.evidence_summary` for many ideas in one query."""
    rows: dict[int, list[Any]] = {idea.pk: [] for idea in ideas}
    for idea_id, *row in Evidence.objects.filter(
        access.visible_q(viewer, "learning__"), idea_id__in=list(rows)
    ).values_list("idea_id", "relation", "context_group_id", "context_group__name", "context_site"):
        rows[idea_id].append(row)
    return {pk: summarize_contexts(r) for pk, r in rows.items()}


def _consensus(ideas: list[Idea], version: Any) -> dict[int, list[dict[str, Any]]]:
    """Per idea, one row per criterion of the current standards with what its reviewers
    said ("2 of 3 say “Meets it”"), from one query over all the candidates' scores."""
    from learnloop.consolidation.review_selectors import consensus_line

    if version is None or not ideas:
        return {}
    verdicts: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    for idea_id, criterion_id, verdict in ReviewScore.objects.filter(
        review__idea_id__in=[i.pk for i in ideas], review__version=version
    ).values_list("review__idea_id", "criterion_id", "verdict"):
        verdicts[(idea_id, criterion_id)][verdict] += 1
    reviewed = {idea_id for idea_id, _c in verdicts}
    criteria = list(version.criteria.all())
    return {
        idea.pk: [
            {
                "criterion": c,
                "consensus": consensus_line(
                    verdicts[(idea.pk, c.pk)], sum(verdicts[(idea.pk, c.pk)].values())
                ),
            }
            for c in criteria
        ]
        for idea in ideas
        if idea.pk in reviewed
    }


def reduction_candidates(*, viewer: Any) -> dict[str, Any]:
    """Ideas ready for a decision: promising ones, and any flagged for review (an idea
    that is knowledge but met contradicting evidence). Ideas with a decision already
    open are listed apart: their vote is under way."""
    qs = (
        access.visible(viewer, Idea.objects.all())
        .filter(Q(stage=Stage.PROMISING) | Q(review_flagged_at__isnull=False))
        .select_related("author", "group")
        .order_by("title", "id")
    )
    ideas = list(qs)
    open_ids = set(
        Decision.objects.filter(
            status=DecisionStatus.OPEN, idea_id__in=[i.pk for i in ideas]
        ).values_list("idea_id", flat=True)
    )
    ready = [i for i in ideas if i.pk not in open_ids]
    summaries = _summaries(viewer, ready)
    version = current_standards()
    consensus = _consensus(ready, version)
    for idea in ready:
        idea.evidence_summary = summaries[idea.pk]
        idea.consensus = consensus.get(idea.pk)
    return {
        "candidates": ready,
        "being_decided": [i for i in ideas if i.pk in open_ids],
        "standards": version,
        "criteria": list(version.criteria.all()) if version else [],
    }


# The record of a session ---------------------------------------------------------------


def _contexts_for(viewer: Any, ideas: list[Idea], routine: Routine) -> dict[int, list[Any]]:
    """For each idea, the contexts it was tried in and what happened there."""
    per_idea: dict[int, OrderedDict[tuple[Any, str], dict[str, Any]]] = {
        i.pk: OrderedDict() for i in ideas
    }
    rows = (
        Evidence.objects.filter(access.visible_q(viewer, "learning__"), idea_id__in=list(per_idea))
        .select_related("learning", "context_group")
        .order_by("context_group__name", "context_site", "-added_at", "-id")
    )
    for row in rows:
        key = (row.context_group_id, row.context_site)
        contexts = per_idea[row.idea_id]
        if key not in contexts:
            label = context_label(
                row.context_group.name if row.context_group else "", row.context_site
            )
            contexts[key] = {"label": label or "—", "rows": []}
        row.from_this_routine = row.routine_id == routine.pk  # type: ignore[attr-defined]
        contexts[key]["rows"].append(row)
    return {pk: list(c.values()) for pk, c in per_idea.items()}


def routine_page(*, viewer: Any, routine: Routine) -> dict[str, Any]:
    """What the record of a session shows, limited to what the viewer may see."""
    learnings = list(
        access.visible(viewer, routine.learnings.all())
        .select_related("group", "author")
        .order_by("group__name", "site", "-created_at")
    )
    ideas = list(
        access.visible(viewer, routine.ideas.all()).select_related("group").order_by("title")
    )
    hidden_ideas = routine.ideas.count() - len(ideas)
    context: dict[str, Any] = {
        "routine": routine,
        "answers": routine.answers or {},
        "learnings": learnings,
        "contexts": by_context(learnings),
        "ideas": ideas,
        "hidden_ideas": hidden_ideas,
    }
    if routine.kind == RoutineKind.SYNTHESIS:
        contexts = _contexts_for(viewer, ideas, routine)
        for idea in ideas:
            idea.contexts = contexts[idea.pk]
    if routine.kind == RoutineKind.REDUCTION:
        items = list(
            routine.items.filter(access.visible_q(viewer, "idea__"))
            .select_related("idea", "decision")
            .order_by("id")
        )
        context.update(
            {
                "items": items,
                "hidden_items": routine.items.count() - len(items),
                "elevated": routine.items.filter(outcome=ReductionOutcome.ELEVATE).exists(),
                "criteria": list(routine.standards_version.criteria.all())
                if routine.standards_version
                else [],
            }
        )
    return context
