"""Pages for application. Thin: parse, authorize, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from learnloop.application import selectors, services
from learnloop.application.forms import OutcomeForm, PlanForm, StepForm, StepStateForm
from learnloop.application.models import AdoptionState
from learnloop.core import access
from learnloop.core.forms import CommentForm
from learnloop.core.selectors import comments_for
from learnloop.core.viewtools import apply_errors, int_param, paginate
from learnloop.people.selectors import group_list


def plan_list(request: HttpRequest) -> HttpResponse:
    plans = selectors.plan_list(
        viewer=request.user,
        product=int_param(request, "product"),
        group=int_param(request, "group"),
        state=request.GET.get("state") or None,
    )
    page = paginate(request, plans)
    rows = [(plan, selectors.state_counts(plan)) for plan in page.object_list]
    return render(
        request,
        "application/plan_list.html",
        {
            "page": page,
            "rows": rows,
            "due": selectors.reviews_due(viewer=request.user),
            "states": AdoptionState.choices,
            "groups": group_list(viewer=request.user),
        },
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    from learnloop.capture.models import KnowledgeProduct

    if not request.GET.get("product"):
        messages.info(request, _("Choose the product to put into practice, then plan it."))
        return redirect("capture:products")
    product = access.get_for(request.user, KnowledgeProduct.objects.all(), request.GET["product"])
    share = None
    if request.GET.get("share"):
        share = selectors.get_share_for(product, request.GET["share"])
        if share is None:
            raise Http404
    initial = {
        "title": _("Putting “%(product)s” into practice") % {"product": product},
        "group": product.group if access.is_group_member(request.user, product.group_id) else None,
        "share": share,
    }
    form = PlanForm(request.POST or None, viewer=request.user, product=product, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                author=request.user,
                product=product,
                guidelines_confirmed=form.guidelines_confirmed,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Plan started. Now name the people who must act."))
            return redirect(plan)
    return render(
        request,
        "application/plan_form.html",
        {"form": form, "product": product, "share": share},
    )


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for(request.user, pk)
    steps = selectors.steps_for(plan)
    return render(
        request,
        "application/plan_detail.html",
        {
            "plan": plan,
            "steps": steps,
            "progress": selectors.progress(steps),
            "outcomes": selectors.outcomes_for(viewer=request.user, plan=plan),
            "ideas": selectors.product_ideas(viewer=request.user, plan=plan),
            "may_change": access.can_change(request.user, plan) and not plan.deleted_at,
            "states": AdoptionState.choices,
            "comments": comments_for(plan),
            "comment_form": CommentForm(),
        },
    )


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for(request.user, pk, write=True)
    initial = {f: getattr(plan, f) for f in services.PLAN_FIELDS}
    form = PlanForm(request.POST or None, viewer=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(
                viewer=request.user,
                plan=plan,
                guidelines_confirmed=form.guidelines_confirmed,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Plan saved."))
            return redirect(plan)
    return render(
        request,
        "application/plan_form.html",
        {"form": form, "plan": plan, "product": plan.product},
    )


@login_required
def step_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for(request.user, pk, write=True)
    form = StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            step = services.step_create(viewer=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Stakeholder added."))
            return redirect(plan.get_absolute_url() + f"#step-{step.pk}")
    return render(request, "application/step_form.html", {"form": form, "plan": plan})


@login_required
def step_edit(request: HttpRequest, pk: int) -> HttpResponse:
    step = selectors.get_step_for(request.user, pk, write=True)
    initial = {f: getattr(step, f) for f in services.STEP_FIELDS}
    form = StepForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_update(viewer=request.user, step=step, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Stakeholder saved."))
            return redirect(step.plan.get_absolute_url() + f"#step-{step.pk}")
    return render(
        request, "application/step_form.html", {"form": form, "plan": step.plan, "step": step}
    )


@login_required
def step_state(request: HttpRequest, pk: int) -> HttpResponse:
    step = selectors.get_step_for(request.user, pk, write=True)
    form = StepStateForm(
        request.POST or None,
        initial={"state": step.state, "next_review_on": step.next_review_on},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.step_update_state(
                viewer=request.user,
                step=step,
                state=data["state"],
                note=data["note"],
                next_review_on=data["next_review_on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Review recorded."))
            return redirect(step.plan.get_absolute_url() + f"#step-{step.pk}")
    return render(
        request, "application/step_state.html", {"form": form, "plan": step.plan, "step": step}
    )


@login_required
def outcome_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for(request.user, pk, write=True)
    form = OutcomeForm(
        request.POST or None, plan=plan, initial={"step": int_param(request, "step")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.outcome_record(
                viewer=request.user,
                plan=plan,
                guidelines_confirmed=form.guidelines_confirmed,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Outcome recorded. It is now a learning, linked to the ideas behind it."),
            )
            return redirect(reverse("application:plan", args=[plan.pk]) + f"#outcome-{outcome.pk}")
    return render(request, "application/outcome_form.html", {"form": form, "plan": plan})
