"""API for sharing: shares, channels, the activity feed and the public site."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from learnloop.capture.models import ProductKind
from learnloop.capture.selectors import get_product_for
from learnloop.core import access
from learnloop.core.api_support import MEMBER_AUTH, Pagination, member
from learnloop.core.items import item_kind
from learnloop.core.schemas import PersonRef
from learnloop.people.models import StakeholderType
from learnloop.sharing import selectors, services
from learnloop.sharing.broker_selectors import get_audience_or_none, share_goes_outside
from learnloop.sharing.models import ChannelKind, Sphere

router = Router()


# Channels ----------------------------------------------------------------------------------


class ChannelOut(Schema):
    id: int
    name: str
    kind: ChannelKind
    description: str
    reaches_outside: bool
    created_at: datetime


class ChannelIn(Schema):
    name: str = Field(..., min_length=1, max_length=150)
    kind: ChannelKind = ChannelKind.OTHER
    description: str = Field("", max_length=2000)
    reaches_outside: bool = False


class ChannelPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=150)
    kind: ChannelKind | None = None
    description: str | None = Field(None, max_length=2000)
    reaches_outside: bool | None = None


@router.get("/channels", response=list[ChannelOut], auth=MEMBER_AUTH)
@paginate(Pagination)
def list_channels(request: HttpRequest) -> Any:
    return selectors.channel_list(viewer=member(request))


@router.post("/channels", response={201: ChannelOut}, auth=MEMBER_AUTH)
def create_channel(request: HttpRequest, payload: ChannelIn) -> Any:
    return Status(201, services.channel_create(viewer=member(request), **payload.dict()))


@router.patch("/channels/{pk}", response=ChannelOut, auth=MEMBER_AUTH)
def update_channel(request: HttpRequest, pk: int, payload: ChannelPatch) -> Any:
    person = member(request)
    access.require_steward(person)
    channel = selectors.get_channel(pk)
    return services.channel_update(
        viewer=person, channel=channel, **payload.dict(exclude_unset=True)
    )


# Shares ------------------------------------------------------------------------------------


class ChannelRef(Schema):
    id: int
    name: str
    reaches_outside: bool


class ShareOut(Schema):
    id: int
    product_id: int
    channel: ChannelRef | None = None
    audience: str
    broker_audience_id: int | None = None
    sphere: str
    note: str
    response: str
    shared_by: PersonRef
    shared_at: datetime
    warning: str = ""

    @staticmethod
    def resolve_warning(obj: Any) -> str:
        if share_goes_outside(obj):
            return _("The product is not public: people outside the network cannot open it.")
        return ""


class ShareIn(Schema):
    """Give `audience`, or `broker_audience_id` (one of your audiences as a broker; the
    audience's name and sphere are then used)."""

    audience: str = Field("", max_length=200)
    broker_audience_id: int | None = None
    sphere: Sphere | None = None
    channel_id: int | None = None
    note: str = Field("", max_length=5000)
    response: str = Field("", max_length=5000)
    shared_at: datetime | date | None = None


class SharePatch(Schema):
    response: str = Field(..., max_length=5000)


@router.get("/products/{pk}/shares", response=list[ShareOut], auth=MEMBER_AUTH)
@paginate(Pagination)
def list_shares(request: HttpRequest, pk: int) -> Any:
    person = member(request)
    product = get_product_for(person, pk)
    return selectors.share_list(viewer=person, product=product)


@router.post("/products/{pk}/shares", response={201: ShareOut}, auth=MEMBER_AUTH)
def create_share(request: HttpRequest, pk: int, payload: ShareIn) -> Any:
    person = member(request)
    product = get_product_for(person, pk)
    channel = selectors.get_channel_or_none(payload.channel_id)
    broker_audience = get_audience_or_none(payload.broker_audience_id)
    share = services.share_create(
        author=person,
        product=product,
        audience=payload.audience,
        channel=channel,
        note=payload.note,
        response=payload.response,
        shared_at=payload.shared_at,
        broker_audience=broker_audience,
        sphere=payload.sphere or "",
    )
    return Status(201, share)


@router.patch("/shares/{pk}", response=ShareOut, auth=MEMBER_AUTH)
def update_share(request: HttpRequest, pk: int, payload: SharePatch) -> Any:
    person = member(request)
    share = selectors.get_share_for(person, pk, write=True)
    return services.share_update_response(viewer=person, share=share, response=payload.response)


# The activity feed -------------------------------------------------------------------------


class FeedItemOut(Schema):
    when: datetime
    verb: str
    actor: PersonRef | None = None
    item_type: str
    item_id: int
    item_title: str
    item_url: str
    detail: str = ""


class FeedOut(Schema):
    items: list[FeedItemOut]
    next_before: datetime | None = None


def _detail(entry: Any) -> str:
    if entry.verb == "stage":
        return f"{entry.detail.from_stage} → {entry.detail.to_stage}"
    if entry.verb == "share":
        return entry.detail.audience
    if entry.verb == "outcome":
        return entry.detail.title
    return ""


@router.get("/feed", response=FeedOut, auth=MEMBER_AUTH)
def activity_feed(
    request: HttpRequest,
    before: datetime | None = None,
    group: int | None = None,
    limit: int = 30,
) -> Any:
    limit = max(1, min(limit, 100))
    entries = selectors.activity_feed(
        viewer=member(request), limit=limit, before=before, group=group
    )
    return {
        "items": [
            {
                "when": e.when,
                "verb": e.verb,
                "actor": e.actor,
                "item_type": item_kind(e.item),
                "item_id": e.item.pk,
                "item_title": str(e.item),
                "item_url": e.item.get_absolute_url(),
                "detail": _detail(e),
            }
            for e in entries
        ],
        "next_before": entries[-1].when if len(entries) == limit else None,
    }


# The public site ---------------------------------------------------------------------------


class PublicIdeaRef(Schema):
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
        return reverse("sharing:public_idea", args=[obj.pk])


class PublicProductOut(Schema):
    id: int
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
    author_name: str
    ideas: list[PublicIdeaRef]
    tags: list[str]
    published_at: datetime | None = None
    url: str

    @staticmethod
    def resolve_author_name(obj: Any) -> str:
        return obj.author.name

    @staticmethod
    def resolve_ideas(obj: Any) -> list[Any]:
        return list(obj.public_ideas)

    @staticmethod
    def resolve_tags(obj: Any) -> list[str]:
        return obj.tag_names

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_public_url()


class PublicIdeaOut(PublicIdeaRef):
    summary: str
    stage_help: str
    public_supports: int
    public_contradicts: int
    public_context: int

    @staticmethod
    def resolve_stage_help(obj: Any) -> str:
        return str(obj.stage_help)


@router.get("/public/products", response=list[PublicProductOut], auth=None)
@paginate(Pagination)
def public_products(request: HttpRequest, q: str | None = None) -> Any:
    return selectors.public_products(q=q)


@router.get("/public/ideas", response=list[PublicIdeaOut], auth=None)
@paginate(Pagination)
def public_ideas(request: HttpRequest, stage: str | None = None) -> Any:
    return selectors.public_ideas(stage=stage)


# The voice guidelines and the publication record live in their own module, mounted here.
from learnloop.sharing.guideline_api import router as _guidelines  # noqa: E402

router.add_router("", _guidelines)
