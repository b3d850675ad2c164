"""Reads for the network's standards: the current version, its history, proposals.

The standards belong to the whole network: every member may read every version, drafts
included (a draft is how a proposal is discussed before it goes to a vote).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from learnloop.consolidation.models import (
    Criterion,
    Decision,
    DecisionStatus,
    StandardsVersion,
    VersionStatus,
)
from learnloop.core import access


def _with_parts(qs: QuerySet[StandardsVersion]) -> QuerySet[StandardsVersion]:
    return qs.select_related("proposed_by", "based_on").prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.order_by("position", "id")),
        Prefetch(
            "decisions",
            queryset=Decision.objects.select_related("proposed_by").order_by("-opened_at", "-id"),
        ),
    )


def current_version() -> StandardsVersion | None:
    """The adopted version with the highest number: what an idea must meet today."""
    return (
        _with_parts(StandardsVersion.objects.filter(status=VersionStatus.ADOPTED))
        .order_by("-number")
        .first()
    )


def _key(criterion: Criterion) -> str:
    return " ".join(criterion.title.lower().split())


def criteria_changes(before: list[Criterion] | None, after: list[Criterion]) -> dict[str, Any]:
    """What changed from one list of standards to another, matched by their titles:
    {added, removed, changed: [(before, after)], kept: n}; `before` None means a first version."""
    if before is None:
        return {"first": True, "added": after, "removed": [], "changed": [], "kept": 0}
    old = {_key(c): c for c in before}
    new = {_key(c): c for c in after}
    changed = [
        (old[k], c)
        for k, c in new.items()
        if k in old
        and (old[k].kind, old[k].description.strip(), old[k].min_contexts)
        != (c.kind, c.description.strip(), c.min_contexts)
    ]
    return {
        "first": False,
        "added": [c for k, c in new.items() if k not in old],
        "removed": [c for k, c in old.items() if k not in new],
        "changed": changed,
        "kept": sum(1 for k in new if k in old) - len(changed),
    }


def _decorate(version: StandardsVersion, before: StandardsVersion | None, first: bool) -> None:
    criteria = list(version.criteria.all())
    version.criteria_list = criteria  # type: ignore[attr-defined]
    version.has_equity = any(c.is_equity for c in criteria)  # type: ignore[attr-defined]
    version.changes = criteria_changes(  # type: ignore[attr-defined]
        None if first else list(before.criteria.all()) if before else [], criteria
    )
    decisions = list(version.decisions.all())
    version.decision_list = decisions  # type: ignore[attr-defined]
    version.adopted_by = next(  # type: ignore[attr-defined]
        (d for d in decisions if d.status == DecisionStatus.PASSED), None
    )
    version.latest_decision = decisions[0] if decisions else None  # type: ignore[attr-defined]


def standards_page(*, viewer: Any) -> dict[str, Any]:
    """The current standards, the adopted history (each with what it changed), the open
    proposals, the rejected ones and the viewer's own drafts, in a fixed number of queries."""
    adopted = list(
        _with_parts(StandardsVersion.objects.filter(status=VersionStatus.ADOPTED)).order_by(
            "-number"
        )
    )
    for index, version in enumerate(adopted):
        before = adopted[index + 1] if index + 1 < len(adopted) else None
        _decorate(version, before, first=before is None)
    others = list(
        _with_parts(StandardsVersion.objects.exclude(status=VersionStatus.ADOPTED)).order_by(
            "-created_at", "-id"
        )
    )
    current = adopted[0] if adopted else None
    for version in others:
        base = version.based_on
        base_criteria = next((v for v in adopted if base and v.pk == base.pk), None)
        _decorate(version, base_criteria, first=base is None)
    me = getattr(viewer, "pk", None)
    return {
        "current": current,
        "history": adopted,
        "proposed": [v for v in others if v.status == VersionStatus.PROPOSED],
        "rejected": [v for v in others if v.status == VersionStatus.REJECTED],
        "drafts": [
            v
            for v in others
            if v.status == VersionStatus.DRAFT
            and (v.proposed_by_id == me or access.is_steward(viewer))
        ],
    }


def get_version_for(viewer: Any, pk: Any) -> StandardsVersion:
    """Any member may read any version; visitors none (404)."""
    if not access.is_member(viewer):
        raise Http404
    try:
        version = _with_parts(StandardsVersion.objects.all()).get(pk=pk)
    except (StandardsVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    base = version.based_on
    if base is not None:
        base = _with_parts(StandardsVersion.objects.filter(pk=base.pk)).first()
    _decorate(version, base, first=base is None)
    return version


def get_criterion_for(viewer: Any, version: StandardsVersion, pk: Any) -> Criterion:
    try:
        return Criterion.objects.select_related("version").get(version=version, pk=pk)
    except (Criterion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
