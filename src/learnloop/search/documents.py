"""What each kind of item puts into its search document.

`document_for(item)` gives the `SearchDocument` fields of one learning, idea, question
(with its answers' text, so that it is found by what they say), knowledge product or
person (None when it must not be searchable at all, such as a person whose account was
deactivated). Text is plain: Markdown marks, links' addresses and HTML
are taken out, so that snippets read like prose and no markup is ever matched or shown.

The visibility columns are copied from the item exactly as `core.access.visible_q` reads
them (author, group, visibility, deleted_at), so `SearchDocument.objects.filter(
access.visible_q(viewer))` is the same rule as everywhere else. People are indexed from
their profile only (name, job role, organization, site, expertise, about), visible to the
network, with themselves as author.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Model, Prefetch, QuerySet

from learnloop.core.models import Visibility

# Indexed models, by label, and the item_type their documents carry.
INDEXED: dict[str, str] = {
    "generation.Learning": "learning",
    "consolidation.Idea": "idea",
    "generation.Question": "question",
    "capture.KnowledgeProduct": "product",
    "people.Person": "person",
}
MODEL_FOR: dict[str, str] = {v: k for k, v in INDEXED.items()}

# Private-use characters that mark highlighted words in snippets; taken out of every
# document so that only the engines' own marks can ever become <mark> tags.
MARK_START = "\ue000"
MARK_END = "\ue001"

MAX_BODY = 200_000  # characters of plain text per document
TITLE_LENGTH = 300  # SearchDocument.title

_FENCE = re.compile(r"^\s*(```|~~~).*$", re.MULTILINE)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]*)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+|mailto:[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_LINE_MARKS = re.compile(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", re.MULTILINE)
_RULE = re.compile(r"^\s*([-*_]\s*){3,}$|^\s*\|?[\s:|-]+\|[\s:|-]*$", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3}|~~|`+)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ue000\ue001]")


def plain_text(markdown: str | None) -> str:
    """Markdown as plain words: marks, link addresses, images' addresses and HTML tags are
    taken out (alt text and link text stay), entities decoded, spaces collapsed."""
    if not markdown:
        return ""
    text = _FENCE.sub(" ", markdown)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    text = _RULE.sub(" ", text)
    text = _LINE_MARKS.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = text.replace("|", " ")
    text = html.unescape(text)
    return clean(text)


def clean(text: str | None) -> str:
    """Plain text with control characters and our snippet marks taken out, spaces collapsed."""
    return " ".join(_CONTROL.sub(" ", text or "").split())


def _join(*parts: str) -> str:
    return clean("\n".join(p for p in parts if p))[:MAX_BODY]


def _tags_line(item: Any) -> str:
    return ", ".join(t.name for t in item.tags.all())


def _answers(question: Any) -> list[str]:
    """The question's live answers as plain text, the accepted one first. Answers have no
    visibility of their own (they are read with the question), so whoever may find the
    question may read every one of them."""
    live = [a for a in question.answers.all() if a.deleted_at is None]
    live.sort(key=lambda a: not a.accepted)  # stable: otherwise in the answers' own order
    return [plain_text(a.body) for a in live]


def item_type_of(item: Any) -> str | None:
    meta = getattr(item, "_meta", None)
    return INDEXED.get(meta.label) if meta is not None else None


def _base(item: Any, item_type: str) -> dict[str, Any]:
    author = item.author
    return {
        "item_type": item_type,
        "item_id": item.pk,
        "title": clean(item.title)[:TITLE_LENGTH],
        "author_id": item.author_id,
        "group_id": item.group_id,
        "organization_id": author.organization_id,
        "site": (getattr(item, "site", "") or author.site or "")[:150],
        "visibility": item.visibility,
        "deleted_at": item.deleted_at,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "kind": "",
        "stage": "",
    }


# The ladder, best last, to pick a product's stage from the ideas it draws on.
_LADDER = ("emerging", "testing", "promising", "knowledge", "scaling")


def product_stage(product: Any) -> str:
    """The furthest stage among the live ideas a product draws on that everyone who may
    see the product may see too (public ideas for a public product; public or network
    ideas otherwise), so the badge never tells of an idea the reader may not see."""
    open_levels = (
        {Visibility.PUBLIC}
        if product.visibility == Visibility.PUBLIC
        else {Visibility.PUBLIC, Visibility.NETWORK}
    )
    best = -1
    for idea in product.ideas.all():
        if idea.deleted_at is None and idea.visibility in open_levels and idea.stage in _LADDER:
            best = max(best, _LADDER.index(idea.stage))
    return _LADDER[best] if best >= 0 else ""


def document_for(item: Any) -> dict[str, Any] | None:
    """The SearchDocument fields of one item; None if it is not indexed or must not be
    found (a deactivated person). Loads the item's tags (and a product's ideas, a person's
    organization) unless they were prefetched."""
    item_type = item_type_of(item)
    if item_type is None:
        return None
    if item_type == "person":
        return _person(item)
    doc = _base(item, item_type)
    if item_type == "learning":
        doc["kind"] = item.kind
        doc["body"] = _join(plain_text(item.body), _tags_line(item))
    elif item_type == "idea":
        doc["stage"] = item.stage
        doc["body"] = _join(plain_text(item.summary), _tags_line(item))
    elif item_type == "question":
        doc["body"] = _join(plain_text(item.body), _tags_line(item), *_answers(item))
    elif item_type == "product":
        doc["kind"] = item.kind
        doc["stage"] = product_stage(item)
        doc["body"] = _join(
            item.summary,
            plain_text(item.body),
            plain_text(item.actions),
            item.audience_detail,
            _tags_line(item),
        )
    return doc


def _person(person: Any) -> dict[str, Any] | None:
    if not person.is_active:
        return None
    organization = person.organization.name if person.organization_id else ""
    return {
        "item_type": "person",
        "item_id": person.pk,
        "title": clean(person.name)[:TITLE_LENGTH],
        "body": _join(
            person.job_role,
            organization,
            person.site,
            person.expertise,
            plain_text(person.bio),
        ),
        "kind": person.stakeholder_type,
        "stage": "",
        "author_id": person.pk,
        "group_id": None,
        "organization_id": person.organization_id,
        "site": person.site[:150],
        "visibility": Visibility.NETWORK,
        "deleted_at": None,
        "created_at": person.date_joined,
        "updated_at": person.date_joined,
    }


def model_for(item_type: str) -> type[Model]:
    from django.apps import apps

    return apps.get_model(MODEL_FOR[item_type])


def bulk_queryset(item_type: str) -> QuerySet[Any]:
    """Every item of a type with what `document_for` reads, in a fixed number of queries
    per batch (whatever the batch size)."""
    model = model_for(item_type)
    qs: QuerySet[Any] = model._default_manager.all()
    if item_type == "person":
        return qs.select_related("organization").order_by("pk")
    qs = qs.select_related("author").prefetch_related("tags").order_by("pk")
    if item_type == "product":
        from learnloop.consolidation.models import Idea

        ideas = Idea.objects.only("id", "stage", "visibility", "deleted_at")
        qs = qs.prefetch_related(Prefetch("ideas", queryset=ideas))
    elif item_type == "question":
        from learnloop.generation.models import Answer

        answers = Answer.objects.filter(deleted_at__isnull=True).only(
            "id", "question_id", "body", "accepted", "deleted_at"
        )
        qs = qs.prefetch_related(Prefetch("answers", queryset=answers))
    return qs


def documents_for(items: Iterable[Any]) -> list[dict[str, Any]]:
    return [doc for doc in (document_for(item) for item in items) if doc is not None]
