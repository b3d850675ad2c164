"""Pages for decisions members take together. Thin: parse, authorize, call one service or
selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnloop.consolidation import decision_selectors, decisions, rules, selectors
from learnloop.consolidation.decision_forms import (
    KIND_FILTERS,
    STATUS_FILTERS,
    ProposeStageForm,
    VoteForm,
    WithdrawForm,
)
from learnloop.consolidation.models import Decision, Stage
from learnloop.core.http import Request
from learnloop.core.viewtools import apply_errors, int_param, paginate


@login_required
def decision_list(request: Request) -> HttpResponse:
    found = decision_selectors.decision_list(
        viewer=request.user,
        kind=request.GET.get("kind") or None,
        status=request.GET.get("status") or None,
        idea=int_param(request, "idea"),
    )
    context = {
        "page": paginate(request, found),
        "kinds": KIND_FILTERS,
        "statuses": STATUS_FILTERS,
        "stage_labels": Stage.choices,
    }
    template = (
        "consolidation/_decision_rows.html" if request.htmx else "consolidation/decision_list.html"
    )
    return render(request, template, context)


def _page_context(request: Request, decision: Decision, **extra: object) -> dict[str, object]:
    context = decision_selectors.decision_page(viewer=request.user, decision=decision)
    mine = context["my_vote"]
    context["vote_form"] = extra.pop("vote_form", None) or VoteForm(
        initial={"choice": mine.choice, "reason": mine.reason} if mine else None
    )
    context["withdraw_form"] = WithdrawForm()
    context.update(extra)
    return context


@login_required
def decision_detail(request: Request, pk: int) -> HttpResponse:
    decision = decision_selectors.get_decision_for(request.user, pk)
    decisions.decision_close_if_due(decision=decision)
    return render(request, "consolidation/decision_detail.html", _page_context(request, decision))


@login_required
@require_POST
def decision_vote(request: Request, pk: int) -> HttpResponse:
    decision = decision_selectors.get_decision_for(request.user, pk)
    decisions.decision_close_if_due(decision=decision)
    form = VoteForm(request.POST)
    if form.is_valid():
        try:
            decisions.vote_cast(
                voter=request.user,
                decision=decision,
                choice=form.cleaned_data["choice"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
    if not form.errors:
        if request.htmx:
            context = _page_context(request, decision, vote_saved=True)
            return render(request, "consolidation/_decision_vote.html", context)
        messages.success(request, _("Your vote is counted. You may change it until voting closes."))
        return redirect(decision.get_absolute_url() + "#vote")
    context = _page_context(request, decision, vote_form=form)
    template = (
        "consolidation/_decision_vote.html"
        if request.htmx
        else "consolidation/decision_detail.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def decision_withdraw(request: Request, pk: int) -> HttpResponse:
    decision = decision_selectors.get_decision_for(request.user, pk)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        decisions.decision_withdraw(
            viewer=request.user,
            decision=decision,
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The proposal is withdrawn. Its record stays."))
    return redirect(decision)


@login_required
def decision_propose(request: Request, idea_pk: int) -> HttpResponse:
    """Put a move to knowledge, to scaling, or a return to the members (from the idea page)."""
    idea = selectors.get_idea_for(request.user, idea_pk)
    if not rules.may_propose(request.user, idea):
        raise PermissionDenied
    choices = rules.proposable_stages(idea)
    form = ProposeStageForm(
        request.POST or None, choices=choices, initial={"to_stage": request.GET.get("to")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = decisions.decision_open(
                proposer=request.user,
                idea=idea,
                to_stage=data["to_stage"],
                rationale=data["rationale"],
                closes_at=data["closes_at"],
                quorum=data["quorum"],
                threshold=data["threshold"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your proposal is open. Members can vote until it closes; yours counts too."),
            )
            return redirect(decision)
    return render(request, "consolidation/decision_propose.html", {"idea": idea, "form": form})
