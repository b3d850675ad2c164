"""Pages for the routines. Thin: parse, authorize, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnloop.consolidation import routine_rules, routines
from learnloop.consolidation import routine_selectors as selectors
from learnloop.consolidation.models import RoutineKind
from learnloop.consolidation.routine_forms import (
    ReductionForm,
    ScheduleForm,
    SummaryForm,
    SynthesisFilter,
    SynthesisForm,
)
from learnloop.core import access
from learnloop.core.http import Request
from learnloop.core.viewtools import apply_errors, int_param, paginate


def _limited(qs: Any, limit: int) -> tuple[Any, int]:
    """The newest `limit` rows as a queryset a form can validate against, and the total."""
    ids = list(qs.values_list("pk", flat=True)[: limit + 1])
    more = len(ids) > limit
    return qs.model.objects.filter(pk__in=ids[:limit]).order_by(*qs.query.order_by), more


def _schedule_form(prefix: str, schedule: Any = None) -> ScheduleForm:
    initial = {"cadence": schedule.cadence} if schedule else {"cadence": "monthly"}
    return ScheduleForm(initial=initial, auto_id=f"id_{prefix}_%s")


@login_required
def routine_list(request: Request) -> HttpResponse:
    kind = request.GET.get("kind") or None
    group = int_param(request, "group")
    page = paginate(request, selectors.routine_list(viewer=request.user, kind=kind, group=group))
    if request.htmx:
        return render(request, "consolidation/_routine_rows.html", {"page": page})
    overview = selectors.schedule_overview(viewer=request.user)
    for row in overview["group_schedules"]:
        row["form"] = _schedule_form(f"g{row['group'].pk}", row["schedule"])
    return render(
        request,
        "consolidation/routine_list.html",
        {
            **overview,
            "page": page,
            "due": selectors.due_for(viewer=request.user),
            "own_form": _schedule_form("own", overview["own_schedule"]),
            "reduction_form": _schedule_form("reduction", overview["reduction_schedule"]),
            "kinds": RoutineKind.choices,
            "history_groups": [row["group"] for row in overview["group_schedules"]],
        },
    )


@login_required
def routine_detail(request: Request, pk: int) -> HttpResponse:
    routine = selectors.get_routine_for(request.user, pk)
    return render(
        request,
        "consolidation/routine_detail.html",
        selectors.routine_page(viewer=request.user, routine=routine),
    )


# Summary -------------------------------------------------------------------------------


@login_required
def summary_new(request: Request) -> HttpResponse:
    person = request.user
    last = selectors.last_summary(person)
    since = last.started_at if last else None
    learnings, more = _limited(
        selectors.summary_learnings(person=person, since=since), selectors.SUMMARY_SHOWN
    )
    form = SummaryForm(
        request.POST or None,
        viewer=person,
        learnings=learnings,
        ideas=selectors.idea_choices(viewer=person),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            routine = routines.summary_complete(
                person=person,
                learnings=list(data["learnings"]),
                answers=data,
                output=data["output"],
                new_idea=form.new_idea(),
                idea=data["idea"] if data["output"] == routines.Output.EXISTING else None,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your summary is kept. Thank you for taking the time."))
            return redirect(routine)
    return render(
        request,
        "consolidation/routine_summary_form.html",
        {
            "form": form,
            "last": last,
            "learnings": list(learnings.select_related("group", "test_cycle")),
            "more": more,
            "chosen": [str(v) for v in (form["learnings"].value() or [])],
            "test_cycles": selectors.summary_test_cycles(person=person, since=since),
        },
    )


# Synthesis -----------------------------------------------------------------------------


@login_required
def synthesis_new(request: Request) -> HttpResponse:
    group = selectors.get_group_or_404(int_param(request, "group"))
    if not routine_rules.may_run_synthesis(request.user, group):
        raise PermissionDenied
    filters = SynthesisFilter(request.GET or None)
    tag = period = ""
    if filters.is_valid():
        tag, period = filters.cleaned_data["tag"], filters.cleaned_data["period"]
    learnings, more = _limited(
        selectors.synthesis_learnings(viewer=request.user, group=group, tag=tag, period=period),
        selectors.SYNTHESIS_SHOWN,
    )
    form = SynthesisForm(
        request.POST or None,
        viewer=request.user,
        learnings=learnings,
        ideas=selectors.idea_choices(viewer=request.user),
        initial={"group": group.pk if access.is_group_member(request.user, group.pk) else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            routine = routines.synthesis_complete(
                person=request.user,
                group=group,
                learnings=list(data["learnings"]),
                answers={**data, "tag": tag, "period": period},
                strength=data["strength"],
                output=data["output"],
                new_idea=form.new_idea(),
                ideas=list(data["ideas"]) if data["output"] == routines.Output.EXISTING else [],
                relation=data["relation"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The synthesis is kept, with the evidence it linked."))
            return redirect(routine)
    shown = list(
        learnings.select_related("author", "group")
        .prefetch_related("tags")
        .order_by("group__name", "site", "-created_at", "-id")
    )
    return render(
        request,
        "consolidation/routine_synthesis_form.html",
        {
            "group": group,
            "scope": selectors.synthesis_scope(group),
            "filters": filters,
            "form": form,
            "contexts": selectors.by_context(shown),
            "learning_count": len(shown),
            "more": more,
            "chosen": [str(v) for v in (form["learnings"].value() or [])],
        },
    )


# Reduction -----------------------------------------------------------------------------


@login_required
def reduction_new(request: Request) -> HttpResponse:
    if not routine_rules.is_lead(request.user):
        raise PermissionDenied
    found = selectors.reduction_candidates(viewer=request.user)
    form = ReductionForm(request.POST or None, candidates=found["candidates"])
    if request.method == "POST" and form.is_valid():
        try:
            routine = routines.reduction_complete(
                lead=request.user,
                choices=[
                    routines.Choice(idea=idea, outcome=outcome, note=note)
                    for idea, outcome, note in form.choices()
                ],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("The round is kept, and its decisions are open for the members.")
            )
            return redirect(routine)
    return render(
        request,
        "consolidation/routine_reduction_form.html",
        {**found, "form": form, "rows": form.rows()},
    )


# Schedules -----------------------------------------------------------------------------


@login_required
@require_POST
def schedule_set(request: Request) -> HttpResponse:
    kind = request.POST.get("kind", "")
    group = None
    if kind == RoutineKind.SYNTHESIS:
        group = selectors.get_group_or_404(request.POST.get("group", ""))
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            routines.schedule_set(
                viewer=request.user,
                kind=kind,
                group=group,
                cadence=form.cleaned_data["cadence"],
                next_due_on=form.cleaned_data["next_due_on"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved. We will remind you when it comes round."))
    else:
        messages.error(request, _("Choose how often, and a day to come."))
    return redirect("routines:routines")


@login_required
@require_POST
def schedule_edit(request: Request, pk: int) -> HttpResponse:
    schedule = selectors.get_schedule_for(request.user, pk, write=True)
    active = {"stop": False, "resume": True}.get(request.POST.get("action", ""))
    try:
        routines.schedule_update(viewer=request.user, schedule=schedule, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = _("Paused. Nothing is due until you resume it.") if active is False else None
        messages.success(request, done or _("Resumed."))
    return redirect("routines:routines")
