"""Who may see, run and schedule the consolidation routines, and how a cadence counts days.

Kept in one module so that services, selectors, views and the API ask the same questions:

* every member sees summaries (they are written to be shared) and reduction rounds (the
  whole network's decisions); a synthesis is seen by the members of its group, and for a
  cluster also by the members of the groups it links; stewards see every routine;
* a person runs their own summary; members of a group (or of a cluster or a group it
  links) run its synthesis; stewards and group moderators lead a reduction round;
* a person sets their own summary cadence, a group's moderators (and stewards) its
  synthesis cadence, stewards the network's reduction cadence.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learnloop.consolidation.models import RoutineKind
from learnloop.core import access
from learnloop.people.models import Cadence, GroupKind

# The cadence as a word before "summary" ("your monthly summary").
CADENCE_WORDS = {
    Cadence.WEEKLY: _("weekly"),
    Cadence.FORTNIGHTLY: _("fortnightly"),
    Cadence.MONTHLY: _("monthly"),
    Cadence.QUARTERLY: _("quarterly"),
}
DAYS = {Cadence.WEEKLY: 7, Cadence.FORTNIGHTLY: 14}
MONTHS = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3}


def cadence_word(cadence: str) -> str:
    return str(CADENCE_WORDS.get(cadence, cadence))  # type: ignore[call-overload]


def add_cadence(day: date, cadence: str) -> date:
    """One period later; a month later keeps the day of the month where it exists
    (31 January + a month = 28 or 29 February)."""
    if cadence in DAYS:
        return day + timedelta(days=DAYS[Cadence(cadence)])
    months = MONTHS.get(Cadence(cadence), 1) if cadence in Cadence.values else 1
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_after(due: date, cadence: str, today: date) -> date:
    """The next due date once a session is done: one period after the date it was due,
    and in the future even when the routine was long overdue (the rhythm is kept)."""
    nxt = add_cadence(due, cadence)
    while nxt <= today:
        nxt = add_cadence(nxt, cadence)
    return nxt


def moderated_group_ids(viewer: Any) -> set[int]:
    return {gid for gid in access.group_ids(viewer) if access.is_group_moderator(viewer, gid)}


def is_lead(viewer: Any) -> bool:
    """Stewards and the moderators of any group lead reduction rounds."""
    if not access.is_member(viewer):
        return False
    return access.is_steward(viewer) or bool(moderated_group_ids(viewer))


def synthesis_group_ids(viewer: Any) -> set[int]:
    """Groups whose syntheses the viewer may see and run: their own groups and the
    clusters those groups are linked to."""
    mine = access.group_ids(viewer)
    if not mine:
        return set()
    from learnloop.people.models import Group

    clusters = set(
        Group.objects.filter(kind=GroupKind.CLUSTER, linked_groups__in=mine).values_list(
            "pk", flat=True
        )
    )
    return mine | clusters


def routine_visible_q(viewer: Any) -> Q:
    """A filter for Routine rows the viewer may see."""
    if not access.is_member(viewer):
        return Q(pk__in=[])
    if access.is_steward(viewer):
        return Q()
    return (
        Q(kind__in=[RoutineKind.SUMMARY, RoutineKind.REDUCTION])
        | Q(person_id=viewer.pk)
        | Q(kind=RoutineKind.SYNTHESIS, group_id__in=sorted(synthesis_group_ids(viewer)))
    )


def may_run_synthesis(viewer: Any, group: Any) -> bool:
    if not access.is_member(viewer) or group is None:
        return False
    return access.is_steward(viewer) or group.pk in synthesis_group_ids(viewer)


def may_set_schedule(viewer: Any, kind: str, group: Any = None) -> bool:
    if not access.is_member(viewer):
        return False
    if kind == RoutineKind.SUMMARY:
        return True  # their own, always
    if kind == RoutineKind.SYNTHESIS:
        return group is not None and access.can_moderate_group(viewer, group.pk)
    return access.is_steward(viewer)


def may_change_schedule(viewer: Any, schedule: Any) -> bool:
    if schedule.kind == RoutineKind.SUMMARY:
        return access.is_member(viewer) and schedule.person_id == viewer.pk
    return may_set_schedule(viewer, schedule.kind, schedule.group)


def may_see_schedule(viewer: Any, schedule: Any) -> bool:
    if not access.is_member(viewer):
        return False
    if schedule.kind == RoutineKind.SUMMARY:
        return schedule.person_id == viewer.pk or access.is_steward(viewer)
    if schedule.kind == RoutineKind.SYNTHESIS:
        return access.is_steward(viewer) or schedule.group_id in synthesis_group_ids(viewer)
    return True
