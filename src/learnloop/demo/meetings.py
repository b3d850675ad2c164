"""Demo network: meetings (issue 5)."""

from __future__ import annotations

from typing import Any


def build(b: Any) -> None:
    """Add this part of the demo; `b` is the demo builder (see builder._Builder)."""
