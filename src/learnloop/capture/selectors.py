"""Reads for capture: knowledge products, as the viewer may see them.

A product shows the ideas it draws on, but only those the viewer may see themselves: a
network product built on a group-only idea must not leak that idea's title to the network.
Every read therefore prefetches the ideas through the viewer's visibility filter into
`visible_ideas`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from learnloop.capture.models import KnowledgeProduct
from learnloop.consolidation.models import Idea, Stage
from learnloop.core import access

# Stages a reader should weigh with care when a product builds on them.
CAREFUL_STAGES = (Stage.EMERGING, Stage.TESTING)


def visible_ideas_prefetch(viewer: Any, to_attr: str = "visible_ideas") -> Prefetch:
    return Prefetch(
        "ideas",
        queryset=access.visible(viewer, Idea.objects.all()).order_by("title", "id"),
        to_attr=to_attr,
    )


def product_list(
    *,
    viewer: Any,
    kind: str | None = None,
    audience: str | None = None,
    group: int | None = None,
    q: str | None = None,
    idea: int | None = None,
    tag: str | None = None,
    author: int | None = None,
) -> QuerySet[KnowledgeProduct]:
    qs = access.visible(viewer, KnowledgeProduct.objects.all())
    if kind:
        qs = qs.filter(kind=kind)
    if audience:
        qs = qs.filter(audience=audience)
    if group:
        qs = qs.filter(group_id=group)
    if author:
        qs = qs.filter(author_id=author)
    if idea:
        qs = qs.filter(ideas__id=idea)
    if tag:
        qs = qs.filter(tags__slug=tag)
    if q:
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(summary__icontains=q)
            | Q(body__icontains=q)
            | Q(actions__icontains=q)
            | Q(audience_detail__icontains=q)
        )
    if idea or tag:
        qs = qs.distinct()
    return (
        qs.select_related("author", "group")
        .prefetch_related("tags", visible_ideas_prefetch(viewer))
        .order_by("-created_at", "-id")
    )


def get_product_for(viewer: Any, pk: Any, *, write: bool = False) -> KnowledgeProduct:
    return access.get_for(
        viewer,
        KnowledgeProduct.objects.select_related(
            "author", "author__organization", "group", "deleted_by"
        ).prefetch_related("tags", visible_ideas_prefetch(viewer)),
        pk,
        write=write,
    )


def idea_choices(viewer: Any) -> QuerySet[Idea]:
    """The ideas a product may draw on: those the viewer can see, ripest first."""
    return access.visible(viewer, Idea.objects.all()).order_by("title", "id")


def resolve_ideas(*, viewer: Any, ids: Iterable[int], field: str = "idea_ids") -> list[Idea]:
    """Ideas named by id in a request; an id the viewer may not see is a field error."""
    wanted = sorted(set(ids))
    found = list(idea_choices(viewer).filter(pk__in=wanted))
    if len(found) != len(wanted):
        missing = sorted(set(wanted) - {i.pk for i in found})
        raise ValidationError(
            {
                field: _("There is no idea you can see with id %(ids)s.")
                % {"ids": ", ".join(str(m) for m in missing)}
            }
        )
    return found


def careful_ideas(product: KnowledgeProduct) -> dict[str, list[Idea]]:
    """The visible ideas a reader should weigh with care, by reason."""
    ideas = getattr(product, "visible_ideas", [])
    return {
        "early": [i for i in ideas if i.stage in CAREFUL_STAGES],
        "returned": [i for i in ideas if i.stage == Stage.RETURNED],
    }


def adoption_plans_for(*, viewer: Any, product: KnowledgeProduct) -> QuerySet[Any]:
    from learnloop.application.models import AdoptionPlan

    return (
        access.visible(viewer, AdoptionPlan.objects.filter(product=product))
        .select_related("author", "group")
        .order_by("-created_at", "-id")
    )
