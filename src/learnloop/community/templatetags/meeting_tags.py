"""Template tags for impact groups: size advice (`{% group_size_advice group as advice %}`,
`{% adding_advice group as text %}`) and the meetings panel of a group's page
(`{% group_meetings group %}`)."""

from __future__ import annotations

from typing import Any

from django import template

from learnloop.community import groups
from learnloop.core import access

register = template.Library()


@register.simple_tag
def group_size_advice(group: Any) -> groups.SizeAdvice | None:
    return groups.group_size_advice(group)


@register.simple_tag
def adding_advice(group: Any) -> str:
    return groups.adding_advice(group)


@register.inclusion_tag("community/meeting_group_panel.html", takes_context=True)
def group_meetings(context: template.Context, group: Any) -> dict[str, Any]:
    """The next meeting and the last one, with the ways in: one query."""
    from learnloop.community import meeting_selectors as sel

    viewer = context["request"].user
    upcoming, held = sel.next_and_last(viewer=viewer, group=group)
    return {
        "group": group,
        "next_meeting": upcoming,
        "last_meeting": held,
        "may_plan": sel.may_plan(viewer, group),
        "may_moderate": access.can_moderate_group(viewer, group.pk),
    }
