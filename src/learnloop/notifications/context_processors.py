"""The unread count for the page header, counted only when a template shows it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from learnloop.core import access


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not access.is_member(user):
        return {"unread_notifications": 0}

    def count() -> int:
        from learnloop.notifications.selectors import unread_count

        return unread_count(viewer=user)

    return {"unread_notifications": SimpleLazyObject(count)}
