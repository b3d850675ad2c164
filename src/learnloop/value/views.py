"""Pages for value. Thin: parse, authorize, call one service or selector, render."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnloop.core.forms import CommentForm, postable_groups
from learnloop.core.http import Request
from learnloop.core.models import SharedItem
from learnloop.core.selectors import attachments_for, comments_for
from learnloop.core.viewtools import apply_errors, int_param, paginate
from learnloop.people.selectors import group_list
from learnloop.value import ical, selectors, services
from learnloop.value.forms import ConveningForm, StepForm, StoryForm
from learnloop.value.models import ConveningKind, ValueCycle


def _item_context(item: SharedItem) -> dict[str, object]:
    return {
        "comments": comments_for(item),
        "comment_form": CommentForm(),
        "attachments": attachments_for(item),
    }


def index(request: Request) -> HttpResponse:
    return redirect("value:stories")


# Convenings ---------------------------------------------------------------------------


def _feed_links(request: Request) -> dict[str, Any]:
    """The calendar addresses a viewer can subscribe to; members get their own token."""
    network = request.build_absolute_uri(reverse("value:network_ics"))
    links: dict[str, Any] = {"public_feed": network, "group_feeds": [], "network_feed": None}
    if request.user.is_authenticated:
        token = services.calendar_token_get(person=request.user).token
        query = "?" + urlencode({"token": token})
        links["network_feed"] = network + query
        links["group_feeds"] = [
            (
                g,
                request.build_absolute_uri(reverse("value:group_ics", args=[g.slug])) + query,
            )
            for g in postable_groups(request.user)
        ]
    return links


def convening_list(request: Request) -> HttpResponse:
    filters = {
        "viewer": request.user,
        "group": int_param(request, "group"),
        "kind": request.GET.get("kind") or None,
    }
    upcoming = selectors.convening_list(when="upcoming", **filters)
    past = selectors.convening_list(when="past", **filters)
    return render(
        request,
        "value/convening_list.html",
        {
            "upcoming": upcoming[:50],
            "page": paginate(request, past),
            "kinds": ConveningKind.choices,
            "groups": group_list(viewer=request.user),
            **_feed_links(request),
        },
    )


@login_required
@require_POST
def calendar_token_reset(request: Request) -> HttpResponse:
    services.calendar_token_reset(person=request.user)
    messages.success(
        request,
        _("Your calendar addresses are new. Calendars using the old ones will stop updating."),
    )
    return redirect(reverse("value:convenings") + "#calendar")


def _convening_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    return {
        name: data[name]
        for name in (
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "place",
            "link",
            "group",
            "visibility",
            "other_participants",
            "notes",
            "outputs",
        )
    }


@login_required
def convening_create(request: Request) -> HttpResponse:
    form = ConveningForm(
        request.POST or None, viewer=request.user, initial={"group": request.GET.get("group")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            convening = services.convening_create(
                author=request.user,
                participants=data["participants"],
                guidelines_confirmed=form.guidelines_confirmed,
                **_convening_kwargs(data),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Convening saved."))
            return redirect(convening)
    return render(request, "value/convening_form.html", {"form": form})


def convening_detail(request: Request, pk: int) -> HttpResponse:
    convening = selectors.get_convening_for(request.user, pk)
    return render(
        request,
        "value/convening_detail.html",
        {
            "convening": convening,
            "stories": selectors.stories_for_convening(viewer=request.user, convening=convening),
            **_item_context(convening),
        },
    )


@login_required
def convening_edit(request: Request, pk: int) -> HttpResponse:
    convening = selectors.get_convening_for(request.user, pk, write=True)
    fields = [
        "title",
        "kind",
        "starts_at",
        "ends_at",
        "place",
        "link",
        "group",
        "visibility",
        "other_participants",
        "notes",
        "outputs",
    ]
    initial: dict[str, Any] = {f: getattr(convening, f) for f in fields}
    initial["participants"] = list(convening.participants.all())
    form = ConveningForm(request.POST or None, viewer=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.convening_update(
                viewer=request.user,
                convening=convening,
                participants=data["participants"],
                guidelines_confirmed=form.guidelines_confirmed,
                **_convening_kwargs(data),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved. The earlier version is kept in the history."))
            return redirect(convening)
    return render(request, "value/convening_form.html", {"form": form, "convening": convening})


def _ics(request: Request, name: str, convenings: list[Any]) -> HttpResponse:
    body = ical.calendar_bytes(
        name=name,
        convenings=convenings,
        absolute=request.build_absolute_uri,
        host=request.get_host().split(":")[0],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="convenings.ics"'
    return response


def network_ics(request: Request) -> HttpResponse:
    """The network's calendar: public convenings for anyone; with a member's token, the
    network-wide ones too. A token that is given but wrong is refused."""
    token = request.GET.get("token")
    person = None
    if token is not None:
        person = selectors.person_for_calendar_token(token)
        if person is None:
            raise Http404
    return _ics(
        request,
        _("%(network)s convenings") % {"network": _network_name()},
        selectors.feed_convenings(person=person),
    )


def group_ics(request: Request, slug: str) -> HttpResponse:
    """A group's calendar, for its members, by their token (calendar apps cannot log in)."""
    person = selectors.person_for_calendar_token(request.GET.get("token", ""))
    if person is None:
        raise Http404
    group = selectors.feed_group_for(person=person, slug=slug)
    return _ics(
        request,
        _("%(group)s convenings") % {"group": group.name},
        selectors.feed_convenings(person=person, group=group),
    )


def _network_name() -> str:
    return str(settings.NETWORK_NAME)


# Stories -----------------------------------------------------------------------------


def story_list(request: Request) -> HttpResponse:
    cycle = request.GET.get("cycle") or None
    stories = selectors.story_list(
        viewer=request.user,
        group=int_param(request, "group"),
        cycle=cycle if cycle in ValueCycle.values else None,
        q=request.GET.get("q", "").strip() or None,
    )
    page = paginate(request, stories)
    for story in page:
        story.cycles = selectors.story_cycles(story)
    return render(
        request,
        "value/story_list.html",
        {
            "page": page,
            "cycles": ValueCycle.choices,
            "groups": group_list(viewer=request.user),
        },
    )


LINK_PARAMS = ("convening", "learning", "product", "outcome")


def _link_query(source: Any) -> str:
    """Carry the records a story is started from on to its first step."""
    params = {k: source.get(k) for k in LINK_PARAMS if (source.get(k) or "").isdigit()}
    cycle = source.get("cycle")
    if cycle in ValueCycle.values:
        params["cycle"] = cycle
    return ("?" + urlencode(params)) if params else ""


@login_required
def story_create(request: Request) -> HttpResponse:
    form = StoryForm(
        request.POST or None, viewer=request.user, initial={"group": request.GET.get("group")}
    )
    carry = _link_query(request.POST if request.method == "POST" else request.GET)
    if request.method == "POST" and form.is_valid():
        try:
            story = services.story_create(
                author=request.user,
                guidelines_confirmed=form.guidelines_confirmed,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Story started. Now add its first step."))
            return redirect(reverse("value:step_create", args=[story.pk]) + carry)
    carried = [
        (k, v)
        for k, v in (request.POST if request.method == "POST" else request.GET).items()
        if k in (*LINK_PARAMS, "cycle") and v
    ]
    return render(request, "value/story_form.html", {"form": form, "carried": carried})


def story_detail(request: Request, pk: int) -> HttpResponse:
    story = selectors.get_story_for(request.user, pk)
    return render(
        request,
        "value/story_detail.html",
        {
            "story": story,
            "thread": selectors.story_thread(viewer=request.user, story=story),
            **_item_context(story),
        },
    )


@login_required
def story_edit(request: Request, pk: int) -> HttpResponse:
    story = selectors.get_story_for(request.user, pk, write=True)
    initial = {f: getattr(story, f) for f in ("title", "summary", "group", "visibility")}
    form = StoryForm(request.POST or None, viewer=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.story_update(
                viewer=request.user,
                story=story,
                guidelines_confirmed=form.guidelines_confirmed,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved. The earlier version is kept in the history."))
            return redirect(story)
    return render(request, "value/story_form.html", {"form": form, "story": story})


@login_required
def step_create(request: Request, pk: int) -> HttpResponse:
    story = selectors.get_story_for(request.user, pk, write=True)
    initial = {k: request.GET.get(k) for k in LINK_PARAMS if request.GET.get(k, "").isdigit()}
    if request.GET.get("cycle") in ValueCycle.values:
        initial["cycle"] = request.GET["cycle"]
    form = StepForm(request.POST or None, viewer=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            step = services.story_step_add(viewer=request.user, story=story, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Step added to %(cycle)s.") % {"cycle": step.get_cycle_display().lower()},
            )
            if "another" in request.POST:
                return redirect("value:step_create", story.pk)
            return redirect(step)
    return render(request, "value/step_form.html", {"form": form, "story": story})


@login_required
def step_edit(request: Request, pk: int, step_pk: int) -> HttpResponse:
    story = selectors.get_story_for(request.user, pk, write=True)
    step = selectors.get_step_for(request.user, story, step_pk)
    initial = {name: getattr(step, name) for name in services.STEP_FIELDS}
    form = StepForm(request.POST or None, viewer=request.user, initial=initial, step=step)
    if request.method == "POST" and form.is_valid():
        step.story = story
        try:
            services.story_step_update(viewer=request.user, step=step, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Step saved."))
            return redirect(step)
    return render(request, "value/step_form.html", {"form": form, "story": story, "step": step})


@login_required
@require_POST
def step_delete(request: Request, pk: int, step_pk: int) -> HttpResponse:
    story = selectors.get_story_for(request.user, pk, write=True)
    step = selectors.get_step_for(request.user, story, step_pk)
    step.story = story
    services.story_step_delete(viewer=request.user, step=step)
    messages.success(request, _("Step removed."))
    return redirect(story)


# The value matrix ---------------------------------------------------------------------


def _matrix(request: Request) -> Any:
    group = selectors.matrix_group(request.user, int_param(request, "group"))
    return selectors.value_matrix(viewer=request.user, group=group)


@login_required
def matrix(request: Request) -> HttpResponse:
    m = _matrix(request)
    bars = []
    width = 240
    for index, col in enumerate(m.columns):
        bars.append(
            {
                "col": col,
                "y": 8 + index * 36,
                "ty": 25 + index * 36,
                "w": round(width * col.stories / m.max_stories),
                "stop": bool(m.stop and col.cycle in m.stop),
            }
        )
    return render(
        request,
        "value/matrix.html",
        {
            "matrix": m,
            "bars": bars,
            "rule": selectors.FLOW_RULE,
            "groups": group_list(viewer=request.user),
            "csv_query": f"?group={m.group.pk}" if m.group else "",
        },
    )


@login_required
def matrix_csv(request: Request) -> HttpResponse:
    m = _matrix(request)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Cycle of value"), _("Stories"), _("Steps"), _("Indicators"), _("Links")])
    for col in m.columns:
        writer.writerow([col.label, col.stories, col.steps, col.indicators, col.linked_records])
    # UTF-8 with a byte-order mark, so that spreadsheets read accents correctly.
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"value-matrix-{m.group.slug}.csv" if m.group else "value-matrix-network.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
