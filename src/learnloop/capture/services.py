"""Writes for capture: knowledge products."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from learnloop.capture.models import KnowledgeProduct, ProductKind
from learnloop.core import access
from learnloop.core.models import Attachment, Visibility
from learnloop.core.publication import publication_check, publication_record
from learnloop.core.services import (
    attachment_add,
    audit,
    item_touch,
    revision_record,
    tags_from_text,
    validate_visibility,
)
from learnloop.people.models import StakeholderType
from learnloop.search.services import document_sync

PRODUCT_FIELDS = (
    "title",
    "kind",
    "summary",
    "body",
    "audience",
    "audience_detail",
    "actions",
    "resources_time",
    "resources_people",
    "resources_money",
    "media_url",
    "visibility",
    "group",
)


def _check_ideas(viewer: Any, ideas: Iterable[Any]) -> list[Any]:
    ideas = list(ideas)
    for idea in ideas:
        if not access.can_view(viewer, idea):
            raise ValidationError({"ideas": _("You can only build on ideas you can see.")})
    return ideas


def _has_media_file(product: KnowledgeProduct) -> bool:
    if product.pk is None:
        return False
    ct = ContentType.objects.get_for_model(product)
    return (
        Attachment.objects.filter(content_type=ct, object_id=product.pk).exclude(file="").exists()
    )


def _check_media(product: KnowledgeProduct, media_file: UploadedFile | None) -> None:
    if product.kind != ProductKind.MEDIA:
        return
    if product.media_url.strip() or media_file is not None or _has_media_file(product):
        return
    raise ValidationError(
        {
            "media_url": _(
                "An audio or video summary needs its recording: give a link or upload the file."
            )
        }
    )


def _check_actions(product: KnowledgeProduct) -> None:
    if not product.actions.strip():
        raise ValidationError(
            {"actions": _("Say what this asks of its audience: the next step they can take.")}
        )


@transaction.atomic
def product_create(
    *,
    author: Any,
    title: str,
    actions: str,
    kind: str = ProductKind.CHANGE_IDEA,
    summary: str = "",
    body: str = "",
    audience: str = StakeholderType.STAFF,
    audience_detail: str = "",
    resources_time: str = "",
    resources_people: str = "",
    resources_money: str = "",
    media_url: str = "",
    media_file: UploadedFile | None = None,
    ideas: Iterable[Any] = (),
    group: Any = None,
    visibility: str = Visibility.NETWORK,
    tags: str | Iterable[str] = (),
    guidelines_confirmed: bool = False,
) -> KnowledgeProduct:
    access.require_member(author)
    validate_visibility(visibility=visibility, group=group, author=author)
    ticked = publication_check(
        actor=author, item_or_none=None, visibility=visibility, confirmed=guidelines_confirmed
    )
    ideas = _check_ideas(author, ideas)
    product = KnowledgeProduct(
        author=author,
        title=title.strip(),
        kind=kind,
        summary=summary.strip(),
        body=body,
        audience=audience,
        audience_detail=audience_detail.strip(),
        actions=actions,
        resources_time=resources_time.strip(),
        resources_people=resources_people.strip(),
        resources_money=resources_money.strip(),
        media_url=media_url.strip(),
        group=group,
        visibility=visibility,
    )
    _check_actions(product)
    _check_media(product, media_file)
    product.mark_published()
    product.full_clean(exclude=["author", "group", "deleted_by"])
    product.save()
    product.ideas.set(ideas)
    product.tags.set(tags_from_text(tags))
    if media_file is not None:
        attachment_add(author=author, target=product, file=media_file, title=_("Recording"))
    document_sync(item=product)
    revision_record(item=product, author=author, summary=_("Created"))
    audit(author, "captured", product)
    if product.published_at is not None:
        audit(author, "published", product)
    publication_record(actor=author, item=product, ticked=ticked)
    if product.published_at is not None:
        _tell_brokers(product, actor=author)
    return product


def _tell_brokers(product: KnowledgeProduct, *, actor: Any) -> None:
    """A published product may now be ready for brokers to carry (each hears once)."""
    from learnloop.sharing.broker_services import broker_queue_changed

    broker_queue_changed(product, actor=actor)


@transaction.atomic
def product_update(
    *,
    viewer: Any,
    product: KnowledgeProduct,
    ideas: Iterable[Any] | None = None,
    tags: str | Iterable[str] | None = None,
    media_file: UploadedFile | None = None,
    guidelines_confirmed: bool = False,
    **fields: Any,
) -> KnowledgeProduct:
    """Edit a product. `ideas` replaces the ideas the editor can see; links to ideas the
    editor cannot see (a moderator editing a colleague's product) are kept as they were."""
    if not access.can_change(viewer, product):
        raise PermissionDenied
    ticked = publication_check(
        actor=viewer,
        item_or_none=product,
        visibility=fields.get("visibility", product.visibility),
        confirmed=guidelines_confirmed,
    )
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    for name, value in fields.items():
        setattr(
            product, name, value.strip() if isinstance(value, str) and name != "body" else value
        )
    validate_visibility(visibility=product.visibility, group=product.group, author=product.author)
    _check_actions(product)
    _check_media(product, media_file)
    changed = list(fields)
    if product.mark_published():
        changed.append("published_at")
    item_touch(product, changed)
    if ideas is not None:
        chosen = _check_ideas(viewer, ideas)
        hidden = [i for i in product.ideas.all() if not access.can_view(viewer, i)]
        product.ideas.set([*chosen, *hidden])
    if tags is not None:
        product.tags.set(tags_from_text(tags))
    if media_file is not None:
        attachment_add(author=viewer, target=product, file=media_file, title=_("Recording"))
    document_sync(item=product)
    revision_record(item=product, author=viewer, summary=_("Edited"))
    audit(viewer, "edited", product)
    if "published_at" in changed:
        audit(viewer, "published", product)
    publication_record(actor=viewer, item=product, ticked=ticked)
    if "published_at" in changed or "visibility" in fields:
        _tell_brokers(product, actor=viewer)
    return product
