"""API for the health of the knowledge cycle: monthly flows per phase, the gaps, the
thresholds. Members only (the figures describe the network's inner workings)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from learnloop.core import access
from learnloop.core.api_support import MEMBER_AUTH, member
from learnloop.health import exports, selectors, services
from learnloop.health.models import GapKind

router = Router()


class SourceFlowOut(Schema):
    key: str
    label: str
    counts: list[int]


class PhaseFlowOut(Schema):
    key: str
    label: str
    entered: list[int]
    left: list[int]
    left_label: str
    last_activity: datetime | None = None
    sources: list[SourceFlowOut]


class FlowsOut(Schema):
    group: str | None = None
    months: list[str]
    phases: list[PhaseFlowOut]

    @staticmethod
    def resolve_group(obj: Any) -> str | None:
        return obj.group.slug if obj.group else None

    @staticmethod
    def resolve_months(obj: Any) -> list[str]:
        return [m.strftime("%Y-%m") for m in obj.months]


class GapItemOut(Schema):
    type: str
    id: str
    title: str
    url: str


class GapOut(Schema):
    kind: GapKind
    kind_label: str
    item: GapItemOut
    link: str
    link_label: str
    detail: str
    since: date | None = None
    group_id: int | None = None
    can_act: bool

    @staticmethod
    def resolve_item(obj: Any) -> dict[str, str]:
        return {
            "type": obj.item_type,
            "id": obj.item_key,
            "title": obj.title,
            "url": obj.item_url,
        }

    @staticmethod
    def resolve_link(obj: Any) -> str:
        return obj.action_url

    @staticmethod
    def resolve_link_label(obj: Any) -> str:
        return obj.action_label


class SettingsOut(Schema):
    quiet_days: int
    stuck_emerging_days: int
    stuck_testing_days: int
    stuck_promising_days: int
    stuck_knowledge_days: int
    grace_days: int
    cadence_grace_days: int
    updated_at: datetime


class SettingsPatch(Schema):
    quiet_days: int | None = Field(None, ge=1, le=365)
    stuck_emerging_days: int | None = Field(None, ge=1, le=3650)
    stuck_testing_days: int | None = Field(None, ge=1, le=3650)
    stuck_promising_days: int | None = Field(None, ge=1, le=3650)
    stuck_knowledge_days: int | None = Field(None, ge=1, le=3650)
    grace_days: int | None = Field(None, ge=1, le=3650)
    cadence_grace_days: int | None = Field(None, ge=1, le=365)


@router.get("/health", response=FlowsOut, auth=MEMBER_AUTH)
def get_flows(request: HttpRequest, group: str | None = None) -> Any:
    person = member(request)
    scope = selectors.scope_group(person, group)
    return selectors.cycle_flows(viewer=person, group=scope)


@router.get("/health.csv", auth=MEMBER_AUTH)
def get_flows_csv(request: HttpRequest, group: str | None = None) -> HttpResponse:
    person = member(request)
    scope = selectors.scope_group(person, group)
    flows = selectors.cycle_flows(viewer=person, group=scope)
    return exports.csv_response(exports.filename("flows", scope), exports.flow_rows(flows))


@router.get("/health/gaps", response=list[GapOut], auth=MEMBER_AUTH)
def list_gaps(request: HttpRequest, group: str | None = None, kind: GapKind | None = None) -> Any:
    person = member(request)
    scope = selectors.scope_group(person, group)
    return selectors.all_gaps(selectors.cycle_gaps(viewer=person, group=scope, kind=kind))


@router.get("/health/gaps.csv", auth=MEMBER_AUTH)
def list_gaps_csv(
    request: HttpRequest, group: str | None = None, kind: GapKind | None = None
) -> HttpResponse:
    person = member(request)
    scope = selectors.scope_group(person, group)
    gaps = selectors.all_gaps(selectors.cycle_gaps(viewer=person, group=scope, kind=kind))
    return exports.csv_response(exports.filename("gaps", scope), exports.gap_rows(gaps))


@router.get("/health/settings", response=SettingsOut, auth=MEMBER_AUTH)
def get_settings(request: HttpRequest) -> Any:
    access.require_steward(member(request))
    return selectors.health_settings()


@router.patch("/health/settings", response=SettingsOut, auth=MEMBER_AUTH)
def update_settings(request: HttpRequest, payload: SettingsPatch) -> Any:
    person = member(request)
    return services.health_settings_update(viewer=person, **payload.dict(exclude_unset=True))
