"""Writes for reviews and for re-opening knowledge that new evidence contradicts.

A review scores an idea against every criterion of the network's current standards. Each
person keeps one review per idea and version: submitting again replaces the verdicts and
keeps the date it was first given (the audit log keeps that it changed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from learnloop.consolidation import review_selectors, rules
from learnloop.consolidation.models import (
    Evidence,
    Idea,
    Relation,
    Review,
    ReviewScore,
    StageChange,
    Verdict,
    Vote,
    VoteChoice,
)
from learnloop.core.services import audit, comment_create
from learnloop.notifications.models import NotificationKind
from learnloop.notifications.services import notify

TEXT_LIMITS = {"summary": 10000, "missing": 10000}
JUSTIFICATION_LIMIT = 5000


def score_field(criterion_id: int, part: str) -> str:
    """The field name a score's error is reported on; the review form uses the same."""
    return f"score_{criterion_id}_{part}"


def _clean_ids(raw: Any) -> list[int] | None:
    try:
        return sorted({int(x) for x in (raw or [])})
    except (TypeError, ValueError):
        return None


@transaction.atomic
def review_submit(
    *,
    reviewer: Any,
    idea: Idea,
    scores: Iterable[Mapping[str, Any]],
    summary: str = "",
    missing: str = "",
    version_id: int | None = None,
    routine: Any = None,
) -> Review:
    """Score an idea against each criterion of the current standards.

    `scores` holds one mapping per criterion: criterion_id, verdict, justification and
    evidence_ids (evidence rows of this idea whose learning the reviewer may see). Every
    criterion needs a verdict and a short justification; errors name the criterion. When
    `version_id` is given it must still be the current version (the standards may have
    changed while the reviewer was writing).
    """
    if not review_selectors.may_review(reviewer, idea):
        raise PermissionDenied
    version = review_selectors.current_version()
    if version is None:
        raise ValidationError(
            {
                "version": _(
                    "The network has not adopted standards yet, so there is nothing to "
                    "review against. Propose some on the standards page."
                )
            }
        )
    if version_id is not None and version_id != version.pk:
        raise ValidationError(
            {
                "version": _(
                    "The standards changed while you were writing: version %(n)d is "
                    "now current. Check your verdicts against it and save again."
                )
                % {"n": version.number}
            }
        )
    criteria = {c.pk: c for c in version.criteria.all()}
    usable = {e.pk for e in review_selectors.evidence_choices(viewer=reviewer, idea=idea)}
    errors: dict[str, list[str]] = {}
    given: dict[int, dict[str, Any]] = {}
    for index, raw in enumerate(scores):
        try:
            cid = int(raw.get("criterion_id"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            cid = -1
        if cid not in criteria:
            errors.setdefault(f"scores.{index}.criterion_id", []).append(
                _("This is not a standard of the current version.")
            )
            continue
        if cid in given:
            errors.setdefault(score_field(cid, "verdict"), []).append(
                _("“%(title)s” is scored twice.") % {"title": criteria[cid].title}
            )
            continue
        given[cid] = dict(raw)
    for cid, criterion in criteria.items():
        raw = given.get(cid, {})
        name = {"title": criterion.title}
        verdict = str(raw.get("verdict") or "")
        if verdict not in Verdict.values:
            errors.setdefault(score_field(cid, "verdict"), []).append(
                _("“%(title)s”: choose a verdict (“Cannot tell” is a fair answer).") % name
            )
        justification = str(raw.get("justification") or "").strip()
        if not justification:
            errors.setdefault(score_field(cid, "justification"), []).append(
                _("“%(title)s”: say briefly why, so others can weigh your verdict.") % name
            )
        elif len(justification) > JUSTIFICATION_LIMIT:
            errors.setdefault(score_field(cid, "justification"), []).append(
                _("“%(title)s”: keep the reason under 5,000 characters.") % name
            )
        ids = _clean_ids(raw.get("evidence_ids"))
        if ids is None or not set(ids) <= usable:
            # The same answer for an id that does not exist and one the reviewer may not
            # see: nothing about other groups' evidence leaks through this message.
            errors.setdefault(score_field(cid, "evidence"), []).append(
                _("“%(title)s”: link only evidence listed on this idea.") % name
            )
        raw["justification"] = justification
        raw["evidence_ids"] = ids or []
        given[cid] = raw
    texts = {"summary": summary.strip(), "missing": missing.strip()}
    for field, limit in TEXT_LIMITS.items():
        if len(texts[field]) > limit:
            errors.setdefault(field, []).append(
                _("Keep this under %(n)s characters.") % {"n": f"{limit:,}"}
            )
    if errors:
        raise ValidationError(errors)

    review = (
        Review.objects.select_for_update()
        .filter(idea=idea, reviewer=reviewer, version=version)
        .first()
    )
    created = review is None
    if review is None:
        review = Review(idea=idea, reviewer=reviewer, version=version)
    review.summary = texts["summary"]
    review.missing = texts["missing"]
    if routine is not None:
        review.routine = routine
    review.save()
    if not created:
        review.scores.all().delete()
    for cid in criteria:
        raw = given[cid]
        score = ReviewScore.objects.create(
            review=review,
            criterion_id=cid,
            verdict=raw["verdict"],
            justification=raw["justification"],
        )
        if raw["evidence_ids"]:
            score.evidence.set(raw["evidence_ids"])
    review.is_new = created  # type: ignore[attr-defined]
    audit(
        reviewer,
        "reviewed" if created else "updated a review",
        idea,
        review=review.pk,
        version=version.number,
        verdicts={str(cid): given[cid]["verdict"] for cid in criteria},
    )
    return review


@transaction.atomic
def review_delete(*, viewer: Any, review: Review) -> None:
    """Withdraw a review: its reviewer, or a steward."""
    if not review_selectors.may_delete(viewer, review):
        raise PermissionDenied
    audit(
        viewer,
        "withdrew a review",
        review.idea,
        review=review.pk,
        reviewer=review.reviewer_id,
        version=review.version_id,
    )
    review.delete()


# Re-opening ----------------------------------------------------------------------------


def elevators(idea: Idea) -> list[Any]:
    """The people who elevated the idea to where it stands: whoever decided each move to
    knowledge or scaling since it last sat lower, the proposers of the decisions behind
    those moves, and the members who voted to agree."""
    changes = []
    for change in (
        StageChange.objects.filter(idea=idea)
        .select_related("decided_by", "decision__proposed_by")
        .order_by("-decided_at", "-id")
    ):
        if change.to_stage not in review_selectors.FLAGGABLE_STAGES:
            break
        changes.append(change)
    people: dict[int, Any] = {}
    decisions = []
    for change in changes:
        people[change.decided_by_id] = change.decided_by
        decision = getattr(change, "decision", None)
        if decision is not None:
            people[decision.proposed_by_id] = decision.proposed_by
            decisions.append(decision.pk)
    if decisions:
        for vote in Vote.objects.filter(
            decision_id__in=decisions, choice=VoteChoice.AGREE
        ).select_related("voter"):
            people[vote.voter_id] = vote.voter
    return list(people.values())


def reopen_if_contradicted(*, evidence: Evidence) -> bool:
    """Flag knowledge for review when a newly linked learning contradicts it.

    Called by `services.evidence_link` once the link is saved. Only ideas at knowledge or
    scaling are flagged, only for "contradicts". The flag records which learning and who
    linked it; the people who elevated the idea are told by email. Returns whether it
    flagged.
    """
    idea = evidence.idea
    if evidence.relation != Relation.CONTRADICTS or idea.stage not in (
        review_selectors.FLAGGABLE_STAGES
    ):
        return False
    linker = evidence.added_by
    line = _("Learning #%(learning)d was linked as contradicting it by %(who)s on %(when)s.") % {
        "learning": evidence.learning_id,
        "who": linker.name,
        "when": evidence.added_at.strftime("%Y-%m-%d %H:%M"),
    }
    first = idea.review_flagged_at is None
    if first:
        idea.review_flagged_at = evidence.added_at
        idea.review_flag = line
    else:
        idea.review_flag = f"{idea.review_flag}\n{line}"[-5000:]
    idea.save(update_fields=["review_flagged_at", "review_flag"])
    audit(
        linker,
        "flagged for review",
        idea,
        learning=evidence.learning_id,
        evidence=evidence.pk,
        first=first,
    )
    notify(
        recipients=elevators(idea),
        kind=NotificationKind.REVIEW,
        title=_("New evidence contradicts “%(title)s”: it is flagged for review")
        % {"title": idea.title},
        url=idea.get_absolute_url(),
        body=_(
            "%(who)s linked a learning that contradicts it. Because the network holds this "
            "idea as %(stage)s, it is now flagged for review: please look at the new evidence "
            "and review the idea against the standards, or propose to move it if it no longer "
            "holds. You get this because you helped elevate it."
        )
        % {"who": linker.name, "stage": idea.get_stage_display()},
        actor=linker,
        target=idea,
    )
    return True


@transaction.atomic
def reopen_resolve(*, viewer: Any, idea: Idea, note: str) -> Idea:
    """Clear the review flag, with a note saying how the contradiction was weighed. For the
    moderators of the idea's group and stewards. Moving the idea to another stage clears
    the flag too (`services.idea_change_stage`)."""
    if not rules.is_decider(viewer, idea):
        raise PermissionDenied
    if not idea.review_flagged_at:
        raise ValidationError({"note": _("This idea is not flagged for review.")})
    note = note.strip()
    if not note:
        raise ValidationError(
            {"note": _("Say how the contradicting evidence was weighed: others will read it.")}
        )
    if len(note) > 5000:
        raise ValidationError({"note": _("Keep the note under 5,000 characters.")})
    flag = idea.review_flag
    flagged_at = idea.review_flagged_at
    idea.review_flagged_at = None
    idea.review_flag = ""
    idea.save(update_fields=["review_flagged_at", "review_flag"])
    # The note goes into the idea's discussion, where everyone who reads it will find it.
    comment = comment_create(
        author=viewer,
        target=idea,
        body=_("**Review flag resolved.** %(note)s") % {"note": note},
    )
    audit(
        viewer,
        "resolved the review flag",
        idea,
        note=note,
        flag=flag,
        flagged_at=flagged_at.isoformat(),
        comment=comment.pk,
    )
    return idea
