from __future__ import annotations

from typing import Any

from learnloop.consolidation.models import Evidence
from learnloop.core import access


def evidence_for_learning(*, viewer: Any, learning: Any) -> list[Evidence]:
    return list(
        Evidence.objects.filter(access.visible_q(viewer, "idea__"), learning=learning)
        .select_related("idea")
        .order_by("-added_at")
    )
