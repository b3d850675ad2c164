"""The network map page. Thin: parse, authorize, call selectors, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnloop.core.http import Request
from learnloop.network import selectors, services
from learnloop.network.drawing import draw
from learnloop.network.ties import LABELS, WEIGHTS


def _param(request: Request, name: str) -> str | None:
    return request.GET.get(name, "").strip() or None


@login_required
def network_map(request: Request) -> HttpResponse:
    window = _param(request, "window")
    group = _param(request, "group")
    person = _param(request, "person")
    m = selectors.network_map(viewer=request.user, window=window, group=group, person=person)
    changes = selectors.network_changes(viewer=request.user)
    keep = {k: v for k, v in (("window", window), ("group", group)) if v}

    def link(username: str) -> str:
        return "?" + urlencode({**keep, "person": username})

    return render(
        request,
        "network/map.html",
        {
            "map": m,
            "drawing": draw(m, link) if m.snapshot else None,
            "changes": changes,
            "windows": selectors.window_choices(changes),
            "window": m.snapshot.key if m.snapshot else "year",
            "clear_person": "?" + urlencode(keep),
            "keep_q": urlencode(keep) + "&" if keep else "",
            "window_q": f"&window={window}" if window and window != "year" else "",
            "kinds": [(LABELS[k], w) for k, w in WEIGHTS.items()],
        },
    )


@login_required
@require_POST
def refresh(request: Request) -> HttpResponse:
    services.refresh_request(viewer=request.user)
    messages.success(
        request,
        _("The map is being recomputed in the background; reload this page in a minute."),
    )
    return redirect("network:map")
