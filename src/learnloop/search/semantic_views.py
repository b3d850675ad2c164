"""Pages and fragments of the semantic layer: similar items while writing, the related
items and who-could-help panels, and themes.

Thin: parse, authorize, call one function, render. Item pages hold a placeholder for each
panel (search/templatetags) that htmx fills from here once the page is shown, so that an
item page costs no more than before; without JavaScript the placeholder is a link to the
same panel as a page of its own.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from learnloop.core import access
from learnloop.core.http import Request
from learnloop.core.viewtools import int_param
from learnloop.search import helpers, related, themes
from learnloop.search.models import ItemType

PANEL_TYPES = {
    "related": ("learning", "idea", "question", "product"),
    "who": ("idea", "question"),
}
SIMILAR_RATE = "40/m"  # a pause in typing every 600 ms at most is 100/min; most pause less


@require_POST
@ratelimit(key="user_or_ip", rate=SIMILAR_RATE, method="POST", block=True)
def similar(request: Request) -> HttpResponse:
    """htmx: existing learnings and ideas like the draft being written (never stored)."""
    if not access.is_member(request.user):
        raise PermissionDenied
    draft_type = request.POST.get("type", "")
    if draft_type not in (ItemType.LEARNING, ItemType.IDEA):
        draft_type = ItemType.LEARNING
    title = request.POST.get("title", "")
    body = request.POST.get("body") or request.POST.get("summary") or ""
    found = related.similar_drafts(viewer=request.user, title=title, body=body)
    return render(
        request,
        "search/_similar.html",
        {"items": [(s, related.hint_for(draft_type, s)) for s in found], "draft_type": draft_type},
    )


def _synthesis_pool(request: Request) -> tuple[list[Any], str, Any]:
    """The learnings a synthesis page shows for its group and filters (as it shows them),
    the page's address, and the group. 403 for someone who may not run it."""
    from learnloop.consolidation import routine_rules
    from learnloop.consolidation import routine_selectors as selectors
    from learnloop.consolidation.routine_forms import SynthesisFilter

    group = selectors.get_group_or_404(int_param(request, "group"))
    if not routine_rules.may_run_synthesis(request.user, group):
        raise PermissionDenied
    filters = SynthesisFilter(request.GET or None)
    tag = period = ""
    if filters.is_valid():
        tag, period = filters.cleaned_data["tag"], filters.cleaned_data["period"]
    qs = selectors.synthesis_learnings(viewer=request.user, group=group, tag=tag, period=period)
    ids = list(qs.values_list("pk", flat=True)[: selectors.SYNTHESIS_SHOWN])
    query = {
        "group": group.pk,
        **({"tag": tag} if tag else {}),
        **({"period": period} if period else {}),
    }
    back = reverse("routines:synthesis_new") + "?" + urlencode(query)
    return themes.learnings_by_ids(request.user, ids), back, group


@login_required
@require_http_methods(["GET", "POST"])
def themes_view(request: Request) -> HttpResponse:
    """Group learnings into themes: those ticked on a synthesis page (or all it shows, when
    fewer than three are ticked), or those a finished session brought together."""
    from learnloop.consolidation.routine_selectors import get_routine_for

    routine = None
    routine_pk = int_param(request, "routine")
    if routine_pk is not None:
        routine = get_routine_for(request.user, routine_pk)
        learnings = themes.routine_learnings(request.user, routine)
        back, group = routine.get_absolute_url(), routine.group
    else:
        learnings, back, group = _synthesis_pool(request)
        chosen = [int(v) for v in request.POST.getlist("learnings") if v.isdigit()]
        if request.method == "POST" and len(chosen) >= themes.MIN_ITEMS:
            learnings = themes.learnings_by_ids(request.user, chosen)
    result = error = None
    try:
        result = themes.group_into_themes(viewer=request.user, learnings=learnings)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return render(
        request,
        "search/themes.html",
        {"result": result, "error": error, "back": back, "group": group, "routine": routine},
    )


def _panel_item(request: Request, panel: str, item_type: str, pk: int) -> Any:
    from learnloop.core.items import item_model

    if item_type not in PANEL_TYPES[panel]:
        raise Http404
    return access.get_for(request.user, item_model(item_type).objects.all(), pk)


def related_panel(request: Request, item_type: str, pk: int) -> HttpResponse:
    """The related items of a learning, idea, question or product (404 if not visible)."""
    item = _panel_item(request, "related", item_type, pk)
    live = item.deleted_at is None
    found = []
    if live:
        found = related.related_items(viewer=request.user, item_type=item_type, item=item)
    return render(
        request,
        "search/_related.html" if request.htmx else "search/related_page.html",
        {"items": found, "item": item, "show_panel": live},
    )


@login_required
def who_panel(request: Request, item_type: str, pk: int) -> HttpResponse:
    """Who could help with an idea or a question (members; 404 if not visible)."""
    item = _panel_item(request, "who", item_type, pk)
    live = item.deleted_at is None
    exclude: set[int] = set()
    if item_type == "question":
        from learnloop.community.suggestions import excluded_ids

        exclude = excluded_ids(item)
    found = (
        helpers.who_could_help(viewer=request.user, item_type=item_type, item=item, exclude=exclude)
        if live
        else []
    )
    return render(
        request,
        "search/_who_could_help.html" if request.htmx else "search/who_could_help_page.html",
        {"helpers": found, "item": item, "show_panel": live},
    )
