"""Who could help: people whose contributions are close to an idea or a question.

From the item's vector, take the 100 closest items *the viewer may see* (learnings, ideas,
questions, knowledge products). Each person is scored

    sum of similarity * weight of the contribution * recency

with weights: wrote the item 1.0 (learnings, ideas, products; asking a question says
nothing of what one knows), an accepted answer to a close question 1.0, another answer
0.8, an endorsement of a close idea 0.3; recency halves every year. The item's author
and inactive people are left out, and so is anyone who may not see the item (asking
them would reveal it). Each person comes with "because of" links to the items that
counted — all of them items the viewer may open, so the reasons never reveal private
work. Without a semantic model (a brand-new network), the lexical list stands in, with
similarity falling with rank.

Questions already have a "people who might know" panel (community/suggestions.py); it
takes `contributions(...)` as one more signal instead of showing a second panel.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.search import embedders, semantic
from learnloop.search.engine import Filters, Scope
from learnloop.search.models import ItemType, SearchDocument
from learnloop.search.related import document_of, item_text, url_for

DEPTH = 100
LIMIT = 5
REASONS = 3
MIN_COSINE = 0.1
HALF_LIFE_DAYS = 365.0
WEIGHT_AUTHORED = 1.0
WEIGHT_ACCEPTED = 1.0
WEIGHT_ANSWER = 0.8
WEIGHT_ENDORSED = 0.3
SOURCE_TYPES = (ItemType.LEARNING, ItemType.IDEA, ItemType.QUESTION, ItemType.PRODUCT)


@dataclass
class Because:
    """One contribution that counted: what the person did, on which visible item."""

    verb: str
    title: str
    url: str
    weight: float

    @property
    def text(self) -> str:
        return f"{self.verb} “{self.title}”"


@dataclass
class Helper:
    person: Any
    score: float
    because: list[Because] = field(default_factory=list)


def _recency(when: datetime | None, now: datetime) -> float:
    if when is None:
        return 1.0
    days = max(0.0, (now - when).total_seconds() / 86400.0)
    return float(0.5 ** (days / HALF_LIFE_DAYS))


def _neighbours(
    viewer: Any, item_type: str, item: Any, *, lexical_fallback: bool = True
) -> dict[int, float]:
    """SearchDocument id → similarity, for the closest items the viewer may see."""
    state = semantic.prepare()
    if state is None and not lexical_fallback:
        return {}
    scope = Scope.for_viewer(viewer)
    document = document_of(item_type, item)
    exclude = (document.pk,) if document is not None else ()
    filters = Filters(item_types=tuple(t.value for t in SOURCE_TYPES), exclude_ids=exclude)
    if state is not None:
        if document is not None:
            vector = semantic.document_vector(document, state=state)
        else:
            title, body = item_text(item_type, item)
            vector = semantic.text_vector(embedders.document_text(title, body), state=state)
        if vector is not None:
            hits = semantic.semantic_search(
                vector, scope, filters, DEPTH, min_score=MIN_COSINE, state=state
            )
            return dict(zip(hits.doc_ids, hits.scores, strict=True))
    title, body = (document.title, document.body) if document else item_text(item_type, item)
    ranked = semantic.lexical_text_search(
        embedders.document_text(title, body), scope, filters, limit=DEPTH
    )
    return {doc_id: 1.0 / (1.0 + 0.1 * rank) for rank, doc_id in enumerate(ranked)}


def contributions(
    *, viewer: Any, item_type: str, item: Any, lexical_fallback: bool = True
) -> dict[int, list[tuple[float, Because]]]:
    """person id → [(score, because)], from the items close to `item` that the viewer may
    see. A fixed number of queries, whatever the size of the network. Without a semantic
    model, the lexical engine's list stands in unless `lexical_fallback` is off (callers
    with a word-based signal of their own)."""
    from learnloop.consolidation.models import Endorsement
    from learnloop.generation.models import Answer

    if not access.is_member(viewer):
        return {}
    sims = _neighbours(viewer, item_type, item, lexical_fallback=lexical_fallback)
    if not sims:
        return {}
    now = timezone.now()
    docs: list[dict[str, Any]] = [
        dict(row)
        for row in SearchDocument.objects.filter(
            access.visible_q(viewer), pk__in=list(sims)
        ).values("pk", "item_type", "item_id", "title", "author_id", "created_at")
    ]
    found: dict[int, list[tuple[float, Because]]] = defaultdict(list)
    questions: dict[int, dict[str, Any]] = {}
    ideas: dict[int, dict[str, Any]] = {}
    verbs = {
        ItemType.LEARNING: _("wrote the learning"),
        ItemType.IDEA: _("proposed the idea"),
        ItemType.PRODUCT: _("made the knowledge product"),
    }
    for doc in docs:
        sim = sims[doc["pk"]]
        kind = doc["item_type"]
        url = url_for(kind, doc["item_id"])
        doc.update(url=url, sim=sim)
        if kind == ItemType.QUESTION:
            questions[doc["item_id"]] = doc
            continue
        if kind == ItemType.IDEA:
            ideas[doc["item_id"]] = doc
        if doc["author_id"] is not None and kind in verbs:
            weight = sim * WEIGHT_AUTHORED * _recency(doc["created_at"], now)
            found[doc["author_id"]].append(
                (weight, Because(verbs[ItemType(kind)], doc["title"], url, weight))
            )
    if questions:
        answers = Answer.objects.filter(
            question_id__in=list(questions), deleted_at__isnull=True
        ).values_list("author_id", "question_id", "accepted", "created_at")
        for author_id, question_id, accepted, created in answers:
            doc = questions[question_id]
            base = WEIGHT_ACCEPTED if accepted else WEIGHT_ANSWER
            weight = doc["sim"] * base * _recency(created, now)
            verb = _("gave the accepted answer to") if accepted else _("answered")
            found[author_id].append((weight, Because(verb, doc["title"], doc["url"], weight)))
    if ideas:
        endorsements = Endorsement.objects.filter(idea_id__in=list(ideas)).values_list(
            "person_id", "idea_id", "created_at"
        )
        for person_id, idea_id, created in endorsements:
            doc = ideas[idea_id]
            weight = doc["sim"] * WEIGHT_ENDORSED * _recency(created, now)
            found[person_id].append(
                (weight, Because(_("endorsed the idea"), doc["title"], doc["url"], weight))
            )
    return dict(found)


def may_see_item_q(item: Any) -> Any:
    """People who may see the item (the mirror of access.can_view for a SharedItem)."""
    from learnloop.community.suggestions import may_see_question_q

    return may_see_question_q(item)


def who_could_help(
    *, viewer: Any, item_type: str, item: Any, limit: int = LIMIT, exclude: set[int] | None = None
) -> list[Helper]:
    """Up to `limit` active people, best first, each with up to three reasons. Callers
    check that the viewer may see the item."""
    from learnloop.people.models import Person

    if not access.is_member(viewer) or item.deleted_at is not None:
        return []
    found = contributions(viewer=viewer, item_type=item_type, item=item)
    left_out = {item.author_id, *(exclude or set())}
    candidates = [pk for pk in found if pk not in left_out]
    if not candidates:
        return []
    people = (
        Person.objects.filter(pk__in=candidates, is_active=True)
        .filter(may_see_item_q(item))
        .select_related("organization")
        .distinct()
    )
    helpers: list[Helper] = []
    for person in people:
        parts = sorted(found[person.pk], key=lambda p: (-p[0], p[1].title))
        because: list[Because] = []
        for _weight, reason in parts:
            if all((b.verb, b.url) != (reason.verb, reason.url) for b in because):
                because.append(reason)
            if len(because) >= REASONS:
                break
        helpers.append(Helper(person=person, score=sum(w for w, _b in parts), because=because))
    helpers.sort(key=lambda h: (-h.score, h.person.name.casefold(), h.person.pk))
    return helpers[:limit]
