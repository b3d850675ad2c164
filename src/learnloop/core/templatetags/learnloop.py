"""Template helpers every page uses: Markdown, stage and visibility badges, permissions."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from learnloop.core import access
from learnloop.core.items import item_kind
from learnloop.core.markdown import plain_text, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    # render_markdown sanitizes with nh3, so its output is safe to mark as such.
    return mark_safe(render_markdown(text))  # noqa: S308


@register.filter
def excerpt(text: str, limit: int = 240) -> str:
    return plain_text(text, int(limit))


@register.simple_tag
def stage_badge(idea: Any) -> SafeString:
    return format_html(
        '<span class="badge stage stage-{}" title="{}">{}</span>',
        idea.stage,
        idea.stage_help,
        idea.get_stage_display(),
    )


@register.simple_tag
def visibility_badge(item: Any) -> SafeString:
    return format_html(
        '<span class="badge vis vis-{}">{}</span>', item.visibility, item.get_visibility_display()
    )


@register.simple_tag(takes_context=True)
def can_change(context: template.Context, item: Any) -> bool:
    return access.can_change(context["request"].user, item)


@register.simple_tag(takes_context=True)
def can_contribute(context: template.Context, item: Any) -> bool:
    return access.can_contribute(context["request"].user, item)


@register.filter
def kind_of(item: Any) -> str:
    return item_kind(item)
