"""The figures of the network map, computed with networkx from the ties.

For each person:

* **degree**: how many people they are tied to;
* **strength**: the summed weight of those ties;
* **betweenness**: how often they lie on the shortest path between two other people (0..1;
  stronger ties count as shorter paths);
* **group reach**: how many groups they reach — the groups they belong to, and the groups
  their ties into add up to at least REACH_MIN (say three comments, or one item worked on
  together);
* **bridging**: how evenly their ties spread across the network's groups, 0..1 (0 when
  every tie stays in one group, 1 when their ties are spread evenly over every group; the
  Gini-Simpson index of their tie weight by group, scaled by its largest possible value).

For each group: the ties its work makes — people acting on its items (commenting,
endorsing, answering, reviewing, sharing, working on them together, linking them as
evidence), not its membership list — counted **within** (both people in the group) and
**out** (one of them outside it). The **silo score** is the share of those ties that stay
within; a group is a **silo** when it is at least SILO_THRESHOLD. A group whose work made
no ties at all in the window has no score: it was quiet, which the map says as such.

A tie **crosses groups** when the two people share no group.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from learnloop.network.layout import spring_layout
from learnloop.network.ties import WEIGHTS, Inputs, Tie, TieKind, aggregate

FORMAT = 1
SEED = 20240
SILO_THRESHOLD = 0.8
MEMBERSHIP_KINDS = {TieKind.GROUP, TieKind.SPACE}
REACH_MIN = 3.0  # the tie weight into a group that counts as reaching it
# Exact betweenness looks at every pair of people; beyond this many, a fixed sample of
# this many sources estimates it (deterministically, with the seed), which keeps a network
# of a thousand people to seconds and ranks its brokers the same way.
BETWEENNESS_SAMPLE = 200


def _home_groups(inputs: Inputs) -> dict[int, tuple[int, ...]]:
    """Each person's groups for telling groups apart: their impact groups and teams, or —
    for someone only in clusters — those clusters."""
    from learnloop.people.models import GroupKind

    plain: dict[int, list[int]] = defaultdict(list)
    spaces: dict[int, list[int]] = defaultdict(list)
    for group in inputs.groups.values():
        target = spaces if group.kind == GroupKind.CLUSTER else plain
        for person_id in group.members:
            target[person_id].append(group.id)
    return {pk: tuple(sorted(plain.get(pk) or spaces.get(pk) or ())) for pk in inputs.people}


def _weight_by_group(
    ties: list[Tie], home: dict[int, tuple[int, ...]]
) -> dict[int, dict[int, float]]:
    """person → group → the weight of their ties into that group (a tie to someone in two
    groups counts half for each)."""
    into: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for tie in ties:
        for me, other in ((tie.a, tie.b), (tie.b, tie.a)):
            theirs = home.get(other, ())
            for g in theirs:
                into[me][g] += tie.weight / len(theirs)
    return into


def _bridging(weights: dict[int, float], group_count: int) -> float:
    """Gini-Simpson index (1 - sum of share²) of the weight by group, divided by its largest
    possible value (1 - 1/groups), so that evenly spread over every group is 1."""
    total = sum(weights.values())
    if total <= 0 or group_count < 2:
        return 0.0
    spread = 1.0 - sum((w / total) ** 2 for w in weights.values())
    return min(1.0, spread / (1.0 - 1.0 / group_count))


def _main_group(person_id: int, groups: tuple[int, ...], into: dict[int, float]) -> int | None:
    """Of a person's groups, the one most of their ties go to (the first by id on a tie)."""
    if not groups:
        return None
    return max(groups, key=lambda g: (round(into.get(g, 0.0), 6), -g))


def compute(inputs: Inputs, places: dict[int, tuple[float, float]] | None = None) -> dict[str, Any]:
    """The map of `inputs` as plain JSON-ready data (see NetworkSnapshot.data). `places`
    (person id → x, y) keeps people where another map put them; the others are laid out
    around them."""
    ties = aggregate(inputs.events, inputs.groups)
    home = _home_groups(inputs)
    into = _weight_by_group(ties, home)

    graph = nx.Graph()
    graph.add_nodes_from(sorted(inputs.people))
    for tie in ties:
        graph.add_edge(tie.a, tie.b, weight=tie.weight, distance=1.0 / tie.weight)
    n = graph.number_of_nodes()
    sample = BETWEENNESS_SAMPLE if n > BETWEENNESS_SAMPLE else None
    betweenness = (
        nx.betweenness_centrality(graph, k=sample, weight="distance", normalized=True, seed=SEED)
        if n > 2
        else dict.fromkeys(graph.nodes, 0.0)
    )
    layout = spring_layout(
        graph.nodes, [(t.a, t.b, t.weight) for t in ties], seed=SEED, fixed=places
    )

    group_count = len({g for mine in home.values() for g in mine})
    people = []
    for pk, row in sorted(inputs.people.items()):
        mine = home[pk]
        weights = dict(into.get(pk, {}))
        reached = set(mine) | {g for g, w in weights.items() if w >= REACH_MIN - 1e-9}
        x, y = layout.get(pk, (0.5, 0.5))
        people.append(
            {
                "id": pk,
                "username": row.username,
                "name": row.name,
                "groups": list(mine),
                "main_group": _main_group(pk, mine, weights),
                "degree": graph.degree(pk),
                "strength": round(graph.degree(pk, weight="weight"), 3),
                "betweenness": round(betweenness.get(pk, 0.0), 4),
                "reach": len(reached),
                "reach_groups": sorted(reached),
                "bridging": round(_bridging(weights, group_count), 4),
                "x": x,
                "y": y,
            }
        )

    edges = []
    cross = 0
    for tie in ties:
        crosses = bool(home[tie.a] or home[tie.b]) and not set(home[tie.a]) & set(home[tie.b])
        cross += crosses
        edges.append(
            {
                "a": tie.a,
                "b": tie.b,
                "weight": tie.weight,
                "kinds": dict(sorted(tie.kinds.items())),
                "crosses": crosses,
            }
        )

    # The ties each group's work made (its membership list aside).
    worked: dict[int, list[Tie]] = defaultdict(list)
    for tie in ties:
        if any(kind not in MEMBERSHIP_KINDS for kind in tie.kinds):
            for g in tie.groups:
                worked[g].append(tie)
    groups = []
    silos = []
    for group in inputs.groups.values():
        within = out = 0
        for tie in worked.get(group.id, ()):
            inside = (tie.a in group.members) + (tie.b in group.members)
            if inside == 2:
                within += 1
            elif inside == 1:
                out += 1
        total = within + out
        silo = round(within / total, 4) if total else None
        is_silo = silo is not None and len(group.members) >= 2 and silo >= SILO_THRESHOLD
        if is_silo:
            silos.append(group.id)
        groups.append(
            {
                "id": group.id,
                "slug": group.slug,
                "name": group.name,
                "kind": group.kind,
                "members": len(group.members),
                "internal": within,
                "external": out,
                "silo_score": silo,
                "is_silo": is_silo,
            }
        )

    return {
        "format": FORMAT,
        "window": [inputs.window.start.isoformat(), inputs.window.end.isoformat()],
        "people": people,
        "groups": groups,
        "edges": edges,
        "totals": {
            "people": n,
            "ties": len(edges),
            "cross_group_ties": cross,
            "silos": silos,
        },
        "weights": dict(WEIGHTS),
    }
