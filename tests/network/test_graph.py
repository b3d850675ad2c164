"""The map's figures on small hand-built networks whose answers are known."""

from __future__ import annotations

import math
from datetime import date

import pytest

from learnloop.network.graph import compute
from learnloop.network.layout import spring_layout
from learnloop.network.ties import Event, GroupRow, Inputs, PersonRow, TieKind, Window
from learnloop.people.models import GroupKind

WINDOW = Window(date(2025, 1, 1), date(2025, 4, 1))
A, B = 10, 20  # two groups


def people(*ids: int) -> dict[int, PersonRow]:
    return {i: PersonRow(i, f"p{i}", f"Person {i}") for i in ids}


def two_groups(extra: list[Event]) -> dict:
    """Group A = 1, 2, 3 and group B = 4, 5, 6, tied inside by membership; `extra` adds
    activity."""
    groups = {
        A: GroupRow(A, "a", "Group A", GroupKind.IMPACT, members={1, 2, 3}),
        B: GroupRow(B, "b", "Group B", GroupKind.TEAM, members={4, 5, 6}),
    }
    events = [
        Event(x, y, TieKind.GROUP, (g,))
        for g, (x, y) in [
            (A, (1, 2)),
            (A, (1, 3)),
            (A, (2, 3)),
            (B, (4, 5)),
            (B, (4, 6)),
            (B, (5, 6)),
        ]
    ]
    return compute(Inputs(WINDOW, people(1, 2, 3, 4, 5, 6), groups, events + extra))


@pytest.fixture
def bridged():
    # 3 comments three times on 4's items in group B; 1 comments on 2's item in group A.
    return two_groups(
        [Event(3, 4, TieKind.COMMENT, (B,))] * 3 + [Event(1, 2, TieKind.COMMENT, (A,))]
    )


def by_id(data: dict, key: str) -> dict:
    return {row["id"]: row for row in data[key]}


def test_degree_strength_and_the_ties_between_groups(bridged):
    p = by_id(bridged, "people")
    assert {i: p[i]["degree"] for i in p} == {1: 2, 2: 2, 3: 3, 4: 3, 5: 2, 6: 2}
    assert p[3]["strength"] == 1 + 1 + 3  # two memberships and three comments
    assert p[1]["strength"] == 1 + 1 + 1  # two memberships, one comment on top of one
    assert bridged["totals"]["ties"] == 7
    crossing = [(e["a"], e["b"]) for e in bridged["edges"] if e["crosses"]]
    assert crossing == [(3, 4)]
    assert bridged["totals"]["cross_group_ties"] == 1


def test_the_two_people_on_the_bridge_have_all_the_betweenness(bridged):
    p = by_id(bridged, "people")
    # 3 and 4 each lie on every path between {1, 2} and the other side: 6 of the 10 pairs
    # of other people (normalized: 6 / 10).
    assert p[3]["betweenness"] == pytest.approx(0.6)
    assert p[4]["betweenness"] == pytest.approx(0.6)
    assert [p[i]["betweenness"] for i in (1, 2, 5, 6)] == [0, 0, 0, 0]


def test_group_reach_and_bridging(bridged):
    p = by_id(bridged, "people")
    # 3's ties: 2 into A (memberships), 3 into B (three comments, enough to reach it).
    assert p[3]["reach"] == 2
    assert p[3]["reach_groups"] == [A, B]
    # Gini-Simpson of (2/5, 3/5) = 0.48, out of at most 0.5 for two groups.
    assert p[3]["bridging"] == pytest.approx(0.96)
    assert p[1]["reach"] == 1
    assert p[1]["bridging"] == 0
    assert p[3]["main_group"] == A  # their only group
    assert p[1]["groups"] == [A]


def test_a_single_comment_does_not_reach_a_group():
    data = two_groups([Event(3, 4, TieKind.COMMENT, (B,))])
    p = by_id(data, "people")
    assert p[3]["reach"] == 1
    assert p[3]["bridging"] > 0  # but their ties do spread a little


def test_silo_scores_count_only_the_ties_a_groups_work_makes(bridged):
    g = by_id(bridged, "groups")
    # A: one comment inside it and nothing out: a silo. B: its one activity tie reaches
    # out (3 commenting on 4's items), none stays inside.
    assert (g[A]["internal"], g[A]["external"], g[A]["silo_score"]) == (1, 0, 1.0)
    assert g[A]["is_silo"] is True
    assert (g[B]["internal"], g[B]["external"], g[B]["silo_score"]) == (0, 1, 0.0)
    assert g[B]["is_silo"] is False
    assert bridged["totals"]["silos"] == [A]


def test_a_group_whose_work_made_no_ties_is_quiet_not_a_silo():
    data = two_groups([])
    g = by_id(data, "groups")
    assert g[A]["silo_score"] is None
    assert g[A]["is_silo"] is False
    assert data["totals"]["silos"] == []


def test_main_group_is_where_most_ties_go_and_cluster_only_people_keep_their_cluster():
    groups = {
        A: GroupRow(A, "a", "A", GroupKind.IMPACT, members={1, 2}),
        B: GroupRow(B, "b", "B", GroupKind.IMPACT, members={1, 3, 4}),
        30: GroupRow(30, "space", "Space", GroupKind.CLUSTER, members={1, 5}),
    }
    events = [
        Event(1, 2, TieKind.GROUP, (A,)),
        Event(1, 3, TieKind.GROUP, (B,)),
        Event(1, 4, TieKind.GROUP, (B,)),
        Event(3, 4, TieKind.GROUP, (B,)),
        Event(1, 5, TieKind.SPACE, (30,)),
    ]
    data = compute(Inputs(WINDOW, people(1, 2, 3, 4, 5, 6), groups, events))
    p = by_id(data, "people")
    assert p[1]["groups"] == [A, B]  # the cluster is not one of their groups
    assert p[1]["main_group"] == B
    assert p[5]["groups"] == [30]
    assert p[5]["main_group"] == 30
    assert p[6]["groups"] == [] and p[6]["main_group"] is None and p[6]["degree"] == 0


def test_the_layout_is_fixed_and_inside_the_unit_square(bridged):
    again = two_groups(
        [Event(3, 4, TieKind.COMMENT, (B,))] * 3 + [Event(1, 2, TieKind.COMMENT, (A,))]
    )
    first = {p["id"]: (p["x"], p["y"]) for p in bridged["people"]}
    second = {p["id"]: (p["x"], p["y"]) for p in again["people"]}
    assert first == second
    assert all(0 <= v <= 1 for xy in first.values() for v in xy)


def test_tied_people_are_drawn_closer_than_people_without_a_tie():
    triangle = [(1, 2, 1.0), (2, 3, 1.0), (1, 3, 1.0)]
    other = [(4, 5, 1.0), (5, 6, 1.0), (4, 6, 1.0)]
    pos = spring_layout(range(1, 7), triangle + other)

    def d(a: int, b: int) -> float:
        return math.dist(pos[a], pos[b])

    inside = [d(a, b) for a, b, _ in triangle + other]
    across = [d(a, b) for a in (1, 2, 3) for b in (4, 5, 6)]
    assert max(inside) < min(across)


def test_fixed_people_keep_their_place_and_a_newcomer_joins_them():
    edges = [(1, 2, 1.0), (2, 3, 1.0), (3, 4, 2.0)]
    fixed = {1: (0.1, 0.1), 2: (0.2, 0.2), 3: (0.9, 0.9)}
    pos = spring_layout([1, 2, 3, 4], edges, fixed=fixed)
    assert {n: pos[n] for n in fixed} == fixed
    assert all(0 <= v <= 1 for v in pos[4])
    # Pulled towards 3, its one tie, rather than towards the pair it has no tie with.
    assert math.dist(pos[4], pos[3]) < math.dist(pos[4], pos[1])


def test_a_large_network_is_laid_out_with_the_quadtree(monkeypatch):
    monkeypatch.setattr("learnloop.network.layout.EXACT_UP_TO", 3)
    triangle = [(1, 2, 1.0), (2, 3, 1.0), (1, 3, 1.0)]
    other = [(4, 5, 1.0), (5, 6, 1.0), (4, 6, 1.0)]
    pos = spring_layout(range(1, 7), triangle + other)
    inside = [math.dist(pos[a], pos[b]) for a, b, _ in triangle + other]
    across = [math.dist(pos[a], pos[b]) for a in (1, 2, 3) for b in (4, 5, 6)]
    assert max(inside) < min(across)
    assert pos == spring_layout(range(1, 7), triangle + other)


def test_empty_and_single_person_networks():
    assert compute(Inputs(WINDOW, {}, {}, []))["totals"] == {
        "people": 0,
        "ties": 0,
        "cross_group_ties": 0,
        "silos": [],
    }
    alone = compute(Inputs(WINDOW, people(1), {}, []))
    assert alone["people"][0]["x"] == 0.5 and alone["people"][0]["degree"] == 0
