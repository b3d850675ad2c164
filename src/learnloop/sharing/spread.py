"""Spread figures: how far the network's knowledge travels.

For a broker, a product, a group or the whole network, over a period:

* **audiences reached** — distinct audiences per sphere (the same audience reached twice
  counts once; "the principals" in the network and "the principals" in the field are two);
* **shares** — times a product was carried to someone;
* **responses** — shares for which something came back;
* **plans started** — adoption plans started from a share.

Only what the viewer may see is counted: shares of products the viewer can open, and plans
the viewer can open. Two aggregate queries per figure set, grouped in the database,
whatever the number of shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnloop.core import access
from learnloop.sharing.broker_selectors import SPHERE_ORDER, sphere_rank
from learnloop.sharing.models import Share, Sphere

# The periods the pages offer: key → days (None: since the beginning).
PERIODS: dict[str, int | None] = {"90": 90, "365": 365, "all": None}
PERIOD_LABELS: dict[str, Any] = {
    "90": gettext_lazy("The last three months"),
    "365": gettext_lazy("The last twelve months"),
    "all": gettext_lazy("Since the beginning"),
}
DEFAULT_PERIOD = "365"


def period_since(value: str | None, *, now: datetime | None = None) -> tuple[str, datetime | None]:
    """A period key from a query string (unknown keys mean the default) and its start."""
    key = value if value in PERIODS else DEFAULT_PERIOD
    days = PERIODS[key]
    if days is None:
        return key, None
    return key, (now or timezone.now()) - timedelta(days=days)


def period_choices() -> list[tuple[str, str]]:
    return [(key, str(PERIOD_LABELS[key])) for key in PERIODS]


@dataclass
class SphereFigures:
    sphere: str  # "" for shares whose sphere was not said
    label: str
    audiences: int = 0
    shares: int = 0
    responses: int = 0
    plans: int = 0


@dataclass
class SpreadFigures:
    spheres: list[SphereFigures] = field(default_factory=list)
    since: datetime | None = None
    until: datetime | None = None

    @property
    def audiences(self) -> int:
        return sum(s.audiences for s in self.spheres)

    @property
    def shares(self) -> int:
        return sum(s.shares for s in self.spheres)

    @property
    def responses(self) -> int:
        return sum(s.responses for s in self.spheres)

    @property
    def plans(self) -> int:
        return sum(s.plans for s in self.spheres)

    @property
    def has_any(self) -> bool:
        return bool(self.shares or self.plans)

    def as_dict(self) -> dict[str, Any]:
        return {
            "since": self.since,
            "until": self.until,
            "audiences": self.audiences,
            "shares": self.shares,
            "responses": self.responses,
            "plans": self.plans,
            "spheres": [
                {
                    "sphere": s.sphere,
                    "label": s.label,
                    "audiences": s.audiences,
                    "shares": s.shares,
                    "responses": s.responses,
                    "plans": s.plans,
                }
                for s in self.spheres
            ],
        }


def _label(sphere: str) -> str:
    return str(Sphere(sphere).label) if sphere in Sphere.values else _("Sphere not said")


def _empty(since: datetime | None, until: datetime | None) -> SpreadFigures:
    """Every sphere, at zero: a page shows the same rows whatever happened."""
    return SpreadFigures(
        spheres=[SphereFigures(sphere=s, label=_label(s)) for s in SPHERE_ORDER],
        since=since,
        until=until,
    )


def _broker_key(prefix: str = "") -> Coalesce:
    """Whose share it is, as a broker: the broker of the audience it went to, else the
    broker role of the person who recorded it (null when neither)."""
    return Coalesce(F(f"{prefix}broker_audience__broker_id"), F(f"{prefix}shared_by__broker__id"))


def _scoped(
    qs: QuerySet[Any],
    *,
    viewer: Any,
    prefix: str,
    broker: Any = None,
    brokers: list[int] | None = None,
    product: Any = None,
    group: Any = None,
) -> QuerySet[Any]:
    qs = qs.filter(access.visible_q(viewer, f"{prefix}product__"))
    if product is not None:
        qs = qs.filter(**{f"{prefix}product": product})
    if group is not None:
        qs = qs.filter(**{f"{prefix}product__group": group})
    if broker is not None or brokers is not None:
        qs = qs.annotate(broker_key=_broker_key(prefix))
        if broker is not None:
            qs = qs.filter(broker_key=broker.pk)
        if brokers is not None:
            qs = qs.filter(broker_key__in=brokers)
    return qs


def _share_rows(
    shares: QuerySet[Share], *, since: datetime | None, until: datetime | None, by: tuple[str, ...]
) -> QuerySet[Any]:
    if since is not None:
        shares = shares.filter(shared_at__gte=since)
    if until is not None:
        shares = shares.filter(shared_at__lt=until)
    return (
        shares.order_by()
        .values(*by, "sphere")
        .annotate(
            n_audiences=Count(Lower("audience"), distinct=True),
            n_shares=Count("id"),
            n_responses=Count("id", filter=~Q(response="")),
        )
    )


def _plan_rows(
    plans: QuerySet[Any], *, since: datetime | None, until: datetime | None, by: tuple[str, ...]
) -> QuerySet[Any]:
    if since is not None:
        plans = plans.filter(created_at__gte=since)
    if until is not None:
        plans = plans.filter(created_at__lt=until)
    return plans.order_by().values(*by, "share__sphere").annotate(n_plans=Count("id"))


def _plans(viewer: Any) -> QuerySet[Any]:
    from learnloop.application.models import AdoptionPlan

    return AdoptionPlan.objects.filter(access.visible_q(viewer), share__isnull=False)


def _sphere(figures: SpreadFigures, sphere: str | None) -> SphereFigures:
    sphere = sphere or ""
    for row in figures.spheres:
        if row.sphere == sphere:
            return row
    row = SphereFigures(sphere=sphere, label=_label(sphere))
    figures.spheres.append(row)
    figures.spheres.sort(key=lambda s: sphere_rank(s.sphere))
    return row


def spread_figures(
    *,
    viewer: Any,
    broker: Any = None,
    product: Any = None,
    group: Any = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> SpreadFigures:
    """Figures for one broker, one product, one group's products, or (with none of them)
    the whole network, as the viewer may see them. Visitors who are not members see
    nothing: where knowledge went is the network's own working record."""
    figures = _empty(since, until)
    if not access.is_member(viewer):
        return figures
    scope = {"viewer": viewer, "broker": broker, "product": product, "group": group}
    shares = _scoped(Share.objects.all(), prefix="", **scope)
    for row in _share_rows(shares, since=since, until=until, by=()):
        target = _sphere(figures, row["sphere"])
        target.audiences += row["n_audiences"]
        target.shares += row["n_shares"]
        target.responses += row["n_responses"]
    plans = _scoped(_plans(viewer), prefix="share__", **scope)
    for row in _plan_rows(plans, since=since, until=until, by=()):
        _sphere(figures, row["share__sphere"]).plans += row["n_plans"]
    return figures


def spread_by_broker(
    *,
    viewer: Any,
    brokers: list[Any],
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[int, SpreadFigures]:
    """spread_figures for several brokers at once (two queries in all): broker id → figures."""
    result = {b.pk: _empty(since, until) for b in brokers}
    if not access.is_member(viewer) or not brokers:
        return result
    ids = [b.pk for b in brokers]
    shares = _scoped(Share.objects.all(), viewer=viewer, prefix="", brokers=ids)
    for row in _share_rows(shares, since=since, until=until, by=("broker_key",)):
        target = _sphere(result[row["broker_key"]], row["sphere"])
        target.audiences += row["n_audiences"]
        target.shares += row["n_shares"]
        target.responses += row["n_responses"]
    plans = _scoped(_plans(viewer), viewer=viewer, prefix="share__", brokers=ids)
    for row in _plan_rows(plans, since=since, until=until, by=("broker_key",)):
        _sphere(result[row["broker_key"]], row["share__sphere"]).plans += row["n_plans"]
    return result
