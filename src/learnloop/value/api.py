"""API for value: convenings, value stories with their steps, and the value matrix."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from learnloop.core.api_support import MEMBER_AUTH, Pagination, member, viewer
from learnloop.core.schemas import GroupRef, ItemOut, PersonRef
from learnloop.core.services import item_soft_delete
from learnloop.people.selectors import get_group_or_none
from learnloop.value import selectors, services
from learnloop.value.models import ConveningKind, ValueCycle

router = Router()


def _viewer_from(context: Any) -> Any:
    return viewer(context["request"])


# Convenings ---------------------------------------------------------------------------


class ConveningOut(ItemOut):
    title: str
    kind: ConveningKind
    starts_at: datetime
    ends_at: datetime | None = None
    place: str
    link: str
    participants: list[PersonRef] = []
    other_participants: int
    notes: str
    outputs: str
    upcoming: bool

    @staticmethod
    def resolve_participants(obj: Any, context: Any) -> list[Any]:
        # Names of who took part are for members; visitors see how many.
        from learnloop.core import access

        if not access.is_member(_viewer_from(context)):
            return []
        return list(obj.participants.all())

    @staticmethod
    def resolve_upcoming(obj: Any) -> bool:
        return obj.is_upcoming


class ConveningIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    kind: ConveningKind = ConveningKind.MEETING
    starts_at: datetime
    ends_at: datetime | None = None
    place: str = Field("", max_length=300)
    link: str = Field("", max_length=1000)
    group_id: int | None = None
    visibility: str = "network"
    guidelines_confirmed: bool = Field(
        False, description="Every voice guideline was checked (needed to make it public)."
    )
    participant_ids: list[int] = []
    other_participants: int = Field(0, ge=0)
    notes: str = ""
    outputs: str = ""


class ConveningPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    kind: ConveningKind | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str | None = Field(None, max_length=300)
    link: str | None = Field(None, max_length=1000)
    group_id: int | None = None
    visibility: str | None = None
    guidelines_confirmed: bool = Field(
        False, description="Every voice guideline was checked (needed to make it public)."
    )
    participant_ids: list[int] | None = None
    other_participants: int | None = Field(None, ge=0)
    notes: str | None = None
    outputs: str | None = None


@router.get("/value/convenings", response=list[ConveningOut])
@paginate(Pagination)
def list_convenings(
    request: HttpRequest,
    group: int | None = None,
    kind: str | None = None,
    when: str | None = None,
    author: int | None = None,
) -> Any:
    """`when=upcoming` (soonest first) or `when=past` (latest first)."""
    return selectors.convening_list(
        viewer=viewer(request), group=group, kind=kind, when=when, author=author
    )


@router.get("/value/convenings/{pk}", response=ConveningOut)
def get_convening(request: HttpRequest, pk: int) -> Any:
    return selectors.get_convening_for(viewer(request), pk)


@router.post("/value/convenings", response={201: ConveningOut}, auth=MEMBER_AUTH)
def create_convening(request: HttpRequest, payload: ConveningIn) -> Any:
    author = member(request)
    data = payload.dict()
    group = get_group_or_none(data.pop("group_id"))
    people = selectors.people_by_ids(data.pop("participant_ids"))
    convening = services.convening_create(author=author, group=group, participants=people, **data)
    return Status(201, convening)


@router.patch("/value/convenings/{pk}", response=ConveningOut, auth=MEMBER_AUTH)
def update_convening(request: HttpRequest, pk: int, payload: ConveningPatch) -> Any:
    person = member(request)
    convening = selectors.get_convening_for(person, pk, write=True)
    data = payload.dict(exclude_unset=True)
    if "group_id" in data:
        data["group"] = get_group_or_none(data.pop("group_id"))
    ids = data.pop("participant_ids", None)
    people = selectors.people_by_ids(ids) if ids is not None else None
    services.convening_update(viewer=person, convening=convening, participants=people, **data)
    return selectors.get_convening_for(person, pk)


@router.delete("/value/convenings/{pk}", response={204: None}, auth=MEMBER_AUTH)
def delete_convening(request: HttpRequest, pk: int) -> Any:
    person = member(request)
    item_soft_delete(viewer=person, item=selectors.get_convening_for(person, pk, write=True))
    return Status(204, None)


# Stories -----------------------------------------------------------------------------


class StepOut(Schema):
    id: int
    cycle: ValueCycle
    narrative: str
    indicator: str
    measure_slug: str
    convening_id: int | None = None
    learning_id: int | None = None
    product_id: int | None = None
    outcome_id: int | None = None
    added_by: PersonRef
    created_at: datetime

    # A linked record the viewer may not see is reported as null.
    @staticmethod
    def resolve_convening_id(obj: Any, context: Any) -> int | None:
        return selectors.link_ids(_viewer_from(context), obj)["convening_id"]

    @staticmethod
    def resolve_learning_id(obj: Any, context: Any) -> int | None:
        return selectors.link_ids(_viewer_from(context), obj)["learning_id"]

    @staticmethod
    def resolve_product_id(obj: Any, context: Any) -> int | None:
        return selectors.link_ids(_viewer_from(context), obj)["product_id"]

    @staticmethod
    def resolve_outcome_id(obj: Any, context: Any) -> int | None:
        return selectors.link_ids(_viewer_from(context), obj)["outcome_id"]


class StoryOut(ItemOut):
    title: str
    summary: str
    cycles: list[ValueCycle] = []
    steps: list[StepOut] = []

    @staticmethod
    def resolve_cycles(obj: Any) -> list[str]:
        return [value for value, _label in selectors.story_cycles(obj)]

    @staticmethod
    def resolve_steps(obj: Any) -> list[Any]:
        return list(obj.steps.all())


class StepIn(Schema):
    cycle: ValueCycle
    narrative: str = Field(..., min_length=1, max_length=20000)
    indicator: str = Field("", max_length=300)
    convening_id: int | None = None
    learning_id: int | None = None
    product_id: int | None = None
    outcome_id: int | None = None
    measure_slug: str = Field("", max_length=200)


class StepPatch(Schema):
    cycle: ValueCycle | None = None
    narrative: str | None = Field(None, min_length=1, max_length=20000)
    indicator: str | None = Field(None, max_length=300)
    convening_id: int | None = None
    learning_id: int | None = None
    product_id: int | None = None
    outcome_id: int | None = None
    measure_slug: str | None = Field(None, max_length=200)


class StoryIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = ""
    group_id: int | None = None
    visibility: str = "network"
    guidelines_confirmed: bool = Field(
        False, description="Every voice guideline was checked (needed to make it public)."
    )
    steps: list[StepIn] = []


class StoryPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = None
    group_id: int | None = None
    visibility: str | None = None
    guidelines_confirmed: bool = Field(
        False, description="Every voice guideline was checked (needed to make it public)."
    )


LINK_KINDS = ("convening", "learning", "product", "outcome")


def _step_fields(person: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Turn `<kind>_id` into the record, through the access layer (404 if unseen)."""
    fields = dict(data)
    for kind in LINK_KINDS:
        key = f"{kind}_id"
        if key in fields:
            fields[kind] = selectors.get_linkable(person, kind, fields.pop(key))
    for text in ("indicator", "measure_slug"):
        if text in fields and fields[text] is None:
            fields[text] = ""
    return fields


@router.get("/value/stories", response=list[StoryOut])
@paginate(Pagination)
def list_stories(
    request: HttpRequest,
    group: int | None = None,
    cycle: str | None = None,
    author: int | None = None,
    q: str | None = None,
) -> Any:
    """`cycle`: stories that reach that cycle of value (immediate, potential, applied,
    realized, reframing)."""
    return selectors.story_list(
        viewer=viewer(request), group=group, cycle=cycle, author=author, q=q, with_steps=True
    )


@router.get("/value/stories/{pk}", response=StoryOut)
def get_story(request: HttpRequest, pk: int) -> Any:
    return selectors.get_story_for(viewer(request), pk)


@router.post("/value/stories", response={201: StoryOut}, auth=MEMBER_AUTH)
def create_story(request: HttpRequest, payload: StoryIn) -> Any:
    author = member(request)
    data = payload.dict()
    group = get_group_or_none(data.pop("group_id"))
    steps = [_step_fields(author, step) for step in data.pop("steps")]
    story = services.story_create(author=author, group=group, steps=steps, **data)
    return Status(201, selectors.get_story_for(author, story.pk))


@router.patch("/value/stories/{pk}", response=StoryOut, auth=MEMBER_AUTH)
def update_story(request: HttpRequest, pk: int, payload: StoryPatch) -> Any:
    person = member(request)
    story = selectors.get_story_for(person, pk, write=True)
    data = payload.dict(exclude_unset=True)
    if "group_id" in data:
        data["group"] = get_group_or_none(data.pop("group_id"))
    services.story_update(viewer=person, story=story, **data)
    return selectors.get_story_for(person, pk)


@router.delete("/value/stories/{pk}", response={204: None}, auth=MEMBER_AUTH)
def delete_story(request: HttpRequest, pk: int) -> Any:
    person = member(request)
    item_soft_delete(viewer=person, item=selectors.get_story_for(person, pk, write=True))
    return Status(204, None)


@router.post("/value/stories/{pk}/steps", response={201: StepOut}, auth=MEMBER_AUTH)
def add_step(request: HttpRequest, pk: int, payload: StepIn) -> Any:
    person = member(request)
    story = selectors.get_story_for(person, pk, write=True)
    step = services.story_step_add(
        viewer=person, story=story, **_step_fields(person, payload.dict())
    )
    return Status(201, selectors.get_step_for(person, story, step.pk))


@router.patch("/value/stories/{pk}/steps/{step_id}", response=StepOut, auth=MEMBER_AUTH)
def update_step(request: HttpRequest, pk: int, step_id: int, payload: StepPatch) -> Any:
    person = member(request)
    story = selectors.get_story_for(person, pk, write=True)
    step = selectors.get_step_for(person, story, step_id)
    step.story = story
    fields = _step_fields(person, payload.dict(exclude_unset=True))
    services.story_step_update(viewer=person, step=step, **fields)
    return selectors.get_step_for(person, story, step_id)


@router.delete("/value/stories/{pk}/steps/{step_id}", response={204: None}, auth=MEMBER_AUTH)
def delete_step(request: HttpRequest, pk: int, step_id: int) -> Any:
    person = member(request)
    story = selectors.get_story_for(person, pk, write=True)
    step = selectors.get_step_for(person, story, step_id)
    step.story = story
    services.story_step_delete(viewer=person, step=step)
    return Status(204, None)


# The value matrix ---------------------------------------------------------------------


class MatrixColumnOut(Schema):
    cycle: ValueCycle
    label: str
    stories: int
    steps: int
    indicators: int
    linked_records: int


class MatrixOut(Schema):
    group: GroupRef | None = None
    story_count: int
    columns: list[MatrixColumnOut]
    headline: str
    reading: str
    stops_between: list[ValueCycle] | None = None
    rule: str

    @staticmethod
    def resolve_stops_between(obj: Any) -> list[str] | None:
        return list(obj.stop) if obj.stop else None

    @staticmethod
    def resolve_rule(obj: Any) -> str:
        return str(selectors.FLOW_RULE)


@router.get("/value/matrix", response=MatrixOut, auth=MEMBER_AUTH)
def value_matrix(request: HttpRequest, group: int | None = None) -> Any:
    """Stories and indicators per cycle of value, over the stories the caller may see, and
    a plain reading of where value stops flowing (the rule is in `rule`)."""
    person = member(request)
    return selectors.value_matrix(viewer=person, group=selectors.matrix_group(person, group))
