"""Reads for opportunity narratives and the progress of what works on them.

A narrative is a shared item: the viewer sees it by `access` like any other. Its linked
questions and ideas are shown, and counted, only as far as the viewer may see each of
them; its linked groups (and their activity) only to members, since groups are not public.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from learnloop.community.models import Narrative
from learnloop.core import access
from learnloop.people.models import Group

RECENT_DAYS = 30
MOVED_DAYS = 90


def _linked_count(viewer: Any, relation: str, target: str) -> Any:
    through = getattr(Narrative, relation).through
    rows = (
        through.objects.filter(narrative_id=OuterRef("pk"))
        .filter(access.visible_q(viewer, f"{target}__"))
        .order_by()
        .values("narrative_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def narrative_list(
    *,
    viewer: Any,
    space: int | None = None,
    scope: str | None = None,
    q: str | None = None,
    author: int | None = None,
) -> QuerySet[Narrative]:
    """Narratives the viewer may see, newest first. `scope="network"` keeps the
    network-wide ones; `space` (a cluster id) those of one creation space."""
    qs = access.visible(viewer, Narrative.objects.all())
    if space:
        qs = qs.filter(group_id=space)
    if scope == "network":
        qs = qs.filter(group__isnull=True)
    if author:
        qs = qs.filter(author_id=author)
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(opportunity__icontains=q) | Q(call_to_act__icontains=q)
        )
    return (
        qs.select_related("author", "group")
        .prefetch_related("tags")
        .annotate(
            idea_count=_linked_count(viewer, "ideas", "idea"),
            question_count=_linked_count(viewer, "questions", "question"),
            linked_group_count=Count("groups", distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def get_narrative_for(viewer: Any, pk: Any, *, write: bool = False) -> Narrative:
    return access.get_for(
        viewer,
        Narrative.objects.select_related("author", "group", "deleted_by").prefetch_related("tags"),
        pk,
        write=write,
    )


@dataclass
class StageRow:
    stage: str
    label: str
    help: str
    ideas: list[Any] = field(default_factory=list)


@dataclass
class GroupActivity:
    group: Group
    learnings: int = 0
    cycles: int = 0
    ideas: int = 0
    moves: int = 0
    questions: int = 0
    answers: int = 0

    @property
    def total(self) -> int:
        return (
            self.learnings + self.cycles + self.ideas + self.moves + self.questions + self.answers
        )


@dataclass
class Progress:
    stages: list[StageRow]
    idea_count: int
    moved_recently: int
    questions: list[Any]
    answered: int
    accepted: int
    groups: list[GroupActivity]
    since: datetime
    moved_since: datetime

    @property
    def open_questions(self) -> int:
        return len(self.questions) - self.answered


def linked_ideas(viewer: Any, narrative: Narrative) -> list[Any]:
    from learnloop.consolidation.models import Idea

    return list(
        access.visible(viewer, Idea.objects.filter(narratives=narrative))
        .select_related("group")
        .order_by("-stage_changed_at", "-id")
    )


def linked_questions(viewer: Any, narrative: Narrative) -> list[Any]:
    from learnloop.generation.models import Answer, Question

    accepted = Answer.objects.filter(
        question=OuterRef("pk"), accepted=True, deleted_at__isnull=True
    )
    return list(
        access.visible(viewer, Question.objects.filter(narratives=narrative))
        .select_related("group", "author")
        .annotate(
            answer_count=Count("answers", filter=Q(answers__deleted_at__isnull=True)),
            has_accepted=Exists(accepted),
        )
        .order_by("-created_at", "-id")
    )


def linked_groups(viewer: Any, narrative: Narrative) -> list[Group]:
    if not access.is_member(viewer):
        return []
    return list(narrative.groups.order_by("name"))


def group_activity(*, viewer: Any, groups: list[Group], since: datetime) -> list[GroupActivity]:
    """What each group did lately, counted from what the viewer may see: one query per
    kind of record, whatever the number of groups."""
    from learnloop.consolidation.models import Idea, StageChange
    from learnloop.generation.models import Answer, Learning, Question, TestCycle

    ids = [g.pk for g in groups]
    if not ids:
        return []
    vq = access.visible_q
    counts: dict[str, dict[int, int]] = defaultdict(dict)

    def tally(name: str, qs: QuerySet[Any], group_field: str = "group_id") -> None:
        rows = qs.filter(**{f"{group_field}__in": ids}).values(group_field).annotate(n=Count("id"))
        counts[name] = {row[group_field]: row["n"] for row in rows.order_by()}

    tally("learnings", Learning.objects.filter(vq(viewer), created_at__gte=since))
    tally("cycles", TestCycle.objects.filter(vq(viewer), created_at__gte=since))
    tally("ideas", Idea.objects.filter(vq(viewer), created_at__gte=since))
    tally(
        "moves",
        StageChange.objects.filter(vq(viewer, "idea__"), decided_at__gte=since).exclude(
            from_stage=""
        ),
        "idea__group_id",
    )
    tally("questions", Question.objects.filter(vq(viewer), created_at__gte=since))
    tally(
        "answers",
        Answer.objects.filter(
            vq(viewer, "question__"), deleted_at__isnull=True, created_at__gte=since
        ),
        "question__group_id",
    )
    return [
        GroupActivity(group=g, **{name: counts[name].get(g.pk, 0) for name in counts})
        for g in groups
    ]


def narrative_progress(*, viewer: Any, narrative: Narrative) -> Progress:
    """Where the linked ideas and questions stand, and what the linked groups did lately."""
    from learnloop.consolidation.models import LADDER, STAGE_HELP, Stage

    now = timezone.now()
    since = now - timedelta(days=RECENT_DAYS)
    moved_since = now - timedelta(days=MOVED_DAYS)
    ideas = linked_ideas(viewer, narrative)
    by_stage: dict[str, list[Any]] = defaultdict(list)
    for idea in ideas:
        by_stage[idea.stage].append(idea)
    stages = [
        StageRow(stage=str(s), label=str(s.label), help=str(STAGE_HELP[s]), ideas=by_stage[s])
        for s in [*reversed(LADDER), Stage.RETURNED]
    ]
    questions = linked_questions(viewer, narrative)
    groups = linked_groups(viewer, narrative)
    return Progress(
        stages=stages,
        idea_count=len(ideas),
        moved_recently=sum(1 for i in ideas if i.stage_changed_at >= moved_since),
        questions=questions,
        answered=sum(1 for q in questions if q.answer_count),
        accepted=sum(1 for q in questions if q.has_accepted),
        groups=group_activity(viewer=viewer, groups=groups, since=since),
        since=since,
        moved_since=moved_since,
    )


def linkable_questions(*, viewer: Any) -> QuerySet[Any]:
    from learnloop.generation.models import Question

    return (
        access.visible(viewer, Question.objects.all())
        .select_related("group")
        .order_by("-created_at", "-id")
    )


def linkable_ideas(*, viewer: Any) -> QuerySet[Any]:
    from learnloop.consolidation.models import Idea

    return (
        access.visible(viewer, Idea.objects.all())
        .select_related("group")
        .order_by("-stage_changed_at", "-id")
    )
