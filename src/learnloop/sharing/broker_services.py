"""Writes for knowledge brokers: stewards name and retire brokers; stewards and the broker
keep the broker's audiences; brokers hear when a product becomes ready for them to carry."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.core.services import audit
from learnloop.sharing import broker_selectors as selectors
from learnloop.sharing.models import Broker, BrokerAudience, Sphere

AUDIENCE_FIELDS = ("name", "sphere", "description")


# Brokers -----------------------------------------------------------------------------------


@transaction.atomic
def broker_name(
    *,
    viewer: Any,
    person: Any,
    note: str = "",
    audience_name: str = "",
    audience_sphere: str = Sphere.GROUPS,
) -> Broker:
    """Name a member as a knowledge broker (stewards), with the first audience they reach
    if given. Naming someone who was a broker before brings their role back, with the
    audiences they had."""
    access.require_steward(viewer)
    if person is None or not person.is_active:
        raise ValidationError({"person": _("Choose an active member.")})
    note = note.strip()
    if len(note) > 2000:
        raise ValidationError({"note": _("Keep the note under 2,000 characters.")})
    broker = Broker.objects.select_for_update().filter(person=person).first()
    if broker is not None and broker.retired_at is None:
        raise ValidationError({"person": _("%(name)s is a broker already.") % {"name": person}})
    now = timezone.now()
    if broker is None:
        broker = Broker.objects.create(person=person, note=note, named_by=viewer, named_at=now)
        audit(viewer, "named a broker", broker, person=person.pk)
    else:
        broker.note = note or broker.note
        broker.named_by = viewer
        broker.named_at = now
        broker.retired_at = None
        broker.save(update_fields=["note", "named_by", "named_at", "retired_at"])
        audit(viewer, "named a broker again", broker, person=person.pk)
    if audience_name.strip():
        try:
            audience_create(
                viewer=viewer, broker=broker, name=audience_name, sphere=audience_sphere
            )
        except ValidationError as exc:
            # Shown on the naming form, whose fields carry the audience_ prefix.
            raise ValidationError(
                {f"audience_{k}": v for k, v in exc.message_dict.items()}
            ) from None
    return broker


@transaction.atomic
def broker_update(*, viewer: Any, broker: Broker, note: str) -> Broker:
    """Change what the broker carries and to whom (stewards)."""
    access.require_steward(viewer)
    note = note.strip()
    if len(note) > 2000:
        raise ValidationError({"note": _("Keep the note under 2,000 characters.")})
    broker.note = note
    broker.save(update_fields=["note"])
    audit(viewer, "edited a broker", broker)
    return broker


@transaction.atomic
def broker_retire(*, viewer: Any, broker: Broker) -> Broker:
    """End a broker's role (stewards). Their shares and audiences stay on record."""
    access.require_steward(viewer)
    if broker.retired_at is not None:
        raise ValidationError(_("This broker is retired already."))
    broker.retired_at = timezone.now()
    broker.save(update_fields=["retired_at"])
    audit(viewer, "retired a broker", broker, person=broker.person_id)
    return broker


# Audiences ---------------------------------------------------------------------------------


def _require_audience_rights(viewer: Any, broker: Broker) -> None:
    if not selectors.may_edit_audiences(viewer, broker):
        raise PermissionDenied


def _clean_audience(audience: BrokerAudience) -> None:
    audience.name = " ".join(audience.name.split())
    audience.description = audience.description.strip()
    if not audience.name:
        raise ValidationError({"name": _("Name the audience.")})
    if audience.sphere not in Sphere.values:
        raise ValidationError({"sphere": _("Choose how far beyond the network it lies.")})
    taken = (
        BrokerAudience.objects.filter(broker=audience.broker, name__iexact=audience.name)
        .exclude(pk=audience.pk)
        .first()
    )
    if taken is not None:
        message = (
            _("This broker reaches an audience with this name already.")
            if taken.retired_at is None
            else _("A retired audience has this name: bring it back instead.")
        )
        raise ValidationError({"name": message})
    audience.full_clean(exclude=["broker"])


@transaction.atomic
def audience_create(
    *,
    viewer: Any,
    broker: Broker,
    name: str,
    sphere: str = Sphere.GROUPS,
    description: str = "",
) -> BrokerAudience:
    """Add an audience the broker reaches (stewards, or the broker)."""
    _require_audience_rights(viewer, broker)
    if broker.retired_at is not None:
        raise ValidationError(_("This broker is retired: name them again first."))
    audience = BrokerAudience(broker=broker, name=name, sphere=sphere, description=description)
    _clean_audience(audience)
    audience.save()
    audit(viewer, "added a broker audience", broker, audience=audience.pk)
    return audience


@transaction.atomic
def audience_update(*, viewer: Any, audience: BrokerAudience, **fields: Any) -> BrokerAudience:
    """Rename or re-describe an audience, or move it to another sphere. Shares already
    recorded keep the sphere they were recorded with."""
    _require_audience_rights(viewer, audience.broker)
    unknown = set(fields) - set(AUDIENCE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    for name, value in fields.items():
        setattr(audience, name, value)
    _clean_audience(audience)
    audience.save(update_fields=list(fields))
    audit(viewer, "edited a broker audience", audience.broker, audience=audience.pk)
    return audience


@transaction.atomic
def audience_retire(*, viewer: Any, audience: BrokerAudience) -> BrokerAudience:
    """The broker no longer reaches this audience; its shares stay on record."""
    _require_audience_rights(viewer, audience.broker)
    if audience.retired_at is not None:
        raise ValidationError(_("This audience is retired already."))
    audience.retired_at = timezone.now()
    audience.save(update_fields=["retired_at"])
    audit(viewer, "retired a broker audience", audience.broker, audience=audience.pk)
    return audience


@transaction.atomic
def audience_restore(*, viewer: Any, audience: BrokerAudience) -> BrokerAudience:
    """Bring a retired audience back."""
    _require_audience_rights(viewer, audience.broker)
    if audience.retired_at is None:
        raise ValidationError(_("This audience is not retired."))
    if audience.broker.retired_at is not None:
        raise ValidationError(_("This broker is retired: name them again first."))
    audience.retired_at = None
    audience.save(update_fields=["retired_at"])
    audit(viewer, "brought back a broker audience", audience.broker, audience=audience.pk)
    return audience


# Telling brokers what is ready -------------------------------------------------------------


def broker_queue_changed(product: Any, *, actor: Any = None) -> list[Any]:
    """Tell every broker for whom `product` has just become ready to carry (it is in their
    queue and they were not told about it before). Call it after a product is created or
    published, made public, or when an idea behind it reaches knowledge or scaling.

    Returns the notifications made. Safe to call more than once: a broker hears about a
    product once.
    """
    from learnloop.notifications.models import Notification, NotificationKind
    from learnloop.notifications.services import notify

    if product.deleted_at is not None or product.published_at is None:
        return []
    brokers = list(
        Broker.objects.filter(retired_at__isnull=True, person__is_active=True)
        .select_related("person")
        .prefetch_related(selectors.active_audiences_prefetch())
    )
    if not brokers:
        return []
    told = set(
        Notification.objects.filter(
            kind=NotificationKind.BROKER,
            content_type=ContentType.objects.get_for_model(product),
            object_id=product.pk,
            recipient_id__in=[b.person_id for b in brokers],
        ).values_list("recipient_id", flat=True)
    )
    made: list[Any] = []
    for broker in brokers:
        if broker.person_id in told or (actor is not None and broker.person_id == actor.pk):
            continue
        if not selectors.product_in_queue(broker=broker, product=product):
            continue
        audiences = ", ".join(a.name for a in getattr(broker, "active_audiences", []))
        body = (
            _("Audiences of yours it has not reached yet: %(audiences)s.")
            % {"audiences": audiences}
            if audiences
            else _("Who outside its group would act on it if they saw it?")
        )
        made += notify(
            recipients=[broker.person],
            kind=NotificationKind.BROKER,
            title=_("Ready for you to carry: “%(title)s”") % {"title": product.title},
            url=product.get_absolute_url(),
            body=body,
            actor=actor,
            target=product,
        )
    return made


def broker_queues_changed_for_idea(idea: Any, *, actor: Any = None) -> list[Any]:
    """broker_queue_changed for every live product that draws on `idea` (call it when the
    idea reaches knowledge or scaling)."""
    made: list[Any] = []
    for product in idea.products.filter(deleted_at__isnull=True, published_at__isnull=False):
        made += broker_queue_changed(product, actor=actor)
    return made
