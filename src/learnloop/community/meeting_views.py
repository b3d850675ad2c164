"""Pages for a group's meetings: the list, planning the next one, running it, and the step
back. Thin: parse, authorize, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnloop.community import meeting_selectors as sel
from learnloop.community import meeting_services as services
from learnloop.community.meeting_forms import (
    AgendaItemForm,
    PlanForm,
    RecordForm,
    ReflectionForm,
    parse_datetime,
)
from learnloop.core import access
from learnloop.core.http import Request
from learnloop.core.viewtools import apply_errors, paginate
from learnloop.people.models import Group
from learnloop.value.models import Convening


def _meeting_url(group: Group, meeting: Convening, anchor: str = "") -> str:
    return reverse("meetings:meeting", args=[group.slug, meeting.pk]) + anchor


@login_required
def meeting_list(request: Request, slug: str) -> HttpResponse:
    group = sel.get_group_for(request.user, slug)
    return render(
        request,
        "community/meeting_list.html",
        {
            "group": group,
            "upcoming": list(
                sel.meeting_list(viewer=request.user, group=group, when="upcoming")[:20]
            ),
            "page": paginate(
                request, sel.meeting_list(viewer=request.user, group=group, when="past"), 20
            ),
            "may_plan": sel.may_plan(request.user, group),
            "may_moderate": access.can_moderate_group(request.user, group.pk),
        },
    )


@login_required
def meeting_plan(request: Request, slug: str) -> HttpResponse:
    group = sel.get_group_for(request.user, slug, members_only=True)
    if not sel.may_plan(request.user, group):
        if group.archived_at is not None:
            messages.error(request, _("This group is archived; it no longer plans meetings."))
            return redirect(group)
        raise PermissionDenied
    suggested = sel.suggest_start(viewer=request.user, group=group)
    when = (
        parse_datetime(request.POST.get("starts_at")) if request.method == "POST" else None
    ) or suggested
    on = max(timezone.localdate(when), timezone.localdate())
    candidates = sel.agenda_candidates(viewer=request.user, group=group, on=on)
    form = PlanForm(
        request.POST or None,
        candidates=candidates,
        initial={"starts_at": timezone.localtime(suggested)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_plan(
                planner=request.user,
                group=group,
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                link=data["link"],
                visibility=data["visibility"],
                picked=data["picked"],
                own_items=data["own"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if meeting.starts_at > timezone.now():
                messages.success(request, _("Meeting planned. The group's members have been told."))
            else:
                messages.success(request, _("Meeting recorded."))
            return redirect(_meeting_url(group, meeting))
    return render(
        request,
        "community/meeting_plan.html",
        {
            "group": group,
            "form": form,
            "suggested": suggested,
            "already": sel.next_meeting(viewer=request.user, group=group),
        },
    )


def _detail_context(
    request: Request, group: Group, meeting: Convening, **extra: Any
) -> dict[str, Any]:
    may_run = sel.may_run(request.user, meeting)
    entries = sel.agenda_view(viewer=request.user, meeting=meeting)
    context: dict[str, Any] = {
        "group": group,
        "meeting": meeting,
        "agenda": entries,
        "reflection": sel.reflection_view(viewer=request.user, meeting=meeting),
        "learnings": sel.meeting_learnings(viewer=request.user, meeting=meeting),
        "participants": list(meeting.participants.all()),
        "may_run": may_run,
        "may_edit": access.can_change(request.user, meeting),
    }
    if may_run:
        context.setdefault(
            "form",
            RecordForm(
                people=sel.attendance_choices(meeting),
                entries=entries,
                initial={
                    "participants": context["participants"],
                    "other_participants": meeting.other_participants,
                    "notes": meeting.notes,
                },
            ),
        )
        context.setdefault("add_form", AgendaItemForm())
    context.update(extra)
    return context


@login_required
def meeting_detail(request: Request, slug: str, pk: int) -> HttpResponse:
    """The meeting, and for those who run it the form that records it."""
    group = sel.get_group_for(request.user, slug)
    meeting = sel.get_meeting_for(request.user, group, pk)
    if request.method == "POST":
        if not sel.may_run(request.user, meeting):
            raise PermissionDenied
        entries = sel.agenda_view(viewer=request.user, meeting=meeting)
        form = RecordForm(request.POST, people=sel.attendance_choices(meeting), entries=entries)
        if form.is_valid():
            data = form.cleaned_data
            changes, drop = form.agenda_changes()
            try:
                services.meeting_record(
                    viewer=request.user,
                    meeting=meeting,
                    participants=data["participants"],
                    other_participants=data["other_participants"] or 0,
                    notes=data["notes"],
                    entries=changes,
                    drop=drop,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Meeting record saved."))
                return redirect(_meeting_url(group, meeting, "#record"))
        return render(
            request,
            "community/meeting_detail.html",
            _detail_context(request, group, meeting, form=form),
        )
    return render(
        request, "community/meeting_detail.html", _detail_context(request, group, meeting)
    )


@login_required
@require_POST
def meeting_agenda_add(request: Request, slug: str, pk: int) -> HttpResponse:
    group = sel.get_group_for(request.user, slug)
    meeting = sel.get_meeting_for(request.user, group, pk)
    if not sel.may_run(request.user, meeting):
        raise PermissionDenied
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_agenda_add(
                viewer=request.user,
                meeting=meeting,
                title=form.cleaned_data["title"],
                why=form.cleaned_data["why"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Added to the agenda."))
            return redirect(_meeting_url(group, meeting, "#agenda"))
    return render(
        request,
        "community/meeting_detail.html",
        _detail_context(request, group, meeting, add_form=form),
    )


@login_required
def meeting_reflection(request: Request, slug: str, pk: int) -> HttpResponse:
    group = sel.get_group_for(request.user, slug)
    meeting = sel.get_meeting_for(request.user, group, pk)
    may_reflect = sel.may_reflect(request.user, meeting)
    if request.method == "POST" and not may_reflect:
        raise PermissionDenied
    form = ReflectionForm(request.POST or None) if may_reflect else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            added = services.reflection_add(
                viewer=request.user,
                meeting=meeting,
                answers={k: v for k, v in form.cleaned_data.items() if v},
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Saved. Turn any answer into a learning with its button below.")
                if added
                else _("Saved."),
            )
            return redirect(
                reverse("meetings:reflection", args=[group.slug, meeting.pk]) + "#answers"
            )
    return render(
        request,
        "community/meeting_reflection.html",
        {
            "group": group,
            "meeting": meeting,
            "form": form,
            "reflection": sel.reflection_view(viewer=request.user, meeting=meeting),
            "may_reflect": may_reflect,
            "participants": list(meeting.participants.all()),
            "me": request.user.pk,
            "may_edit": access.can_change(request.user, meeting),
        },
    )


@login_required
@require_POST
def answer_to_learning(request: Request, slug: str, pk: int, answer_id: str) -> HttpResponse:
    group = sel.get_group_for(request.user, slug)
    meeting = sel.get_meeting_for(request.user, group, pk)
    try:
        learning = services.reflection_to_learning(
            viewer=request.user, meeting=meeting, answer_id=answer_id
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("“%(title)s” is a learning of %(group)s now.")
            % {"title": learning.title, "group": group.name},
        )
    return redirect(
        reverse("meetings:reflection", args=[group.slug, meeting.pk]) + f"#answer-{answer_id}"
    )


@login_required
@require_POST
def answer_remove(request: Request, slug: str, pk: int, answer_id: str) -> HttpResponse:
    group = sel.get_group_for(request.user, slug)
    meeting = sel.get_meeting_for(request.user, group, pk)
    try:
        services.reflection_remove(viewer=request.user, meeting=meeting, answer_id=answer_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Answer removed."))
    return redirect(reverse("meetings:reflection", args=[group.slug, meeting.pk]) + "#answers")
