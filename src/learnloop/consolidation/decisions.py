"""Decisions members take together: a proposal, a closing time, votes, an outcome.

Elevating an idea to knowledge or scaling, returning it, and adopting a version of the
standards all go through here. Rules of the count, in order:

1. fewer votes than the quorum (abstentions count as taking part) → not decided;
2. any block (which needs a reason) → blocked: a block stops a proposal, whatever the count;
3. agree ÷ (agree + disagree) ≥ the threshold → agreed; otherwise not agreed.

An agreed stage decision moves the idea (a StageChange linked to the decision); an agreed
standards decision adopts that version as the network's current standards.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from learnloop.consolidation import rules
from learnloop.consolidation.models import (
    Decision,
    DecisionKind,
    DecisionStatus,
    Idea,
    Stage,
    StandardsVersion,
    VersionStatus,
    Vote,
    VoteChoice,
)
from learnloop.core import access
from learnloop.core.services import audit
from learnloop.notifications.models import NotificationKind
from learnloop.notifications.services import notify
from learnloop.people.models import StakeholderType


def _validate_terms(*, closes_at: datetime, quorum: int, threshold: int) -> None:
    errors: dict[str, str] = {}
    if closes_at <= timezone.now():
        errors["closes_at"] = _("Choose a closing time in the future.")
    if quorum < 1:
        errors["quorum"] = _("At least one vote is needed.")
    if not 1 <= threshold <= 100:
        errors["threshold"] = _("The threshold is a percentage between 1 and 100.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def decision_open(
    *,
    proposer: Any,
    rationale: str,
    idea: Idea | None = None,
    to_stage: str = "",
    standards_version: StandardsVersion | None = None,
    title: str = "",
    closes_at: datetime | None = None,
    quorum: int | None = None,
    threshold: int | None = None,
    routine: Any = None,
) -> Decision:
    """Put a stage move or a standards version to the members."""
    access.require_member(proposer)
    rationale = rationale.strip()
    if not rationale:
        raise ValidationError({"rationale": _("Say why: the members will weigh your reasons.")})
    closes_at = closes_at or timezone.now() + timedelta(days=settings.DECISION_DAYS)
    quorum = settings.DECISION_QUORUM if quorum is None else quorum
    threshold = settings.DECISION_THRESHOLD if threshold is None else threshold
    _validate_terms(closes_at=closes_at, quorum=quorum, threshold=threshold)
    if idea is not None:
        if not access.can_contribute(proposer, idea):
            raise PermissionDenied
        if to_stage not in rules.DECIDED_STAGES:
            raise ValidationError(
                {"to_stage": _("Members decide moves to knowledge, to scaling, and returns.")}
            )
        if to_stage == idea.stage:
            raise ValidationError({"to_stage": _("The idea is already at this stage.")})
        if Decision.objects.filter(idea=idea, status=DecisionStatus.OPEN).exists():
            raise ValidationError(
                {"to_stage": _("A decision on this idea is already open: take part in it.")}
            )
        kind = DecisionKind.STAGE
        title = title.strip() or _("Move “%(idea)s” to %(stage)s") % {
            "idea": idea.title,
            "stage": Stage(to_stage).label,
        }
    elif standards_version is not None:
        if standards_version.proposed_by_id != proposer.pk and not access.is_steward(proposer):
            raise PermissionDenied
        if standards_version.status != VersionStatus.DRAFT:
            raise ValidationError({"standards_version": _("Only a draft can be proposed.")})
        if not standards_version.criteria.exists():
            raise ValidationError({"standards_version": _("Add at least one standard first.")})
        standards_version.status = VersionStatus.PROPOSED
        standards_version.save(update_fields=["status"])
        kind = DecisionKind.STANDARDS
        title = title.strip() or _("Adopt the standards “%(title)s”") % {
            "title": standards_version.title
        }
    else:
        raise ValidationError({"idea": _("Say what is being decided.")})
    decision = Decision.objects.create(
        kind=kind,
        idea=idea,
        to_stage=to_stage,
        standards_version=standards_version,
        title=title[:300],
        rationale=rationale,
        proposed_by=proposer,
        closes_at=closes_at,
        quorum=quorum,
        threshold=threshold,
        routine=routine,
    )
    audit(
        proposer,
        "proposed a decision",
        decision.idea or decision.standards_version,
        decision=decision.pk,
    )
    return decision


def may_vote(voter: Any, decision: Decision) -> bool:
    """Any member who may take part in the idea (every member, for the standards)."""
    if not access.is_member(voter):
        return False
    return decision.idea is None or access.can_contribute(voter, decision.idea)


def may_withdraw(viewer: Any, decision: Decision) -> bool:
    return (
        decision.is_open
        and access.is_member(viewer)
        and (decision.proposed_by_id == viewer.pk or access.is_steward(viewer))
    )


def is_due(decision: Decision, now: datetime | None = None) -> bool:
    return decision.is_open and decision.closes_at <= (now or timezone.now())


def decision_close_if_due(*, decision: Decision) -> Decision:
    """Close a decision whose time is up when someone reads it, so that a page never shows
    a vote as open after its closing time, even before the worker has run."""
    if not is_due(decision):
        return decision
    closed = decision_close(decision=decision)
    for name in ("status", "outcome_reason", "tally", "closed_at", "stage_change_id"):
        setattr(decision, name, getattr(closed, name))
    return decision


@transaction.atomic
def vote_cast(*, voter: Any, decision: Decision, choice: str, reason: str = "") -> Vote:
    """Cast or change one's vote while the decision is open."""
    if not may_vote(voter, decision):
        raise PermissionDenied
    decision = Decision.objects.select_for_update(of=("self",)).get(pk=decision.pk)
    if decision.status != DecisionStatus.OPEN or decision.closes_at <= timezone.now():
        raise ValidationError({"choice": _("Voting on this decision has closed.")})
    if choice not in VoteChoice.values:
        raise ValidationError({"choice": _("Choose agree, abstain, disagree or block.")})
    reason = reason.strip()
    if choice == VoteChoice.BLOCK and not reason:
        raise ValidationError(
            {"reason": _("A block stops the proposal, so it needs a reason others can act on.")}
        )
    vote, _created = Vote.objects.update_or_create(
        decision=decision,
        voter=voter,
        defaults={"choice": choice, "reason": reason, "cast_at": timezone.now()},
    )
    return vote


def tally(decision: Decision) -> dict[str, Any]:
    counts = Counter(decision.votes.values_list("choice", flat=True))
    agree, disagree = counts[VoteChoice.AGREE], counts[VoteChoice.DISAGREE]
    total = sum(counts.values())
    share = round(100 * agree / (agree + disagree)) if agree + disagree else 0
    return {
        "agree": agree,
        "abstain": counts[VoteChoice.ABSTAIN],
        "disagree": disagree,
        "block": counts[VoteChoice.BLOCK],
        "total": total,
        "agree_share": share,
        "quorum_met": total >= decision.quorum,
    }


def _outcome(decision: Decision, counts: dict[str, Any]) -> tuple[str, str]:
    numbers = _(
        "%(total)d took part (quorum %(quorum)d): %(agree)d agree, %(disagree)d disagree, "
        "%(abstain)d abstain, %(block)d block; %(share)d%% agree among those who took a side "
        "(threshold %(threshold)d%%)."
    ) % {
        **counts,
        "share": counts["agree_share"],
        "quorum": decision.quorum,
        "threshold": decision.threshold,
    }
    if not counts["quorum_met"]:
        return DecisionStatus.NO_QUORUM, _("Too few voices to decide. ") + numbers
    if counts["block"]:
        reasons = "; ".join(
            f"{v.voter.name}: {v.reason}"
            for v in decision.votes.filter(choice=VoteChoice.BLOCK).select_related("voter")
        )
        return DecisionStatus.BLOCKED, _("Blocked. ") + numbers + " " + _("Blocks: %(r)s") % {
            "r": reasons
        }
    if counts["agree_share"] >= decision.threshold:
        return DecisionStatus.PASSED, _("Agreed. ") + numbers
    return DecisionStatus.FAILED, _("Not agreed. ") + numbers


@transaction.atomic
def decision_close(*, decision: Decision, now: datetime | None = None) -> Decision:
    """Count the votes of a decision whose time is up and carry out an agreed outcome."""
    now = now or timezone.now()
    decision = Decision.objects.select_for_update(of=("self",)).get(pk=decision.pk)
    if decision.status != DecisionStatus.OPEN:
        return decision
    if decision.closes_at > now:
        raise ValidationError({"closes_at": _("Voting is still open.")})
    counts = tally(decision)
    status, reason = _outcome(decision, counts)
    decision.status = status
    decision.outcome_reason = reason
    decision.tally = counts
    decision.closed_at = now
    decision.save(update_fields=["status", "outcome_reason", "tally", "closed_at"])
    if decision.kind == DecisionKind.STAGE and decision.idea is not None:
        if status == DecisionStatus.PASSED:
            from learnloop.consolidation.services import idea_change_stage

            idea_change_stage(
                viewer=decision.proposed_by,
                idea=decision.idea,
                to_stage=decision.to_stage,
                reason=decision.rationale + "\n\n" + reason,
                decision=decision,
            )
    elif decision.standards_version is not None:
        _settle_standards(
            decision.standards_version, adopted=status == DecisionStatus.PASSED, now=now
        )
    audit(
        None,
        "closed a decision",
        decision.idea or decision.standards_version,
        decision=decision.pk,
        status=status,
    )
    _tell_outcome(decision)
    return decision


def _settle_standards(version: StandardsVersion, *, adopted: bool, now: datetime) -> None:
    if adopted:
        latest = StandardsVersion.objects.aggregate(n=Max("number"))["n"] or 0
        version.number = latest + 1
        version.status = VersionStatus.ADOPTED
        version.adopted_at = now
    else:
        version.status = VersionStatus.REJECTED
    version.save(update_fields=["number", "status", "adopted_at"])


def decisions_close_due(*, now: datetime | None = None) -> list[Decision]:
    """Close every open decision whose time is up (the worker and the CLI call this)."""
    now = now or timezone.now()
    due = Decision.objects.filter(status=DecisionStatus.OPEN, closes_at__lte=now).order_by(
        "closes_at"
    )
    return [decision_close(decision=d, now=now) for d in due]


@transaction.atomic
def decision_withdraw(*, viewer: Any, decision: Decision, reason: str = "") -> Decision:
    if decision.proposed_by_id != viewer.pk and not access.is_steward(viewer):
        raise PermissionDenied
    if decision.status != DecisionStatus.OPEN:
        raise ValidationError({"status": _("Only an open decision can be withdrawn.")})
    decision.status = DecisionStatus.WITHDRAWN
    decision.closed_at = timezone.now()
    decision.outcome_reason = _("Withdrawn by %(who)s. %(why)s") % {
        "who": viewer.name,
        "why": reason,
    }
    decision.save(update_fields=["status", "closed_at", "outcome_reason"])
    if decision.standards_version is not None:
        decision.standards_version.status = VersionStatus.DRAFT
        decision.standards_version.save(update_fields=["status"])
    audit(
        viewer,
        "withdrew a decision",
        decision.idea or decision.standards_version,
        decision=decision.pk,
    )
    return decision


def participation(decision: Decision) -> dict[str, Any]:
    """Who took part, by stakeholder type, job role and organization, and whose voice is
    missing: the stakeholder types the idea is meant to serve that cast no vote."""
    voters = [v.voter for v in decision.votes.select_related("voter", "voter__organization")]
    by_type = Counter(p.get_stakeholder_type_display() for p in voters)
    by_role = Counter(p.job_role or _("no role given") for p in voters)
    by_org = Counter(
        p.organization.name if p.organization else _("no organization") for p in voters
    )
    heard = {p.stakeholder_type for p in voters}
    serves = decision.idea.serves if decision.idea is not None else []
    unheard = [
        str(StakeholderType(t).label)
        for t in serves
        if t in StakeholderType.values and t not in heard
    ]
    return {
        "voters": len(voters),
        "by_type": sorted(by_type.items()),
        "by_role": sorted(by_role.items()),
        "by_organization": sorted(by_org.items()),
        "unheard": unheard,
    }


def _tell_outcome(decision: Decision) -> None:
    people = {decision.proposed_by_id: decision.proposed_by}
    for vote in decision.votes.select_related("voter"):
        people[vote.voter_id] = vote.voter
    notify(
        recipients=people.values(),
        kind=NotificationKind.DECISION,
        title=_("Decided: %(title)s — %(status)s")
        % {"title": decision.title, "status": DecisionStatus(decision.status).label},
        url=decision.get_absolute_url(),
        body=_("%(outcome)s\n\nYou get this because you proposed or voted on this decision.")
        % {"outcome": decision.outcome_reason},
        target=decision,
    )
