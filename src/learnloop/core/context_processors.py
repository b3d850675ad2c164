from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from learnloop.core import access


def network(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "network_name": settings.NETWORK_NAME,
        "is_steward": access.is_steward(user),
        "is_member": access.is_member(user),
    }
