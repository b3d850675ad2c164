"""Template helpers for where knowledge travels."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import template

from learnloop.sharing.broker_selectors import SphereTravels
from learnloop.sharing.broker_selectors import travels as group_travels

register = template.Library()


@register.simple_tag
def travels(shares: Sequence[Any], plans: Iterable[Any]) -> list[SphereTravels]:
    """`{% travels shares plans as spheres %}`: the shares the page loaded, grouped by
    sphere, each with the adoption plans (of those the page loaded) started from it."""
    return group_travels(list(shares), plans)
