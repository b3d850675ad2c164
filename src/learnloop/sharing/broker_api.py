"""API for knowledge brokers: brokers, their audiences, their queues, and spread figures.

`{username}` may be `me` for the person calling. Members only: where knowledge travels is
the network's own working record.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from learnloop.capture.selectors import get_product_for
from learnloop.core import access
from learnloop.core.api_support import MEMBER_AUTH, member
from learnloop.core.schemas import PersonRef
from learnloop.people.selectors import get_group_or_none, person_by_username
from learnloop.sharing import broker_selectors as selectors
from learnloop.sharing import broker_services as services
from learnloop.sharing import spread
from learnloop.sharing.models import Broker, Sphere

router = Router(auth=MEMBER_AUTH)


def _broker(person: Any, username: str, *, write: bool = False) -> Broker:
    if username == "me":
        username = person.username
    return selectors.get_broker_for(person, username, write=write)


# Schemas -----------------------------------------------------------------------------------


class AudienceOut(Schema):
    id: int
    name: str
    sphere: Sphere
    sphere_label: str
    description: str
    created_at: datetime
    retired_at: datetime | None = None

    @staticmethod
    def resolve_sphere_label(obj: Any) -> str:
        return str(obj.get_sphere_display())


class AudienceIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    sphere: Sphere = Sphere.GROUPS
    description: str = Field("", max_length=2000)


class AudiencePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    sphere: Sphere | None = None
    description: str | None = Field(None, max_length=2000)


class SphereFiguresOut(Schema):
    sphere: str
    label: str
    audiences: int
    shares: int
    responses: int
    plans: int


class SpreadOut(Schema):
    since: datetime | None = None
    until: datetime | None = None
    audiences: int
    shares: int
    responses: int
    plans: int
    spheres: list[SphereFiguresOut]


class BrokerOut(Schema):
    person: PersonRef
    note: str
    named_by: PersonRef | None = None
    named_at: datetime
    retired_at: datetime | None = None
    audiences: list[AudienceOut]
    spread: SpreadOut | None = None
    url: str

    @staticmethod
    def resolve_audiences(obj: Any) -> list[Any]:
        return list(getattr(obj, "active_audiences", []))

    @staticmethod
    def resolve_spread(obj: Any) -> dict[str, Any] | None:
        figures = getattr(obj, "figures", None)
        return figures.as_dict() if figures is not None else None

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return reverse("brokers:broker", args=[obj.person.username])


class BrokerIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    note: str = Field("", max_length=2000)


class BrokerPatch(Schema):
    note: str = Field(..., max_length=2000)


class QueueAudienceRef(Schema):
    id: int
    name: str
    sphere: Sphere


class QueueItemOut(Schema):
    id: int
    title: str
    summary: str
    visibility: str
    stage: str
    travelled: int
    missing: list[QueueAudienceRef]
    published_at: datetime | None = None
    url: str

    @staticmethod
    def resolve_stage(obj: Any) -> str:
        return obj.top_stage

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class QueueOut(Schema):
    items: list[QueueItemOut]
    count: int


class PeriodIn(Schema):
    period: str | None = Field(None, description="90, 365 (the default) or all")
    since: datetime | None = None
    until: datetime | None = None


def _since(query: PeriodIn) -> tuple[datetime | None, datetime | None]:
    if query.since is not None or query.until is not None:
        return query.since, query.until
    return spread.period_since(query.period)[1], None


# Brokers -----------------------------------------------------------------------------------


@router.get("/brokers", response=list[BrokerOut])
def list_brokers(request: HttpRequest, query: Query[PeriodIn], retired: bool = False) -> Any:
    """Brokers with their current audiences and spread figures over the period."""
    person = member(request)
    since, until = _since(query)
    brokers = selectors.broker_list(viewer=person, retired=retired)
    figures = spread.spread_by_broker(viewer=person, brokers=brokers, since=since, until=until)
    for broker in brokers:
        broker.figures = figures[broker.pk]  # type: ignore[attr-defined]
    return brokers


@router.post("/brokers", response={201: BrokerOut})
def name_broker(request: HttpRequest, payload: BrokerIn) -> Any:
    """Name a member as a broker (stewards)."""
    person = member(request)
    access.require_steward(person)
    chosen = person_by_username(payload.username, field="username")
    services.broker_name(viewer=person, person=chosen, note=payload.note)
    return Status(201, selectors.get_broker_for(person, chosen.username))


@router.get("/brokers/{username}", response=BrokerOut)
def get_broker(request: HttpRequest, username: str, query: Query[PeriodIn]) -> Any:
    person = member(request)
    broker = _broker(person, username)
    since, until = _since(query)
    broker.figures = spread.spread_figures(  # type: ignore[attr-defined]
        viewer=person, broker=broker, since=since, until=until
    )
    return broker


@router.patch("/brokers/{username}", response=BrokerOut)
def update_broker(request: HttpRequest, username: str, payload: BrokerPatch) -> Any:
    person = member(request)
    broker = _broker(person, username, write=True)
    services.broker_update(viewer=person, broker=broker, note=payload.note)
    return broker


@router.delete("/brokers/{username}", response={204: None})
def retire_broker(request: HttpRequest, username: str) -> Any:
    """Retire a broker (stewards); their shares and audiences stay on record."""
    person = member(request)
    services.broker_retire(viewer=person, broker=_broker(person, username, write=True))
    return Status(204, None)


# Audiences ---------------------------------------------------------------------------------


@router.get("/brokers/{username}/audiences", response=list[AudienceOut])
def list_audiences(request: HttpRequest, username: str, retired: bool = False) -> Any:
    person = member(request)
    broker = _broker(person, username)
    if retired and selectors.may_edit_audiences(person, broker):
        return list(selectors.retired_audiences(broker))
    return list(getattr(broker, "active_audiences", []))


@router.post("/brokers/{username}/audiences", response={201: AudienceOut})
def create_audience(request: HttpRequest, username: str, payload: AudienceIn) -> Any:
    """Add an audience (stewards, or the broker)."""
    person = member(request)
    broker = _broker(person, username)
    return Status(201, services.audience_create(viewer=person, broker=broker, **payload.dict()))


@router.patch("/brokers/{username}/audiences/{pk}", response=AudienceOut)
def update_audience(request: HttpRequest, username: str, pk: int, payload: AudiencePatch) -> Any:
    person = member(request)
    broker = _broker(person, username)
    audience = selectors.get_audience_for(person, broker, pk, write=True)
    return services.audience_update(
        viewer=person, audience=audience, **payload.dict(exclude_unset=True)
    )


@router.delete("/brokers/{username}/audiences/{pk}", response={204: None})
def retire_audience(request: HttpRequest, username: str, pk: int) -> Any:
    """Retire an audience (stewards, or the broker); its shares stay on record."""
    person = member(request)
    broker = _broker(person, username)
    audience = selectors.get_audience_for(person, broker, pk, write=True)
    services.audience_retire(viewer=person, audience=audience)
    return Status(204, None)


# The queue and the figures -----------------------------------------------------------------


@router.get("/brokers/{username}/queue", response=QueueOut)
def broker_queue(request: HttpRequest, username: str, limit: int = 50, offset: int = 0) -> Any:
    """Products ready for the broker to carry, as the caller may see them: most mature and
    least travelled first, each with the broker's audiences it has not reached."""
    person = member(request)
    broker = _broker(person, username)
    limit = max(1, min(limit, 200))
    offset = max(0, offset)
    queue = selectors.broker_queue(viewer=person, broker=broker)
    rows = selectors.queue_rows(broker=broker, products=queue[offset : offset + limit])
    return {"items": rows, "count": queue.count()}


@router.get("/spread", response=SpreadOut)
def spread_figures(
    request: HttpRequest,
    query: Query[PeriodIn],
    broker: str | None = None,
    product: int | None = None,
    group: int | None = None,
) -> Any:
    """Spread figures for a broker (username), a product, a group's products, or the whole
    network, over the period (`period`, or `since`/`until`)."""
    person = member(request)
    since, until = _since(query)
    return spread.spread_figures(
        viewer=person,
        broker=_broker(person, broker) if broker else None,
        product=get_product_for(person, product) if product is not None else None,
        group=get_group_or_none(group) if group is not None else None,
        since=since,
        until=until,
    ).as_dict()
