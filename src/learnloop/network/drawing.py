"""The network map as geometry for an inline SVG: people as dots (coloured by their main
group, sized by how much they bridge groups), ties as lines. Pure geometry and classes; the
template draws it, with no script and no inline style (colours come from network.css)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learnloop.network.selectors import NetworkMap, PersonNode, TieRow

WIDTH = 800
HEIGHT = 600
PAD = 30
R_MIN = 4.0
R_MAX = 13.0
LABELS_SHOWN = 10  # names written on the map when nobody is selected
MAX_LINES = 1500  # a large network draws its strongest ties only (and all of the selected's)
STRONG = 4.0  # tie weights drawn as strong / middling lines
MIDDLING = 2.0


@dataclass
class Dot:
    person: PersonNode
    cx: float
    cy: float
    r: float
    classes: str
    href: str
    title: str
    label: bool = False
    label_x: float = 0.0
    label_end: bool = False


@dataclass
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    classes: str
    a: str
    b: str


@dataclass
class Drawing:
    width: int
    height: int
    dots: list[Dot] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    left_out: int = 0  # weaker ties not drawn

    @property
    def tie_count(self) -> int:
        return len(self.lines) + self.left_out


def _strength(tie: TieRow) -> str:
    if tie.weight >= STRONG:
        return "tie-strong"
    return "tie-mid" if tie.weight >= MIDDLING else "tie-weak"


def _title(p: PersonNode) -> str:
    parts = [p.name]
    if p.main_group:
        parts.append(p.main_group.name)
    parts.append(ngettext("%(n)d tie", "%(n)d ties", p.degree) % {"n": p.degree})
    parts.append(_("bridging %(n)d%%") % {"n": p.bridging_percent})
    if p.named_broker:
        parts.append(_("named broker"))
    return " · ".join(parts)


def draw(m: NetworkMap, link: Callable[[str], str]) -> Drawing:
    """`link(username)` gives the address that selects a person."""
    drawing = Drawing(WIDTH, HEIGHT)
    people = m.shown_people
    if not people:
        return drawing
    xs = [p.x for p in people]
    ys = [p.y for p in people]
    x0, y0 = min(xs), min(ys)
    span_x = max(max(xs) - x0, 0.2)
    span_y = max(max(ys) - y0, 0.2)
    # Centre a small spread instead of stretching it over the whole box.
    x0 -= (span_x - (max(xs) - x0)) / 2
    y0 -= (span_y - (max(ys) - y0)) / 2

    def at(p: PersonNode) -> tuple[float, float]:
        return (
            round(PAD + (p.x - x0) / span_x * (WIDTH - 2 * PAD), 1),
            round(PAD + (p.y - y0) / span_y * (HEIGHT - 2 * PAD), 1),
        )

    low = min(p.bridging for p in people)
    high = max(p.bridging for p in people)
    selected = m.person
    near = {other.id for other, _tie in m.person_ties} if selected else set()
    if selected is not None:
        named = {selected.id} | {other.id for other, _tie in m.person_ties[:8]}
    elif m.group is not None:
        named = {p.id for p in people if m.in_group(p)}
    else:
        top = sorted(people, key=lambda p: (-p.betweenness, -p.bridging, p.name))
        named = {p.id for p in top[:LABELS_SHOWN]}

    ties = m.shown_ties
    if len(ties) > MAX_LINES:
        mine = [t for t in ties if selected is not None and selected.id in (t.a.id, t.b.id)]
        chosen = {id(t) for t in mine}
        rest = sorted((t for t in ties if id(t) not in chosen), key=lambda t: -t.weight)
        kept = mine + rest[: max(MAX_LINES - len(mine), 0)]
        drawing.left_out = len(ties) - len(kept)
        ties = kept
    for tie in ties:
        (x1, y1), (x2, y2) = at(tie.a), at(tie.b)
        classes = ["tie", _strength(tie)]
        if tie.crosses:
            classes.append("tie-cross")
        if selected is not None:
            classes.append("tie-sel" if selected.id in (tie.a.id, tie.b.id) else "tie-dim")
        drawing.lines.append(
            Line(x1, y1, x2, y2, " ".join(classes), tie.a.username, tie.b.username)
        )
    # The selected person's ties are drawn last, on top of the others.
    drawing.lines.sort(key=lambda line: "tie-sel" in line.classes)

    for p in people:
        cx, cy = at(p)
        r = R_MIN + (R_MAX - R_MIN) * ((p.bridging - low) / (high - low) if high > low else 0.5)
        classes = ["node", f"net-c{p.colour}" if p.colour is not None else "net-none"]
        if m.group is not None and not m.in_group(p):
            classes.append("node-outside")
        if p.named_broker:
            classes.append("node-broker")
        if selected is not None:
            classes.append(
                "node-sel" if p.id == selected.id else "node-near" if p.id in near else "node-dim"
            )
        end = cx > WIDTH - 160
        drawing.dots.append(
            Dot(
                person=p,
                cx=cx,
                cy=cy,
                r=round(r, 1),
                classes=" ".join(classes),
                href=link(p.username),
                title=_title(p),
                label=p.id in named,
                label_x=round(cx - r - 3 if end else cx + r + 3, 1),
                label_end=end,
            )
        )
    # Selected and labelled people on top.
    drawing.dots.sort(key=lambda d: (d.person.id == (selected.id if selected else None), d.label))
    return drawing
