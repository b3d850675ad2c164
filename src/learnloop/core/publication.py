"""The gate before anything becomes public: the network's voice guidelines.

Stewards keep a short checklist of how the network speaks to the world (`VoiceGuideline`).
Before an item becomes public (created public, or moved to public from another visibility)
whoever makes it so ticks every active guideline; the ticked texts are kept as a
`PublicationCheck`. Every create and update service that sets a visibility calls the two
functions here:

    ticked = publication_check(actor=viewer, item_or_none=item, visibility=new_visibility,
                               confirmed=guidelines_confirmed)   # before saving
    ...save...
    publication_record(actor=viewer, item=item, ticked=ticked)   # after saving

Items that are public already, and items that stay below public, pass without a question;
so does everything when the network has no active guidelines (the record is still kept, so
stewards can see who made what public and when).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from learnloop.core.models import Visibility

FIELD = "guidelines_confirmed"


def active_guidelines() -> list[Any]:
    from learnloop.sharing.models import VoiceGuideline

    return list(VoiceGuideline.objects.filter(retired_at__isnull=True).order_by("position", "id"))


def becomes_public(item_or_none: Any, visibility: str) -> bool:
    """True when saving `item_or_none` at `visibility` makes it public now.

    The stored row is read (one small query, only on the way to public) rather than the
    object in memory, because update services set the new values on it before validating.
    """
    if visibility != Visibility.PUBLIC:
        return False
    if item_or_none is None or item_or_none.pk is None:
        return True
    stored = (
        type(item_or_none)
        ._default_manager.filter(pk=item_or_none.pk)
        .values_list("visibility", flat=True)
        .first()
    )
    return stored != Visibility.PUBLIC


def publication_check(
    *, actor: Any, item_or_none: Any, visibility: str, confirmed: bool
) -> list[str] | None:
    """Refuse to make something public until every active guideline is ticked.

    Returns None when the item does not become public by this save; otherwise the texts of
    the guidelines in force (empty when there are none), to hand to `publication_record`.
    Raises ValidationError on the `guidelines_confirmed` field when a tick is missing.
    """
    if not becomes_public(item_or_none, visibility):
        return None
    texts = [g.text for g in active_guidelines()]
    if texts and not confirmed:
        raise ValidationError(
            {
                FIELD: _(
                    "Before this becomes public, read it against each of the network's voice "
                    "guidelines and tick them all."
                )
            }
        )
    return texts


def publication_record(*, actor: Any, item: Any, ticked: list[str] | None) -> Any:
    """Keep who made `item` public, when, and the guideline texts they ticked."""
    if ticked is None:
        return None
    from learnloop.sharing.models import PublicationCheck

    return PublicationCheck.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        checked_by=actor,
        guidelines=list(ticked),
    )
