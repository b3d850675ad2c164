"""`{% idea_measures idea as charts %}`: the measures an idea aims to move, each with a
small run chart, for the viewer in `request` (members only: measures are not public)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from learnloop.measures import charts, selectors

register = template.Library()


def _charts(context: template.Context, **target: Any) -> list[dict[str, Any]]:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    result = []
    for row in selectors.idea_charts(viewer=viewer, **target):
        measure = row["measure"]
        chart = charts.run_chart(measure, row["network"], size="small")
        chart["runs_note"] = charts.runs_note(row["network"])
        chart["csv_url"] = reverse("measures:chart_csv", args=[measure.slug])
        result.append({"measure": measure, "chart": chart})
    return result


@register.simple_tag(takes_context=True)
def idea_measures(context: template.Context, idea: Any) -> list[dict[str, Any]]:
    return _charts(context, idea=idea)


@register.simple_tag(takes_context=True)
def test_cycle_measures(context: template.Context, cycle: Any) -> list[dict[str, Any]]:
    """For a test cycle page, should it want the same panel."""
    return _charts(context, test_cycle=cycle)
