"""Reads for knowledge brokers: who they are, the audiences they reach, the products ready
for them to carry, and where a product has travelled.

Every read takes the viewer and goes through `core.access`. A broker's queue is what the
broker may see *and* the viewer may see, so that looking at someone else's queue never
shows a product the viewer could not open.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.core.models import Visibility
from learnloop.sharing.models import Broker, BrokerAudience, Share, Sphere

# The order spheres are shown in: nearest first.
SPHERE_ORDER: tuple[str, ...] = (Sphere.GROUPS, Sphere.PARTNERS, Sphere.FIELD)
# Spheres that lie outside the network: people there cannot open a product that is not public.
OUTSIDE_SPHERES: frozenset[str] = frozenset({Sphere.PARTNERS, Sphere.FIELD})


def sphere_rank(sphere: str) -> int:
    return SPHERE_ORDER.index(sphere) if sphere in SPHERE_ORDER else len(SPHERE_ORDER)


# Brokers and their audiences ---------------------------------------------------------------


def active_audiences_prefetch() -> Prefetch:
    return Prefetch(
        "audiences",
        queryset=BrokerAudience.objects.filter(retired_at__isnull=True).order_by("name", "id"),
        to_attr="active_audiences",
    )


def _sorted_audiences(broker: Broker) -> None:
    """Nearest sphere first, then by name (the database sorts sphere codes alphabetically)."""
    audiences = getattr(broker, "active_audiences", [])
    audiences.sort(key=lambda a: (sphere_rank(a.sphere), a.name.casefold()))


def broker_list(*, viewer: Any, retired: bool = False) -> list[Broker]:
    """Brokers with their current audiences. Members see the active ones; stewards may ask
    for the retired ones (to name them again)."""
    if not access.is_member(viewer) or (retired and not access.is_steward(viewer)):
        return []
    qs = Broker.objects.filter(retired_at__isnull=not retired)
    if not retired:
        qs = qs.filter(person__is_active=True)
    brokers = list(
        qs.select_related("person", "person__organization", "named_by")
        .prefetch_related(active_audiences_prefetch())
        .order_by("person__display_name", "person__username")
    )
    for broker in brokers:
        _sorted_audiences(broker)
    return brokers


def active_broker_for(person: Any) -> Broker | None:
    """The person's broker role when they hold one now, with its current audiences."""
    if not access.is_member(person):
        return None
    broker = (
        Broker.objects.filter(person=person, retired_at__isnull=True)
        .select_related("person")
        .prefetch_related(active_audiences_prefetch())
        .first()
    )
    if broker is not None:
        _sorted_audiences(broker)
    return broker


def is_active_broker(broker: Broker) -> bool:
    return broker.retired_at is None and broker.person.is_active


def may_manage_broker(viewer: Any, broker: Broker) -> bool:
    """Name, edit the note of, or retire a broker: stewards."""
    return access.is_steward(viewer)


def may_edit_audiences(viewer: Any, broker: Broker) -> bool:
    """Stewards, and a broker for their own audiences while they are a broker."""
    if access.is_steward(viewer):
        return True
    return access.is_member(viewer) and broker.person_id == viewer.pk and is_active_broker(broker)


def get_broker_for(viewer: Any, username: str, *, write: bool = False) -> Broker:
    """A broker by the username of the person: members see active brokers, stewards also
    retired ones (404 otherwise). `write` (name again, edit the note, retire) is for
    stewards: 403 for anyone else."""
    if not access.is_member(viewer):
        raise Http404
    broker = (
        Broker.objects.select_related("person", "person__organization", "named_by")
        .prefetch_related(active_audiences_prefetch())
        .filter(person__username=username)
        .first()
    )
    if broker is None or (not is_active_broker(broker) and not access.is_steward(viewer)):
        raise Http404
    if write and not may_manage_broker(viewer, broker):
        raise PermissionDenied
    _sorted_audiences(broker)
    return broker


def get_audience_for(
    viewer: Any, broker: Broker, pk: Any, *, write: bool = False
) -> BrokerAudience:
    """One audience of this broker (404 when it is another broker's, or unknown); `write`
    is for stewards and the broker (403 otherwise)."""
    if not str(pk).isdigit():
        raise Http404
    audience = BrokerAudience.objects.filter(pk=int(pk), broker=broker).first()
    if audience is None:
        raise Http404
    audience.broker = broker
    if write and not may_edit_audiences(viewer, broker):
        raise PermissionDenied
    return audience


def retired_audiences(broker: Broker) -> QuerySet[BrokerAudience]:
    return broker.audiences.filter(retired_at__isnull=False).order_by("name", "id")


def audience_choices(author: Any) -> QuerySet[BrokerAudience]:
    """The audiences the author reaches as a broker now (none for anyone else)."""
    if not access.is_member(author):
        return BrokerAudience.objects.none()
    return BrokerAudience.objects.filter(
        broker__person=author,
        broker__retired_at__isnull=True,
        retired_at__isnull=True,
    ).order_by("sphere", "name")


def get_audience_or_none(audience_id: int | None) -> BrokerAudience | None:
    """Resolve an audience id given in a request body; the share service checks whose it is.
    An unknown id is a field error."""
    if audience_id is None:
        return None
    audience = BrokerAudience.objects.select_related("broker").filter(pk=audience_id).first()
    if audience is None:
        raise ValidationError(
            {"broker_audience_id": _("There is no broker audience with this id.")}
        )
    return audience


def member_choices_for_naming() -> QuerySet[Any]:
    """People a steward may name: active members who are not brokers right now."""
    from learnloop.people.models import Person

    current = Broker.objects.filter(retired_at__isnull=True).values("person_id")
    return (
        Person.objects.filter(is_active=True)
        .exclude(pk__in=current)
        .order_by("display_name", "username")
    )


# The queue: products ready to carry ---------------------------------------------------------


def _stage_rank() -> Case:
    from learnloop.consolidation.models import Stage

    return Case(
        When(stage=Stage.SCALING, then=Value(3)),
        When(stage=Stage.KNOWLEDGE, then=Value(2)),
        When(stage=Stage.PROMISING, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


RANK_STAGE = {3: "scaling", 2: "knowledge", 1: "promising"}


def ready_products(*, viewer: Any, person: Any) -> QuerySet[Any]:
    """Published products `person` and `viewer` may both see that are ready to travel:
    an idea behind them (that both may see) has reached promising, knowledge or scaling,
    or the product is public. Annotated with `maturity` (0 to 3: the most mature idea) and
    `travelled` (how many times it was shared, by anyone)."""
    from learnloop.capture.models import KnowledgeProduct
    from learnloop.consolidation.models import Idea, Stage

    if not access.is_member(viewer) or not access.is_member(person):
        return KnowledgeProduct.objects.none()
    both = access.visible_q(person) & access.visible_q(viewer)
    top = (
        Idea.objects.filter(
            both,
            products=OuterRef("pk"),
            stage__in=[Stage.PROMISING, Stage.KNOWLEDGE, Stage.SCALING],
        )
        .annotate(rank=_stage_rank())
        .order_by("-rank")
        .values("rank")[:1]
    )
    travelled = (
        Share.objects.filter(product=OuterRef("pk"))
        .order_by()
        .values("product")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        KnowledgeProduct.objects.filter(both, published_at__isnull=False)
        .exclude(visibility=Visibility.DRAFT)
        .annotate(
            maturity=Coalesce(Subquery(top), Value(0)),
            travelled=Coalesce(Subquery(travelled), Value(0)),
        )
        .filter(Q(maturity__gt=0) | Q(visibility=Visibility.PUBLIC))
    )


def broker_queue(*, viewer: Any, broker: Broker) -> QuerySet[Any]:
    """Products ready for the broker to carry that have not yet reached each of the
    broker's audiences (with no audiences named: not yet carried by the broker at all).
    Most mature first, then the least travelled, then the newest."""
    from learnloop.capture.models import KnowledgeProduct

    if not is_active_broker(broker):
        return KnowledgeProduct.objects.none()
    qs = ready_products(viewer=viewer, person=broker.person)
    audience_ids = _active_audience_ids(broker)
    if audience_ids:
        reached = (
            Share.objects.filter(product=OuterRef("pk"), broker_audience_id__in=audience_ids)
            .order_by()
            .values("product")
            .annotate(n=Count("broker_audience", distinct=True))
            .values("n")
        )
        qs = qs.annotate(reached=Coalesce(Subquery(reached), Value(0))).filter(
            reached__lt=len(audience_ids)
        )
    else:
        qs = qs.exclude(
            Exists(Share.objects.filter(product=OuterRef("pk"), shared_by_id=broker.person_id))
        )
    return qs.select_related("author", "group").order_by(
        F("maturity").desc(), "travelled", F("published_at").desc(nulls_last=True), "-id"
    )


def _active_audience_ids(broker: Broker) -> list[int]:
    cached = getattr(broker, "active_audiences", None)
    if cached is not None:
        return [a.pk for a in cached]
    return list(broker.audiences.filter(retired_at__isnull=True).values_list("pk", flat=True))


def queue_rows(*, broker: Broker, products: Iterable[Any]) -> list[Any]:
    """One page of a queue, each product knowing the broker's audiences it has not reached
    (`missing`) and its most mature stage (`top_stage`). One query for the page."""
    rows = list(products)
    audiences = list(getattr(broker, "active_audiences", None) or [])
    if not audiences:
        audiences = list(broker.audiences.filter(retired_at__isnull=True))
        audiences.sort(key=lambda a: (sphere_rank(a.sphere), a.name.casefold()))
    reached: set[tuple[int, int]] = set()
    if rows and audiences:
        reached = set(
            Share.objects.filter(
                product_id__in=[p.pk for p in rows],
                broker_audience_id__in=[a.pk for a in audiences],
            )
            .order_by()
            .values_list("product_id", "broker_audience_id")
            .distinct()
        )
    from learnloop.consolidation.models import STAGE_HELP, Stage

    for product in rows:
        product.missing = [a for a in audiences if (product.pk, a.pk) not in reached]
        top = RANK_STAGE.get(getattr(product, "maturity", 0), "")
        product.top_stage = top
        product.top_stage_label = str(Stage(top).label) if top else ""
        product.top_stage_help = str(STAGE_HELP[Stage(top)]) if top else ""
    return rows


def product_in_queue(*, broker: Broker, product: Any) -> bool:
    """Whether the product is in the broker's own queue (as the broker sees it)."""
    return broker_queue(viewer=broker.person, broker=broker).filter(pk=product.pk).exists()


def carried_by(*, viewer: Any, broker: Broker, limit: int = 10) -> list[Share]:
    """The broker's latest shares of products the viewer may see."""
    if not access.is_member(viewer):
        return []
    return list(
        Share.objects.filter(
            access.visible_q(viewer, "product__"),
            Q(broker_audience__broker=broker) | Q(shared_by_id=broker.person_id),
        )
        .select_related("product", "channel", "broker_audience")
        .order_by("-shared_at", "-id")[:limit]
    )


# Where a product has travelled -------------------------------------------------------------


@dataclass
class SphereTravels:
    sphere: str  # "" when the sharer did not say
    label: str
    shares: list[Share] = field(default_factory=list)

    @property
    def audiences(self) -> int:
        return len({s.audience.casefold() for s in self.shares})


def travels(shares: Sequence[Share], plans: Iterable[Any]) -> list[SphereTravels]:
    """Shares grouped by sphere (nearest first, unsaid last), each with the adoption plans
    started from it. Works on lists the page already loaded for the viewer: no query of its
    own beyond evaluating `plans`."""
    by_share: dict[int, list[Any]] = {}
    for plan in plans:
        if plan.share_id is not None:
            by_share.setdefault(plan.share_id, []).append(plan)
    groups: dict[str, SphereTravels] = {}
    for share in shares:
        share.plans_started = by_share.get(share.pk, [])  # type: ignore[attr-defined]
        sphere = share.sphere or ""
        if sphere not in groups:
            label = Sphere(sphere).label if sphere else _("Sphere not said")
            groups[sphere] = SphereTravels(sphere=sphere, label=str(label))
        groups[sphere].shares.append(share)
    return sorted(groups.values(), key=lambda g: sphere_rank(g.sphere))


def plans_started_from(*, viewer: Any, share: Share) -> list[Any]:
    """The adoption plans the viewer may see that were started from this share."""
    from learnloop.application.models import AdoptionPlan

    return list(
        AdoptionPlan.objects.filter(access.visible_q(viewer), share=share).order_by(
            "-created_at", "-id"
        )
    )


# Warnings ----------------------------------------------------------------------------------


def share_goes_outside(share: Share) -> bool:
    """True when a share took a product that is not public beyond the network: through a
    channel that reaches outside, or to partner organizations or the wider field."""
    if share.product.visibility == Visibility.PUBLIC:
        return False
    outside_channel = share.channel is not None and share.channel.reaches_outside
    return outside_channel or share.sphere in OUTSIDE_SPHERES
