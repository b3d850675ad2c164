"""`{% routines_for idea as routines %}`: the routines that produced or strengthened an idea,
as the viewer may see them (used by consolidation/_produced_by_routines.html)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def routines_for(context: Any, idea: Any) -> list[Any]:
    from learnloop.consolidation.routine_selectors import routines_for_idea

    request = context.get("request")
    viewer = getattr(request, "user", None) or context.get("user")
    if idea is None or viewer is None:
        return []
    return routines_for_idea(viewer=viewer, idea=idea)
