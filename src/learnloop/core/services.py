"""Writes shared by every phase: revisions, audit, soft delete, comments, attachments, tags."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.core.models import (
    Attachment,
    AuditEvent,
    Comment,
    Revision,
    SharedItem,
    Tag,
    Visibility,
)
from learnloop.core.pagecache import bump_content_version


def audit(actor: Any, verb: str, target: Model | None = None, **data: Any) -> AuditEvent:
    """Record who did what; every write passes here, so cached pages are retired too."""
    transaction.on_commit(bump_content_version)
    return AuditEvent.objects.create(
        actor=actor if access.is_member(actor) else None,
        verb=verb,
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=target.pk if target is not None else None,
        data=data,
    )


def _snapshot(item: SharedItem) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in item.revision_fields:
        value = getattr(item, name)
        data[name] = value if isinstance(value, (str, int, list, type(None), bool)) else str(value)
    return data


def revision_record(*, item: SharedItem, author: Any, summary: str = "") -> Revision | None:
    """Keep a snapshot of the item's editable fields; skipped when nothing changed."""
    ct = ContentType.objects.get_for_model(item)
    data = _snapshot(item)
    last = Revision.objects.filter(content_type=ct, object_id=item.pk).order_by("-number").first()
    if last is not None and last.data == data:
        return None
    number = (last.number if last else 0) + 1
    return Revision.objects.create(
        content_type=ct, object_id=item.pk, number=number, data=data, author=author, summary=summary
    )


def validate_visibility(*, visibility: str, group: Any, author: Any) -> None:
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": _("Choose a valid visibility.")})
    if visibility == Visibility.GROUP and group is None:
        raise ValidationError({"group": _("Choose the group that may see this.")})
    if group is not None and not (
        access.is_group_member(author, group.pk) or access.is_steward(author)
    ):
        raise ValidationError({"group": _("You can only post to groups you belong to.")})


def tags_from_text(raw: str | Iterable[str]) -> list[Tag]:
    names = raw.split(",") if isinstance(raw, str) else list(raw)
    tags: list[Tag] = []
    seen: set[str] = set()
    for name in names:
        norm = Tag.normalize(name)
        if not norm or norm in seen:
            continue
        seen.add(norm)
        slug = Tag.slug_for(norm)
        tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"name": norm})
        tags.append(tag)
    return tags


def item_touch(item: SharedItem, fields: list[str]) -> None:
    item.updated_at = timezone.now()
    item.full_clean(exclude=["author", "group", "deleted_by"])
    item.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def item_soft_delete(*, viewer: Any, item: SharedItem) -> None:
    if not access.can_change(viewer, item):
        raise PermissionDenied
    item.deleted_at = timezone.now()
    item.deleted_by = viewer
    item.save(update_fields=["deleted_at", "deleted_by"])
    from learnloop.search.services import document_sync  # search indexes shared items

    document_sync(item=item)
    audit(viewer, "deleted", item)


@transaction.atomic
def item_restore(*, viewer: Any, item: SharedItem) -> None:
    access.require_steward(viewer)
    item.deleted_at = None
    item.deleted_by = None
    item.save(update_fields=["deleted_at", "deleted_by"])
    from learnloop.search.services import document_sync  # search indexes shared items

    document_sync(item=item)
    audit(viewer, "restored", item)


@transaction.atomic
def comment_create(*, author: Any, target: SharedItem, body: str) -> Comment:
    if not access.can_contribute(author, target):
        raise PermissionDenied
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    comment = Comment(target=target, author=author, body=body)
    comment.full_clean(exclude=["content_type", "object_id"])
    comment.save()
    audit(author, "commented", target, comment=comment.pk)
    return comment


@transaction.atomic
def comment_delete(*, viewer: Any, comment: Comment) -> None:
    if not (comment.author_id == viewer.pk or access.is_steward(viewer)):
        raise PermissionDenied
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["deleted_at"])


def attachment_add(
    *,
    author: Any,
    target: SharedItem,
    url: str = "",
    file: UploadedFile | None = None,
    title: str = "",
) -> Attachment:
    """Attach a link or a file to an item the author may change."""
    if not access.can_change(author, target):
        raise PermissionDenied
    if not url and file is None:
        raise ValidationError({"url": _("Give a link or choose a file.")})
    if file is not None and file.size and file.size > settings.MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {
                "file": _("This file is too large (the limit is %(mb)d MB).")
                % {"mb": settings.MAX_ATTACHMENT_BYTES // (1024 * 1024)}
            }
        )
    attachment = Attachment(
        target=target,
        url=url,
        title=title[:200],
        added_by=author,
        size=(file.size or 0) if file else 0,
    )
    if file is not None:
        attachment.file = file
    attachment.full_clean(exclude=["content_type", "object_id", "file"])
    attachment.save()
    return attachment
