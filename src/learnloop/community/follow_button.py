"""What the follow button needs to know, for the template tag and the htmx answer."""

from __future__ import annotations

from typing import Any

from learnloop.community.follow_selectors import is_following
from learnloop.core import access


def button_context(
    viewer: Any, group: Any, *, next_url: str = "", following: bool | None = None
) -> dict[str, Any]:
    """`following` may be passed when the caller knows it already (a list of follows)."""
    member = access.is_member(viewer)
    inside = member and access.is_group_member(viewer, group.pk)
    if following is None:
        following = member and not inside and is_following(viewer, group.pk)
    return {
        "follow_group": group,
        "is_in_group": inside,
        "is_following": following,
        "can_follow": member and not inside and group.archived_at is None,
        "follow_next": next_url,
    }
