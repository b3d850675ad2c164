"""Ties between people, derived from what they do together.

Two people are tied when they share a group or when one acts on the other's work: they
worked on the same item, one commented on, endorsed, answered, reviewed or shared the
other's item, or linked their learning to the other's idea. Each kind of tie has a weight
(working on the same item says more than sharing a membership list).

Privacy is the first rule here, because the map is shown to every member: only group
memberships (visible to all members) and items visible to the whole network (visibility
network or public, not deleted) make ties. A comment on a group-only learning, an
endorsement of a private draft, an answer to a group's question: none of them ever counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import combinations
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learnloop.core.items import ITEM_TYPES
from learnloop.core.models import Comment, Revision, Visibility

SEEN_BY_EVERY_MEMBER = (Visibility.NETWORK, Visibility.PUBLIC)


class TieKind:
    GROUP = "group"
    SPACE = "space"  # the same cluster (creation space)
    COAUTHOR = "coauthor"
    COMMENT = "comment"
    ENDORSEMENT = "endorsement"
    ANSWER = "answer"
    EVIDENCE = "evidence"
    REVIEW = "review"
    SHARE = "share"


# How much one occurrence of each kind of tie counts.
WEIGHTS: dict[str, float] = {
    TieKind.GROUP: 1.0,
    TieKind.SPACE: 0.5,
    TieKind.COAUTHOR: 3.0,
    TieKind.COMMENT: 1.0,
    TieKind.ENDORSEMENT: 1.0,
    TieKind.ANSWER: 2.0,
    TieKind.EVIDENCE: 2.0,
    TieKind.REVIEW: 1.5,
    TieKind.SHARE: 2.0,
}

# Plain words for each kind, as the map shows them ("Ana — commented on one another's work,
# 3 times"); one of the two may have done it all.
LABELS: dict[str, Any] = {
    TieKind.GROUP: _("in the same group"),
    TieKind.SPACE: _("in the same creation space"),
    TieKind.COAUTHOR: _("worked on the same item"),
    TieKind.COMMENT: _("commented on one another's work"),
    TieKind.ENDORSEMENT: _("endorsed one another's ideas"),
    TieKind.ANSWER: _("answered one another's questions"),
    TieKind.EVIDENCE: _("backed one another's ideas with learnings"),
    TieKind.REVIEW: _("reviewed one another's ideas"),
    TieKind.SHARE: _("shared one another's products"),
}

# The tenth comment between two people says little more than the third: beyond this many
# occurrences of one kind, a pair's tie grows no stronger.
MAX_PER_KIND = 3

# Being on the same list says less in a large group: memberships tie people with full
# weight up to this size, and proportionally less beyond it.
FULL_WEIGHT_GROUP_SIZE = 16

CHUNK = 500  # ids per IN (…) query; SQLite limits the number of parameters


@dataclass(frozen=True)
class Window:
    """A stretch of days: `start` inclusive, `end` exclusive."""

    start: date
    end: date

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end, time.min, tzinfo=tz),
        )


@dataclass(frozen=True)
class Event:
    """One reason two people are tied, and the groups whose work it happened in."""

    a: int
    b: int
    kind: str
    groups: tuple[int, ...] = ()


@dataclass
class PersonRow:
    id: int
    username: str
    name: str


@dataclass
class GroupRow:
    id: int
    slug: str
    name: str
    kind: str
    members: set[int] = field(default_factory=set)


@dataclass
class Inputs:
    """Everything the graph is computed from, already filtered for privacy."""

    window: Window
    people: dict[int, PersonRow]
    groups: dict[int, GroupRow]
    events: list[Event]


def _visible_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}visibility__in": SEEN_BY_EVERY_MEMBER, f"{prefix}deleted_at": None})


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for i in range(0, len(ordered), CHUNK):
        yield ordered[i : i + CHUNK]


def _event(a: int | None, b: int | None, kind: str, *groups: int | None) -> Event | None:
    if a is None or b is None or a == b:
        return None
    lo, hi = (a, b) if a < b else (b, a)
    return Event(lo, hi, kind, tuple(sorted({g for g in groups if g is not None})))


# ----------------------------------------------------------------------------- people


def load_people(window: Window) -> dict[int, PersonRow]:
    """Active people who had joined by the end of the window."""
    from learnloop.people.models import Person

    _, end = window.bounds()
    rows = (
        Person.objects.filter(is_active=True, date_joined__lt=end)
        .order_by("pk")
        .values_list("pk", "username", "display_name", "first_name", "last_name")
    )
    return {
        pk: PersonRow(pk, username, display or f"{first} {last}".strip() or username)
        for pk, username, display, first, last in rows
    }


def load_groups(window: Window, people: dict[int, PersonRow]) -> dict[int, GroupRow]:
    """Groups that existed during the window, with the members who had joined by its end."""
    from learnloop.people.models import Group, Membership

    start, end = window.bounds()
    groups = {
        pk: GroupRow(pk, slug, name, kind)
        for pk, slug, name, kind in Group.objects.filter(created_at__lt=end)
        .filter(Q(archived_at__isnull=True) | Q(archived_at__gte=start))
        .order_by("name", "pk")
        .values_list("pk", "slug", "name", "kind")
    }
    memberships = Membership.objects.filter(
        group_id__in=list(groups), joined_at__lt=end
    ).values_list("group_id", "person_id")
    for group_id, person_id in memberships:
        if person_id in people:
            groups[group_id].members.add(person_id)
    return groups


# ------------------------------------------------------------------------- the sources


def membership_events(groups: dict[int, GroupRow]) -> list[Event]:
    """Everyone in a group is tied to everyone else in it; a cluster (creation space) ties
    its own members more loosely."""
    from learnloop.people.models import GroupKind

    events = []
    for group in groups.values():
        kind = TieKind.SPACE if group.kind == GroupKind.CLUSTER else TieKind.GROUP
        for a, b in combinations(sorted(group.members), 2):
            events.append(Event(a, b, kind, (group.id,)))
    return events


def _item_models() -> list[Any]:
    return [apps.get_model(label) for label in ITEM_TYPES.values()]


def _visible_items(
    refs: dict[int, set[int]], models_by_ct: dict[int, Any]
) -> dict[tuple[int, int], tuple[int, int | None]]:
    """(content type, id) → (author, group) for the referenced items every member may see."""
    found: dict[tuple[int, int], tuple[int, int | None]] = {}
    for ct_id, ids in refs.items():
        model = models_by_ct[ct_id]
        for chunk in _chunks(ids):
            rows = model.objects.filter(_visible_q(), pk__in=chunk).values_list(
                "pk", "author_id", "group_id"
            )
            for pk, author_id, group_id in rows:
                found[(ct_id, pk)] = (author_id, group_id)
    return found


def comment_and_coauthor_events(window: Window) -> list[Event]:
    """Comments on someone's item; and everyone credited on the same item (its author and
    the people whose edits are kept as revisions), tied when one of them edits it."""
    start, end = window.bounds()
    models_by_ct = {
        ct.pk: model for model, ct in ContentType.objects.get_for_models(*_item_models()).items()
    }
    comments = list(
        Comment.objects.filter(
            content_type_id__in=list(models_by_ct),
            deleted_at=None,
            created_at__gte=start,
            created_at__lt=end,
        ).values_list("content_type_id", "object_id", "author_id")
    )
    edits = list(
        Revision.objects.filter(
            content_type_id__in=list(models_by_ct), created_at__gte=start, created_at__lt=end
        ).values_list("content_type_id", "object_id", "author_id")
    )
    refs: dict[int, set[int]] = defaultdict(set)
    for ct_id, object_id, _author in [*comments, *edits]:
        refs[ct_id].add(object_id)
    items = _visible_items(refs, models_by_ct)

    events: list[Event] = []
    for ct_id, object_id, author_id in comments:
        item = items.get((ct_id, object_id))
        if item is not None and (e := _event(author_id, item[0], TieKind.COMMENT, item[1])):
            events.append(e)

    # Items someone other than the author edited in the window: credit everyone on them.
    edited: dict[tuple[int, int], set[int]] = defaultdict(set)
    for ct_id, object_id, author_id in edits:
        item = items.get((ct_id, object_id))
        if item is not None and author_id != item[0]:
            edited[(ct_id, object_id)].add(author_id)
    if edited:
        credited: dict[tuple[int, int], set[int]] = defaultdict(set)
        by_ct: dict[int, set[int]] = defaultdict(set)
        for ct_id, object_id in edited:
            by_ct[ct_id].add(object_id)
        for ct_id, ids in by_ct.items():
            for chunk in _chunks(ids):
                rows = Revision.objects.filter(
                    content_type_id=ct_id, object_id__in=chunk, created_at__lt=end
                ).values_list("object_id", "author_id")
                for object_id, author_id in rows:
                    credited[(ct_id, object_id)].add(author_id)
        for key, editors in edited.items():
            author_id, group_id = items[key]
            people = credited[key] | editors | {author_id}
            # One tie per pair per item (however often they edited), between each person
            # who edited it in the window and everyone else credited on it.
            for a, b in combinations(sorted(people), 2):
                if a in editors or b in editors:
                    events.append(Event(a, b, TieKind.COAUTHOR, (group_id,) if group_id else ()))
    return events


def endorsement_events(window: Window) -> list[Event]:
    from learnloop.consolidation.models import Endorsement

    start, end = window.bounds()
    rows = Endorsement.objects.filter(
        _visible_q("idea__"), created_at__gte=start, created_at__lt=end
    ).values_list("person_id", "idea__author_id", "idea__group_id")
    return [e for a, b, g in rows if (e := _event(a, b, TieKind.ENDORSEMENT, g))]


def answer_events(window: Window) -> list[Event]:
    from learnloop.generation.models import Answer

    start, end = window.bounds()
    rows = Answer.objects.filter(
        _visible_q("question__"), deleted_at=None, created_at__gte=start, created_at__lt=end
    ).values_list("author_id", "question__author_id", "question__group_id")
    return [e for a, b, g in rows if (e := _event(a, b, TieKind.ANSWER, g))]


def evidence_events(window: Window) -> list[Event]:
    """A learning linked to an idea as evidence ties the two authors: both the learning
    and the idea must be visible to every member."""
    from learnloop.consolidation.models import Evidence

    start, end = window.bounds()
    rows = Evidence.objects.filter(
        _visible_q("idea__"), _visible_q("learning__"), added_at__gte=start, added_at__lt=end
    ).values_list("learning__author_id", "idea__author_id", "learning__group_id", "idea__group_id")
    return [e for a, b, g1, g2 in rows if (e := _event(a, b, TieKind.EVIDENCE, g1, g2))]


def review_events(window: Window) -> list[Event]:
    from learnloop.consolidation.models import Review

    start, end = window.bounds()
    rows = Review.objects.filter(
        _visible_q("idea__"), created_at__gte=start, created_at__lt=end
    ).values_list("reviewer_id", "idea__author_id", "idea__group_id")
    return [e for a, b, g in rows if (e := _event(a, b, TieKind.REVIEW, g))]


def share_events(window: Window) -> list[Event]:
    from learnloop.sharing.models import Share

    start, end = window.bounds()
    rows = Share.objects.filter(
        _visible_q("product__"), shared_at__gte=start, shared_at__lt=end
    ).values_list("shared_by_id", "product__author_id", "product__group_id")
    return [e for a, b, g in rows if (e := _event(a, b, TieKind.SHARE, g))]


ACTIVITY_SOURCES = (
    comment_and_coauthor_events,
    endorsement_events,
    answer_events,
    evidence_events,
    review_events,
    share_events,
)


def collect(window: Window) -> Inputs:
    """Read everything the map of `window` is computed from (about fifteen queries)."""
    people = load_people(window)
    groups = load_groups(window, people)
    events = membership_events(groups)
    for source in ACTIVITY_SOURCES:
        events.extend(e for e in source(window) if e.a in people and e.b in people)
    return Inputs(window=window, people=people, groups=groups, events=events)


# -------------------------------------------------------------------------- weighting


@dataclass
class Tie:
    a: int
    b: int
    weight: float = 0.0
    kinds: dict[str, int] = field(default_factory=dict)
    groups: set[int] = field(default_factory=set)  # whose work it came from


def aggregate(events: Iterable[Event], groups: dict[int, GroupRow] | None = None) -> list[Tie]:
    """One tie per pair of people: the weight of each kind, counted up to MAX_PER_KIND
    times; a membership in a large group counts for less (see FULL_WEIGHT_GROUP_SIZE)."""
    ties: dict[tuple[int, int], Tie] = {}
    membership_weight: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
    for e in events:
        tie = ties.get((e.a, e.b))
        if tie is None:
            tie = ties[(e.a, e.b)] = Tie(e.a, e.b)
        tie.kinds[e.kind] = tie.kinds.get(e.kind, 0) + 1
        tie.groups.update(e.groups)
        if e.kind in (TieKind.GROUP, TieKind.SPACE) and groups is not None and e.groups:
            size = len(groups[e.groups[0]].members)
            scale = min(1.0, (FULL_WEIGHT_GROUP_SIZE - 1) / max(size - 1, 1))
            shares = membership_weight[(e.a, e.b)]
            shares[e.kind] = shares.get(e.kind, 0.0) + WEIGHTS[e.kind] * scale
    for key, tie in ties.items():
        total = 0.0
        for kind, n in tie.kinds.items():
            if kind in membership_weight.get(key, {}):
                total += membership_weight[key][kind]
            else:
                total += WEIGHTS[kind] * min(n, MAX_PER_KIND)
        tie.weight = round(total, 3)
    return sorted(ties.values(), key=lambda t: (t.a, t.b))
