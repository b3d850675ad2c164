"""Template tags for creation spaces: `{% follow_button group %}` on group and space pages,
and `{% people_who_might_know question %}` on a question's page."""

from __future__ import annotations

from typing import Any

from django import template

from learnloop.community.follow_button import button_context
from learnloop.core import access

register = template.Library()


@register.inclusion_tag("community/follow_button.html", takes_context=True)
def follow_button(
    context: template.Context, group: Any, following: bool | None = None
) -> dict[str, Any]:
    request = context["request"]
    return {
        **button_context(
            request.user, group, next_url=request.get_full_path(), following=following
        ),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("community/_suggest_panel.html", takes_context=True)
def people_who_might_know(context: template.Context, question: Any) -> dict[str, Any]:
    from learnloop.community.suggestions import people_who_might_know as suggest

    request = context["request"]
    viewer = request.user
    member = access.is_member(viewer)
    return {
        "request": request,
        "user": viewer,
        "csrf_token": context.get("csrf_token"),
        "question": question,
        "suggestions": suggest(viewer=viewer, question=question) if member else [],
        "may_ask": member and access.can_change(viewer, question) and not question.closed_at,
        "show_panel": member and question.deleted_at is None,
    }
