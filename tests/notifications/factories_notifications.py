"""Factories for notifications (rows straight through the ORM; behaviour under test goes
through services)."""

from __future__ import annotations

import factory
from django.contrib.contenttypes.models import ContentType

from learnloop.notifications.models import Notification, NotificationKind
from tests.factories import PersonFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(PersonFactory)
    kind = NotificationKind.SYSTEM
    title = factory.Sequence(lambda n: f"Something happened {n}")
    url = "/"


def about(item, **kw) -> Notification:
    """A notification whose target is `item`."""
    return NotificationFactory(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        url=item.get_absolute_url(),
        **kw,
    )
