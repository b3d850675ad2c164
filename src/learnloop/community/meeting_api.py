"""API for impact groups: meetings with their agenda, attendance and step back, and (in
`moderation_api`) the moderator tools. Members only; a group-only meeting is 404 for
members of other groups, as on the web."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from learnloop.community import meeting_selectors as sel
from learnloop.community import meeting_services as services
from learnloop.community.moderation_api import router as moderation_router
from learnloop.core.api_support import MEMBER_AUTH, Pagination, member, viewer
from learnloop.core.schemas import ItemOut, PersonRef

router = Router(auth=MEMBER_AUTH)


def _viewer(context: Any) -> Any:
    return viewer(context["request"])


class AgendaEntryOut(Schema):
    key: str
    kind: str
    title: str
    url: str
    why: str
    note: str
    done: bool
    visible: bool = Field(True, description="False for a record the viewer may not see.")
    id: int | None = None


class CandidateOut(Schema):
    key: str
    kind: str
    id: int | None = None
    title: str
    url: str
    why: str


class AnswerOut(Schema):
    id: str
    prompt: str
    text: str
    by_id: int | None = None
    by_name: str
    at: datetime | None = None
    learning_id: int | None = Field(None, description="Null until it becomes a learning.")


class MeetingSummaryOut(ItemOut):
    title: str
    starts_at: datetime
    ends_at: datetime | None = None
    place: str
    link: str
    other_participants: int
    participants: list[PersonRef] = []
    upcoming: bool

    @staticmethod
    def resolve_participants(obj: Any) -> list[Any]:
        return list(obj.participants.all())

    @staticmethod
    def resolve_upcoming(obj: Any) -> bool:
        return bool(obj.is_upcoming)


class MeetingOut(MeetingSummaryOut):
    notes: str
    agenda: list[AgendaEntryOut] = []
    reflection: list[AnswerOut] = []
    learning_ids: list[int] = []

    @staticmethod
    def resolve_agenda(obj: Any, context: Any) -> list[Any]:
        return sel.agenda_view(viewer=_viewer(context), meeting=obj)

    @staticmethod
    def resolve_reflection(obj: Any, context: Any) -> list[Any]:
        groups = sel.reflection_view(viewer=_viewer(context), meeting=obj)
        return [a for g in groups for a in g.answers]

    @staticmethod
    def resolve_learning_ids(obj: Any, context: Any) -> list[int]:
        return [lrn.pk for lrn in sel.meeting_learnings(viewer=_viewer(context), meeting=obj)]


class MeetingIn(Schema):
    starts_at: datetime
    ends_at: datetime | None = None
    title: str = Field("", max_length=200, description="Empty: the group's name and the date.")
    place: str = Field("", max_length=300)
    link: str = Field("", max_length=1000)
    visibility: str = Field("group", description="group or network")
    agenda: list[str] = Field([], description="Keys from GET …/meetings/open, in the order wanted.")
    own_items: list[str] = Field([], description="Items of your own, after the chosen ones.")


class AgendaChange(Schema):
    key: str
    note: str | None = Field(None, max_length=5000)
    done: bool | None = None


class RecordIn(Schema):
    participant_ids: list[int] | None = None
    other_participants: int | None = Field(None, ge=0)
    notes: str | None = Field(None, max_length=50000)
    agenda: list[AgendaChange] | None = Field(
        None,
        description="Items in their new order with note and done; items left out keep "
        "their place after these.",
    )
    drop: list[str] = Field([], description="Keys of items to take off the agenda.")


class AgendaItemIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    why: str = Field("", max_length=500)


class ReflectionIn(Schema):
    learned: str = Field("", max_length=5000)
    surprised: str = Field("", max_length=5000)
    next: str = Field("", max_length=5000)


class LearningRef(Schema):
    id: int
    title: str
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_absolute_url())


def _meeting(request: HttpRequest, slug: str, pk: int) -> Any:
    person = member(request)
    group = sel.get_group_for(person, slug)
    return person, sel.get_meeting_for(person, group, pk)


@router.get("/groups/{slug}/meetings", response=list[MeetingSummaryOut])
@paginate(Pagination)
def list_meetings(request: HttpRequest, slug: str, when: str | None = None) -> Any:
    """The group's meetings the viewer may see: `when=upcoming` (soonest first) or
    `when=past` (latest first)."""
    person = member(request)
    group = sel.get_group_for(person, slug)
    return sel.meeting_list(viewer=person, group=group, when=when)


@router.get("/groups/{slug}/meetings/open", response=list[CandidateOut])
def open_items(request: HttpRequest, slug: str, on: date | None = None) -> Any:
    """What is open in the group now, as agenda items for a meeting on `on` (default
    today): what a planner chooses from. Members of the group only."""
    person = member(request)
    group = sel.get_group_for(person, slug, members_only=True)
    return sel.agenda_candidates(viewer=person, group=group, on=on)


@router.post("/groups/{slug}/meetings", response={201: MeetingOut})
def plan_meeting(request: HttpRequest, slug: str, payload: MeetingIn) -> Any:
    person = member(request)
    group = sel.get_group_for(person, slug, members_only=True)
    meeting = services.meeting_plan(
        planner=person,
        group=group,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        title=payload.title,
        place=payload.place,
        link=payload.link,
        visibility=payload.visibility,
        picked=payload.agenda,
        own_items=payload.own_items,
    )
    return Status(201, sel.get_meeting_for(person, group, meeting.pk))


@router.get("/groups/{slug}/meetings/{pk}", response=MeetingOut)
def get_meeting(request: HttpRequest, slug: str, pk: int) -> Any:
    return _meeting(request, slug, pk)[1]


@router.patch("/groups/{slug}/meetings/{pk}/record", response=MeetingOut)
def record_meeting(request: HttpRequest, slug: str, pk: int, payload: RecordIn) -> Any:
    """Who came, notes, and the agenda's notes, progress and order."""
    from learnloop.value.selectors import people_by_ids

    person, meeting = _meeting(request, slug, pk)
    if not sel.may_run(person, meeting):
        raise PermissionDenied
    people = people_by_ids(payload.participant_ids) if payload.participant_ids is not None else None
    services.meeting_record(
        viewer=person,
        meeting=meeting,
        participants=people,
        other_participants=payload.other_participants,
        notes=payload.notes,
        entries=[c.dict() for c in payload.agenda] if payload.agenda is not None else None,
        drop=payload.drop,
    )
    return sel.get_meeting_for(person, meeting.group, pk)


@router.post("/groups/{slug}/meetings/{pk}/agenda", response={201: AgendaEntryOut})
def add_agenda_item(request: HttpRequest, slug: str, pk: int, payload: AgendaItemIn) -> Any:
    person, meeting = _meeting(request, slug, pk)
    entry = services.meeting_agenda_add(
        viewer=person, meeting=meeting, title=payload.title, why=payload.why
    )
    return Status(201, {**entry, "visible": True})


@router.post("/groups/{slug}/meetings/{pk}/reflection", response={201: list[AnswerOut]})
def add_reflection(request: HttpRequest, slug: str, pk: int, payload: ReflectionIn) -> Any:
    """Answers to the step back's questions: what did we learn, what surprised us, what
    will we try next. At least one."""
    person, meeting = _meeting(request, slug, pk)
    added = services.reflection_add(viewer=person, meeting=meeting, answers=payload.dict())
    return Status(
        201,
        [
            {**a, "by_id": a["by"], "at": datetime.fromisoformat(a["at"]), "learning_id": None}
            for a in added
        ],
    )


@router.post(
    "/groups/{slug}/meetings/{pk}/reflection/{answer_id}/learning", response={201: LearningRef}
)
def answer_to_learning(request: HttpRequest, slug: str, pk: int, answer_id: str) -> Any:
    """Turn one answer into a learning of the group, authored by the caller."""
    person, meeting = _meeting(request, slug, pk)
    learning = services.reflection_to_learning(viewer=person, meeting=meeting, answer_id=answer_id)
    return Status(201, learning)


@router.delete("/groups/{slug}/meetings/{pk}/reflection/{answer_id}", response={204: None})
def remove_answer(request: HttpRequest, slug: str, pk: int, answer_id: str) -> Any:
    person, meeting = _meeting(request, slug, pk)
    services.reflection_remove(viewer=person, meeting=meeting, answer_id=answer_id)
    return Status(204, None)


router.add_router("", moderation_router)
