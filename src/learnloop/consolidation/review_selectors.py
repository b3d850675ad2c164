"""Reads for reviews: the network's current standards, reviews of an idea side by side,
and the re-opening notice.

A review is seen by whoever may see its idea. The evidence a review links to is shown
only where the viewer may see the learning behind it, so that a review never hints at a
group's private work.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learnloop.consolidation import rules, selectors
from learnloop.consolidation.models import (
    Criterion,
    CriterionKind,
    Evidence,
    Idea,
    Relation,
    Review,
    ReviewScore,
    Stage,
    StandardsVersion,
    Verdict,
    VersionStatus,
)
from learnloop.core import access

# Badge classes from the shared stylesheet, one per verdict.
VERDICT_CLASS: dict[str, str] = {
    Verdict.MEETS: "rel-supports",
    Verdict.PARTLY: "stage-emerging",
    Verdict.NOT_MET: "rel-contradicts",
    Verdict.UNSURE: "vis",
}

FLAGGABLE_STAGES = frozenset({Stage.KNOWLEDGE, Stage.SCALING})


# The standards -------------------------------------------------------------------------


def current_version() -> StandardsVersion | None:
    """The adopted version with the highest number, with its criteria loaded."""
    return (
        StandardsVersion.objects.filter(status=VersionStatus.ADOPTED, number__isnull=False)
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("position", "id"))
        )
        .order_by("-number")
        .first()
    )


# Evidence a reviewer may link ----------------------------------------------------------


def evidence_choices(*, viewer: Any, idea: Idea) -> list[Evidence]:
    """The idea's evidence rows whose learning the viewer may see, to link from a review."""
    return list(
        Evidence.objects.filter(access.visible_q(viewer, "learning__"), idea=idea)
        .select_related("learning")
        .order_by("relation", "-added_at", "-id")
    )


# Reviews -------------------------------------------------------------------------------


def _reviews(viewer: Any) -> QuerySet[Review]:
    """Reviews with what a page shows of them, the linked evidence limited to the viewer."""
    visible_evidence = Evidence.objects.filter(
        access.visible_q(viewer, "learning__")
    ).select_related("learning")
    scores = ReviewScore.objects.select_related("criterion").prefetch_related(
        Prefetch("evidence", queryset=visible_evidence)
    )
    return Review.objects.select_related("reviewer", "version").prefetch_related(
        Prefetch("scores", queryset=scores.order_by("criterion__position", "criterion_id"))
    )


def reviews_for_idea(*, viewer: Any, idea: Idea) -> QuerySet[Review]:
    """Every review of an idea the viewer may see, newest version first."""
    if not access.can_view(viewer, idea):
        raise Http404
    return _reviews(viewer).filter(idea=idea).order_by("-version__number", "created_at", "id")


def get_review_for(viewer: Any, pk: Any, *, write: bool = False) -> Review:
    """A review by id: 404 when the viewer may not see its idea, 403 when they may see it
    but may not remove it (only its reviewer and stewards may)."""
    try:
        review = _reviews(viewer).select_related("idea").get(pk=pk)
    except (Review.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not access.can_view(viewer, review.idea):
        raise Http404
    if write and not may_delete(viewer, review):
        raise PermissionDenied
    _badges([review])
    return review


def _badges(reviews: list[Review]) -> None:
    for review in reviews:
        for score in review.scores.all():
            score.badge_class = VERDICT_CLASS.get(score.verdict, "vis")  # type: ignore[attr-defined]


def may_delete(viewer: Any, review: Review) -> bool:
    return access.is_member(viewer) and (
        review.reviewer_id == viewer.pk or access.is_steward(viewer)
    )


def own_review(*, viewer: Any, idea: Idea, version: StandardsVersion) -> Review | None:
    if not access.is_member(viewer):
        return None
    return (
        Review.objects.filter(idea=idea, reviewer=viewer, version=version)
        .prefetch_related("scores__evidence")
        .first()
    )


def may_review(viewer: Any, idea: Idea) -> bool:
    """Any member who may see a live idea may review it."""
    return access.can_contribute(viewer, idea)


# The idea page -------------------------------------------------------------------------


def consensus_line(counts: Counter[str], total: int) -> str:
    """`3 of 4 say “Meets it”; 1 of 4 says “Partly”`, verdicts in their fixed order."""
    parts = []
    for value, label in Verdict.choices:
        n = counts.get(value, 0)
        if n:
            parts.append(
                ngettext(
                    "%(n)d of %(total)d says “%(verdict)s”",
                    "%(n)d of %(total)d say “%(verdict)s”",
                    n,
                )
                % {"n": n, "total": total, "verdict": label}
            )
    return "; ".join(parts)


def _computed_hint(criterion: Criterion, idea: Idea, summary: dict[str, int]) -> str:
    """What the evidence itself says about a criterion whose check can be counted."""
    if criterion.kind == CriterionKind.CONTEXTS:
        text = ngettext(
            "Counted: the evidence you can see comes from %(n)d distinct context.",
            "Counted: the evidence you can see comes from %(n)d distinct contexts.",
            summary["contexts"],
        ) % {"n": summary["contexts"]}
        if criterion.min_contexts:
            text += " " + ngettext(
                "The standard asks for at least %(n)d.",
                "The standard asks for at least %(n)d.",
                criterion.min_contexts,
            ) % {"n": criterion.min_contexts}
        return text
    if criterion.kind == CriterionKind.CONTRADICTION:
        text = ngettext(
            "Counted: %(n)d linked learning you can see contradicts it.",
            "Counted: %(n)d linked learnings you can see contradict it.",
            summary["contradicts"],
        ) % {"n": summary["contradicts"]}
        if idea.review_flagged_at:
            text += " " + _("New contradicting evidence is waiting for review.")
        return text
    return ""


def _evidence_counts(viewer: Any, idea: Idea) -> dict[str, int]:
    """Counts the idea page already has (annotated by `selectors.get_idea_for`); counted
    here only when the idea came without them."""
    names = ("supports_count", "contradicts_count", "context_count")
    if all(hasattr(idea, name) for name in names):
        return {
            "supports": idea.supports_count,  # type: ignore[attr-defined]
            "contradicts": idea.contradicts_count,  # type: ignore[attr-defined]
            "contexts": idea.context_count,  # type: ignore[attr-defined]
        }
    summary = selectors.evidence_summary(viewer=viewer, idea=idea)
    return {k: summary[k] for k in ("supports", "contradicts", "contexts")}


def _side_by_side(
    version: StandardsVersion, reviews: list[Review], idea: Idea, counts: dict[str, int]
) -> list[dict[str, Any]]:
    """One row per criterion: each reviewer's score (or None) and the consensus."""
    rows = []
    for criterion in version.criteria.all():
        cells = []
        verdicts: Counter[str] = Counter()
        for review in reviews:
            score = next((s for s in review.scores.all() if s.criterion_id == criterion.pk), None)
            if score is not None:
                verdicts[score.verdict] += 1
            cells.append({"review": review, "score": score})
        total = sum(verdicts.values())
        rows.append(
            {
                "criterion": criterion,
                "cells": cells,
                "consensus": consensus_line(verdicts, total),
                "meets": verdicts.get(Verdict.MEETS, 0),
                "total": total,
                "computed": _computed_hint(criterion, idea, counts),
            }
        )
    return rows


def _older(reviews: list[Review]) -> list[dict[str, Any]]:
    by_version: dict[int, list[Review]] = defaultdict(list)
    versions: dict[int, StandardsVersion] = {}
    for review in reviews:
        by_version[review.version_id].append(review)
        versions[review.version_id] = review.version
    return [
        {"version": versions[vid], "reviews": by_version[vid]}
        for vid in sorted(by_version, key=lambda v: -(versions[v].number or 0))
    ]


def review_flag(*, viewer: Any, idea: Idea) -> dict[str, Any] | None:
    """The re-opening notice: the contradicting links since the flag went up, the ones
    whose learning the viewer may see, and a count of the others."""
    if not idea.review_flagged_at:
        return None
    rows = list(
        Evidence.objects.filter(
            idea=idea,
            relation=Relation.CONTRADICTS,
            added_at__gte=idea.review_flagged_at,
        )
        .select_related("learning", "added_by")
        .order_by("added_at", "id")
    )
    shown = [row for row in rows if access.can_view(viewer, row.learning)]
    return {
        "flagged_at": idea.review_flagged_at,
        "rows": shown,
        "hidden": len(rows) - len(shown),
        "may_resolve": rules.is_decider(viewer, idea),
    }


def idea_review_panel(*, viewer: Any, idea: Idea) -> dict[str, Any]:
    """Context for the idea page's review parts: `_review_flag.html` and `_reviews.html`.

    Five queries whatever the number of reviews: the current version and its criteria, the
    reviews with their reviewers and versions, their scores, and the evidence they link
    (and one more for the contradicting evidence when the idea is flagged).
    """
    version = current_version()
    reviews = list(reviews_for_idea(viewer=viewer, idea=idea))
    _badges(reviews)
    current = [r for r in reviews if version is not None and r.version_id == version.pk]
    older = [r for r in reviews if version is None or r.version_id != version.pk]
    counts = _evidence_counts(viewer, idea)
    rows = _side_by_side(version, current, idea, counts) if version is not None else []
    return {
        "review_version": version,
        "review_rows": rows,
        "review_current": current,
        "review_missing": [r for r in current if r.missing.strip()],
        "review_older": _older(older),
        "review_counts": {
            **counts,
            "reviews": len(current),
            "older_reviews": len(older),
            "criteria": len(rows),
            "all_meet": sum(1 for row in rows if row["total"] and row["meets"] == row["total"]),
        },
        "may_review": may_review(viewer, idea),
        "my_review": next((r for r in current if r.reviewer_id == viewer.pk), None),
        "review_flag": review_flag(viewer=viewer, idea=idea),
    }
