"""Writes for the voice guidelines: the short checklist stewards keep of how the network
speaks in public. Retiring keeps a guideline (and every check that quoted it) on record."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.core.services import audit
from learnloop.sharing.models import VoiceGuideline

GUIDELINE_FIELDS = ("text", "explanation")


def _clean(guideline: VoiceGuideline) -> None:
    guideline.text = " ".join((guideline.text or "").split())
    guideline.explanation = (guideline.explanation or "").strip()
    if not guideline.text:
        raise ValidationError({"text": _("Write the guideline in a line.")})
    guideline.full_clean()


def _active() -> Any:
    return VoiceGuideline.objects.filter(retired_at__isnull=True).order_by("position", "id")


def _renumber(ordered: list[VoiceGuideline]) -> None:
    for position, guideline in enumerate(ordered, start=1):
        if guideline.position != position:
            guideline.position = position
            guideline.save(update_fields=["position"])


@transaction.atomic
def guideline_create(*, viewer: Any, text: str, explanation: str = "") -> VoiceGuideline:
    """Add a guideline at the end of the checklist: stewards only."""
    access.require_steward(viewer)
    last = _active().aggregate(last=Max("position"))["last"] or 0
    guideline = VoiceGuideline(text=text, explanation=explanation, position=last + 1)
    _clean(guideline)
    guideline.save()
    audit(viewer, "added a voice guideline", guideline)
    return guideline


@transaction.atomic
def guideline_update(*, viewer: Any, guideline: VoiceGuideline, **fields: Any) -> VoiceGuideline:
    """Reword a guideline. Checks already made keep the words as they were ticked."""
    access.require_steward(viewer)
    unknown = set(fields) - set(GUIDELINE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    for name, value in fields.items():
        setattr(guideline, name, value)
    _clean(guideline)
    guideline.save(update_fields=list(fields) or None)
    audit(viewer, "edited a voice guideline", guideline)
    return guideline


@transaction.atomic
def guideline_move(*, viewer: Any, guideline: VoiceGuideline, direction: str) -> VoiceGuideline:
    """Move an active guideline one place up or down the checklist."""
    access.require_steward(viewer)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Move it up or down.")})
    if guideline.retired_at is not None:
        raise ValidationError({"direction": _("A retired guideline has no place in the list.")})
    ordered = list(_active().select_for_update())
    index = next(i for i, g in enumerate(ordered) if g.pk == guideline.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    _renumber(ordered)
    guideline.refresh_from_db(fields=["position"])
    audit(viewer, "reordered the voice guidelines", guideline, direction=direction)
    return guideline


@transaction.atomic
def guideline_reorder(*, viewer: Any, order: list[int]) -> list[VoiceGuideline]:
    """Put the active guidelines in the given order (ids); every active one, once."""
    access.require_steward(viewer)
    ordered = list(_active().select_for_update())
    by_id = {g.pk: g for g in ordered}
    if sorted(order) != sorted(by_id):
        raise ValidationError({"order": _("List every active guideline once, in its new place.")})
    result = [by_id[pk] for pk in order]
    _renumber(result)
    audit(viewer, "reordered the voice guidelines", None, order=order)
    return result


@transaction.atomic
def guideline_retire(
    *, viewer: Any, guideline: VoiceGuideline, restore: bool = False
) -> VoiceGuideline:
    """Take a guideline off the checklist (or put it back, at the end)."""
    access.require_steward(viewer)
    if restore:
        if guideline.retired_at is not None:
            guideline.retired_at = None
            guideline.position = (_active().aggregate(last=Max("position"))["last"] or 0) + 1
            guideline.save(update_fields=["retired_at", "position"])
            audit(viewer, "restored a voice guideline", guideline)
        return guideline
    if guideline.retired_at is None:
        guideline.retired_at = timezone.now()
        guideline.save(update_fields=["retired_at"])
        _renumber(list(_active()))
        audit(viewer, "retired a voice guideline", guideline)
    return guideline
