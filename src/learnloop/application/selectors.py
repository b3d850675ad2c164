"""Reads for application: adoption plans, their stakeholders and outcomes.

A plan is seen by whoever may see both the plan and the product it puts into practice:
a plan about a product one cannot see would leak what the product is.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from learnloop.application.models import (
    SETTLED_STATES,
    AdoptionPlan,
    AdoptionState,
    Outcome,
    StakeholderStep,
    StepUpdate,
)
from learnloop.core import access
from learnloop.core.models import Visibility


def _product_visible_q(viewer: Any) -> Q:
    # Stewards see every product (deleted ones too, to restore them), so every plan.
    return Q() if access.is_steward(viewer) else access.visible_q(viewer, "product__")


def _visible_plans(viewer: Any) -> QuerySet[AdoptionPlan]:
    return AdoptionPlan.objects.filter(access.visible_q(viewer), _product_visible_q(viewer))


def changeable_q(viewer: Any, prefix: str = "") -> Q:
    """Plans the viewer may change, mirroring access.can_change as a filter (on top of
    visibility): their own, those of groups they moderate, or any when a steward."""
    if not access.is_member(viewer):
        return Q(pk__in=[])
    if access.is_steward(viewer):
        return Q()
    moderated = sorted(g for g in access.group_ids(viewer) if access.is_group_moderator(viewer, g))
    return Q(**{f"{prefix}author_id": viewer.pk}) | (
        Q(**{f"{prefix}group_id__in": moderated}) & ~Q(**{f"{prefix}visibility": Visibility.DRAFT})
    )


def _overdue_q(prefix: str, today: date) -> Q:
    return Q(**{f"{prefix}next_review_on__lt": today}) & ~Q(
        **{f"{prefix}state__in": SETTLED_STATES}
    )


def plan_list(
    *,
    viewer: Any,
    product: int | None = None,
    group: int | None = None,
    state: str | None = None,
    author: int | None = None,
    today: date | None = None,
) -> QuerySet[AdoptionPlan]:
    """Visible plans with a count of stakeholders per state and of overdue reviews."""
    today = today or timezone.localdate()
    qs = _visible_plans(viewer)
    if product:
        qs = qs.filter(product_id=product)
    if group:
        qs = qs.filter(group_id=group)
    if author:
        qs = qs.filter(author_id=author)
    if state:
        qs = qs.filter(pk__in=StakeholderStep.objects.filter(state=state).values("plan_id"))
    counts = {
        f"n_{value}": Count("steps", filter=Q(steps__state=value), distinct=True)
        for value in AdoptionState.values
    }
    return (
        qs.select_related("author", "group", "product")
        .annotate(
            step_count=Count("steps", distinct=True),
            overdue_count=Count("steps", filter=_overdue_q("steps__", today), distinct=True),
            **counts,
        )
        .order_by("-created_at", "-id")
    )


def state_counts(plan: AdoptionPlan) -> list[tuple[str, Any, int]]:
    """(state, label, count) for a plan annotated by plan_list, in the order of the states."""
    return [
        (value, label, getattr(plan, f"n_{value}", 0)) for value, label in AdoptionState.choices
    ]


def reviews_due(
    *, viewer: Any, today: date | None = None, limit: int = 50
) -> list[StakeholderStep]:
    """Stakeholders whose review date has passed, in plans the viewer may change."""
    today = today or timezone.localdate()
    if not access.is_member(viewer):
        return []
    plans = _visible_plans(viewer).filter(changeable_q(viewer))
    return list(
        StakeholderStep.objects.filter(_overdue_q("", today), plan__in=plans)
        .select_related("plan", "plan__product", "person", "group", "organization")
        .order_by("next_review_on", "id")[:limit]
    )


def get_plan_for(viewer: Any, pk: Any, *, write: bool = False) -> AdoptionPlan:
    # access.get_for decides on the plan itself (stewards reach deleted plans to restore them).
    return access.get_for(
        viewer,
        AdoptionPlan.objects.filter(_product_visible_q(viewer)).select_related(
            "author", "group", "product", "product__author", "share", "share__channel"
        ),
        pk,
        write=write,
    )


def steps_for(plan: AdoptionPlan) -> list[StakeholderStep]:
    return list(
        plan.steps.select_related("person", "group", "organization").prefetch_related(
            Prefetch("updates", queryset=StepUpdate.objects.select_related("by"))
        )
    )


def progress(steps: list[StakeholderStep]) -> list[tuple[str, Any, int]]:
    """(state, label, count) over a plan's steps, every state listed."""
    tally = dict.fromkeys(AdoptionState.values, 0)
    for step in steps:
        tally[step.state] = tally.get(step.state, 0) + 1
    return [(value, label, tally[value]) for value, label in AdoptionState.choices]


def outcomes_for(*, viewer: Any, plan: AdoptionPlan) -> list[Outcome]:
    """A plan's outcomes; each carries `visible_learning`, the learning it became when the
    viewer may see it (the outcome shows on the plan, the learning keeps its own visibility)."""
    outcomes = list(
        plan.outcomes.select_related(
            "recorded_by", "step", "step__person", "step__group", "step__organization", "learning"
        )
    )
    for outcome in outcomes:
        _attach_learning(viewer, outcome)
    return outcomes


def _attach_learning(viewer: Any, outcome: Outcome) -> Outcome:
    learning = getattr(outcome, "learning", None)
    outcome.visible_learning = (  # type: ignore[attr-defined]
        learning if learning is not None and access.can_view(viewer, learning) else None
    )
    return outcome


def get_outcome_for(viewer: Any, pk: Any) -> Outcome:
    """An outcome is reached through its plan: 404 when the plan is hidden."""
    if not str(pk).isdigit():
        raise Http404
    outcome = (
        Outcome.objects.select_related("recorded_by", "step", "learning").filter(pk=int(pk)).first()
    )
    if outcome is None:
        raise Http404
    outcome.plan = get_plan_for(viewer, outcome.plan_id)
    return _attach_learning(viewer, outcome)


def product_ideas(*, viewer: Any, plan: AdoptionPlan) -> list[Any]:
    return list(plan.product.ideas.filter(access.visible_q(viewer)).order_by("title"))


def get_step_for(viewer: Any, pk: Any, *, write: bool = False) -> StakeholderStep:
    """A step is reached through its plan: 404 when the plan is hidden, 403 when the
    viewer may see but not change it."""
    if not str(pk).isdigit():
        raise Http404
    step = (
        StakeholderStep.objects.select_related("person", "group", "organization")
        .prefetch_related(Prefetch("updates", queryset=StepUpdate.objects.select_related("by")))
        .filter(pk=int(pk))
        .first()
    )
    if step is None:
        raise Http404
    step.plan = get_plan_for(viewer, step.plan_id, write=write)
    return step


def get_share_for(product: Any, share_id: Any) -> Any:
    """A share of this very product, or None."""
    from learnloop.sharing.models import Share

    if share_id in (None, "") or not str(share_id).isdigit():
        return None
    return Share.objects.select_related("channel").filter(pk=share_id, product=product).first()
