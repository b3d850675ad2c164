"""Reads for sharing: the network's activity feed, shares, channels and public pages."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.core.models import Visibility
from learnloop.core.pagecache import content_version
from learnloop.sharing.models import Channel, Share


@dataclass(frozen=True)
class FeedEntry:
    when: datetime
    verb: str  # a key the template turns into words
    actor: Any
    item: Any
    detail: Any = None


def activity_feed(
    *, viewer: Any, limit: int = 30, before: datetime | None = None, group: int | None = None
) -> list[FeedEntry]:
    """What happened in the network, newest first, across every phase of the cycle.

    Derived from the records themselves (no separate activity table to keep in step):
    each source contributes its newest `limit` rows and the streams are merged.
    """
    from learnloop.application.models import Outcome
    from learnloop.capture.models import KnowledgeProduct
    from learnloop.consolidation.models import Idea, StageChange
    from learnloop.generation.models import Learning, Question

    def window(qs: QuerySet[Any], field: str, prefix: str = "") -> QuerySet[Any]:
        if before is not None:
            qs = qs.filter(**{f"{field}__lt": before})
        if group:
            qs = qs.filter(**{f"{prefix}group_id": group})
        return qs.order_by(f"-{field}", "-id")[:limit]

    vq = access.visible_q
    streams: list[list[FeedEntry]] = [
        [
            FeedEntry(x.created_at, "learning", x.author, x)
            for x in window(
                Learning.objects.filter(vq(viewer)).defer("body").select_related("author", "group"),
                "created_at",
            )
        ],
        [
            FeedEntry(x.created_at, "idea", x.author, x)
            for x in window(
                Idea.objects.filter(vq(viewer)).defer("summary").select_related("author", "group"),
                "created_at",
            )
        ],
        [
            FeedEntry(x.decided_at, "stage", x.decided_by, x.idea, x)
            for x in window(
                StageChange.objects.filter(vq(viewer, "idea__"))
                .exclude(from_stage="")
                .defer("reason", "evidence_snapshot", "idea__summary")
                .select_related("decided_by", "idea"),
                "decided_at",
                "idea__",
            )
        ],
        [
            FeedEntry(x.published_at, "product", x.author, x)
            for x in window(
                KnowledgeProduct.objects.filter(vq(viewer), published_at__isnull=False)
                .defer("body", "actions")
                .select_related("author", "group"),
                "published_at",
            )
        ],
        [
            FeedEntry(x.created_at, "question", x.author, x)
            for x in window(
                Question.objects.filter(vq(viewer)).defer("body").select_related("author", "group"),
                "created_at",
            )
        ],
        [
            FeedEntry(x.shared_at, "share", x.shared_by, x.product, x)
            for x in window(
                Share.objects.filter(vq(viewer, "product__"))
                .defer("note", "response", "product__body", "product__actions")
                .select_related("shared_by", "product", "channel"),
                "shared_at",
                "product__",
            )
        ],
        [
            FeedEntry(x.recorded_at, "outcome", x.recorded_by, x.plan, x)
            for x in window(
                Outcome.objects.filter(vq(viewer, "plan__"), vq(viewer, "plan__product__"))
                .defer("description", "plan__goal")
                .select_related("recorded_by", "plan"),
                "recorded_at",
                "plan__",
            )
        ],
    ]
    merged = heapq.merge(*streams, key=lambda e: e.when, reverse=True)
    return list(islice(merged, limit))


def cycle_counts(*, viewer: Any, days: int = 90, group: int | None = None) -> dict[str, int]:
    """How much moved through each phase lately, as the viewer may see it.

    Six counts over months of records: kept in the cache until the network changes (the
    content version is part of the key) or for five minutes at most.
    """
    who = viewer.pk if access.is_member(viewer) else "anonymous"
    key = f"learnloop:cycle-counts:{who}:{group}:{days}:{content_version()}"
    return cache.get_or_set(key, lambda: _cycle_counts(viewer=viewer, days=days, group=group), 300)


def _cycle_counts(*, viewer: Any, days: int, group: int | None) -> dict[str, int]:
    from learnloop.application.models import AdoptionPlan, Outcome
    from learnloop.capture.models import KnowledgeProduct
    from learnloop.consolidation.models import Idea
    from learnloop.generation.models import Learning

    since = timezone.now() - timedelta(days=days)
    vq = access.visible_q

    def scoped(qs: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
        return qs.filter(**{f"{prefix}group_id": group}) if group else qs

    return {
        "learnings": scoped(Learning.objects.filter(vq(viewer), created_at__gte=since)).count(),
        "ideas": scoped(Idea.objects.filter(vq(viewer), updated_at__gte=since)).count(),
        "products": scoped(
            KnowledgeProduct.objects.filter(vq(viewer), published_at__gte=since)
        ).count(),
        "shares": scoped(
            Share.objects.filter(vq(viewer, "product__"), shared_at__gte=since), "product__"
        ).count(),
        "plans": scoped(
            AdoptionPlan.objects.filter(vq(viewer), vq(viewer, "product__"), created_at__gte=since)
        ).count(),
        "outcomes": scoped(
            Outcome.objects.filter(
                vq(viewer, "plan__"), vq(viewer, "plan__product__"), recorded_at__gte=since
            ),
            "plan__",
        ).count(),
    }


# Shares and channels ---------------------------------------------------------------------


def share_list(*, viewer: Any, product: Any) -> QuerySet[Share]:
    """Where a product has travelled. Members only: the audiences reached and the responses
    are the network's own working notes, even for a public product."""
    if not access.is_member(viewer) or not access.can_view(viewer, product):
        return Share.objects.none()
    return (
        Share.objects.filter(product=product)
        .select_related("channel", "shared_by", "product")
        .order_by("-shared_at", "-id")
    )


def shares_for(*, viewer: Any, product: Any) -> list[Share]:
    """share_list for a page: each share knows whether the viewer may record its response."""
    shares = list(share_list(viewer=viewer, product=product))
    for share in shares:
        share.may_answer = can_answer_share(viewer, share)  # type: ignore[attr-defined]
    return shares


def get_share_for(viewer: Any, pk: Any, *, write: bool = False) -> Share:
    """A share is seen by members who may see its product; its response is changed by the
    person who shared it or by a steward."""
    access.require_member(viewer)
    try:
        share = Share.objects.select_related("product", "channel", "shared_by").get(pk=pk)
    except (Share.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not access.can_view(viewer, share.product):
        raise Http404
    if write and not can_answer_share(viewer, share):
        raise PermissionDenied
    return share


def can_answer_share(viewer: Any, share: Share) -> bool:
    return access.is_member(viewer) and (
        share.shared_by_id == viewer.pk or access.is_steward(viewer)
    )


def outside_warning(product: Any) -> bool:
    """True when the product is not public yet some channel carries things beyond the
    network: whoever shares it there should know outsiders cannot open the link."""
    return (
        product.visibility != Visibility.PUBLIC
        and Channel.objects.filter(reaches_outside=True).exists()
    )


def share_reaches_outside_privately(share: Share) -> bool:
    return bool(
        share.channel is not None
        and share.channel.reaches_outside
        and share.product.visibility != Visibility.PUBLIC
    )


def channel_choices() -> QuerySet[Channel]:
    return Channel.objects.order_by("name")


def channel_list(*, viewer: Any) -> QuerySet[Channel]:
    """Channels with how many shares (of products the viewer may see) went through each."""
    if not access.is_member(viewer):
        return Channel.objects.none()
    return Channel.objects.annotate(
        share_count=Count("shares", filter=access.visible_q(viewer, "shares__product__"))
    ).order_by("name")


def get_channel(pk: Any) -> Channel:
    return get_object_or_404(Channel, pk=pk)


def get_channel_or_none(channel_id: int | None) -> Channel | None:
    """Resolve a channel id given in a request body; an unknown id is a field error."""
    if channel_id is None:
        return None
    channel = Channel.objects.filter(pk=channel_id).first()
    if channel is None:
        raise ValidationError({"channel_id": _("There is no channel with this id.")})
    return channel


# The public site ---------------------------------------------------------------------------
# Everything here is read as an anonymous visitor would, whoever is asking, so a steward
# previewing the public site sees exactly what the world sees.


def _public_q(prefix: str = "") -> Q:
    return access.visible_q(access.anonymous(), prefix)


def _public_ideas_prefetch() -> Prefetch:
    from learnloop.consolidation.models import Idea

    return Prefetch(
        "ideas",
        queryset=Idea.objects.filter(_public_q()).order_by("title", "id"),
        to_attr="public_ideas",
    )


def public_products(*, q: str | None = None) -> QuerySet[Any]:
    from learnloop.capture.models import KnowledgeProduct

    qs = KnowledgeProduct.objects.filter(_public_q())
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(body__icontains=q))
    return (
        qs.select_related("author")
        .prefetch_related("tags", _public_ideas_prefetch())
        .order_by(F("published_at").desc(nulls_last=True), "-created_at", "-id")
    )


def get_public_product(pk: Any) -> Any:
    try:
        return public_products().get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _public_evidence_counts() -> dict[str, Any]:
    from learnloop.consolidation.models import Relation

    public = _public_q("evidence__learning__")
    return {
        f"public_{rel}": Count("evidence", filter=public & Q(evidence__relation=rel), distinct=True)
        for rel in Relation.values
    }


def public_ideas(*, stage: str | None = None) -> QuerySet[Any]:
    from learnloop.consolidation.models import Idea

    qs = Idea.objects.filter(_public_q())
    if stage:
        qs = qs.filter(stage=stage)
    return qs.annotate(**_public_evidence_counts()).order_by("-stage_changed_at", "-id")


def get_public_idea(pk: Any) -> Any:
    from learnloop.consolidation.models import Idea

    try:
        return (
            Idea.objects.filter(_public_q())
            .prefetch_related("tags")
            .annotate(**_public_evidence_counts())
            .get(pk=pk)
        )
    except (Idea.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def public_evidence_for(idea: Any) -> QuerySet[Any]:
    """Only evidence whose learning is itself public: the rest stays inside the network."""
    from learnloop.consolidation.models import Evidence

    return (
        Evidence.objects.filter(_public_q("learning__"), idea=idea)
        .select_related("learning")
        .order_by("-added_at", "-id")
    )


def public_products_for_idea(idea: Any) -> QuerySet[Any]:
    from learnloop.capture.models import KnowledgeProduct

    return KnowledgeProduct.objects.filter(_public_q(), ideas=idea).order_by(
        F("published_at").desc(nulls_last=True), "-id"
    )


def public_stage_history(idea: Any) -> QuerySet[Any]:
    """The stage moves of a public idea: which stage, when. The reasons are written for
    the network and may name work that is not public, so they stay inside."""
    from learnloop.consolidation.models import StageChange

    return (
        StageChange.objects.filter(idea=idea)
        .only("idea_id", "from_stage", "to_stage", "decided_at")
        .order_by("decided_at", "id")
    )


def atom_products(limit: int = 50) -> list[Any]:
    return list(
        public_products()
        .filter(published_at__isnull=False)
        .order_by("-published_at", "-id")[:limit]
    )
