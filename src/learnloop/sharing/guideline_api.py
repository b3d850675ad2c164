"""API for the voice guidelines (members read; stewards add, edit, reorder, retire) and the
publication record (stewards). Mounted inside the sharing router."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from learnloop.core.api_support import MEMBER_AUTH, Pagination, member
from learnloop.core.schemas import PersonRef
from learnloop.sharing import guideline_selectors as selectors
from learnloop.sharing import guideline_services as services

router = Router()


class GuidelineOut(Schema):
    id: int
    text: str
    explanation: str
    position: int
    retired_at: datetime | None = None


class GuidelineIn(Schema):
    text: str = Field(..., min_length=1, max_length=300)
    explanation: str = Field("", max_length=2000)


class GuidelinePatch(Schema):
    text: str | None = Field(None, min_length=1, max_length=300)
    explanation: str | None = Field(None, max_length=2000)


class MoveIn(Schema):
    direction: Literal["up", "down"]


class OrderIn(Schema):
    order: list[int]


class RetireIn(Schema):
    restore: bool = False


class PublicationCheckOut(Schema):
    id: int
    item_type: str
    item_id: int
    item_title: str
    item_url: str
    checked_by: PersonRef
    guidelines: list[str]
    checked_at: datetime

    @staticmethod
    def resolve_item_type(obj: Any) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    @staticmethod
    def resolve_item_id(obj: Any) -> int:
        return int(obj.object_id)

    @staticmethod
    def resolve_item_title(obj: Any) -> str:
        return str(obj.item) if obj.item is not None else ""

    @staticmethod
    def resolve_item_url(obj: Any) -> str:
        return obj.item.get_absolute_url() if obj.item is not None else ""


@router.get("/guidelines", response=list[GuidelineOut], auth=MEMBER_AUTH)
def list_guidelines(request: HttpRequest, retired: bool = False) -> Any:
    """The active checklist in order; stewards may ask for the retired ones."""
    return list(selectors.guideline_list(viewer=member(request), retired=retired))


@router.post("/guidelines", response={201: GuidelineOut}, auth=MEMBER_AUTH)
def create_guideline(request: HttpRequest, payload: GuidelineIn) -> Any:
    return Status(201, services.guideline_create(viewer=member(request), **payload.dict()))


# Before the routes with an id, so that "order" is not read as one.
@router.put("/guidelines/order", response=list[GuidelineOut], auth=MEMBER_AUTH)
def reorder_guidelines(request: HttpRequest, payload: OrderIn) -> Any:
    return services.guideline_reorder(viewer=member(request), order=payload.order)


@router.patch("/guidelines/{pk}", response=GuidelineOut, auth=MEMBER_AUTH)
def update_guideline(request: HttpRequest, pk: int, payload: GuidelinePatch) -> Any:
    person = member(request)
    guideline = selectors.get_guideline_for(person, pk)
    fields = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return services.guideline_update(viewer=person, guideline=guideline, **fields)


@router.post("/guidelines/{pk}/move", response=GuidelineOut, auth=MEMBER_AUTH)
def move_guideline(request: HttpRequest, pk: int, payload: MoveIn) -> Any:
    person = member(request)
    guideline = selectors.get_guideline_for(person, pk)
    return services.guideline_move(viewer=person, guideline=guideline, direction=payload.direction)


@router.post("/guidelines/{pk}/retire", response=GuidelineOut, auth=MEMBER_AUTH)
def retire_guideline(request: HttpRequest, pk: int, payload: RetireIn) -> Any:
    person = member(request)
    guideline = selectors.get_guideline_for(person, pk)
    return services.guideline_retire(viewer=person, guideline=guideline, restore=payload.restore)


@router.get("/publication-checks", response=list[PublicationCheckOut], auth=MEMBER_AUTH)
@paginate(Pagination)
def list_publication_checks(
    request: HttpRequest, kind: str | None = None, person: int | None = None
) -> Any:
    return selectors.publication_record(viewer=member(request), kind=kind, person=person)
