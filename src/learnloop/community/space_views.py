"""Pages for creation spaces, follows and the people who might know. Thin: parse,
authorize, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnloop.community import follow_selectors, follow_services, space_selectors
from learnloop.community.follow_button import button_context
from learnloop.community.narrative_services import can_publish
from learnloop.community.space_forms import AskPeopleForm, SpaceQuestionForm
from learnloop.community.space_services import question_ask_people, space_question_create
from learnloop.community.suggestions import people_who_might_know
from learnloop.core import access
from learnloop.core.http import Request
from learnloop.core.viewtools import apply_errors
from learnloop.generation.selectors import get_question_for
from learnloop.people.models import GroupKind

# Spaces -----------------------------------------------------------------------------------


@login_required
def space_list(request: Request) -> HttpResponse:
    return render(
        request,
        "community/space_list.html",
        {"spaces": space_selectors.space_list(viewer=request.user)},
    )


@login_required
def space_detail(request: Request, slug: str) -> HttpResponse:
    space = space_selectors.get_space_for(request.user, slug)
    only = [s for s in request.GET.getlist("group") if s]
    board = space_selectors.space_board(viewer=request.user, space=space, only=only)
    form = SpaceQuestionForm() if board.is_mine else None
    return render(
        request,
        "community/space_detail.html",
        {
            "space": space,
            "board": board,
            "ask_form": form,
            "only": only,
            "may_publish": can_publish(request.user, space),
        },
    )


@login_required
def space_ask(request: Request, slug: str) -> HttpResponse:
    """Pose a question to the space (or the whole network) from the space page."""
    space = space_selectors.get_space_for(request.user, slug)
    form = SpaceQuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        to_space = data["audience"] == "space"
        try:
            question = space_question_create(
                author=request.user,
                space=space if to_space else None,
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                visibility="group" if to_space else "network",
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your question is open to everyone in %(space)s.") % {"space": space.name}
                if to_space
                else _("Your question is open to the whole network."),
            )
            return redirect(reverse("generation:question", args=[question.pk]) + "#suggest")
    return render(request, "community/space_ask.html", {"space": space, "form": form})


# Follows ----------------------------------------------------------------------------------


def _back(request: Request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _group_url(group: object) -> str:
    if getattr(group, "kind", "") == GroupKind.CLUSTER:
        return reverse("spaces:space", args=[group.slug])  # type: ignore[attr-defined]
    return group.get_absolute_url()  # type: ignore[attr-defined]


@login_required
@require_POST
def follow(request: Request, slug: str) -> HttpResponse:
    group = space_selectors.get_group_by_slug(request.user, slug)
    error = ""
    try:
        follow_services.follow_create(person=request.user, group=group)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        return render(
            request,
            "community/follow_button.html",
            {**button_context(request.user, group, next_url=_back(request, "")), "error": error},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("You follow %(name)s: its network and public work shows in your feed.")
            % {"name": group.name},
        )
    return redirect(_back(request, _group_url(group)))


@login_required
@require_POST
def unfollow(request: Request, slug: str) -> HttpResponse:
    group = space_selectors.get_group_by_slug(request.user, slug)
    follow_services.follow_delete(person=request.user, group=group)
    if request.htmx:
        return render(
            request,
            "community/follow_button.html",
            button_context(request.user, group, next_url=_back(request, "")),
        )
    messages.success(request, _("You no longer follow %(name)s.") % {"name": group.name})
    return redirect(_back(request, _group_url(group)))


@login_required
def following(request: Request) -> HttpResponse:
    return render(
        request,
        "community/follow_list.html",
        {"follows": follow_selectors.follow_list(person=request.user)},
    )


# People who might know --------------------------------------------------------------------


@login_required
def question_suggestions(request: Request, pk: int) -> HttpResponse:
    """The panel on its own: a page without JavaScript, a fragment for htmx."""
    question = get_question_for(request.user, pk)
    context = {
        "question": question,
        "suggestions": people_who_might_know(viewer=request.user, question=question),
        "may_ask": access.can_change(request.user, question) and not question.closed_at,
        "show_panel": question.deleted_at is None,
    }
    template = "community/_suggest_panel.html" if request.htmx else "community/space_suggest.html"
    return render(request, template, context)


@login_required
@require_POST
def ask_people(request: Request, pk: int) -> HttpResponse:
    question = get_question_for(request.user, pk, write=True)
    form = AskPeopleForm(request.POST)
    back = reverse("generation:question", args=[question.pk]) + "#suggest"
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(back)
    try:
        asked = question_ask_people(
            viewer=request.user,
            question=question,
            people=form.cleaned_data["people"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Asked %(names)s to help. They will see it in their notifications.")
            % {"names": ", ".join(p.name for p in asked)},
        )
    return redirect(back)
