"""Reads for the network map. Members only: the map describes the network's inner life.

A snapshot holds only what every member may see (see `network.ties`), so every member gets
the same map. People deactivated since the snapshot was computed are left out when it is
read, and names are read fresh.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.network.models import NetworkSnapshot, SnapshotKind
from learnloop.network.ties import LABELS, MAX_PER_KIND, WEIGHTS, TieKind

PALETTE_SIZE = 10  # colours in network.css (.net-c0 … .net-c9)
CONNECTORS_SHOWN = 12
BROKERS_SHOWN = 10
CHANGES_SHOWN = 8  # quarters in "how it changed"
WINDOW_KEY = re.compile(r"^(\d{4})-q([1-4])$")


@dataclass
class GroupNode:
    id: int
    slug: str
    name: str
    kind: str
    members: int
    internal: int
    external: int
    silo_score: float | None  # None: its work made no ties in the window (quiet)
    is_silo: bool
    colour: int = 0

    @property
    def silo_percent(self) -> int | None:
        return None if self.silo_score is None else round(self.silo_score * 100)

    @property
    def quiet(self) -> bool:
        return self.silo_score is None


NO_GROUP = GroupNode(
    id=0,
    slug="",
    name="",
    kind="",
    members=0,
    internal=0,
    external=0,
    silo_score=0.0,
    is_silo=False,
    colour=-1,
)


@dataclass
class PersonNode:
    id: int
    username: str
    name: str
    groups: list[GroupNode]
    main_group: GroupNode | None
    degree: int
    strength: float
    betweenness: float
    reach: int
    reach_groups: list[GroupNode]
    bridging: float
    x: float
    y: float
    named_broker: bool = False

    @property
    def colour(self) -> int | None:
        return self.main_group.colour if self.main_group else None

    @property
    def outside_reach(self) -> list[GroupNode]:
        """The groups they reach beyond their own."""
        mine = {g.id for g in self.groups}
        return [g for g in self.reach_groups if g.id not in mine]

    @property
    def betweenness_percent(self) -> float:
        return round(self.betweenness * 100, 1)

    @property
    def bridging_percent(self) -> int:
        return round(self.bridging * 100)


@dataclass
class TieRow:
    a: PersonNode
    b: PersonNode
    weight: float
    kinds: dict[str, int]
    crosses: bool

    def other(self, person: PersonNode) -> PersonNode:
        return self.b if self.a.id == person.id else self.a

    @property
    def reasons(self) -> list[str]:
        """In plain words, strongest kind of tie first."""
        out = []
        for kind, n in self.kinds.items():
            label = str(LABELS.get(kind, kind))
            out.append(
                label if n == 1 or kind in (TieKind.GROUP, TieKind.SPACE) else f"{label} \u00d7{n}"
            )
        return out


@dataclass
class ChangeRow:
    snapshot: NetworkSnapshot

    @property
    def cross_percent(self) -> int:
        return round(self.snapshot.cross_share * 100)


@dataclass
class Changes:
    rows: list[ChangeRow]

    @property
    def first(self) -> ChangeRow | None:
        return self.rows[0] if len(self.rows) > 1 else None

    @property
    def last(self) -> ChangeRow | None:
        return self.rows[-1] if len(self.rows) > 1 else None

    def _silos(self, row: ChangeRow | None) -> dict[str, str]:
        return {s["slug"]: s["name"] for s in row.snapshot.silos} if row else {}

    @property
    def new_silos(self) -> list[str]:
        then, now = self._silos(self.first), self._silos(self.last)
        return [name for slug, name in now.items() if slug not in then]

    @property
    def opened_up(self) -> list[str]:
        then, now = self._silos(self.first), self._silos(self.last)
        return [name for slug, name in then.items() if slug not in now]

    @property
    def still_silos(self) -> list[str]:
        then, now = self._silos(self.first), self._silos(self.last)
        return [name for slug, name in now.items() if slug in then]


@dataclass
class NetworkMap:
    snapshot: NetworkSnapshot | None
    people: list[PersonNode] = field(default_factory=list)
    groups: list[GroupNode] = field(default_factory=list)
    ties: list[TieRow] = field(default_factory=list)
    group: GroupNode | None = None
    person: PersonNode | None = None

    # ------------------------------------------------------------------ what is shown

    @cached_property
    def shown_people(self) -> list[PersonNode]:
        """With a group chosen: its members and the people they are tied to."""
        if self.group is None:
            return self.people
        ids = {t.a.id for t in self.shown_ties} | {t.b.id for t in self.shown_ties}
        ids |= {p.id for p in self.people if self.in_group(p)}
        if self.person is not None:
            ids.add(self.person.id)
        return [p for p in self.people if p.id in ids]

    @cached_property
    def shown_ties(self) -> list[TieRow]:
        if self.group is None:
            return self.ties
        return [
            t
            for t in self.ties
            if self.in_group(t.a)
            or self.in_group(t.b)
            or (self.person is not None and self.person.id in (t.a.id, t.b.id))
        ]

    def in_group(self, person: PersonNode) -> bool:
        return self.group is not None and any(g.id == self.group.id for g in person.groups)

    # ------------------------------------------------------------------------ tables

    @cached_property
    def connectors(self) -> list[PersonNode]:
        """People whose ties span groups: reaching two groups or more, most bridging first;
        with a group chosen, those who connect it with another group."""
        found = [p for p in self.people if p.reach >= 2]
        if self.group is not None:
            gid = self.group.id
            found = [p for p in found if any(g.id == gid for g in p.reach_groups)]
        found.sort(key=lambda p: (-p.bridging, -p.reach, p.name))
        return found[:CONNECTORS_SHOWN]

    @cached_property
    def silo_table(self) -> list[GroupNode]:
        """Groups by their silo score, most closed first."""
        return sorted(
            (g for g in self.groups if g.members >= 2),
            key=lambda g: (g.quiet, -(g.silo_score or 0.0), g.external, g.name),
        )

    @property
    def silos(self) -> list[GroupNode]:
        return [g for g in self.silo_table if g.is_silo]

    @cached_property
    def brokers(self) -> list[PersonNode]:
        """Who brokers in practice: highest betweenness, then bridging."""
        pool = [p for p in self.people if p.betweenness > 0 or p.bridging > 0]
        if self.group is not None:
            pool = [p for p in pool if self.in_group(p)]
        pool.sort(key=lambda p: (-p.betweenness, -p.bridging, p.name))
        return pool[:BROKERS_SHOWN]

    @property
    def named_elsewhere(self) -> list[PersonNode]:
        """Named brokers who are not among the brokers in practice."""
        shown = {p.id for p in self.brokers}
        return [p for p in self.people if p.named_broker and p.id not in shown and not self.group]

    # ------------------------------------------------------------------ one person

    @cached_property
    def person_ties(self) -> list[tuple[PersonNode, TieRow]]:
        if self.person is None:
            return []
        mine = [(t.other(self.person), t) for t in self.ties if self.person.id in (t.a.id, t.b.id)]
        mine.sort(key=lambda pair: (-pair[1].weight, pair[0].name))
        return mine

    @cached_property
    def person_groups(self) -> list[tuple[GroupNode, list[tuple[PersonNode, TieRow]]]]:
        """Whom the selected person connects, group by group: their own groups first, then
        the others by how many people they reach there; people in no group last."""
        if self.person is None:
            return []
        by_group: dict[int, list[tuple[PersonNode, TieRow]]] = {}
        for other, tie in self.person_ties:
            for g in other.groups or [NO_GROUP]:
                by_group.setdefault(g.id, []).append((other, tie))
        own = {g.id for g in self.person.groups}
        groups = {g.id: g for g in self.groups} | {NO_GROUP.id: NO_GROUP}
        order = sorted(
            by_group,
            key=lambda gid: (
                gid == NO_GROUP.id,
                gid not in own,
                -len(by_group[gid]),
                groups[gid].name,
            ),
        )
        return [(groups[gid], by_group[gid]) for gid in order]

    @cached_property
    def legend(self) -> list[GroupNode]:
        used = {p.main_group.id for p in self.people if p.main_group}
        return [g for g in self.groups if g.id in used]

    @property
    def has_groupless(self) -> bool:
        return any(p.main_group is None for p in self.people)

    @property
    def has_named_brokers(self) -> bool:
        return any(p.named_broker for p in self.people)

    @property
    def cross_percent(self) -> int:
        return round(self.snapshot.cross_share * 100) if self.snapshot else 0


# ----------------------------------------------------------------------------- reads


def snapshot_for(window: str | None) -> NetworkSnapshot | None:
    """The snapshot a URL names: "year" (or nothing) for the latest map of the last twelve
    months, "2024-q3" for a quarter. An unknown quarter is a 404."""
    if not window or window == "year":
        return NetworkSnapshot.objects.filter(kind=SnapshotKind.YEAR).first()
    match = WINDOW_KEY.match(window)
    if match is None:
        raise Http404
    start = date(int(match[1]), 3 * (int(match[2]) - 1) + 1, 1)
    snapshot = NetworkSnapshot.objects.filter(kind=SnapshotKind.QUARTER, window_start=start).first()
    if snapshot is None:
        raise Http404
    return snapshot


def _live_people(ids: list[int]) -> dict[int, str]:
    from learnloop.people.models import Person

    rows = Person.objects.filter(pk__in=ids, is_active=True).values_list(
        "pk", "display_name", "first_name", "last_name", "username"
    )
    return {
        pk: display or f"{first} {last}".strip() or username
        for pk, display, first, last, username in rows
    }


def _named_brokers() -> set[int]:
    from learnloop.sharing.models import Broker

    named = Broker.objects.filter(retired_at__isnull=True).order_by()
    return set(named.values_list("person_id", flat=True))


def network_map(
    *,
    viewer: Any,
    window: str | None = None,
    group: str | None = None,
    person: str | None = None,
) -> NetworkMap:
    """The map as the page and the API show it; unknown group or person: 404."""
    if not access.is_member(viewer):
        raise Http404
    snapshot = snapshot_for(window)
    if snapshot is None:
        if group or person:
            raise Http404
        return NetworkMap(snapshot=None)
    data = snapshot.data
    groups = [
        GroupNode(
            id=g["id"],
            slug=g["slug"],
            name=g["name"],
            kind=g["kind"],
            members=g["members"],
            internal=g["internal"],
            external=g["external"],
            silo_score=g["silo_score"],
            is_silo=g["is_silo"],
            colour=i % PALETTE_SIZE,
        )
        for i, g in enumerate(data.get("groups", []))
    ]
    by_id = {g.id: g for g in groups}
    live = _live_people([p["id"] for p in data.get("people", [])])
    brokers = _named_brokers()
    people = [
        PersonNode(
            id=p["id"],
            username=p["username"],
            name=live[p["id"]],
            groups=[by_id[g] for g in p["groups"] if g in by_id],
            main_group=by_id.get(p["main_group"]) if p["main_group"] else None,
            degree=p["degree"],
            strength=p["strength"],
            betweenness=p["betweenness"],
            reach=p["reach"],
            reach_groups=[by_id[g] for g in p["reach_groups"] if g in by_id],
            bridging=p["bridging"],
            x=p["x"],
            y=p["y"],
            named_broker=p["id"] in brokers,
        )
        for p in data.get("people", [])
        if p["id"] in live
    ]
    people_by_id = {p.id: p for p in people}
    ties = [
        TieRow(
            a=people_by_id[e["a"]],
            b=people_by_id[e["b"]],
            weight=e["weight"],
            kinds=dict(sorted(e["kinds"].items(), key=lambda kv: -_kind_weight(kv[0], kv[1]))),
            crosses=e["crosses"],
        )
        for e in data.get("edges", [])
        if e["a"] in people_by_id and e["b"] in people_by_id
    ]
    result = NetworkMap(snapshot=snapshot, people=people, groups=groups, ties=ties)
    if group:
        result.group = next((g for g in groups if g.slug == group), None)
        if result.group is None:
            raise Http404
    if person:
        result.person = next((p for p in people if p.username == person), None)
        if result.person is None:
            raise Http404
    return result


def _kind_weight(kind: str, n: int) -> float:
    return WEIGHTS.get(kind, 1.0) * min(n, MAX_PER_KIND)


def network_changes(*, viewer: Any) -> Changes:
    """The quarter snapshots, oldest first (the last CHANGES_SHOWN of them)."""
    if not access.is_member(viewer):
        raise Http404
    rows = list(
        NetworkSnapshot.objects.filter(kind=SnapshotKind.QUARTER)
        .defer("data")
        .order_by("-window_start")[:CHANGES_SHOWN]
    )
    return Changes(rows=[ChangeRow(s) for s in reversed(rows)])


def last_refreshed() -> Any:
    return (
        NetworkSnapshot.objects.filter(kind=SnapshotKind.YEAR)
        .values_list("computed_at", flat=True)
        .first()
    )


def window_choices(changes: Changes) -> list[tuple[str, str]]:
    """For the window menu: the last twelve months, then each quarter kept (newest first)."""
    quarters = [(row.snapshot.key, row.snapshot.label) for row in reversed(changes.rows)]
    return [("year", _("The last twelve months")), *quarters]
