"""Writes for sharing: channels (kept by stewards) and the record of each share."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.core.services import audit
from learnloop.sharing.models import BrokerAudience, Channel, ChannelKind, Share, Sphere
from learnloop.sharing.selectors import can_answer_share

CHANNEL_FIELDS = ("name", "kind", "description", "reaches_outside")

# A little slack for clocks that disagree between a phone and the server.
CLOCK_SLACK = timedelta(minutes=5)


def _when(shared_at: date | datetime | None) -> datetime:
    """A share's time: now when not given; a bare date means that day (now, if today)."""
    now = timezone.now()
    if shared_at is None:
        return now
    if not isinstance(shared_at, datetime):
        if shared_at == timezone.localdate():
            return now
        shared_at = timezone.make_aware(datetime.combine(shared_at, time(12, 0)))
    elif timezone.is_naive(shared_at):
        shared_at = timezone.make_aware(shared_at)
    if shared_at > now + CLOCK_SLACK:
        raise ValidationError({"shared_at": _("A share cannot be dated in the future.")})
    return shared_at


@transaction.atomic
def share_create(
    *,
    author: Any,
    product: Any,
    audience: str = "",
    channel: Channel | None = None,
    note: str = "",
    response: str = "",
    shared_at: date | datetime | None = None,
    broker_audience: BrokerAudience | None = None,
    sphere: str = "",
) -> Share:
    """Record that a member carried a product to an audience. Any member who can see the
    product may; a non-public product may go beyond the network (the form warns that
    outsiders will not be able to open it).

    A broker may pick one of their audiences (`broker_audience`): the share takes its name
    and its sphere. Otherwise the audience is typed, with the sphere it lies in if known."""
    if not access.can_contribute(author, product):
        raise PermissionDenied
    audience = " ".join(audience.split())
    sphere = sphere or ""
    if broker_audience is not None:
        _check_broker_audience(author, broker_audience)
        if audience and audience.casefold() != broker_audience.name.casefold():
            raise ValidationError(
                {"audience": _("Pick one of your audiences or type another one, not both.")}
            )
        audience, sphere = broker_audience.name, broker_audience.sphere
    if not audience:
        raise ValidationError({"audience": _("Say who you shared it with.")})
    if sphere and sphere not in Sphere.values:
        raise ValidationError({"sphere": _("Choose one of the spheres, or leave it empty.")})
    share = Share(
        product=product,
        channel=channel,
        audience=audience,
        note=note.strip(),
        response=response.strip(),
        broker_audience=broker_audience,
        sphere=sphere,
        shared_by=author,
        shared_at=_when(shared_at),
    )
    share.full_clean(exclude=["product", "channel", "shared_by", "broker_audience"])
    share.save()
    audit(
        author,
        "shared",
        product,
        share=share.pk,
        sphere=sphere,
        broker_audience=broker_audience.pk if broker_audience is not None else None,
    )
    _tell_author_it_travelled(share)
    return share


def _check_broker_audience(author: Any, audience: BrokerAudience) -> None:
    """A broker picks among their own current audiences; a steward may record a share for
    any broker (say, from the broker's notes)."""
    broker = audience.broker
    if audience.retired_at is not None or broker.retired_at is not None:
        raise ValidationError(
            {"broker_audience": _("This audience is retired: choose another one.")}
        )
    if broker.person_id != author.pk and not access.is_steward(author):
        raise ValidationError(
            {"broker_audience": _("Choose one of the audiences you reach as a broker.")}
        )


def _tell_author_it_travelled(share: Share) -> None:
    """The product's author hears where their work went (unless they carried it)."""
    from learnloop.notifications.models import NotificationKind
    from learnloop.notifications.services import notify

    product = share.product
    if not access.can_view(product.author, product):
        return
    notify(
        recipients=[product.author],
        kind=NotificationKind.SHARE,
        title=_("“%(title)s” travelled to %(audience)s")
        % {"title": product.title, "audience": share.audience},
        url=product.get_absolute_url() + f"#share-{share.pk}",
        body=share.response
        or share.note
        or _("%(name)s recorded the share.") % {"name": share.shared_by.name},
        actor=share.shared_by,
        target=product,
    )


@transaction.atomic
def share_update_response(*, viewer: Any, share: Share, response: str) -> Share:
    """Add or change what came back from the audience: the sharer or a steward."""
    if not access.can_view(viewer, share.product) or not can_answer_share(viewer, share):
        raise PermissionDenied
    share.response = response.strip()
    share.full_clean(exclude=["product", "channel", "shared_by"])
    share.save(update_fields=["response"])
    audit(viewer, "recorded a response", share.product, share=share.pk)
    return share


@transaction.atomic
def channel_create(
    *,
    viewer: Any,
    name: str,
    kind: str = ChannelKind.OTHER,
    description: str = "",
    reaches_outside: bool = False,
) -> Channel:
    access.require_steward(viewer)
    channel = Channel(
        name=name.strip(),
        kind=kind,
        description=description.strip(),
        reaches_outside=reaches_outside,
    )
    channel.full_clean()
    channel.save()
    audit(viewer, "created a channel", channel)
    return channel


@transaction.atomic
def channel_update(*, viewer: Any, channel: Channel, **fields: Any) -> Channel:
    access.require_steward(viewer)
    unknown = set(fields) - set(CHANNEL_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    for name, value in fields.items():
        setattr(channel, name, value.strip() if isinstance(value, str) else value)
    channel.full_clean()
    channel.save(update_fields=list(fields))
    audit(viewer, "edited a channel", channel)
    return channel
