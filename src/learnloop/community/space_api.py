"""API for creation spaces, follows, suggestions and opportunity narratives."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from learnloop.community import (
    follow_selectors,
    follow_services,
    narrative_services,
    space_selectors,
)
from learnloop.community import narrative_selectors as narratives
from learnloop.community.space_services import question_ask_people
from learnloop.community.suggestions import people_who_might_know
from learnloop.core.api_support import MEMBER_AUTH, Pagination, member, viewer
from learnloop.core.schemas import GroupRef, ItemOut, PersonRef
from learnloop.core.services import item_soft_delete
from learnloop.generation.selectors import get_question_for
from learnloop.people.models import Group, Person

router = Router()


# Spaces ------------------------------------------------------------------------------------


class SpaceOut(Schema):
    id: int
    slug: str
    name: str
    purpose: str
    group_count: int
    people_count: int
    follower_count: int
    is_mine: bool
    is_followed: bool
    groups: list[GroupRef]
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        from django.urls import reverse

        return reverse("spaces:space", args=[obj.slug])


class IdeaRef(Schema):
    id: int
    title: str
    stage: str
    stage_changed_at: datetime
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class StageOut(Schema):
    stage: str
    label: str
    count: int
    ideas: list[IdeaRef]


class CycleRef(Schema):
    id: int
    title: str
    status: str
    started_on: date | None = None
    ended_on: date | None = None
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class LearningRef(Schema):
    id: int
    title: str
    kind: str
    created_at: datetime
    author: PersonRef
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class MeasureLineOut(Schema):
    measure: str
    name: str
    unit: str
    periods: list[date]
    values: list[float]

    @staticmethod
    def resolve_measure(obj: Any) -> str:
        return obj.measure.slug

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.measure.name

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return obj.measure.unit

    @staticmethod
    def resolve_periods(obj: Any) -> list[date]:
        return obj.series.periods

    @staticmethod
    def resolve_values(obj: Any) -> list[float]:
        return [float(v) for v in obj.series.values]


class ColumnOut(Schema):
    group: GroupRef
    kind: str
    member_count: int
    is_mine: bool
    is_followed: bool
    idea_count: int
    stages: list[StageOut]
    cycle_counts: dict[str, int]
    test_cycles: list[CycleRef]
    learnings: list[LearningRef]
    measures: list[MeasureLineOut]

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return obj.group.kind

    @staticmethod
    def resolve_member_count(obj: Any) -> int:
        return obj.group.member_count

    @staticmethod
    def resolve_test_cycles(obj: Any) -> list[Any]:
        return obj.cycles


class SpaceQuestionOut(Schema):
    id: int
    title: str
    author: PersonRef
    created_at: datetime
    answer_count: int
    has_accepted: bool
    closed_at: datetime | None = None
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class NarrativeRef(Schema):
    id: int
    title: str
    visibility: str
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class SpaceDetailOut(Schema):
    id: int
    slug: str
    name: str
    purpose: str
    follower_count: int
    is_mine: bool
    is_followed: bool
    columns: list[ColumnOut]
    questions: list[SpaceQuestionOut]
    narratives: list[NarrativeRef]


@router.get("/spaces", response=list[SpaceOut], auth=MEMBER_AUTH)
def list_spaces(request: HttpRequest) -> Any:
    return space_selectors.space_list(viewer=member(request))


@router.get("/spaces/{slug}", response=SpaceDetailOut, auth=MEMBER_AUTH)
def get_space(request: HttpRequest, slug: str, group: list[str] | None = None) -> Any:
    """Each linked group's ideas by stage, recent test cycles, measures and learnings, side
    by side (`?group=slug&group=slug` narrows the comparison), as the caller may see them."""
    person = member(request)
    space = space_selectors.get_space_for(person, slug)
    board = space_selectors.space_board(viewer=person, space=space, only=group or None)
    return {
        "id": space.pk,
        "slug": space.slug,
        "name": space.name,
        "purpose": space.purpose,
        "follower_count": board.follower_count,
        "is_mine": board.is_mine,
        "is_followed": board.is_followed,
        "columns": board.columns,
        "questions": board.questions,
        "narratives": board.narratives,
    }


# Follows -----------------------------------------------------------------------------------


class FollowOut(Schema):
    group: GroupRef
    kind: str
    created_at: datetime

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return obj.group.kind


class FollowIn(Schema):
    group: str = Field(..., min_length=1, max_length=200, description="The group's slug.")


@router.get("/follows", response=list[FollowOut], auth=MEMBER_AUTH)
def list_follows(request: HttpRequest) -> Any:
    """The groups and spaces you follow."""
    return list(follow_selectors.follow_list(person=member(request)))


@router.post("/follows", response={201: FollowOut}, auth=MEMBER_AUTH)
def create_follow(request: HttpRequest, payload: FollowIn) -> Any:
    person = member(request)
    group = space_selectors.get_group_by_slug(person, payload.group)
    return Status(201, follow_services.follow_create(person=person, group=group))


@router.delete("/follows/{slug}", response={204: None}, auth=MEMBER_AUTH)
def delete_follow(request: HttpRequest, slug: str) -> Any:
    person = member(request)
    group = space_selectors.get_group_by_slug(person, slug)
    follow_services.follow_delete(person=person, group=group)
    return Status(204, None)


# People who might know ---------------------------------------------------------------------


class SuggestionOut(Schema):
    person: PersonRef
    score: float
    reasons: list[str]
    asked_at: datetime | None = None


class AskIn(Schema):
    person_ids: list[int] = Field(..., min_length=1, max_length=10)
    note: str = Field("", max_length=2000)


class AskOut(Schema):
    asked: list[PersonRef]


@router.get("/questions/{pk}/suggestions", response=list[SuggestionOut], auth=MEMBER_AUTH)
def question_suggestions(request: HttpRequest, pk: int) -> Any:
    """Members who might know the answer, each with the reasons (counted only from what
    you may see)."""
    person = member(request)
    question = get_question_for(person, pk)
    return people_who_might_know(viewer=person, question=question)


@router.post("/questions/{pk}/suggestions/ask", response=AskOut, auth=MEMBER_AUTH)
def ask_suggested(request: HttpRequest, pk: int, payload: AskIn) -> Any:
    """The asker (or a moderator) asks people to answer; they are notified."""
    person = member(request)
    question = get_question_for(person, pk, write=True)
    people = list(Person.objects.filter(pk__in=payload.person_ids))
    if len(people) != len(set(payload.person_ids)):
        raise ValidationError({"person_ids": _("There is no member with one of these ids.")})
    with _fields({"people": "person_ids"}):
        asked = question_ask_people(
            viewer=person, question=question, people=people, note=payload.note
        )
    return {"asked": asked}


# Narratives --------------------------------------------------------------------------------

_NARRATIVE_FIELDS = {
    "group": "group_id",
    "groups": "group_ids",
    "questions": "question_ids",
    "ideas": "idea_ids",
}


@contextmanager
def _fields(names: dict[str, str]) -> Iterator[None]:
    """Name a service's field errors the way the API's input names them."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError({names.get(k, k): v for k, v in exc.message_dict.items()}) from None


class GroupActivityOut(Schema):
    group: GroupRef
    learnings: int
    cycles: int
    ideas: int
    moves: int
    questions: int
    answers: int


class LinkedIdeaOut(IdeaRef):
    group: GroupRef | None = None


class LinkedQuestionOut(Schema):
    id: int
    title: str
    answer_count: int
    has_accepted: bool
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class ProgressOut(Schema):
    since: datetime
    idea_count: int
    moved_recently: int
    ideas_by_stage: dict[str, list[LinkedIdeaOut]]
    questions: list[LinkedQuestionOut]
    answered: int
    accepted: int
    groups: list[GroupActivityOut]

    @staticmethod
    def resolve_ideas_by_stage(obj: Any) -> dict[str, list[Any]]:
        return {row.stage: row.ideas for row in obj.stages if row.ideas}


class NarrativeOut(ItemOut):
    title: str
    opportunity: str
    call_to_act: str
    tags: list[str]
    group_ids: list[int] = []
    question_ids: list[int] = []
    idea_ids: list[int] = []

    @staticmethod
    def resolve_tags(obj: Any) -> list[str]:
        return obj.tag_names

    @staticmethod
    def resolve_group(obj: Any, context: Any) -> Any:
        from learnloop.core import access

        return obj.group if access.is_member(viewer(context["request"])) else None

    @staticmethod
    def resolve_group_ids(obj: Any, context: Any) -> list[int]:
        from learnloop.core import access

        if not access.is_member(viewer(context["request"])):
            return []
        return obj.group_ids

    @staticmethod
    def resolve_question_ids(obj: Any, context: Any) -> list[int]:
        person = viewer(context["request"])
        return [q.pk for q in narratives.linked_questions(person, obj)]

    @staticmethod
    def resolve_idea_ids(obj: Any, context: Any) -> list[int]:
        person = viewer(context["request"])
        return [i.pk for i in narratives.linked_ideas(person, obj)]


class NarrativeDetailOut(NarrativeOut):
    progress: ProgressOut

    @staticmethod
    def resolve_progress(obj: Any, context: Any) -> Any:
        return narratives.narrative_progress(viewer=viewer(context["request"]), narrative=obj)


class NarrativeIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    opportunity: str = Field(..., min_length=1, max_length=50000)
    call_to_act: str = Field(..., min_length=1, max_length=10000)
    group_id: int | None = Field(None, description="The creation space; none for the network.")
    visibility: str = "network"
    tags: list[str] = []
    group_ids: list[int] = []
    question_ids: list[int] = []
    idea_ids: list[int] = []
    guidelines_confirmed: bool = Field(
        False, description="Every voice guideline was checked (needed to make it public)."
    )


class NarrativePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    opportunity: str | None = Field(None, min_length=1, max_length=50000)
    call_to_act: str | None = Field(None, min_length=1, max_length=10000)
    group_id: int | None = None
    visibility: str | None = None
    tags: list[str] | None = None
    group_ids: list[int] | None = None
    question_ids: list[int] | None = None
    idea_ids: list[int] | None = None
    guidelines_confirmed: bool = Field(
        False, description="Every voice guideline was checked (needed to make it public)."
    )


def _resolve(field: str, model: Any, ids: list[int]) -> list[Any]:
    rows = list(model.objects.filter(pk__in=ids))
    if len(rows) != len(set(ids)):
        # Unknown and unseen ids get the same answer: an id says nothing about a record.
        message = (
            _("There is no group with this id.")
            if model is Group
            else _("You can only link records you can see.")
        )
        raise ValidationError({field: message})
    return rows


def _links(data: dict[str, Any]) -> dict[str, Any]:
    from learnloop.consolidation.models import Idea
    from learnloop.generation.models import Question

    out: dict[str, Any] = {}
    if "group_id" in data:
        group_id = data.pop("group_id")
        out["group"] = _resolve("group_id", Group, [group_id])[0] if group_id else None
    for key, name, model in (
        ("group_ids", "groups", Group),
        ("question_ids", "questions", Question),
        ("idea_ids", "ideas", Idea),
    ):
        if key in data:
            ids = data.pop(key)
            out[name] = _resolve(key, model, ids) if ids is not None else None
    return {**data, **out}


@router.get("/narratives", response=list[NarrativeOut])
@paginate(Pagination)
def list_narratives(
    request: HttpRequest, space: int | None = None, scope: str | None = None, q: str | None = None
) -> Any:
    """Narratives you may see; `scope=network` for the network-wide ones, `space` (id) for
    one creation space's."""
    return narratives.narrative_list(viewer=viewer(request), space=space, scope=scope, q=q)


@router.get("/narratives/{pk}", response=NarrativeDetailOut)
def get_narrative(request: HttpRequest, pk: int) -> Any:
    return narratives.get_narrative_for(viewer(request), pk)


@router.post("/narratives", response={201: NarrativeDetailOut}, auth=MEMBER_AUTH)
def create_narrative(request: HttpRequest, payload: NarrativeIn) -> Any:
    """Stewards publish for the network; stewards and moderators of a space's groups for
    that space."""
    person = member(request)
    data = _links(payload.dict())
    with _fields(_NARRATIVE_FIELDS):
        narrative = narrative_services.narrative_create(author=person, **data)
    return Status(201, narratives.get_narrative_for(person, narrative.pk))


@router.patch("/narratives/{pk}", response=NarrativeDetailOut, auth=MEMBER_AUTH)
def update_narrative(request: HttpRequest, pk: int, payload: NarrativePatch) -> Any:
    person = member(request)
    narrative = narratives.get_narrative_for(person, pk, write=True)
    data = _links(payload.dict(exclude_unset=True))
    with _fields(_NARRATIVE_FIELDS):
        narrative_services.narrative_update(viewer=person, narrative=narrative, **data)
    return narratives.get_narrative_for(person, pk)


@router.delete("/narratives/{pk}", response={204: None}, auth=MEMBER_AUTH)
def delete_narrative(request: HttpRequest, pk: int) -> Any:
    person = member(request)
    item_soft_delete(viewer=person, item=narratives.get_narrative_for(person, pk, write=True))
    return Status(204, None)
