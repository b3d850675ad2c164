"""API for the network map: the latest map (optionally one group's part of it), how the
network changed quarter by quarter, and a steward's request to recompute it. Members only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from learnloop.core.api_support import MEMBER_AUTH, member
from learnloop.network import selectors, services
from learnloop.network.models import NetworkSnapshot

router = Router()


class WindowOut(Schema):
    key: str
    label: str
    kind: str
    start: date
    end: date  # exclusive
    complete: bool


class MapPersonOut(Schema):
    username: str
    name: str
    groups: list[str]
    main_group: str | None = None
    degree: int
    strength: float
    betweenness: float
    group_reach: int
    reach_groups: list[str]
    bridging: float
    named_broker: bool
    x: float
    y: float


class MapGroupOut(Schema):
    slug: str
    name: str
    kind: str
    members: int
    ties_within: int
    ties_out: int
    silo_score: float | None = None  # null: its work made no ties in the window
    is_silo: bool


class MapTieOut(Schema):
    a: str
    b: str
    weight: float
    kinds: dict[str, int]
    crosses_groups: bool


class MapTotalsOut(Schema):
    people: int
    ties: int
    cross_group_ties: int
    silos: list[str]


class MapOut(Schema):
    computed_at: datetime | None = None
    window: WindowOut | None = None
    group: str | None = None
    people: list[MapPersonOut]
    groups: list[MapGroupOut]
    ties: list[MapTieOut]
    totals: MapTotalsOut


class SiloOut(Schema):
    slug: str
    name: str


class ChangeOut(Schema):
    window: WindowOut
    computed_at: datetime
    people: int
    ties: int
    cross_group_ties: int
    cross_group_share: float
    silos: list[SiloOut]


class QueuedOut(Schema):
    detail: str


def _window(s: NetworkSnapshot) -> dict[str, Any]:
    return {
        "key": s.key,
        "label": s.label,
        "kind": s.kind,
        "start": s.window_start,
        "end": s.window_end,
        "complete": s.complete,
    }


@router.get("/network/map", response=MapOut, auth=MEMBER_AUTH)
def get_map(
    request: HttpRequest, group: str | None = None, window: str | None = None
) -> dict[str, Any]:
    """The latest map of the last twelve months (`window=2025-q2` for a quarter); with
    `group`, only that group's members, the people they are tied to, and their ties."""
    m = selectors.network_map(viewer=member(request), window=window, group=group)
    people = m.shown_people
    ties = m.shown_ties
    silos = [g.slug for g in m.silos]
    return {
        "computed_at": m.snapshot.computed_at if m.snapshot else None,
        "window": _window(m.snapshot) if m.snapshot else None,
        "group": m.group.slug if m.group else None,
        "people": [
            {
                "username": p.username,
                "name": p.name,
                "groups": [g.slug for g in p.groups],
                "main_group": p.main_group.slug if p.main_group else None,
                "degree": p.degree,
                "strength": p.strength,
                "betweenness": p.betweenness,
                "group_reach": p.reach,
                "reach_groups": [g.slug for g in p.reach_groups],
                "bridging": p.bridging,
                "named_broker": p.named_broker,
                "x": p.x,
                "y": p.y,
            }
            for p in people
        ],
        "groups": [
            {
                "slug": g.slug,
                "name": g.name,
                "kind": g.kind,
                "members": g.members,
                "ties_within": g.internal,
                "ties_out": g.external,
                "silo_score": g.silo_score,
                "is_silo": g.is_silo,
            }
            for g in m.groups
        ],
        "ties": [
            {
                "a": t.a.username,
                "b": t.b.username,
                "weight": t.weight,
                "kinds": t.kinds,
                "crosses_groups": t.crosses,
            }
            for t in ties
        ],
        "totals": {
            "people": len(people),
            "ties": len(ties),
            "cross_group_ties": sum(t.crosses for t in ties),
            "silos": silos,
        },
    }


@router.get("/network/changes", response=list[ChangeOut], auth=MEMBER_AUTH)
def get_changes(request: HttpRequest) -> list[dict[str, Any]]:
    """One row per quarter kept, oldest first: people, ties, the share of ties across
    groups, and the silos."""
    changes = selectors.network_changes(viewer=member(request))
    return [
        {
            "window": _window(row.snapshot),
            "computed_at": row.snapshot.computed_at,
            "people": row.snapshot.people_count,
            "ties": row.snapshot.tie_count,
            "cross_group_ties": row.snapshot.cross_tie_count,
            "cross_group_share": round(row.snapshot.cross_share, 3),
            "silos": row.snapshot.silos,
        }
        for row in changes.rows
    ]


@router.post("/network/refresh", response={202: QueuedOut}, auth=MEMBER_AUTH)
def refresh(request: HttpRequest) -> Any:
    """Stewards: recompute the map now, in the background."""
    services.refresh_request(viewer=member(request))
    return Status(202, {"detail": "The network map is being recomputed in the background."})
