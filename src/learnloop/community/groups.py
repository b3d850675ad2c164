"""How big an impact group is, compared with the size that tends to work.

An impact group works best with about 5 to 15 people: small enough that everyone speaks at
each meeting and trusts the others with half-finished work, large enough to test an idea
in more than one place. Outside that range LearnLoop says so, plainly and once, and never
blocks anything: the group knows its own situation best.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from learnloop.people.models import GroupKind
from learnloop.people.selectors import IMPACT_GROUP_SIZE

SMALL = "small"
LARGE = "large"


@dataclass(frozen=True)
class SizeAdvice:
    level: str  # SMALL or LARGE
    count: int
    low: int
    high: int
    message: str
    short: str


def member_count(group: Any) -> int:
    """The group's number of members: the annotation list and detail pages already carry,
    else one query."""
    count = getattr(group, "member_count", None)
    if count is None:
        count = group.memberships.count()
    return int(count)


def group_size_advice(group: Any, count: int | None = None) -> SizeAdvice | None:
    """A word when an impact group is smaller or larger than works well; None when it is
    within the range, and for teams and clusters (whose size is set by other things)."""
    if group is None or group.kind != GroupKind.IMPACT:
        return None
    n = member_count(group) if count is None else count
    low, high = IMPACT_GROUP_SIZE
    if n < low:
        message = _(
            "Impact groups tend to work best with %(low)s to %(high)s people. This one has "
            "%(n)s: a few more voices would help it test ideas in more than one place."
        ) % {"low": low, "high": high, "n": n}
        return SizeAdvice(SMALL, n, low, high, message, _("Small for an impact group"))
    if n > high:
        message = _(
            "Impact groups tend to work best with %(low)s to %(high)s people. This one has "
            "%(n)s: large enough to split into two groups of about %(half)s, which can stay "
            "linked in a cluster."
        ) % {"low": low, "high": high, "n": n, "half": (n + 1) // 2}
        return SizeAdvice(LARGE, n, low, high, message, _("Large enough to split in two"))
    return None


def adding_advice(group: Any, count: int | None = None) -> str:
    """What adding one more person means for the group's size (shown by the "add a member"
    form); empty when it changes nothing worth saying."""
    if group is None or group.kind != GroupKind.IMPACT:
        return ""
    n = member_count(group) if count is None else count
    low, high = IMPACT_GROUP_SIZE
    if n + 1 > high:
        return _(
            "Adding someone makes %(n)s people, more than the %(low)s to %(high)s an impact "
            "group usually works best with. You can still add them; the group might think "
            "about splitting in two."
        ) % {"n": n + 1, "low": low, "high": high}
    if n < low:
        missing = low - n
        return _(
            "%(missing)s more would bring the group to the %(low)s people it tends to need."
        ) % {"missing": missing, "low": low}
    return ""
