"""Reads for reviews (placeholder: being written)."""

from __future__ import annotations

from typing import Any


def idea_review_panel(*, viewer: Any, idea: Any) -> dict[str, Any]:
    """Context for the idea page's review parts: `_review_flag.html` and `_reviews.html`."""
    return {}
