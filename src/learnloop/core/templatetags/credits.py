"""`{% item_credits item as credits %}`: who contributed to an item, for `core/_credits.html`."""

from __future__ import annotations

from typing import Any

from django import template

from learnloop.core import access
from learnloop.core.credits import Credit, credits

register = template.Library()


@register.simple_tag(takes_context=True)
def item_credits(context: template.Context, item: Any, public: bool | None = None) -> list[Credit]:
    """Credits for one item (detail pages). Visitors who are not logged in see the public
    credits only, whatever page they are on."""
    if public is None:
        request = context.get("request")
        public = request is None or not access.is_member(request.user)
    return credits(item, public=public)
