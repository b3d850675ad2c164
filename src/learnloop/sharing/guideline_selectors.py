"""Reads for the voice guidelines and the record of what was made public, by whom."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404

from learnloop.core import access
from learnloop.sharing.models import PublicationCheck, VoiceGuideline


def guideline_list(*, viewer: Any, retired: bool = False) -> QuerySet[VoiceGuideline]:
    """The checklist in order, for members; retired ones (for stewards) when asked."""
    if not access.is_member(viewer):
        return VoiceGuideline.objects.none()
    qs = VoiceGuideline.objects.all()
    if retired and access.is_steward(viewer):
        return qs.filter(retired_at__isnull=False).order_by("-retired_at", "-id")
    return qs.filter(retired_at__isnull=True).order_by("position", "id")


def get_guideline_for(viewer: Any, pk: Any) -> VoiceGuideline:
    """A guideline to change: stewards only (others are refused before the lookup)."""
    access.require_steward(viewer)
    try:
        return VoiceGuideline.objects.get(pk=pk)
    except (VoiceGuideline.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def publication_record(
    *, viewer: Any, kind: str | None = None, person: int | None = None
) -> QuerySet[PublicationCheck]:
    """Who checked what against the guidelines and made it public, newest first: stewards.

    The items come in one query per kind of item (generic prefetch), whatever the page size.
    """
    access.require_steward(viewer)
    qs = PublicationCheck.objects.select_related("checked_by", "content_type")
    if kind:
        from learnloop.core.items import ITEM_TYPES

        label = ITEM_TYPES.get(kind)
        if label is None:
            return qs.none()
        app_label, model = label.split(".")
        qs = qs.filter(
            content_type=ContentType.objects.get_by_natural_key(app_label, model.lower())
        )
    if person:
        qs = qs.filter(checked_by_id=person)
    return qs.prefetch_related("item").order_by("-checked_at", "-id")


def checks_for(item: Any) -> QuerySet[PublicationCheck]:
    ct = ContentType.objects.get_for_model(item)
    return (
        PublicationCheck.objects.filter(content_type=ct, object_id=item.pk)
        .select_related("checked_by")
        .order_by("-checked_at", "-id")
    )
