"""API for the network's standards: read the current version and its history; draft a new
version, edit its criteria, and put it to the members (POST /decisions)."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from learnloop.consolidation import standard_selectors as selectors
from learnloop.consolidation import standard_services as services
from learnloop.consolidation.models import CriterionKind, VersionStatus
from learnloop.core.api_support import MEMBER_AUTH, member
from learnloop.core.schemas import PersonRef

router = Router(auth=MEMBER_AUTH)


class CriterionOut(Schema):
    id: int
    position: int
    kind: CriterionKind
    title: str
    description: str
    min_contexts: int | None = None
    is_equity: bool


class DecisionRef(Schema):
    id: int
    status: str
    closes_at: datetime
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class ChangesOut(Schema):
    first: bool
    added: list[str]
    removed: list[str]
    changed: list[str]


class VersionOut(Schema):
    id: int
    number: int | None = None
    title: str
    rationale: str
    status: VersionStatus
    based_on_id: int | None = None
    proposed_by: PersonRef
    created_at: datetime
    adopted_at: datetime | None = None
    has_equity: bool
    criteria: list[CriterionOut]
    changes: ChangesOut
    decisions: list[DecisionRef]
    url: str

    @staticmethod
    def resolve_criteria(obj: Any) -> list[Any]:
        return obj.criteria_list

    @staticmethod
    def resolve_decisions(obj: Any) -> list[Any]:
        return obj.decision_list

    @staticmethod
    def resolve_changes(obj: Any) -> dict[str, Any]:
        ch = obj.changes
        return {
            "first": ch["first"],
            "added": [c.title for c in ch["added"]],
            "removed": [c.title for c in ch["removed"]],
            "changed": [after.title for _before, after in ch["changed"]],
        }

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class StandardsOut(Schema):
    current: VersionOut | None = None
    history: list[VersionOut]
    proposed: list[VersionOut]
    rejected: list[VersionOut]
    drafts: list[VersionOut]


class VersionIn(Schema):
    title: str = Field("", max_length=200)
    rationale: str = Field("", max_length=20000)


class VersionPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, max_length=200)
    rationale: str | None = Field(None, max_length=20000)


class CriterionIn(Schema):
    kind: CriterionKind = CriterionKind.OTHER
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=5000)
    min_contexts: int | None = Field(None, ge=1, le=1000)


class CriterionPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: CriterionKind | None = None
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    min_contexts: int | None = Field(None, ge=1, le=1000)
    move: int | None = Field(None, ge=-1000, le=1000, description="-1 moves it up, 1 down")


def _editable(person: Any, pk: int) -> Any:
    version = selectors.get_version_for(person, pk)
    if not services.may_edit(person, version):
        raise PermissionDenied
    return version


@router.get("/standards", response=StandardsOut)
def get_standards(request: HttpRequest) -> Any:
    """The current standards, the adopted history, open proposals, rejected ones and your
    drafts."""
    return selectors.standards_page(viewer=member(request))


@router.get("/standards/versions/{pk}", response=VersionOut)
def get_version(request: HttpRequest, pk: int) -> Any:
    return selectors.get_version_for(member(request), pk)


@router.post("/standards/versions", response={201: VersionOut})
def draft_version(request: HttpRequest, payload: VersionIn) -> Any:
    """Start a draft, copied from the current standards."""
    person = member(request)
    version = services.version_draft(
        proposer=person, title=payload.title, rationale=payload.rationale
    )
    return Status(201, selectors.get_version_for(person, version.pk))


@router.patch("/standards/versions/{pk}", response=VersionOut)
def update_version(request: HttpRequest, pk: int, payload: VersionPatch) -> Any:
    person = member(request)
    version = _editable(person, pk)
    services.version_update(viewer=person, version=version, **payload.dict(exclude_unset=True))
    return selectors.get_version_for(person, pk)


@router.post("/standards/versions/{pk}/criteria", response={201: CriterionOut})
def add_criterion(request: HttpRequest, pk: int, payload: CriterionIn) -> Any:
    person = member(request)
    version = _editable(person, pk)
    return Status(201, services.criterion_add(viewer=person, version=version, **payload.dict()))


@router.patch("/standards/versions/{pk}/criteria/{criterion_id}", response=CriterionOut)
def update_criterion(
    request: HttpRequest, pk: int, criterion_id: int, payload: CriterionPatch
) -> Any:
    person = member(request)
    version = _editable(person, pk)
    criterion = selectors.get_criterion_for(person, version, criterion_id)
    data = payload.dict(exclude_unset=True)
    move = data.pop("move", None)
    if data:
        services.criterion_update(viewer=person, criterion=criterion, **data)
    if move:
        services.criterion_move(viewer=person, criterion=criterion, offset=move)
        criterion.refresh_from_db()
    return criterion


@router.delete("/standards/versions/{pk}/criteria/{criterion_id}", response={204: None})
def delete_criterion(request: HttpRequest, pk: int, criterion_id: int) -> Any:
    person = member(request)
    version = _editable(person, pk)
    criterion = selectors.get_criterion_for(person, version, criterion_id)
    services.criterion_delete(viewer=person, criterion=criterion)
    return Status(204, None)
