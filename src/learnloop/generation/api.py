"""API for generation: learnings, test cycles, questions and answers."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from learnloop.core.api_support import MEMBER_AUTH, Pagination, member, viewer
from learnloop.core.schemas import ItemOut, PersonRef
from learnloop.core.services import item_soft_delete
from learnloop.generation import selectors, services
from learnloop.generation.models import Answer, LearningKind, TestCycleStatus
from learnloop.people.selectors import get_group_or_none

router = Router()


class LearningOut(ItemOut):
    title: str
    body: str
    kind: LearningKind
    site: str
    tags: list[str]
    test_cycle_id: int | None = None
    outcome_id: int | None = None

    @staticmethod
    def resolve_tags(obj: Any) -> list[str]:
        return obj.tag_names


class LearningIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    body: str = ""
    kind: LearningKind = LearningKind.REFLECTION
    group_id: int | None = None
    visibility: str = "network"
    tags: list[str] = []
    site: str | None = None
    links: list[str] = []
    test_cycle_id: int | None = None
    guidelines_confirmed: bool = Field(
        False, description="Every voice guideline was checked (needed to make it public)."
    )


class LearningPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    body: str | None = None
    kind: LearningKind | None = None
    group_id: int | None = None
    visibility: str | None = None
    tags: list[str] | None = None
    site: str | None = None
    guidelines_confirmed: bool = Field(
        False, description="Every voice guideline was checked (needed to make it public)."
    )


def _group(request: HttpRequest, group_id: int | None) -> Any:
    return get_group_or_none(group_id)


@router.get("/learnings", response=list[LearningOut])
@paginate(Pagination)
def list_learnings(
    request: HttpRequest,
    group: int | None = None,
    kind: str | None = None,
    author: int | None = None,
    tag: str | None = None,
    q: str | None = None,
) -> Any:
    return selectors.learning_list(
        viewer=viewer(request), group=group, kind=kind, author=author, tag=tag, q=q
    )


@router.get("/learnings/{pk}", response=LearningOut)
def get_learning(request: HttpRequest, pk: int) -> Any:
    return selectors.get_learning_for(viewer(request), pk)


@router.post("/learnings", response={201: LearningOut}, auth=MEMBER_AUTH)
def create_learning(request: HttpRequest, payload: LearningIn) -> Any:
    author = member(request)
    cycle = (
        selectors.get_test_cycle_for(author, payload.test_cycle_id, write=True)
        if payload.test_cycle_id
        else None
    )
    learning = services.learning_create(
        author=author,
        title=payload.title,
        body=payload.body,
        kind=payload.kind,
        group=_group(request, payload.group_id),
        visibility=payload.visibility,
        tags=payload.tags,
        site=payload.site,
        links=payload.links,
        test_cycle=cycle,
        guidelines_confirmed=payload.guidelines_confirmed,
    )
    return Status(201, learning)


@router.patch("/learnings/{pk}", response=LearningOut, auth=MEMBER_AUTH)
def update_learning(request: HttpRequest, pk: int, payload: LearningPatch) -> Any:
    person = member(request)
    learning = selectors.get_learning_for(person, pk, write=True)
    data = payload.dict(exclude_unset=True)
    tags = data.pop("tags", None)
    if "group_id" in data:
        data["group"] = _group(request, data.pop("group_id"))
    return services.learning_update(viewer=person, learning=learning, tags=tags, **data)


@router.delete("/learnings/{pk}", response={204: None}, auth=MEMBER_AUTH)
def delete_learning(request: HttpRequest, pk: int) -> Any:
    person = member(request)
    item_soft_delete(viewer=person, item=selectors.get_learning_for(person, pk, write=True))
    return Status(204, None)


class TestCycleOut(ItemOut):
    __test__ = False
    title: str
    plan: str
    prediction: str
    what_happened: str
    learned: str
    next_step: str
    status: TestCycleStatus
    started_on: date | None = None
    ended_on: date | None = None


class TestCycleIn(Schema):
    __test__ = False
    title: str = Field(..., min_length=1, max_length=200)
    plan: str = Field(..., min_length=1)
    prediction: str = ""
    what_happened: str = ""
    learned: str = ""
    next_step: str = ""
    status: TestCycleStatus = TestCycleStatus.PLANNING
    started_on: date | None = None
    group_id: int | None = None
    visibility: str = "network"
    guidelines_confirmed: bool = Field(
        False, description="Every voice guideline was checked (needed to make it public)."
    )


class TestCyclePatch(Schema):
    __test__ = False
    title: str | None = Field(None, min_length=1, max_length=200)
    plan: str | None = None
    prediction: str | None = None
    what_happened: str | None = None
    learned: str | None = None
    next_step: str | None = None
    status: TestCycleStatus | None = None
    started_on: date | None = None
    ended_on: date | None = None
    visibility: str | None = None
    guidelines_confirmed: bool = Field(
        False, description="Every voice guideline was checked (needed to make it public)."
    )


@router.get("/test-cycles", response=list[TestCycleOut])
@paginate(Pagination)
def list_test_cycles(
    request: HttpRequest, group: int | None = None, status: str | None = None
) -> Any:
    return selectors.test_cycle_list(viewer=viewer(request), group=group, status=status)


@router.get("/test-cycles/{pk}", response=TestCycleOut)
def get_test_cycle(request: HttpRequest, pk: int) -> Any:
    return selectors.get_test_cycle_for(viewer(request), pk)


@router.post("/test-cycles", response={201: TestCycleOut}, auth=MEMBER_AUTH)
def create_test_cycle(request: HttpRequest, payload: TestCycleIn) -> Any:
    author = member(request)
    data = payload.dict()
    group = _group(request, data.pop("group_id"))
    return Status(201, services.test_cycle_create(author=author, group=group, **data))


@router.patch("/test-cycles/{pk}", response=TestCycleOut, auth=MEMBER_AUTH)
def update_test_cycle(request: HttpRequest, pk: int, payload: TestCyclePatch) -> Any:
    person = member(request)
    cycle = selectors.get_test_cycle_for(person, pk, write=True)
    return services.test_cycle_update(
        viewer=person, cycle=cycle, **payload.dict(exclude_unset=True)
    )


@router.post("/test-cycles/{pk}/learning", response={201: LearningOut}, auth=MEMBER_AUTH)
def record_test_cycle_learning(
    request: HttpRequest, pk: int, guidelines_confirmed: bool = False
) -> Any:
    person = member(request)
    cycle = selectors.get_test_cycle_for(person, pk, write=True)
    learning = services.test_cycle_record_learning(
        viewer=person, cycle=cycle, guidelines_confirmed=guidelines_confirmed
    )
    return Status(201, learning)


@router.delete("/test-cycles/{pk}", response={204: None}, auth=MEMBER_AUTH)
def delete_test_cycle(request: HttpRequest, pk: int) -> Any:
    person = member(request)
    item_soft_delete(viewer=person, item=selectors.get_test_cycle_for(person, pk, write=True))
    return Status(204, None)


class AnswerOut(Schema):
    id: int
    author: PersonRef
    body: str
    accepted: bool


class QuestionOut(ItemOut):
    title: str
    body: str
    closed_at: Any = None
    answers: list[AnswerOut] = []

    @staticmethod
    def resolve_answers(obj: Any) -> list[Any]:
        return [a for a in obj.answers.all() if a.deleted_at is None]


class QuestionIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    body: str = ""
    group_id: int | None = None
    visibility: str = "network"
    tags: list[str] = []
    guidelines_confirmed: bool = Field(
        False, description="Every voice guideline was checked (needed to make it public)."
    )


class AnswerIn(Schema):
    body: str = Field(..., min_length=1)


@router.get("/questions", response=list[QuestionOut])
@paginate(Pagination)
def list_questions(request: HttpRequest, group: int | None = None, open: bool = False) -> Any:
    return selectors.question_list(
        viewer=viewer(request), group=group, open_only=open
    ).prefetch_related("answers__author")


@router.get("/questions/{pk}", response=QuestionOut)
def get_question(request: HttpRequest, pk: int) -> Any:
    return selectors.get_question_for(viewer(request), pk)


@router.post("/questions", response={201: QuestionOut}, auth=MEMBER_AUTH)
def create_question(request: HttpRequest, payload: QuestionIn) -> Any:
    author = member(request)
    data = payload.dict()
    group = _group(request, data.pop("group_id"))
    return Status(201, services.question_create(author=author, group=group, **data))


@router.post("/questions/{pk}/answers", response={201: AnswerOut}, auth=MEMBER_AUTH)
def answer_question(request: HttpRequest, pk: int, payload: AnswerIn) -> Any:
    person = member(request)
    question = selectors.get_question_for(person, pk)
    return Status(201, services.answer_create(author=person, question=question, body=payload.body))


@router.post("/questions/{pk}/answers/{answer_id}/accept", response=AnswerOut, auth=MEMBER_AUTH)
def accept_answer(request: HttpRequest, pk: int, answer_id: int) -> Any:
    person = member(request)
    question = selectors.get_question_for(person, pk, write=True)
    answer = Answer.objects.filter(question=question, pk=answer_id, deleted_at__isnull=True).first()
    if answer is None:
        raise Http404
    return services.answer_accept(viewer=person, answer=answer)


def _live_answer(person: Any, pk: int, answer_id: int) -> Answer:
    """A live answer to a question the person can see; 404 otherwise (as for accept). The
    services decide who may edit or delete it (403)."""
    question = selectors.get_question_for(person, pk)
    answer = Answer.objects.filter(question=question, pk=answer_id, deleted_at__isnull=True).first()
    if answer is None:
        raise Http404
    answer.question = question
    return answer


@router.patch("/questions/{pk}/answers/{answer_id}", response=AnswerOut, auth=MEMBER_AUTH)
def update_answer(request: HttpRequest, pk: int, answer_id: int, payload: AnswerIn) -> Any:
    person = member(request)
    answer = _live_answer(person, pk, answer_id)
    return services.answer_update(viewer=person, answer=answer, body=payload.body)


@router.delete("/questions/{pk}/answers/{answer_id}", response={204: None}, auth=MEMBER_AUTH)
def delete_answer(request: HttpRequest, pk: int, answer_id: int) -> Any:
    person = member(request)
    services.answer_delete(viewer=person, answer=_live_answer(person, pk, answer_id))
    return Status(204, None)


@router.delete("/questions/{pk}", response={204: None}, auth=MEMBER_AUTH)
def delete_question(request: HttpRequest, pk: int) -> Any:
    person = member(request)
    item_soft_delete(viewer=person, item=selectors.get_question_for(person, pk, write=True))
    return Status(204, None)
