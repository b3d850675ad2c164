"""Writes for application: plans, stakeholder steps, their reviews, and outcomes that go back
into the cycle as new learnings."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learnloop.application.models import (
    ActionKind,
    AdoptionPlan,
    AdoptionState,
    Outcome,
    StakeholderStep,
    StepUpdate,
)
from learnloop.core import access
from learnloop.core.models import Visibility
from learnloop.core.publication import publication_check, publication_record
from learnloop.core.services import audit, item_touch, revision_record, validate_visibility
from learnloop.notifications.models import NotificationKind
from learnloop.notifications.services import notify

PLAN_FIELDS = ("title", "goal", "group", "visibility")
STEP_FIELDS = (
    "person",
    "group",
    "organization",
    "label",
    "action_kind",
    "action",
    "motivations",
    "barriers",
    "support",
    "next_review_on",
)
UNSET: Any = object()


def _require_change(viewer: Any, plan: AdoptionPlan) -> None:
    if not access.can_change(viewer, plan):
        raise PermissionDenied
    if plan.deleted_at is not None:
        raise ValidationError(_("This plan is deleted; restore it first."))


# Plans -------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    author: Any,
    product: Any,
    title: str,
    goal: str = "",
    group: Any = None,
    visibility: str = Visibility.NETWORK,
    share: Any = None,
    guidelines_confirmed: bool = False,
) -> AdoptionPlan:
    access.require_member(author)
    if not access.can_view(author, product) or product.deleted_at is not None:
        raise PermissionDenied
    if share is not None and share.product_id != product.pk:
        raise ValidationError({"share": _("This share is of another product.")})
    validate_visibility(visibility=visibility, group=group, author=author)
    ticked = publication_check(
        actor=author, item_or_none=None, visibility=visibility, confirmed=guidelines_confirmed
    )
    plan = AdoptionPlan(
        author=author,
        product=product,
        share=share,
        title=title.strip(),
        goal=goal.strip(),
        group=group,
        visibility=visibility,
    )
    plan.full_clean(exclude=["author", "group", "product", "share", "deleted_by"])
    plan.save()
    revision_record(item=plan, author=author, summary=_("Planned"))
    audit(author, "planned adoption", plan, product=product.pk)
    publication_record(actor=author, item=plan, ticked=ticked)
    return plan


@transaction.atomic
def plan_update(
    *, viewer: Any, plan: AdoptionPlan, guidelines_confirmed: bool = False, **fields: Any
) -> AdoptionPlan:
    _require_change(viewer, plan)
    ticked = publication_check(
        actor=viewer,
        item_or_none=plan,
        visibility=fields.get("visibility", plan.visibility),
        confirmed=guidelines_confirmed,
    )
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    for name, value in fields.items():
        setattr(plan, name, value.strip() if name in ("title", "goal") else value)
    validate_visibility(visibility=plan.visibility, group=plan.group, author=plan.author)
    item_touch(plan, list(fields))
    revision_record(item=plan, author=viewer, summary=_("Edited"))
    audit(viewer, "edited", plan)
    publication_record(actor=viewer, item=plan, ticked=ticked)
    return plan


# Stakeholder steps -------------------------------------------------------------------


def _check_who(step: StakeholderStep) -> None:
    step.label = (step.label or "").strip()
    given = [
        step.person_id is not None,
        step.group_id is not None,
        step.organization_id is not None,
        bool(step.label),
    ]
    if not any(given):
        raise ValidationError(
            {
                "stakeholder": _(
                    "Say who this is: choose a person, a group or an organization, or type a name."
                )
            }
        )
    if sum(given) > 1:
        raise ValidationError(
            {
                "stakeholder": _(
                    "Choose just one: a person, a group, an organization or a name. "
                    "Add another stakeholder for the others."
                )
            }
        )


def _check_choices(*, state: str | None = None, action_kind: str | None = None) -> None:
    if state is not None and state not in AdoptionState.values:
        raise ValidationError({"state": _("Choose a valid state.")})
    if action_kind is not None and action_kind not in ActionKind.values:
        raise ValidationError({"action_kind": _("Choose what is asked of them.")})


@transaction.atomic
def step_create(
    *,
    viewer: Any,
    plan: AdoptionPlan,
    action: str,
    person: Any = None,
    group: Any = None,
    organization: Any = None,
    label: str = "",
    state: str = AdoptionState.NOT_REACHED,
    action_kind: str = ActionKind.ACT,
    motivations: str = "",
    barriers: str = "",
    support: str = "",
    next_review_on: date | None = None,
) -> StakeholderStep:
    _require_change(viewer, plan)
    _check_choices(state=state, action_kind=action_kind)
    step = StakeholderStep(
        plan=plan,
        person=person,
        group=group,
        organization=organization,
        label=label,
        state=state,
        action_kind=action_kind,
        action=action.strip(),
        motivations=motivations.strip(),
        barriers=barriers.strip(),
        support=support.strip(),
        next_review_on=next_review_on,
    )
    _check_who(step)
    step.full_clean(exclude=["plan", "person", "group", "organization"])
    step.save()
    if state != AdoptionState.NOT_REACHED:
        StepUpdate.objects.create(
            step=step, from_state=AdoptionState.NOT_REACHED, to_state=state, by=viewer
        )
    audit(viewer, "added a stakeholder", plan, step=step.pk)
    return step


@transaction.atomic
def step_update(*, viewer: Any, step: StakeholderStep, **fields: Any) -> StakeholderStep:
    """Change who a stakeholder is and what the plan asks of them. The state moves only
    through step_update_state, so that every move is kept in the history."""
    _require_change(viewer, step.plan)
    unknown = set(fields) - set(STEP_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    _check_choices(action_kind=fields.get("action_kind"))
    for name, value in fields.items():
        setattr(step, name, value.strip() if isinstance(value, str) else value)
    _check_who(step)
    step.updated_at = timezone.now()
    step.full_clean(exclude=["plan", "person", "group", "organization"])
    step.save(update_fields=[*fields, "updated_at"])
    audit(viewer, "edited a stakeholder", step.plan, step=step.pk)
    return step


@transaction.atomic
def step_update_state(
    *,
    viewer: Any,
    step: StakeholderStep,
    state: str,
    note: str = "",
    next_review_on: date | None = UNSET,
) -> StepUpdate:
    """Record a review of a stakeholder: where they are now and why. Staying in the same
    state is a review too, as long as it says something."""
    _require_change(viewer, step.plan)
    _check_choices(state=state)
    note = note.strip()
    if state == step.state and not note:
        raise ValidationError({"note": _("Nothing changed: add a note on how it is going.")})
    update = StepUpdate(step=step, from_state=step.state, to_state=state, note=note, by=viewer)
    update.full_clean(exclude=["step", "by"])
    update.save()
    step.state = state
    step.updated_at = timezone.now()
    changed = ["state", "updated_at"]
    if next_review_on is not UNSET:
        step.next_review_on = next_review_on
        changed.append("next_review_on")
    step.save(update_fields=changed)
    audit(
        viewer,
        "reviewed a stakeholder",
        step.plan,
        step=step.pk,
        from_state=update.from_state,
        to_state=state,
    )
    return update


# Outcomes ----------------------------------------------------------------------------


def _learning_body(*, plan: AdoptionPlan, description: str, step: StakeholderStep | None) -> str:
    parts = [description.strip()]
    origin = _("Learned while putting “%(product)s” into practice (adoption plan “%(plan)s”).") % {
        "product": plan.product.title,
        "plan": plan.title,
    }
    if step is not None:
        origin += " " + _("Stakeholder: %(who)s.") % {"who": step.stakeholder_name}
    parts.append(f"*{origin}*")
    return "\n\n".join(parts)


@transaction.atomic
def outcome_record(
    *,
    viewer: Any,
    plan: AdoptionPlan,
    title: str,
    description: str,
    step: StakeholderStep | None = None,
    relation: str = "supports",
    kind: str = "observation",
    visibility: str | None = None,
    guidelines_confirmed: bool = False,
) -> Outcome:
    """Record what came of applying the product, and close the loop: the outcome becomes
    a new learning, linked as evidence to every idea the product draws on."""
    from learnloop.consolidation.models import Evidence, Relation
    from learnloop.generation.models import LearningKind
    from learnloop.generation.services import learning_create

    _require_change(viewer, plan)
    if step is not None and step.plan_id != plan.pk:
        raise ValidationError({"step": _("This stakeholder belongs to another plan.")})
    if relation not in Relation.values:
        raise ValidationError({"relation": _("Choose how it bears on the ideas.")})
    if kind not in LearningKind.values:
        raise ValidationError({"kind": _("Choose a kind of learning.")})
    outcome = Outcome(
        plan=plan, step=step, title=title.strip(), description=description, recorded_by=viewer
    )
    outcome.full_clean(exclude=["plan", "step", "recorded_by"])
    outcome.save()
    product = plan.product
    learning = learning_create(
        author=viewer,
        title=outcome.title,
        body=_learning_body(plan=plan, description=description, step=step),
        kind=kind,
        group=plan.group,
        visibility=visibility or plan.visibility,
        guidelines_confirmed=guidelines_confirmed,
    )
    learning.outcome = outcome
    learning.save(update_fields=["outcome"])
    note = _("Outcome of the adoption plan “%(plan)s”.") % {"plan": plan.title}
    Evidence.objects.bulk_create(
        [
            Evidence(
                idea=idea,
                learning=learning,
                relation=relation,
                note=note,
                context_group=plan.group,
                context_site=learning.site,
                added_by=viewer,
            )
            for idea in product.ideas.filter(deleted_at__isnull=True)
        ]
    )
    audit(viewer, "recorded an outcome", plan, outcome=outcome.pk, learning=learning.pk)
    recipient = product.author
    if recipient.pk != viewer.pk and access.can_view(recipient, learning):
        notify(
            recipients=[recipient],
            kind=NotificationKind.SHARE,
            title=_("An outcome from putting “%(product)s” into practice")
            % {"product": product.title},
            body=_("%(person)s recorded what happened in “%(plan)s”: %(outcome)s")
            % {"person": viewer.name, "plan": plan.title, "outcome": outcome.title},
            url=learning.get_absolute_url(),
            actor=viewer,
            target=learning,
        )
    return outcome
