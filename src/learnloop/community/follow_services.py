"""Writes for follows: a member keeps up with a group or space they do not belong to."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from learnloop.community.models import Follow
from learnloop.core import access
from learnloop.core.services import audit


@transaction.atomic
def follow_create(*, person: Any, group: Any) -> Follow:
    """Follow `group` (a group or a creation space). Following twice changes nothing."""
    access.require_member(person)
    if group.archived_at is not None:
        raise ValidationError(
            {"group": _("This group is archived; there is nothing new to follow.")}
        )
    if access.is_group_member(person, group.pk):
        raise ValidationError(
            {"group": _("You take part in this group already: its work is in your feed.")}
        )
    follow, created = Follow.objects.get_or_create(person=person, group=group)
    if created:
        audit(person, "followed", group)
    return follow


@transaction.atomic
def follow_delete(*, person: Any, group: Any) -> bool:
    """Stop following; True when there was a follow to remove."""
    access.require_member(person)
    deleted, _rows = Follow.objects.filter(person=person, group=group).delete()
    if deleted:
        audit(person, "stopped following", group)
    return bool(deleted)
