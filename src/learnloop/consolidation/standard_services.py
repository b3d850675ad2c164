"""Writes for the network's standards: drafting a new version and putting it to the members.

Any member may draft a version: it starts as a copy of the current standards, its proposer
edits it, and then submits it; a decision by the members adopts it or not. Only a draft is
edited, and only by its proposer or a steward, so that what the members vote on stays fixed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from learnloop.consolidation import decisions
from learnloop.consolidation.models import (
    Criterion,
    CriterionKind,
    Decision,
    StandardsVersion,
    VersionStatus,
)
from learnloop.consolidation.standard_selectors import current_version
from learnloop.core import access
from learnloop.core.services import audit

CRITERION_FIELDS = ("kind", "title", "description", "min_contexts")


def may_edit(viewer: Any, version: StandardsVersion) -> bool:
    return (
        access.is_member(viewer)
        and version.status == VersionStatus.DRAFT
        and (version.proposed_by_id == viewer.pk or access.is_steward(viewer))
    )


def _require_edit(viewer: Any, version: StandardsVersion) -> None:
    if not may_edit(viewer, version):
        raise PermissionDenied


@transaction.atomic
def version_draft(
    *,
    proposer: Any,
    title: str = "",
    rationale: str = "",
    based_on: StandardsVersion | None = None,
) -> StandardsVersion:
    """Start a draft: a copy of `based_on` (the current standards by default) to edit."""
    access.require_member(proposer)
    based_on = based_on or current_version()
    title = title.strip() or (
        _("Changes to %(title)s") % {"title": based_on.title}
        if based_on
        else _("Our first standards")
    )
    version = StandardsVersion(
        title=title[:200], rationale=rationale.strip(), based_on=based_on, proposed_by=proposer
    )
    version.full_clean(exclude=["proposed_by", "based_on"])
    version.save()
    if based_on is not None:
        Criterion.objects.bulk_create(
            Criterion(
                version=version,
                position=index,
                kind=c.kind,
                title=c.title,
                description=c.description,
                min_contexts=c.min_contexts,
            )
            for index, c in enumerate(based_on.criteria.all())
        )
    audit(proposer, "drafted standards", version)
    return version


@transaction.atomic
def version_update(*, viewer: Any, version: StandardsVersion, **fields: Any) -> StandardsVersion:
    _require_edit(viewer, version)
    unknown = set(fields) - {"title", "rationale"}
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    for name, value in fields.items():
        setattr(version, name, (value or "").strip())
    if not version.title:
        raise ValidationError({"title": _("Give the version a short title.")})
    version.full_clean(exclude=["proposed_by", "based_on"])
    version.save(update_fields=list(fields))
    return version


def _clean_criterion(criterion: Criterion) -> None:
    criterion.title = criterion.title.strip()
    criterion.description = criterion.description.strip()
    if not criterion.title:
        raise ValidationError({"title": _("Name the standard in a few words.")})
    if criterion.kind not in CriterionKind.values:
        raise ValidationError({"kind": _("Choose one of the kinds.")})
    if criterion.kind == CriterionKind.CONTEXTS and not criterion.min_contexts:
        raise ValidationError(
            {"min_contexts": _("Say in how many distinct contexts an idea must be tried.")}
        )
    criterion.full_clean(exclude=["version"])


@transaction.atomic
def criterion_add(
    *,
    viewer: Any,
    version: StandardsVersion,
    title: str,
    kind: str = CriterionKind.OTHER,
    description: str = "",
    min_contexts: int | None = None,
) -> Criterion:
    _require_edit(viewer, version)
    last = version.criteria.aggregate(n=Max("position"))["n"]
    criterion = Criterion(
        version=version,
        position=0 if last is None else last + 1,
        kind=kind,
        title=title,
        description=description or "",
        min_contexts=min_contexts,
    )
    _clean_criterion(criterion)
    criterion.save()
    return criterion


@transaction.atomic
def criterion_update(*, viewer: Any, criterion: Criterion, **fields: Any) -> Criterion:
    _require_edit(viewer, criterion.version)
    unknown = set(fields) - set(CRITERION_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    for name, value in fields.items():
        setattr(criterion, name, "" if value is None and name != "min_contexts" else value)
    _clean_criterion(criterion)
    criterion.save(update_fields=list(fields))
    return criterion


@transaction.atomic
def criterion_delete(*, viewer: Any, criterion: Criterion) -> None:
    _require_edit(viewer, criterion.version)
    criterion.delete()


@transaction.atomic
def criterion_move(*, viewer: Any, criterion: Criterion, offset: int) -> None:
    """Move a standard up (offset -1) or down (+1) in its version's order."""
    version = criterion.version
    _require_edit(viewer, version)
    ordered = list(version.criteria.order_by("position", "id"))
    index = next(i for i, c in enumerate(ordered) if c.pk == criterion.pk)
    target = max(0, min(len(ordered) - 1, index + offset))
    ordered.insert(target, ordered.pop(index))
    for position, c in enumerate(ordered):
        c.position = position
    Criterion.objects.bulk_update(ordered, ["position"])


@transaction.atomic
def version_propose(
    *,
    viewer: Any,
    version: StandardsVersion,
    rationale: str,
    closes_at: datetime | None = None,
    quorum: int | None = None,
    threshold: int | None = None,
) -> Decision:
    """Put a draft to the members. A version without an equity standard may still be
    proposed: the pages warn about it, the members decide."""
    _require_edit(viewer, version)
    return decisions.decision_open(
        proposer=viewer,
        standards_version=version,
        rationale=rationale,
        closes_at=closes_at,
        quorum=quorum,
        threshold=threshold,
    )
