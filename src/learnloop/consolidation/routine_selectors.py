"""Reads for routines (placeholder: being written)."""

from __future__ import annotations

from typing import Any


def due_for(*, viewer: Any) -> list[Any]:
    """Routines due for this person (their summaries, their groups' syntheses, reductions)."""
    return []
