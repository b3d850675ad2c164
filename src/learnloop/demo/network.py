"""Demo network: the network map (issue 5).

Runs last, once every other part of the demo has written its rows: the map of the last
twelve months and one snapshot per quarter, computed as `learnloop network refresh` does.
The demo's quiet transition team shows up as a silo (its work reaches nobody outside it),
and the people in two groups or in the freshman-success cluster as the bridges between
groups.
"""

from __future__ import annotations

from typing import Any


def build(b: Any) -> None:
    """Add this part of the demo; `b` is the demo builder (see builder._Builder)."""
    from learnloop.network.services import network_refresh

    network_refresh(force=True, today=b.today)
