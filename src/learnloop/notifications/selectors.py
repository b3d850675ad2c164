"""Reads for notifications: a person's inbox, their unread count and their settings.

A notification is seen only by its recipient. When it is about a record (its target),
it is shown only while the recipient may still see that record: an idea moved back to a
private draft, a group item after the person left the group, a deleted item. The rule is
the one in `core.access`, applied in the database (so counts and pages agree) and again
with `access.can_view` when one notification is opened.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, IntegerField, Model, Q, QuerySet, Value, When
from django.http import Http404

from learnloop.core import access
from learnloop.core.models import SharedItem
from learnloop.notifications.models import Notification, NotificationSettings


def _shared_item_parents(model: type[Model]) -> list[str]:
    """The names of `model`'s foreign keys that point at a shared item (a decision's idea,
    an answer's question, a share's product): the target is visible only with them."""
    names = []
    for field in model._meta.concrete_fields:
        related = getattr(field, "related_model", None)
        if field.is_relation and isinstance(related, type) and issubclass(related, SharedItem):
            names.append(field.name)
    return names


def target_visible_q(viewer: Any, model: type[Model]) -> Q:
    """Rows of `model` the viewer may see, as a notification target."""
    if issubclass(model, SharedItem):
        return access.visible_q(viewer)
    q = Q()
    for name in _shared_item_parents(model):
        q &= Q(**{f"{name}__isnull": True}) | access.visible_q(viewer, f"{name}__")
    return q


def target_visible(viewer: Any, target: Model | None) -> bool:
    """One target, in Python: `access.can_view` on it, or on the shared items it hangs
    from. A target that no longer exists is not visible."""
    if target is None:
        return True
    if isinstance(target, SharedItem):
        return access.can_view(viewer, target)
    for name in _shared_item_parents(type(target)):
        parent = getattr(target, name)
        if parent is not None and not access.can_view(viewer, parent):
            return False
    return True


def _visible_targets_q(viewer: Any, content_type_ids: list[int]) -> Q:
    """Notifications without a target, or whose target the viewer may still see."""
    q = Q(content_type__isnull=True)
    for ct_id in content_type_ids:
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:  # the app that made it is gone
            continue
        visible_ids = model._default_manager.filter(target_visible_q(viewer, model)).values("pk")
        q |= Q(content_type_id=ct_id, object_id__in=visible_ids)
    return q


def _mine(viewer: Any) -> QuerySet[Notification]:
    if not access.is_member(viewer):
        return Notification.objects.none()
    mine = Notification.objects.filter(recipient=viewer)
    kinds = sorted(
        set(
            mine.order_by()
            .filter(content_type__isnull=False)
            .values_list("content_type_id", flat=True)
            .distinct()
        )
    )
    return mine.filter(_visible_targets_q(viewer, kinds))


def inbox(*, viewer: Any, unread: bool | None = None) -> QuerySet[Notification]:
    """The viewer's notifications: unread first, then newest first."""
    qs = _mine(viewer)
    if unread is True:
        qs = qs.filter(read_at__isnull=True)
    elif unread is False:
        qs = qs.filter(read_at__isnull=False)
    return qs.select_related("actor").order_by(
        Case(
            When(read_at__isnull=True, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        "-created_at",
        "-id",
    )


def unread_count(*, viewer: Any) -> int:
    return _mine(viewer).filter(read_at__isnull=True).count()


def get_notification_for(viewer: Any, pk: Any) -> Notification:
    """A notification by id: 404 unless it is the viewer's own and its target is still
    theirs to see."""
    if not access.is_member(viewer):
        raise Http404
    try:
        notification = Notification.objects.select_related("actor", "content_type").get(
            pk=pk, recipient=viewer
        )
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if notification.content_type is not None:
        model = notification.content_type.model_class()
        target = (
            model._default_manager.filter(pk=notification.object_id).first()
            if model is not None
            else None
        )
        if target is None or not target_visible(viewer, target):
            raise Http404
    return notification


def settings_of(person: Any) -> NotificationSettings:
    """The person's settings; the defaults (not saved) until they first change them or
    something first needs them."""
    found = NotificationSettings.objects.filter(person=person).first()
    return found if found is not None else NotificationSettings(person=person)


def settings_by_token(token: str) -> NotificationSettings:
    """The settings an unsubscribe link points at; 404 for an unknown token."""
    found = (
        NotificationSettings.objects.select_related("person")
        .filter(unsubscribe_token=token)
        .first()
        if token
        else None
    )
    if found is None:
        raise Http404
    return found
