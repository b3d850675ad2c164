"""The moderator tools of a group: who has gone quiet and a kind nudge to them, the nudges
sent, and powerful questions for the next meeting or the group. For the group's
moderators and stewards: anyone outside the group gets 404, its other members 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnloop.community import meeting_selectors, moderation_selectors, prompts
from learnloop.community import moderation_services as services
from learnloop.community.moderation_forms import NudgeForm, QuietFilter
from learnloop.core.http import Request
from learnloop.core.viewtools import apply_errors
from learnloop.people.models import Group, Person


def _people(group: Group, viewer: Any) -> Any:
    return (
        Person.objects.filter(memberships__group=group, is_active=True)
        .exclude(pk=viewer.pk)
        .order_by("display_name", "username")
    )


def _page(
    request: Request, group: Group, *, weeks: int, form: NudgeForm | None = None
) -> HttpResponse:
    meeting = meeting_selectors.next_meeting(viewer=request.user, group=group)
    quiet = moderation_selectors.quiet_members(viewer=request.user, group=group, weeks=weeks)
    if form is None:
        form = NudgeForm(
            people=_people(group, request.user),
            initial={
                "message": services.default_nudge_message(
                    group=group, moderator=request.user, meeting=meeting
                )
            },
        )
    return render(
        request,
        "community/moderate.html",
        {
            "group": group,
            "weeks": weeks,
            "filter": QuietFilter(initial={"weeks": weeks}),
            "quiet": quiet,
            "nudgeable": [m for m in quiet if m.can_nudge],
            "form": form,
            "chosen": form.chosen(),
            "nudges": moderation_selectors.nudge_list(viewer=request.user, group=group),
            "prompts": prompts.grouped(),
            "next_meeting": meeting,
        },
    )


@login_required
def moderate(request: Request, slug: str) -> HttpResponse:
    group = moderation_selectors.get_group_for(request.user, slug)
    weeks = moderation_selectors.clean_weeks(request.GET.get("weeks"))
    return _page(request, group, weeks=weeks)


@login_required
@require_POST
def nudge(request: Request, slug: str) -> HttpResponse:
    group = moderation_selectors.get_group_for(request.user, slug)
    weeks = moderation_selectors.clean_weeks(request.POST.get("weeks"))
    form = NudgeForm(request.POST, people=_people(group, request.user))
    if form.is_valid():
        try:
            sent = services.nudge_send(
                moderator=request.user,
                group=group,
                recipients=list(form.cleaned_data["recipients"]),
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Nudge sent to %(names)s.")
                % {"names": ", ".join(n.recipient.name for n in sent)},
            )
            return redirect(
                reverse("meetings:moderate", args=[group.slug]) + f"?weeks={weeks}#nudges"
            )
    return _page(request, group, weeks=weeks, form=form)


@login_required
@require_POST
def prompt_agenda(request: Request, slug: str, key: str) -> HttpResponse:
    group = moderation_selectors.get_group_for(request.user, slug)
    try:
        meeting = services.prompt_to_agenda(moderator=request.user, group=group, key=key)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("meetings:moderate", args=[group.slug]) + "#prompts")
    messages.success(request, _("On the agenda of “%(meeting)s”.") % {"meeting": meeting.title})
    return redirect(reverse("meetings:moderate", args=[group.slug]) + "#prompts")


@login_required
@require_POST
def prompt_question(request: Request, slug: str, key: str) -> HttpResponse:
    group = moderation_selectors.get_group_for(request.user, slug)
    try:
        question = services.prompt_to_question(moderator=request.user, group=group, key=key)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("meetings:moderate", args=[group.slug]) + "#prompts")
    messages.success(request, _("Posted to the group as a question."))
    return redirect(question)
