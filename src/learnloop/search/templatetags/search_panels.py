"""Placeholders for the semantic layer's panels inside item pages: `{% related_items item %}`
on learning and idea pages, `{% who_could_help idea %}` on idea pages (questions show
theirs inside community's "people who might know", which takes the same signal).

A placeholder costs the page nothing: htmx fills it from /search/related/… or
/search/who-could-help/… once the page is shown (those answers are cached per viewer);
without JavaScript it is a link to the same panel as a page of its own.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from learnloop.core import access
from learnloop.core.items import item_kind

register = template.Library()


def _slot(name: str, item: Any, show: bool) -> dict[str, Any]:
    try:
        url = reverse(name, args=[item_kind(item), item.pk])
    except NoReverseMatch:  # the search app's addresses are not installed
        show, url = False, ""
    return {"show_panel": show and item.deleted_at is None, "url": url}


@register.inclusion_tag("search/_related_slot.html", takes_context=True)
def related_items(context: template.Context, item: Any) -> dict[str, Any]:
    return _slot("search:related", item, True)


@register.inclusion_tag("search/_who_slot.html", takes_context=True)
def who_could_help(context: template.Context, item: Any) -> dict[str, Any]:
    return _slot("search:who_could_help", item, access.is_member(context["request"].user))
