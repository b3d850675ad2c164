"""Credit for everyone who contributed to an item, not only its author.

Who counts, by kind of item:

* every item: its author, and whoever edited it (its revisions);
* an idea: the authors of the learnings linked as its evidence, and its reviewers;
* a knowledge product: everyone credited on the ideas it draws on;
* a learning recorded from a test cycle: the cycle's author;
* a question: those who answered it;
* a meeting (convening): those who took part, and so do the learnings captured from it
  (its step back), through the meeting; inside the network only, as who came to a
  meeting is named to members only.

Credits name people, never the items through which they contributed. Inside the network
they count every live contribution except private drafts; on public pages (`public=True`)
only contributions made through public items count (an idea's evidence authors only
through public evidence, a product's ideas only when public).

`credits_for(items)` does the work for a whole list in a fixed handful of queries (one for
the ideas behind products, one union of every kind of contribution, one for the people),
so list pages do not grow a query per item.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, IntegerField, Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from learnloop.core.models import Revision, Visibility

# The order roles are listed in, and their words.
ROLES: dict[str, Any] = {
    "author": _("wrote it"),
    "edited": _("edited it"),
    "cycle": _("ran the test cycle"),
    "evidence": _("gave evidence"),
    "reviewed": _("reviewed it"),
    "answered": _("answered"),
    "took_part": _("took part in the meeting"),
    "ideas": _("worked on its ideas"),
}

Key = tuple[str, int]


@dataclass
class Credit:
    person: Any
    roles: list[str] = field(default_factory=list)
    first: datetime | None = None

    @property
    def role_labels(self) -> list[str]:
        return [str(ROLES[r]) for r in ROLES if r in self.roles]

    @property
    def is_author(self) -> bool:
        return "author" in self.roles


def credit_key(item: Any) -> Key:
    return (item._meta.label, int(item.pk))


def _related_q(public: bool, prefix: str = "") -> Q:
    """Which related items a credit may pass through: live ones, not private drafts; on
    public pages, public ones only."""
    alive = Q(**{f"{prefix}deleted_at__isnull": True})
    if public:
        return alive & Q(**{f"{prefix}visibility": Visibility.PUBLIC})
    return alive & ~Q(**{f"{prefix}visibility": Visibility.DRAFT})


def _edge(qs: QuerySet[Any], ct: int | str, obj: str, person: str, role: str, at: str) -> Any:
    """One kind of contribution as rows of (content type, item id, person, role, when).

    Every column is an annotation, so each part of the union selects them in one order.
    """
    return (
        qs.order_by()
        .annotate(
            _ct=Value(ct, output_field=IntegerField()) if isinstance(ct, int) else F(ct),
            _obj=F(obj),
            _person=F(person),
            _role=Value(role, output_field=CharField()),
            _at=F(at),
        )
        .values_list("_ct", "_obj", "_person", "_role", "_at")
    )


def credits_for(items: Iterable[Any], *, public: bool = False) -> dict[Key, list[Credit]]:
    """Credits for each item (by `credit_key`), author first, then in the order people
    first contributed."""
    from learnloop.capture.models import KnowledgeProduct
    from learnloop.consolidation.models import Evidence, Idea, Review
    from learnloop.generation.models import Answer, Learning, Question
    from learnloop.value.models import Convening

    items = [i for i in items if i is not None and i.pk is not None]
    if not items:
        return {}
    by_label: dict[str, list[Any]] = {}
    for item in items:
        by_label.setdefault(item._meta.label, []).append(item)

    # (credited item key) ← (content type id, object id) of where a contribution lands.
    targets: dict[tuple[int, int], list[tuple[Key, str | None]]] = {}
    raw: dict[Key, list[tuple[int, str, datetime | None]]] = {credit_key(i): [] for i in items}

    def route(ct_id: int, obj_id: int, key: Key, as_role: str | None = None) -> None:
        targets.setdefault((ct_id, obj_id), []).append((key, as_role))

    cts = ContentType.objects.get_for_models(*[type(v[0]) for v in by_label.values()], Idea)
    ct_ids = {model._meta.label: ct.pk for model, ct in cts.items()}
    idea_ct = ct_ids[Idea._meta.label]

    for item in items:
        key = credit_key(item)
        raw[key].append((item.author_id, "author", item.created_at))
        route(ct_ids[item._meta.label], int(item.pk), key)

    # The ideas behind products: their people are credited on the product.
    idea_ids = {int(i.pk) for i in by_label.get(Idea._meta.label, [])}
    products = by_label.get(KnowledgeProduct._meta.label, [])
    if products:
        links = (
            Idea.objects.filter(_related_q(public), products__in=[p.pk for p in products])
            .order_by()
            .values_list("products__id", "id", "author_id", "created_at")
        )
        for product_id, idea_id, author_id, created in links:
            key = (KnowledgeProduct._meta.label, int(product_id))
            raw[key].append((author_id, "ideas", created))
            route(idea_ct, int(idea_id), key, "ideas")
            idea_ids.add(int(idea_id))

    # Every other contribution in one query.
    revision_q = Q()
    for label, group in by_label.items():
        revision_q |= Q(content_type_id=ct_ids[label], object_id__in=[i.pk for i in group])
    if idea_ids:
        revision_q |= Q(content_type_id=idea_ct, object_id__in=sorted(idea_ids))
    parts = [
        _edge(
            Revision.objects.filter(revision_q),
            "content_type_id",
            "object_id",
            "author_id",
            "edited",
            "created_at",
        )
    ]
    if idea_ids:
        ids = sorted(idea_ids)
        parts.append(
            _edge(
                Evidence.objects.filter(_related_q(public, "learning__"), idea_id__in=ids),
                idea_ct,
                "idea_id",
                "learning__author_id",
                "evidence",
                "added_at",
            )
        )
        parts.append(
            _edge(
                Review.objects.filter(idea_id__in=ids),
                idea_ct,
                "idea_id",
                "reviewer_id",
                "reviewed",
                "created_at",
            )
        )
    learnings = by_label.get(Learning._meta.label, [])
    if learnings:
        parts.append(
            _edge(
                Learning.objects.filter(
                    _related_q(public, "test_cycle__"), pk__in=[i.pk for i in learnings]
                ),
                ct_ids[Learning._meta.label],
                "id",
                "test_cycle__author_id",
                "cycle",
                "test_cycle__created_at",
            )
        )
    questions = by_label.get(Question._meta.label, [])
    if questions:
        parts.append(
            _edge(
                Answer.objects.filter(
                    question_id__in=[i.pk for i in questions], deleted_at__isnull=True
                ),
                ct_ids[Question._meta.label],
                "question_id",
                "author_id",
                "answered",
                "created_at",
            )
        )
    meetings = [] if public else by_label.get(Convening._meta.label, [])
    if meetings:
        came = Convening.participants.through.objects
        parts.append(
            _edge(
                came.filter(convening_id__in=[i.pk for i in meetings]),
                ct_ids[Convening._meta.label],
                "convening_id",
                "person_id",
                "took_part",
                "convening__starts_at",
            )
        )
    if learnings and not public:
        # Whoever came to the meeting a learning was captured at (its step back).
        # A meeting only its group sees credits its people only on learnings that the
        # same group alone sees: who came must not reach the network's readers.
        from_meeting = Convening.learnings.through.objects.filter(
            _related_q(public, "convening__"), learning_id__in=[i.pk for i in learnings]
        ).filter(
            Q(convening__visibility__in=[Visibility.NETWORK, Visibility.PUBLIC])
            | Q(
                convening__visibility=Visibility.GROUP,
                learning__visibility__in=[Visibility.GROUP, Visibility.DRAFT],
                learning__group_id=F("convening__group_id"),
            )
        )
        parts.append(
            _edge(
                from_meeting,
                ct_ids[Learning._meta.label],
                "learning_id",
                "convening__participants",
                "took_part",
                "convening__starts_at",
            )
        )
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for ct_id, obj_id, person_id, role, at in rows:
        for key, as_role in targets.get((int(ct_id), int(obj_id)), []):
            raw[key].append((person_id, as_role or role, at))

    people = {
        p.pk: p
        for p in get_user_model()
        .objects.filter(pk__in={pid for entries in raw.values() for pid, _r, _a in entries})
        .only("id", "username", "display_name", "first_name", "last_name", "is_active")
    }
    result: dict[Key, list[Credit]] = {}
    for key, entries in raw.items():
        found: dict[int, Credit] = {}
        for person_id, role, at in entries:
            person = people.get(person_id)
            if person is None:
                continue
            credit = found.setdefault(person_id, Credit(person=person))
            if role not in credit.roles:
                credit.roles.append(role)
            if at is not None and (credit.first is None or _aware(at) < credit.first):
                credit.first = _aware(at)
        result[key] = sorted(
            found.values(),
            key=lambda c: (not c.is_author, c.first is None, c.first or _EPOCH, c.person.pk),
        )
    return result


_EPOCH = datetime(1970, 1, 1).astimezone()


def _aware(value: datetime) -> datetime:
    from django.utils import timezone

    if isinstance(value, str):  # some backends return a union's datetimes as text
        from django.utils.dateparse import parse_datetime

        value = parse_datetime(value) or _EPOCH
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def credits(item: Any, *, public: bool = False) -> list[Credit]:
    return credits_for([item], public=public).get(credit_key(item), [])


def contributors(item: Any, *, public: bool = False) -> list[Any]:
    """The people who made `item` what it is, author first."""
    return [c.person for c in credits(item, public=public)]


def contributors_for(items: Iterable[Any], *, public: bool = False) -> dict[Key, list[Any]]:
    """`contributors` for a whole list, in a fixed number of queries."""
    return {
        key: [c.person for c in found] for key, found in credits_for(items, public=public).items()
    }


def attach_credits(items: Iterable[Any], *, public: bool = False) -> list[Any]:
    """Set `item.credits` on each item of a list (for templates and feeds)."""
    items = list(items)
    found = credits_for(items, public=public)
    for item in items:
        item.credits = found.get(credit_key(item), [])
    return items


__all__ = [
    "ROLES",
    "Credit",
    "attach_credits",
    "contributors",
    "contributors_for",
    "credit_key",
    "credits",
    "credits_for",
]
