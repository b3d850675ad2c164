"""Reads shared by every phase: comments, attachments, revisions, trash, audit."""

from __future__ import annotations

import difflib
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from learnloop.core.items import ITEM_TYPES, item_model
from learnloop.core.models import Attachment, Comment, Revision, SharedItem


def comments_for(item: SharedItem) -> QuerySet[Comment]:
    ct = ContentType.objects.get_for_model(item)
    return (
        Comment.objects.filter(content_type=ct, object_id=item.pk, deleted_at__isnull=True)
        .select_related("author")
        .order_by("created_at", "id")
    )


def attachments_for(item: SharedItem) -> QuerySet[Attachment]:
    ct = ContentType.objects.get_for_model(item)
    return Attachment.objects.filter(content_type=ct, object_id=item.pk).order_by(
        "created_at", "id"
    )


def revisions_for(item: SharedItem) -> list[dict[str, Any]]:
    """Each revision with what changed since the one before it, as word-level diffs."""
    ct = ContentType.objects.get_for_model(item)
    revisions = list(
        Revision.objects.filter(content_type=ct, object_id=item.pk)
        .select_related("author")
        .order_by("number")
    )
    rows: list[dict[str, Any]] = []
    previous: dict[str, Any] = {}
    for rev in revisions:
        changes = []
        for field, value in rev.data.items():
            old = previous.get(field)
            if old != value:
                changes.append({"field": field, "diff": word_diff(_text(old), _text(value))})
        rows.append({"revision": rev, "changes": changes})
        previous = rev.data
    rows.reverse()
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[(op, text)] with op in {'=', '+', '-'}; templates escape the text."""
    a, b = old.split(" "), new.split(" ")
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", " ".join(a[i1:i2])))
        if op in ("delete", "replace"):
            out.append(("-", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("+", " ".join(b[j1:j2])))
    return out


def trash(limit: int = 200) -> list[tuple[str, SharedItem]]:
    """Deleted items of every kind, newest first, for stewards to restore."""
    rows: list[tuple[str, SharedItem]] = []
    for kind in ITEM_TYPES:
        model = item_model(kind)
        for item in model.objects.deleted().select_related("author", "deleted_by")[:limit]:
            rows.append((kind, item))
    rows.sort(key=lambda row: row[1].deleted_at, reverse=True)  # type: ignore[arg-type,return-value]
    return rows[:limit]
