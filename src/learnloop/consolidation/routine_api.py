"""API for the consolidation routines: sessions, schedules, and finishing each routine.

Routines are for members: every endpoint needs a token or a session (anonymous: 401).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from learnloop.consolidation import routine_selectors as selectors
from learnloop.consolidation import routines
from learnloop.consolidation.models import Idea, Relation
from learnloop.consolidation.selectors import get_idea_for
from learnloop.core import access
from learnloop.core.api_support import MEMBER_AUTH, Pagination, member
from learnloop.core.schemas import GroupRef, PersonRef
from learnloop.generation.models import Learning
from learnloop.people.models import Cadence

router = Router(auth=MEMBER_AUTH)

OutputKind = Literal["none", "new", "existing"]


class ScheduleOut(Schema):
    id: int
    kind: str
    person: PersonRef | None = None
    group: GroupRef | None = None
    cadence: str
    next_due_on: date
    last_reminded_on: date | None = None
    active: bool
    due: bool

    @staticmethod
    def resolve_due(obj: Any) -> bool:
        return bool(obj.active and obj.next_due_on <= selectors.today())


class ScheduleIn(Schema):
    kind: Literal["summary", "synthesis", "reduction"]
    cadence: Cadence = Cadence.MONTHLY
    group_id: int | None = None
    next_due_on: date | None = None


class SchedulePatch(Schema):
    cadence: Cadence | None = None
    next_due_on: date | None = None
    active: bool | None = None


class RoutineOut(Schema):
    id: int
    kind: str
    title: str
    person: PersonRef
    group: GroupRef | None = None
    started_at: datetime
    completed_at: datetime | None = None
    learning_count: int = 0
    idea_count: int = 0
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class ItemOut(Schema):
    idea_id: int
    idea_title: str
    outcome: str
    note: str
    decision_id: int | None = None
    decision_status: str | None = None


class RoutineDetailOut(RoutineOut):
    answers: dict[str, Any]
    learning_ids: list[int]
    idea_ids: list[int]
    standards_version_id: int | None = None
    items: list[ItemOut] = Field([], alias="item_rows")


class SummaryIn(Schema):
    learning_ids: list[int] = []
    evidence: str = ""
    understanding: str = ""
    helpers: str = ""
    output: OutputKind = "none"
    idea_title: str = Field("", max_length=200)
    idea_summary: str = ""
    idea_group_id: int | None = None
    idea_visibility: str = "network"
    idea_tags: list[str] = []
    idea_guidelines_confirmed: bool = False
    idea_id: int | None = None


class SynthesisIn(Schema):
    group_id: int
    learning_ids: list[int] = []
    patterns: str = ""
    differences: str = ""
    strength: Literal["weak", "moderate", "strong"]
    output: OutputKind = "none"
    idea_title: str = Field("", max_length=200)
    idea_summary: str = ""
    idea_group_id: int | None = None
    idea_visibility: str = "network"
    idea_tags: list[str] = []
    idea_guidelines_confirmed: bool = False
    idea_ids: list[int] = []
    relation: Relation = Relation.SUPPORTS
    tag: str = ""
    period: str = ""


class ReductionChoiceIn(Schema):
    idea_id: int
    outcome: Literal["elevate", "refine", "return"]
    note: str = ""


class ReductionIn(Schema):
    items: list[ReductionChoiceIn]
    notes: str = ""


# Helpers -------------------------------------------------------------------------------


def _learnings(viewer: Any, ids: list[int]) -> list[Learning]:
    """Learnings by id, each one the viewer may see; 404 otherwise."""
    wanted = list(dict.fromkeys(ids))
    found = {
        learning.pk: learning
        for learning in access.visible(viewer, Learning.objects.filter(pk__in=wanted))
    }
    if len(found) != len(wanted):
        raise Http404
    return [found[pk] for pk in wanted]


def _ideas(viewer: Any, ids: list[int]) -> list[Idea]:
    return [get_idea_for(viewer, pk) for pk in dict.fromkeys(ids)]


def _new_idea(viewer: Any, payload: Any) -> routines.NewIdea | None:
    if payload.output != routines.Output.NEW:
        return None
    from learnloop.people.selectors import get_group_or_none

    return routines.NewIdea(
        title=payload.idea_title,
        summary=payload.idea_summary,
        group=get_group_or_none(payload.idea_group_id),
        visibility=payload.idea_visibility,
        tags=payload.idea_tags,
        guidelines_confirmed=payload.idea_guidelines_confirmed,
    )


def _detail(viewer: Any, routine: Any) -> Any:
    """The routine with what the viewer may see of its learnings, ideas and items."""
    page = selectors.routine_page(viewer=viewer, routine=routine)
    routine.learning_ids = [learning.pk for learning in page["learnings"]]
    routine.idea_ids = [idea.pk for idea in page["ideas"]]
    routine.learning_count = len(routine.learning_ids)
    routine.idea_count = len(routine.idea_ids)
    routine.answers = routine.answers or {}
    routine.item_rows = [
        {
            "idea_id": item.idea_id,
            "idea_title": item.idea.title,
            "outcome": item.outcome,
            "note": item.note,
            "decision_id": item.decision_id,
            "decision_status": item.decision.status if item.decision else None,
        }
        for item in page.get("items", [])
    ]
    return routine


def _created(viewer: Any, routine: Any) -> Any:
    return Status(201, _detail(viewer, selectors.get_routine_for(viewer, routine.pk)))


# Sessions ------------------------------------------------------------------------------


@router.get("/routines", response=list[RoutineOut])
@paginate(Pagination)
def list_routines(request: HttpRequest, kind: str | None = None, group: int | None = None) -> Any:
    return selectors.routine_list(viewer=member(request), kind=kind, group=group)


@router.get("/routines/due", response=list[ScheduleOut])
def due_routines(request: HttpRequest) -> Any:
    return selectors.due_for(viewer=member(request))


@router.get("/routines/{int:pk}", response=RoutineDetailOut)
def get_routine(request: HttpRequest, pk: int) -> Any:
    person = member(request)
    return _detail(person, selectors.get_routine_for(person, pk))


@router.post("/routines/summary", response={201: RoutineDetailOut})
def finish_summary(request: HttpRequest, payload: SummaryIn) -> Any:
    person = member(request)
    routine = routines.summary_complete(
        person=person,
        learnings=_learnings(person, payload.learning_ids),
        answers=payload.dict(),
        output=payload.output,
        new_idea=_new_idea(person, payload),
        idea=get_idea_for(person, payload.idea_id)
        if payload.output == routines.Output.EXISTING and payload.idea_id
        else None,
    )
    return _created(person, routine)


@router.post("/routines/synthesis", response={201: RoutineDetailOut})
def finish_synthesis(request: HttpRequest, payload: SynthesisIn) -> Any:
    person = member(request)
    group = selectors.get_group_or_404(payload.group_id)
    routine = routines.synthesis_complete(
        person=person,
        group=group,
        learnings=_learnings(person, payload.learning_ids),
        answers=payload.dict(),
        strength=payload.strength,
        output=payload.output,
        new_idea=_new_idea(person, payload),
        ideas=_ideas(person, payload.idea_ids)
        if payload.output == routines.Output.EXISTING
        else [],
        relation=payload.relation,
    )
    return _created(person, routine)


@router.post("/routines/reduction", response={201: RoutineDetailOut})
def finish_reduction(request: HttpRequest, payload: ReductionIn) -> Any:
    person = member(request)
    routine = routines.reduction_complete(
        lead=person,
        choices=[
            routines.Choice(
                idea=get_idea_for(person, item.idea_id), outcome=item.outcome, note=item.note
            )
            for item in payload.items
        ],
        notes=payload.notes,
    )
    return _created(person, routine)


# Schedules -----------------------------------------------------------------------------


@router.get("/routine-schedules", response=list[ScheduleOut])
def list_schedules(request: HttpRequest) -> Any:
    return selectors.schedule_list(viewer=member(request))


@router.post("/routine-schedules", response={201: ScheduleOut})
def set_schedule(request: HttpRequest, payload: ScheduleIn) -> Any:
    person = member(request)
    group = selectors.get_group_or_404(payload.group_id) if payload.group_id else None
    schedule = routines.schedule_set(
        viewer=person,
        kind=payload.kind,
        cadence=payload.cadence,
        group=group,
        next_due_on=payload.next_due_on,
    )
    return Status(201, schedule)


@router.patch("/routine-schedules/{int:pk}", response=ScheduleOut)
def update_schedule(request: HttpRequest, pk: int, payload: SchedulePatch) -> Any:
    person = member(request)
    schedule = selectors.get_schedule_for(person, pk, write=True)
    return routines.schedule_update(
        viewer=person, schedule=schedule, **payload.dict(exclude_unset=True)
    )
