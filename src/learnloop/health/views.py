"""Pages for the health of the knowledge cycle. Thin: parse, authorize, call selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.core.http import Request
from learnloop.core.viewtools import apply_errors
from learnloop.health import exports, selectors, services
from learnloop.health.charts import wave
from learnloop.health.forms import HealthSettingsForm
from learnloop.sharing.spread import period_since, spread_figures

SPREAD_PERIOD = "365"  # the same twelve months as the process map


@login_required
def health(request: Request) -> HttpResponse:
    group = selectors.scope_group(request.user, request.GET.get("group"))
    flows = selectors.cycle_flows(viewer=request.user, group=group)
    sections = selectors.cycle_gaps(
        viewer=request.user, group=group, flows=flows, limit=selectors.PAGE_LIMIT
    )
    return render(
        request,
        "health/health.html",
        {
            "group": group,
            "groups": selectors.scope_groups(request.user),
            "flows": flows,
            "wave": wave(flows),
            "sections": sections,
            "gap_count": sum(len(s.gaps) for s in sections),
            "settings": selectors.health_settings(),
            "query": f"?group={group.slug}" if group else "",
            "spread": spread_figures(
                viewer=request.user, group=group, since=period_since(SPREAD_PERIOD)[1]
            ),
        },
    )


@login_required
def flows_csv(request: Request) -> HttpResponse:
    group = selectors.scope_group(request.user, request.GET.get("group"))
    flows = selectors.cycle_flows(viewer=request.user, group=group)
    return exports.csv_response(exports.filename("flows", group), exports.flow_rows(flows))


@login_required
def gaps_csv(request: Request) -> HttpResponse:
    group = selectors.scope_group(request.user, request.GET.get("group"))
    sections = selectors.cycle_gaps(viewer=request.user, group=group)
    return exports.csv_response(
        exports.filename("gaps", group), exports.gap_rows(selectors.all_gaps(sections))
    )


@login_required
def health_settings(request: Request) -> HttpResponse:
    access.require_steward(request.user)
    form = HealthSettingsForm(request.POST or None, instance=selectors.health_settings())
    if request.method == "POST" and form.is_valid():
        try:
            services.health_settings_update(viewer=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Thresholds saved. The gaps list uses them from now on."))
            return redirect("health:health")
    return render(request, "health/settings.html", {"form": form})
