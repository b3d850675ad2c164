"""A force-directed layout (Fruchterman and Reingold, 1991), in plain Python so that it
needs nothing beyond the standard library.

networkx's own `spring_layout` needs numpy; this one gives the same kind of picture — tied
people pulled together, everyone pushed apart, stronger ties pulling harder — and is
deterministic: the same graph and seed always give the same coordinates, on any machine.
A gentle pull towards the centre keeps people without ties, and small separate clusters,
from drifting to the edges.

Up to EXACT_UP_TO people, every pair pushes on each other; beyond, far-away people push as
one (a Barnes-Hut quadtree), so that a network of a thousand people is laid out in seconds.
People given in `fixed` keep their place (a quarter's map reuses the year's places, so that
people stay where the eye expects them); only the others move.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

SEED = 20240
ITERATIONS = 80
MARGIN = 0.04
GRAVITY = 0.08
EXACT_UP_TO = 250
THETA = 1.2  # Barnes-Hut: a cell further away than its size / THETA pushes as one
LARGE_ITERATIONS = 50  # enough for a large network, whose picture is a crowd anyway


class _Cell:
    __slots__ = ("body", "children", "mass", "mx", "my", "size", "x0", "y0")

    def __init__(self, x0: float, y0: float, size: float) -> None:
        self.x0, self.y0, self.size = x0, y0, size
        self.mass = 0
        self.mx = self.my = 0.0
        self.body = -1  # the one person in a leaf
        self.children: list[_Cell | None] | None = None


def _insert(cell: _Cell, i: int, xs: list[float], ys: list[float], depth: int = 0) -> None:
    x, y = xs[i], ys[i]
    cell.mx = (cell.mx * cell.mass + x) / (cell.mass + 1)
    cell.my = (cell.my * cell.mass + y) / (cell.mass + 1)
    cell.mass += 1
    if cell.mass == 1:
        cell.body = i
        return
    if depth > 40:  # people on the very same spot: keep them together in this leaf
        return
    if cell.children is None:
        cell.children = [None, None, None, None]
        previous, cell.body = cell.body, -1
        if previous >= 0:
            _insert_child(cell, previous, xs, ys, depth)
    _insert_child(cell, i, xs, ys, depth)


def _insert_child(cell: _Cell, i: int, xs: list[float], ys: list[float], depth: int) -> None:
    assert cell.children is not None
    half = cell.size / 2
    east = xs[i] >= cell.x0 + half
    south = ys[i] >= cell.y0 + half
    slot = east + 2 * south
    child = cell.children[slot]
    if child is None:
        child = cell.children[slot] = _Cell(cell.x0 + half * east, cell.y0 + half * south, half)
    _insert(child, i, xs, ys, depth + 1)


def _push_tree(
    root: _Cell, i: int, xs: list[float], ys: list[float], k2: float
) -> tuple[float, float]:
    x, y = xs[i], ys[i]
    fx = fy = 0.0
    stack = [root]
    while stack:
        cell = stack.pop()
        if cell.mass == 0 or cell.body == i:
            continue
        dx, dy = x - cell.mx, y - cell.my
        dist = math.hypot(dx, dy)
        inside = cell.x0 <= x < cell.x0 + cell.size and cell.y0 <= y < cell.y0 + cell.size
        if cell.children is None or (not inside and cell.size / dist < THETA):
            if dist < 1e-9:
                continue
            force = k2 * cell.mass / dist
            fx += dx / dist * force
            fy += dy / dist * force
        else:
            stack.extend(c for c in cell.children if c is not None)
    return fx, fy


def spring_layout(
    nodes: Iterable[Hashable],
    edges: Iterable[tuple[Hashable, Hashable, float]],
    *,
    seed: int = SEED,
    iterations: int = ITERATIONS,
    fixed: Mapping[Any, tuple[float, float]] | None = None,
) -> dict[Hashable, tuple[float, float]]:
    """Coordinates in 0..1 for every node; `edges` are (a, b, weight) with weight > 0."""
    order = sorted(nodes, key=repr)
    n = len(order)
    if n == 0:
        return {}
    if n == 1:
        return {order[0]: (0.5, 0.5)}
    known = set(order)
    fixed = {node: xy for node, xy in (fixed or {}).items() if node in known}
    rng = random.Random(seed)
    index = {node: i for i, node in enumerate(order)}
    xs = [rng.random() for _ in range(n)]
    ys = [rng.random() for _ in range(n)]
    for node, (x, y) in fixed.items():
        xs[index[node]], ys[index[node]] = x, y
    movers = [i for i, node in enumerate(order) if node not in fixed]
    if not movers:
        return {node: fixed[node] for node in order}
    links = [(index[a], index[b], w) for a, b, w in edges if a in index and b in index and a != b]
    top = max((w for _, _, w in links), default=1.0) or 1.0
    links = [(i, j, w / top) for i, j, w in links]

    k = math.sqrt(1.0 / n)  # the ideal distance between two people
    k2 = k * k
    if n > EXACT_UP_TO:
        iterations = min(iterations, LARGE_ITERATIONS)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    moving = set(movers)
    for _ in range(iterations):
        dx = [0.0] * n
        dy = [0.0] * n
        if n <= EXACT_UP_TO:
            for i in movers:
                xi, yi = xs[i], ys[i]
                fx = fy = 0.0
                for j in range(n):
                    if j == i:
                        continue
                    ddx, ddy = xi - xs[j], yi - ys[j]
                    dist = math.hypot(ddx, ddy)
                    if dist < 1e-9:  # two people on the same spot: part them
                        ddx, ddy, dist = (i - j) * 1e-3, 1e-3, 1e-3 * math.hypot(i - j, 1)
                    force = k2 / dist
                    fx += ddx / dist * force
                    fy += ddy / dist * force
                dx[i], dy[i] = fx, fy
        else:
            lo = min(min(xs), min(ys))
            size = max(max(xs), max(ys)) - lo + 1e-6
            root = _Cell(lo, lo, size)
            for i in range(n):
                _insert(root, i, xs, ys)
            for i in movers:
                dx[i], dy[i] = _push_tree(root, i, xs, ys, k2)
        for i, j, w in links:
            if i not in moving and j not in moving:
                continue
            ddx, ddy = xs[i] - xs[j], ys[i] - ys[j]
            dist = math.hypot(ddx, ddy)
            if dist < 1e-9:
                continue
            force = dist * dist / k * w
            fx, fy = ddx / dist * force, ddy / dist * force
            dx[i] -= fx
            dy[i] -= fy
            dx[j] += fx
            dy[j] += fy
        for i in movers:
            dx[i] -= (xs[i] - 0.5) * GRAVITY
            dy[i] -= (ys[i] - 0.5) * GRAVITY
            length = math.hypot(dx[i], dy[i])
            if length > 0:
                step = min(length, temperature)
                xs[i] += dx[i] / length * step
                ys[i] += dy[i] / length * step
        temperature -= cooling
    if fixed:  # the fixed places are already in 0..1; keep them, clamp the newcomers
        return {
            node: fixed[node]
            if node in fixed
            else (round(min(max(xs[i], 0.0), 1.0), 4), round(min(max(ys[i], 0.0), 1.0), 4))
            for i, node in enumerate(order)
        }
    return _fit(order, xs, ys)


def _fit(
    order: list[Hashable], xs: list[float], ys: list[float]
) -> dict[Hashable, tuple[float, float]]:
    """Scale into MARGIN..1-MARGIN on both axes, keeping the proportions."""
    lo_x, hi_x, lo_y, hi_y = min(xs), max(xs), min(ys), max(ys)
    span = max(hi_x - lo_x, hi_y - lo_y) or 1.0
    room = 1 - 2 * MARGIN
    off_x = (1 - (hi_x - lo_x) / span * room) / 2
    off_y = (1 - (hi_y - lo_y) / span * room) / 2
    return {
        node: (
            round(off_x + (x - lo_x) / span * room, 4),
            round(off_y + (y - lo_y) / span * room, 4),
        )
        for node, x, y in zip(order, xs, ys, strict=True)
    }
