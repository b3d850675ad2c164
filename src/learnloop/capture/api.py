"""API for capture: knowledge products."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from learnloop.capture import selectors, services
from learnloop.capture.models import ProductKind
from learnloop.core.api_support import MEMBER_AUTH, Pagination, member, viewer
from learnloop.core.schemas import ItemOut
from learnloop.core.services import item_soft_delete
from learnloop.people.models import StakeholderType
from learnloop.people.selectors import get_group_or_none

router = Router()


class ProductIdeaRef(Schema):
    id: int
    title: str
    stage: str
    stage_label: str
    url: str

    @staticmethod
    def resolve_stage_label(obj: Any) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class ProductOut(ItemOut):
    title: str
    kind: ProductKind
    summary: str
    body: str
    audience: StakeholderType
    audience_detail: str
    actions: str
    resources_time: str
    resources_people: str
    resources_money: str
    media_url: str
    ideas: list[ProductIdeaRef]
    tags: list[str]
    published_at: datetime | None = None

    @staticmethod
    def resolve_ideas(obj: Any) -> list[Any]:
        # Only the ideas the caller may see (prefetched by the selector).
        return list(obj.visible_ideas)

    @staticmethod
    def resolve_tags(obj: Any) -> list[str]:
        return obj.tag_names


class ProductIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    kind: ProductKind = ProductKind.CHANGE_IDEA
    summary: str = Field("", max_length=300)
    body: str = ""
    audience: StakeholderType = StakeholderType.STAFF
    audience_detail: str = Field("", max_length=200)
    actions: str = Field(..., min_length=1)
    resources_time: str = Field("", max_length=200)
    resources_people: str = Field("", max_length=200)
    resources_money: str = Field("", max_length=200)
    media_url: str = ""
    idea_ids: list[int] = []
    group_id: int | None = None
    visibility: str = "network"
    tags: list[str] = []
    guidelines_confirmed: bool = Field(
        False, description="Every voice guideline was checked (needed to make it public)."
    )


class ProductPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    kind: ProductKind | None = None
    summary: str | None = Field(None, max_length=300)
    body: str | None = None
    audience: StakeholderType | None = None
    audience_detail: str | None = Field(None, max_length=200)
    actions: str | None = Field(None, min_length=1)
    resources_time: str | None = Field(None, max_length=200)
    resources_people: str | None = Field(None, max_length=200)
    resources_money: str | None = Field(None, max_length=200)
    media_url: str | None = None
    idea_ids: list[int] | None = None
    group_id: int | None = None
    visibility: str | None = None
    tags: list[str] | None = None
    guidelines_confirmed: bool = Field(
        False, description="Every voice guideline was checked (needed to make it public)."
    )


@router.get("/products", response=list[ProductOut])
@paginate(Pagination)
def list_products(
    request: HttpRequest,
    kind: str | None = None,
    audience: str | None = None,
    group: int | None = None,
    idea: int | None = None,
    tag: str | None = None,
    author: int | None = None,
    q: str | None = None,
) -> Any:
    return selectors.product_list(
        viewer=viewer(request),
        kind=kind,
        audience=audience,
        group=group,
        idea=idea,
        tag=tag,
        author=author,
        q=q,
    )


@router.get("/products/{pk}", response=ProductOut)
def get_product(request: HttpRequest, pk: int) -> Any:
    return selectors.get_product_for(viewer(request), pk)


@router.post("/products", response={201: ProductOut}, auth=MEMBER_AUTH)
def create_product(request: HttpRequest, payload: ProductIn) -> Any:
    author = member(request)
    data = payload.dict()
    data["ideas"] = selectors.resolve_ideas(viewer=author, ids=data.pop("idea_ids"))
    data["group"] = get_group_or_none(data.pop("group_id"))
    product = services.product_create(author=author, **data)
    return Status(201, selectors.get_product_for(author, product.pk))


@router.patch("/products/{pk}", response=ProductOut, auth=MEMBER_AUTH)
def update_product(request: HttpRequest, pk: int, payload: ProductPatch) -> Any:
    person = member(request)
    product = selectors.get_product_for(person, pk, write=True)
    data = payload.dict(exclude_unset=True)
    if "idea_ids" in data:
        ids = data.pop("idea_ids") or []
        data["ideas"] = selectors.resolve_ideas(viewer=person, ids=ids)
    if "group_id" in data:
        data["group"] = get_group_or_none(data.pop("group_id"))
    services.product_update(viewer=person, product=product, **data)
    return selectors.get_product_for(person, pk)


@router.delete("/products/{pk}", response={204: None}, auth=MEMBER_AUTH)
def delete_product(request: HttpRequest, pk: int) -> Any:
    person = member(request)
    item_soft_delete(viewer=person, item=selectors.get_product_for(person, pk, write=True))
    return Status(204, None)
