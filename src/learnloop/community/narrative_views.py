"""Pages for opportunity narratives. Thin: parse, authorize, call one service or selector,
render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from learnloop.community import narrative_selectors as selectors
from learnloop.community import narrative_services as services
from learnloop.community.narrative_forms import NarrativeForm
from learnloop.core import access
from learnloop.core.forms import CommentForm
from learnloop.core.http import Request
from learnloop.core.selectors import attachments_for, comments_for
from learnloop.core.viewtools import apply_errors, int_param, paginate
from learnloop.people.models import Group, GroupKind


def _data(form: NarrativeForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "opportunity": data["opportunity"],
        "call_to_act": data["call_to_act"],
        "group": data["group"],
        "visibility": data["visibility"],
        "tags": data["tags"],
        "groups": list(data["groups"]),
        "questions": list(data["questions"]),
        "ideas": list(data["ideas"]),
        "guidelines_confirmed": form.guidelines_confirmed,
    }


def narrative_list(request: Request) -> HttpResponse:
    scope = request.GET.get("scope", "")
    space = int_param(request, "space")
    narratives = selectors.narrative_list(
        viewer=request.user,
        space=space,
        scope="network" if scope == "network" else None,
        q=request.GET.get("q", "").strip() or None,
    )
    member = access.is_member(request.user)
    spaces = (
        Group.objects.filter(kind=GroupKind.CLUSTER, archived_at__isnull=True).order_by("name")
        if member
        else Group.objects.none()
    )
    return render(
        request,
        "community/narrative_list.html",
        {
            "page": paginate(request, narratives, per_page=20),
            "spaces": spaces,
            "space": space,
            "scope": scope,
            "may_publish": member and services.may_publish_somewhere(request.user),
        },
    )


@login_required
def narrative_create(request: Request) -> HttpResponse:
    if not services.may_publish_somewhere(request.user):
        raise PermissionDenied
    initial: dict[str, Any] = {"visibility": "network"}
    space = int_param(request, "space")
    if space:
        initial["group"] = space
    form = NarrativeForm(request.POST or None, viewer=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            narrative = services.narrative_create(author=request.user, **_data(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your narrative is published."))
            return redirect(narrative)
    return render(request, "community/narrative_form.html", {"form": form})


def narrative_detail(request: Request, pk: int) -> HttpResponse:
    narrative = selectors.get_narrative_for(request.user, pk)
    return render(
        request,
        "community/narrative_detail.html",
        {
            "narrative": narrative,
            "progress": selectors.narrative_progress(viewer=request.user, narrative=narrative),
            "comments": comments_for(narrative),
            "comment_form": CommentForm(),
            "attachments": attachments_for(narrative),
        },
    )


@login_required
def narrative_edit(request: Request, pk: int) -> HttpResponse:
    narrative = selectors.get_narrative_for(request.user, pk, write=True)
    if narrative.deleted_at is not None:
        raise PermissionDenied
    initial = {
        "title": narrative.title,
        "opportunity": narrative.opportunity,
        "call_to_act": narrative.call_to_act,
        "group": narrative.group,
        "visibility": narrative.visibility,
        "tags": ", ".join(narrative.tag_names),
        "groups": list(narrative.groups.all()),
        "questions": [q.pk for q in selectors.linked_questions(request.user, narrative)],
        "ideas": [i.pk for i in selectors.linked_ideas(request.user, narrative)],
    }
    form = NarrativeForm(
        request.POST or None, viewer=request.user, narrative=narrative, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.narrative_update(viewer=request.user, narrative=narrative, **_data(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved. The earlier version is kept in the history."))
            return redirect(narrative)
    return render(request, "community/narrative_form.html", {"form": form, "narrative": narrative})
