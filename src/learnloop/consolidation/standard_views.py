"""Pages for the network's standards. Thin: parse, authorize, call one service or selector,
render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnloop.consolidation import standard_selectors as selectors
from learnloop.consolidation import standard_services as services
from learnloop.consolidation.decision_forms import SubmitVersionForm
from learnloop.consolidation.models import StandardsVersion
from learnloop.consolidation.standard_forms import CriterionForm, VersionForm
from learnloop.core.http import Request
from learnloop.core.viewtools import apply_errors


@login_required
def standards(request: Request) -> HttpResponse:
    return render(
        request,
        "consolidation/standards_index.html",
        selectors.standards_page(viewer=request.user),
    )


def _version_context(request: Request, version: StandardsVersion, **extra: Any) -> dict[str, Any]:
    editable = services.may_edit(request.user, version)
    context: dict[str, Any] = {"version": version, "editable": editable}
    if editable:
        context["version_form"] = VersionForm(
            initial={"title": version.title, "rationale": version.rationale}
        )
        context["criterion_form"] = CriterionForm(prefix_id="new")
    context.update(extra)
    return context


@login_required
def version_detail(request: Request, pk: int) -> HttpResponse:
    version = selectors.get_version_for(request.user, pk)
    return render(
        request, "consolidation/standards_version.html", _version_context(request, version)
    )


@login_required
def propose(request: Request) -> HttpResponse:
    """Start a draft: a copy of the current standards that its proposer then edits."""
    form = VersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_draft(
                proposer=request.user,
                title=form.cleaned_data["title"],
                rationale=form.cleaned_data["rationale"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your draft is ready: change, add, remove or reorder the standards below."),
            )
            return redirect(version)
    return render(
        request,
        "consolidation/standards_propose.html",
        {"form": form, "current": selectors.current_version()},
    )


@login_required
@require_POST
def version_edit(request: Request, pk: int) -> HttpResponse:
    version = selectors.get_version_for(request.user, pk)
    if not services.may_edit(request.user, version):
        raise PermissionDenied
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.version_update(viewer=request.user, version=version, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
    if form.errors:
        context = _version_context(request, version, version_form=form)
        return render(request, "consolidation/standards_version.html", context)
    messages.success(request, _("Saved."))
    return redirect(version)


@login_required
@require_POST
def criterion_add(request: Request, pk: int) -> HttpResponse:
    version = selectors.get_version_for(request.user, pk)
    if not services.may_edit(request.user, version):
        raise PermissionDenied
    form = CriterionForm(request.POST, prefix_id="new")
    if form.is_valid():
        try:
            services.criterion_add(viewer=request.user, version=version, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
    if form.errors:
        context = _version_context(request, version, criterion_form=form)
        return render(request, "consolidation/standards_version.html", context)
    messages.success(request, _("Added."))
    return redirect(version.get_absolute_url() + "#criteria")


@login_required
def criterion_edit(request: Request, pk: int, criterion_pk: int) -> HttpResponse:
    version = selectors.get_version_for(request.user, pk)
    if not services.may_edit(request.user, version):
        raise PermissionDenied
    criterion = selectors.get_criterion_for(request.user, version, criterion_pk)
    initial = {
        "kind": criterion.kind,
        "title": criterion.title,
        "description": criterion.description,
        "min_contexts": criterion.min_contexts,
    }
    form = CriterionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_update(viewer=request.user, criterion=criterion, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(version.get_absolute_url() + "#criteria")
    return render(
        request,
        "consolidation/standards_criterion.html",
        {"version": version, "criterion": criterion, "form": form},
    )


@login_required
@require_POST
def criterion_delete(request: Request, pk: int, criterion_pk: int) -> HttpResponse:
    version = selectors.get_version_for(request.user, pk)
    criterion = selectors.get_criterion_for(request.user, version, criterion_pk)
    services.criterion_delete(viewer=request.user, criterion=criterion)
    messages.success(request, _("Removed from this draft."))
    return redirect(version.get_absolute_url() + "#criteria")


@login_required
@require_POST
def criterion_move(request: Request, pk: int, criterion_pk: int) -> HttpResponse:
    version = selectors.get_version_for(request.user, pk)
    criterion = selectors.get_criterion_for(request.user, version, criterion_pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.criterion_move(viewer=request.user, criterion=criterion, offset=offset)
    return redirect(version.get_absolute_url() + f"#criterion-{criterion.pk}")


@login_required
def version_submit(request: Request, pk: int) -> HttpResponse:
    """Put a draft to the members: a decision with a closing time, quorum and threshold."""
    version = selectors.get_version_for(request.user, pk)
    if not services.may_edit(request.user, version):
        raise PermissionDenied
    form = SubmitVersionForm(request.POST or None, initial={"rationale": version.rationale})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.version_propose(
                viewer=request.user,
                version=version,
                rationale=data["rationale"],
                closes_at=data["closes_at"],
                quorum=data["quorum"],
                threshold=data["threshold"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your proposal is open: the members now decide."))
            return redirect(decision)
    return render(
        request, "consolidation/standards_submit.html", {"version": version, "form": form}
    )
