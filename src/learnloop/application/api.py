"""API for application: adoption plans, stakeholder steps, reviews and outcomes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from learnloop.application import selectors, services
from learnloop.application.models import ActionKind, AdoptionState
from learnloop.core import access
from learnloop.core.api_support import MEMBER_AUTH, Pagination, member, viewer
from learnloop.core.schemas import ItemOut, PersonRef
from learnloop.core.services import item_soft_delete
from learnloop.people.selectors import get_group_or_none

router = Router()


class ProductRef(Schema):
    id: int
    title: str


class StepUpdateOut(Schema):
    id: int
    from_state: AdoptionState
    to_state: AdoptionState
    note: str
    by: PersonRef
    at: datetime


class StepOut(Schema):
    id: int
    plan_id: int
    stakeholder: str
    stakeholder_kind: str
    person_id: int | None = None
    group_id: int | None = None
    organization_id: int | None = None
    label: str
    state: AdoptionState
    action_kind: ActionKind
    action: str
    motivations: str
    barriers: str
    support: str
    next_review_on: date | None = None
    overdue: bool
    updates: list[StepUpdateOut] = []

    @staticmethod
    def resolve_stakeholder(obj: Any) -> str:
        return obj.stakeholder_name

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return obj.is_overdue

    @staticmethod
    def resolve_updates(obj: Any) -> list[Any]:
        return list(obj.updates.all())


class OutcomeOut(Schema):
    id: int
    plan_id: int
    step_id: int | None = None
    title: str
    description: str
    recorded_by: PersonRef
    recorded_at: datetime
    learning_id: int | None = None
    url: str

    @staticmethod
    def resolve_learning_id(obj: Any) -> int | None:
        learning = getattr(obj, "visible_learning", None)
        return learning.pk if learning is not None else None

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class PlanOut(ItemOut):
    title: str
    goal: str
    product: ProductRef
    share_id: int | None = None
    closed_at: datetime | None = None
    state_counts: dict[str, int] = {}
    overdue_count: int = 0

    @staticmethod
    def resolve_state_counts(obj: Any) -> dict[str, int]:
        return {value: getattr(obj, f"n_{value}", 0) for value in AdoptionState.values}


class PlanDetailOut(PlanOut):
    steps: list[StepOut] = []
    outcomes: list[OutcomeOut] = []

    @staticmethod
    def resolve_state_counts(obj: Any) -> dict[str, int]:
        return {state: n for state, _label, n in selectors.progress(obj.step_list)}

    @staticmethod
    def resolve_overdue_count(obj: Any) -> int:
        return sum(1 for step in obj.step_list if step.is_overdue)

    @staticmethod
    def resolve_steps(obj: Any) -> list[Any]:
        return obj.step_list

    @staticmethod
    def resolve_outcomes(obj: Any) -> list[Any]:
        return obj.outcome_list


class PlanIn(Schema):
    product_id: int
    share_id: int | None = None
    title: str = Field(..., min_length=1, max_length=200)
    goal: str = ""
    group_id: int | None = None
    visibility: str = "network"
    guidelines_confirmed: bool = Field(
        False, description="Every voice guideline was checked (needed to make it public)."
    )


class PlanPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    goal: str | None = None
    group_id: int | None = None
    visibility: str | None = None
    guidelines_confirmed: bool = Field(
        False, description="Every voice guideline was checked (needed to make it public)."
    )


class StepIn(Schema):
    person_id: int | None = None
    group_id: int | None = None
    organization_id: int | None = None
    label: str = ""
    state: AdoptionState = AdoptionState.NOT_REACHED
    action_kind: ActionKind = ActionKind.ACT
    action: str = Field(..., min_length=1, max_length=5000)
    motivations: str = ""
    barriers: str = ""
    support: str = ""
    next_review_on: date | None = None


class StepPatch(Schema):
    person_id: int | None = None
    group_id: int | None = None
    organization_id: int | None = None
    label: str | None = None
    action_kind: ActionKind | None = None
    action: str | None = Field(None, min_length=1, max_length=5000)
    motivations: str | None = None
    barriers: str | None = None
    support: str | None = None
    next_review_on: date | None = None


class StateIn(Schema):
    state: AdoptionState
    note: str = ""
    next_review_on: date | None = None


class OutcomeIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1, max_length=20000)
    step_id: int | None = None
    relation: str = "supports"
    kind: str = "observation"
    visibility: str | None = None
    guidelines_confirmed: bool = Field(
        False, description="Every voice guideline was checked (needed to make its learning public)."
    )


def _detail(person: Any, plan: Any) -> Any:
    plan.step_list = selectors.steps_for(plan)
    plan.outcome_list = selectors.outcomes_for(viewer=person, plan=plan)
    return plan


def _stakeholder_refs(data: dict[str, Any]) -> dict[str, Any]:
    """Turn person_id / group_id / organization_id into rows; an unknown id is a field error."""
    from learnloop.people.models import Organization, Person

    refs: dict[str, Any] = {}
    if "person_id" in data:
        pk = data.pop("person_id")
        refs["person"] = None
        if pk is not None:
            refs["person"] = Person.objects.filter(pk=pk, is_active=True).first()
            if refs["person"] is None:
                raise ValidationError({"person_id": _("There is no person with this id.")})
    if "group_id" in data:
        refs["group"] = get_group_or_none(data.pop("group_id"))
    if "organization_id" in data:
        pk = data.pop("organization_id")
        refs["organization"] = None
        if pk is not None:
            refs["organization"] = Organization.objects.filter(pk=pk).first()
            if refs["organization"] is None:
                raise ValidationError(
                    {"organization_id": _("There is no organization with this id.")}
                )
    return {**data, **refs}


@router.get("/plans", response=list[PlanOut])
@paginate(Pagination)
def list_plans(
    request: HttpRequest,
    product: int | None = None,
    group: int | None = None,
    state: str | None = None,
) -> Any:
    return selectors.plan_list(viewer=viewer(request), product=product, group=group, state=state)


@router.get("/plans/{pk}", response=PlanDetailOut)
def get_plan(request: HttpRequest, pk: int) -> Any:
    person = viewer(request)
    return _detail(person, selectors.get_plan_for(person, pk))


@router.post("/plans", response={201: PlanDetailOut}, auth=MEMBER_AUTH)
def create_plan(request: HttpRequest, payload: PlanIn) -> Any:
    from learnloop.capture.models import KnowledgeProduct

    author = member(request)
    product = access.get_for(author, KnowledgeProduct.objects.all(), payload.product_id)
    share = None
    if payload.share_id is not None:
        share = selectors.get_share_for(product, payload.share_id)
        if share is None:
            raise ValidationError(
                {"share_id": _("There is no share of this product with this id.")}
            )
    plan = services.plan_create(
        author=author,
        product=product,
        share=share,
        title=payload.title,
        goal=payload.goal,
        group=get_group_or_none(payload.group_id),
        visibility=payload.visibility,
        guidelines_confirmed=payload.guidelines_confirmed,
    )
    return Status(201, _detail(author, plan))


@router.patch("/plans/{pk}", response=PlanDetailOut, auth=MEMBER_AUTH)
def update_plan(request: HttpRequest, pk: int, payload: PlanPatch) -> Any:
    person = member(request)
    plan = selectors.get_plan_for(person, pk, write=True)
    data = payload.dict(exclude_unset=True)
    if "group_id" in data:
        data["group"] = get_group_or_none(data.pop("group_id"))
    services.plan_update(viewer=person, plan=plan, **data)
    return _detail(person, plan)


@router.delete("/plans/{pk}", response={204: None}, auth=MEMBER_AUTH)
def delete_plan(request: HttpRequest, pk: int) -> Any:
    person = member(request)
    item_soft_delete(viewer=person, item=selectors.get_plan_for(person, pk, write=True))
    return Status(204, None)


@router.post("/plans/{pk}/steps", response={201: StepOut}, auth=MEMBER_AUTH)
def create_step(request: HttpRequest, pk: int, payload: StepIn) -> Any:
    person = member(request)
    plan = selectors.get_plan_for(person, pk, write=True)
    data = _stakeholder_refs(payload.dict())
    step = services.step_create(viewer=person, plan=plan, **data)
    return Status(201, selectors.get_step_for(person, step.pk))


@router.patch("/steps/{pk}", response=StepOut, auth=MEMBER_AUTH)
def update_step(request: HttpRequest, pk: int, payload: StepPatch) -> Any:
    person = member(request)
    step = selectors.get_step_for(person, pk, write=True)
    data = _stakeholder_refs(payload.dict(exclude_unset=True))
    services.step_update(viewer=person, step=step, **data)
    return selectors.get_step_for(person, step.pk)


@router.post("/steps/{pk}/state", response=StepOut, auth=MEMBER_AUTH)
def update_step_state(request: HttpRequest, pk: int, payload: StateIn) -> Any:
    person = member(request)
    step = selectors.get_step_for(person, pk, write=True)
    data = payload.dict(exclude_unset=True)
    services.step_update_state(viewer=person, step=step, **data)
    return selectors.get_step_for(person, step.pk)


@router.post("/plans/{pk}/outcomes", response={201: OutcomeOut}, auth=MEMBER_AUTH)
def record_outcome(request: HttpRequest, pk: int, payload: OutcomeIn) -> Any:
    person = member(request)
    plan = selectors.get_plan_for(person, pk, write=True)
    data = payload.dict()
    step_id = data.pop("step_id")
    step = None
    if step_id is not None:
        step = plan.steps.filter(pk=step_id).first()
        if step is None:
            raise ValidationError({"step_id": _("This plan has no stakeholder with this id.")})
    outcome = services.outcome_record(viewer=person, plan=plan, step=step, **data)
    return Status(201, selectors.get_outcome_for(person, outcome.pk))


@router.get("/plans/{pk}/outcomes", response=list[OutcomeOut])
def list_outcomes(request: HttpRequest, pk: int) -> Any:
    person = viewer(request)
    plan = selectors.get_plan_for(person, pk)
    return selectors.outcomes_for(viewer=person, plan=plan)
