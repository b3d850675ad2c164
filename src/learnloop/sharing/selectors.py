"""Reads for sharing: the network's activity feed, shares, channels and public pages."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from learnloop.core import access


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
    from learnloop.sharing.models import Share

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
                Learning.objects.filter(vq(viewer)).select_related("author", "group"), "created_at"
            )
        ],
        [
            FeedEntry(x.created_at, "idea", x.author, x)
            for x in window(
                Idea.objects.filter(vq(viewer)).select_related("author", "group"), "created_at"
            )
        ],
        [
            FeedEntry(x.decided_at, "stage", x.decided_by, x.idea, x)
            for x in window(
                StageChange.objects.filter(vq(viewer, "idea__"))
                .exclude(from_stage="")
                .select_related("decided_by", "idea"),
                "decided_at",
                "idea__",
            )
        ],
        [
            FeedEntry(x.published_at, "product", x.author, x)
            for x in window(
                KnowledgeProduct.objects.filter(
                    vq(viewer), published_at__isnull=False
                ).select_related("author", "group"),
                "published_at",
            )
        ],
        [
            FeedEntry(x.created_at, "question", x.author, x)
            for x in window(
                Question.objects.filter(vq(viewer)).select_related("author", "group"), "created_at"
            )
        ],
        [
            FeedEntry(x.shared_at, "share", x.shared_by, x.product, x)
            for x in window(
                Share.objects.filter(vq(viewer, "product__")).select_related(
                    "shared_by", "product", "channel"
                ),
                "shared_at",
                "product__",
            )
        ],
        [
            FeedEntry(x.recorded_at, "outcome", x.recorded_by, x.plan, x)
            for x in window(
                Outcome.objects.filter(vq(viewer, "plan__")).select_related("recorded_by", "plan"),
                "recorded_at",
                "plan__",
            )
        ],
    ]
    merged = heapq.merge(*streams, key=lambda e: e.when, reverse=True)
    return [entry for _, entry in zip(range(limit), merged, strict=False)]


def cycle_counts(*, viewer: Any, days: int = 90, group: int | None = None) -> dict[str, int]:
    """How much moved through each phase lately, as the viewer may see it."""
    from learnloop.application.models import AdoptionPlan, Outcome
    from learnloop.capture.models import KnowledgeProduct
    from learnloop.consolidation.models import Idea
    from learnloop.generation.models import Learning
    from learnloop.sharing.models import Share

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
        "plans": scoped(AdoptionPlan.objects.filter(vq(viewer), created_at__gte=since)).count(),
        "outcomes": scoped(
            Outcome.objects.filter(vq(viewer, "plan__"), recorded_at__gte=since), "plan__"
        ).count(),
    }
