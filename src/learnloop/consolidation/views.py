"""Pages for consolidation. Thin: parse, authorize, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnloop.consolidation import (
    decision_selectors,
    review_selectors,
    rules,
    selectors,
    services,
)
from learnloop.consolidation.forms import (
    EndorseForm,
    EvidenceForm,
    IdeaForm,
    LinkLearningForm,
    StageForm,
)
from learnloop.consolidation.models import LADDER, STAGE_HELP, Idea, Stage
from learnloop.core.forms import CommentForm
from learnloop.core.http import Request
from learnloop.core.selectors import attachments_for, comments_for
from learnloop.core.viewtools import apply_errors, int_param, paginate
from learnloop.generation.selectors import get_learning_for
from learnloop.people.selectors import group_list


def _rename_error(exc: ValidationError, old: str, new: str) -> ValidationError:
    """Show a service's field error on the form field that stands for it on this page."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({(new if k == old else k): v for k, v in exc.error_dict.items()})


# The list ------------------------------------------------------------------------------


def idea_list(request: Request) -> HttpResponse:
    ideas = selectors.idea_list(
        viewer=request.user,
        stage=request.GET.get("stage") or None,
        group=int_param(request, "group"),
        tag=request.GET.get("tag", "").strip() or None,
        q=request.GET.get("q", "").strip() or None,
    )
    context = {
        "page": paginate(request, ideas),
        "stages": Stage.choices,
        "groups": group_list(viewer=request.user),
    }
    template = "consolidation/_idea_rows.html" if request.htmx else "consolidation/idea_list.html"
    return render(request, template, context)


# Create and edit -----------------------------------------------------------------------


@login_required
def idea_create(request: Request) -> HttpResponse:
    learning_pk = int_param(request, "from_learning")
    learning = get_learning_for(request.user, learning_pk) if learning_pk else None
    initial: dict[str, Any] = {"group": request.GET.get("group")}
    if learning is not None:
        initial.update(group=learning.group, title=learning.title)
    form = IdeaForm(request.POST or None, viewer=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            idea = services.idea_create(
                author=request.user,
                title=data["title"],
                summary=data["summary"],
                group=data["group"],
                visibility=data["visibility"],
                tags=data["tags"],
                from_learning=learning,
                serves=data["serves"],
                guidelines_confirmed=form.guidelines_confirmed,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Your idea is shared. Others can now add evidence and endorse it.")
            )
            return redirect(idea)
    return render(request, "consolidation/idea_form.html", {"form": form, "learning": learning})


@login_required
def idea_edit(request: Request, pk: int) -> HttpResponse:
    idea = selectors.get_idea_for(request.user, pk, write=True)
    initial = {
        "title": idea.title,
        "summary": idea.summary,
        "group": idea.group,
        "visibility": idea.visibility,
        "tags": ", ".join(idea.tag_names),
        "serves": idea.serves,
    }
    form = IdeaForm(request.POST or None, viewer=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.idea_update(
                viewer=request.user,
                idea=idea,
                tags=data["tags"],
                title=data["title"],
                summary=data["summary"],
                group=data["group"],
                visibility=data["visibility"],
                serves=data["serves"],
                guidelines_confirmed=form.guidelines_confirmed,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved. The earlier version is kept in the history."))
            return redirect(idea)
    return render(request, "consolidation/idea_form.html", {"form": form, "idea": idea})


# The idea page -------------------------------------------------------------------------


def _ladder(idea: Idea) -> list[dict[str, Any]]:
    return [
        {"value": s.value, "label": s.label, "help": STAGE_HELP[s], "current": s == idea.stage}
        for s in LADDER
    ]


def _endorsement_context(request: Request, idea: Idea, **extra: Any) -> dict[str, Any]:
    endorsements = selectors.endorsements_for(idea)
    return {
        "idea": idea,
        "endorsements": endorsements,
        "endorsed": any(e.person_id == request.user.pk for e in endorsements),
        "endorse_form": EndorseForm(),
        **extra,
    }


def idea_detail(request: Request, pk: int) -> HttpResponse:
    idea = selectors.get_idea_for(request.user, pk)
    find = request.GET.get("find", "").strip()
    page = selectors.idea_page(viewer=request.user, idea=idea, show_all=request.GET.get("all"))
    context = {
        "idea": idea,
        **page,
        "ladder": _ladder(idea),
        "returned_help": STAGE_HELP[Stage.RETURNED],
        "stage_choices": rules.stage_choices_for(request.user, idea),
        "endorse_form": EndorseForm(),
        "find": find,
        "found": selectors.learnings_to_link(viewer=request.user, idea=idea, q=find),
        "relations": EvidenceForm.base_fields["relation"].choices,  # type: ignore[attr-defined]
        "comments": comments_for(idea),
        "comment_form": CommentForm(),
        "attachments": attachments_for(idea),
        **review_selectors.idea_review_panel(viewer=request.user, idea=idea),
        **decision_selectors.idea_decision_panel(
            viewer=request.user, idea=idea, history=page["history"]
        ),
    }
    return render(request, "consolidation/idea_detail.html", context)


@login_required
def idea_find_learnings(request: Request, pk: int) -> HttpResponse:
    """Search learnings to link (htmx fragment; the idea page does the same with ?find=)."""
    idea = selectors.get_idea_for(request.user, pk)
    find = request.GET.get("find", "").strip()
    if not request.htmx:
        return redirect(f"{idea.get_absolute_url()}?{urlencode({'find': find})}#link")
    return render(
        request,
        "consolidation/_find_results.html",
        {
            "idea": idea,
            "find": find,
            "found": selectors.learnings_to_link(viewer=request.user, idea=idea, q=find),
            "relations": EvidenceForm.base_fields["relation"].choices,  # type: ignore[attr-defined]
        },
    )


# Stage decisions -----------------------------------------------------------------------


@login_required
def idea_stage(request: Request, pk: int) -> HttpResponse:
    idea = selectors.get_idea_for(request.user, pk)
    choices = rules.stage_choices_for(request.user, idea)
    if not choices:
        raise PermissionDenied
    form = StageForm(
        request.POST or None,
        choices=choices,
        allow_override=bool(rules.override_choices_for(request.user, idea)),
        initial={"to_stage": request.GET.get("to")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            change = services.idea_change_stage(
                viewer=request.user,
                idea=idea,
                to_stage=form.cleaned_data["to_stage"],
                reason=form.cleaned_data["reason"],
                override=form.cleaned_data.get("override", False),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The idea is now at the stage “%(stage)s”. Your reason is kept with it.")
                % {"stage": Stage(change.to_stage).label},
            )
            return redirect(idea)
    return render(
        request,
        "consolidation/idea_stage.html",
        {
            "idea": idea,
            "form": form,
            "ladder": _ladder(idea),
            "returned_help": STAGE_HELP[Stage.RETURNED],
        },
    )


# Evidence ------------------------------------------------------------------------------


@login_required
def idea_evidence_add(request: Request, pk: int) -> HttpResponse:
    """Link a learning from the idea page. GET shows the form for ?learning=<pk>."""
    idea = selectors.get_idea_for(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = EvidenceForm(data, initial={"learning_id": request.GET.get("learning")})
    learning_pk = request.POST.get("learning_id") or request.GET.get("learning")
    learning = get_learning_for(request.user, learning_pk) if learning_pk else None
    if learning is None and request.method != "POST":
        return redirect(idea.get_absolute_url() + "#link")
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_link(
                viewer=request.user,
                idea=idea,
                learning=learning,  # type: ignore[arg-type]
                relation=form.cleaned_data["relation"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Linked. Thank you for adding to the evidence."))
            return redirect(idea.get_absolute_url() + "#evidence")
    return render(
        request,
        "consolidation/evidence_form.html",
        {"idea": idea, "learning": learning, "form": form},
    )


@login_required
@require_POST
def idea_evidence_remove(request: Request, pk: int, evidence_pk: int) -> HttpResponse:
    idea = selectors.get_idea_for(request.user, pk)
    evidence = selectors.get_evidence_for(request.user, idea, evidence_pk)
    services.evidence_remove(viewer=request.user, evidence=evidence)
    messages.success(request, _("The link was removed. The learning itself is unchanged."))
    return redirect(idea.get_absolute_url() + "#evidence")


@login_required
def link_learning(request: Request, learning_pk: int) -> HttpResponse:
    """From a learning's page: link it to one of the ideas the viewer may see."""
    learning = get_learning_for(request.user, learning_pk)
    form = LinkLearningForm(
        request.POST or None,
        ideas=selectors.ideas_to_link(viewer=request.user, learning=learning),
        initial={"idea": request.GET.get("idea")},
    )
    if request.method == "POST" and form.is_valid():
        idea = selectors.get_idea_for(request.user, form.cleaned_data["idea"].pk)
        try:
            services.evidence_link(
                viewer=request.user,
                idea=idea,
                learning=learning,
                relation=form.cleaned_data["relation"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, _rename_error(exc, "learning_id", "idea"))
        else:
            messages.success(request, _("Linked. The idea now counts this learning as evidence."))
            return redirect(idea.get_absolute_url() + "#evidence")
    return render(
        request,
        "consolidation/link_learning.html",
        {
            "learning": learning,
            "form": form,
            "new_idea_url": reverse("consolidation:idea_create") + f"?from_learning={learning.pk}",
        },
    )


# Endorsements --------------------------------------------------------------------------


def _after_endorsement(request: Request, idea: Idea, **extra: Any) -> HttpResponse:
    if request.htmx:
        return render(
            request,
            "consolidation/_endorsements.html",
            _endorsement_context(request, idea, **extra),
        )
    return redirect(idea.get_absolute_url() + "#endorsements")


@login_required
@require_POST
def idea_endorse(request: Request, pk: int) -> HttpResponse:
    idea = selectors.get_idea_for(request.user, pk)
    form = EndorseForm(request.POST)
    if form.is_valid():
        try:
            services.idea_endorse(person=request.user, idea=idea, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
    if form.errors:
        if not request.htmx:
            messages.error(request, " ".join(str(e) for e in form.errors.get("note", [])))
        return _after_endorsement(request, idea, endorse_form=form)
    if not request.htmx:
        messages.success(request, _("Thank you: your endorsement is recorded."))
    return _after_endorsement(request, idea)


@login_required
@require_POST
def idea_withdraw_endorsement(request: Request, pk: int) -> HttpResponse:
    idea = selectors.get_idea_for(request.user, pk)
    services.idea_withdraw_endorsement(person=request.user, idea=idea)
    if not request.htmx:
        messages.success(request, _("Your endorsement is withdrawn."))
    return _after_endorsement(request, idea)
