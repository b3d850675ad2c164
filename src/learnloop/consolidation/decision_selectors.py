"""Reads for decisions: every read takes the viewer.

A decision on an idea is seen by whoever may see the idea; a decision on the standards by
every member. Decisions are the members' own deliberation, so visitors see none of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from learnloop.consolidation import decisions, rules
from learnloop.consolidation.models import (
    Decision,
    DecisionKind,
    DecisionStatus,
    Idea,
    Stage,
    Vote,
    VoteChoice,
)
from learnloop.core import access


def _visible_q(viewer: Any) -> Q:
    return Q(idea__isnull=True) | access.visible_q(viewer, "idea__")


def decision_list(
    *, viewer: Any, kind: str | None = None, status: str | None = None, idea: int | None = None
) -> QuerySet[Decision]:
    """Open decisions first (the soonest to close on top), then closed ones, newest first."""
    if not access.is_member(viewer):
        return Decision.objects.none()
    qs = Decision.objects.filter(_visible_q(viewer))
    if kind in DecisionKind.values:
        qs = qs.filter(kind=kind)
    if status == "closed":
        qs = qs.exclude(status=DecisionStatus.OPEN)
    elif status in DecisionStatus.values:
        qs = qs.filter(status=status)
    if idea:
        qs = qs.filter(idea_id=idea)
    return (
        qs.select_related("idea", "standards_version", "proposed_by")
        .annotate(
            vote_count=Count("votes"),
            closed_rank=Case(
                When(status=DecisionStatus.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            open_closes_at=Case(When(status=DecisionStatus.OPEN, then=F("closes_at"))),
        )
        .order_by(
            "closed_rank",
            F("open_closes_at").asc(nulls_last=True),
            F("closed_at").desc(nulls_last=True),
            "-id",
        )
    )


def get_decision_for(viewer: Any, pk: Any) -> Decision:
    """404 unless the viewer is a member who may see what is being decided."""
    if not access.is_member(viewer):
        raise Http404
    try:
        decision = Decision.objects.select_related(
            "idea",
            "idea__group",
            "idea__author",
            "standards_version",
            "proposed_by",
            "stage_change",
            "routine",
        ).get(pk=pk)
    except (Decision.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if decision.idea is not None and not access.can_view(viewer, decision.idea):
        raise Http404
    return decision


def votes_for(decision: Decision) -> list[Vote]:
    return list(
        decision.votes.select_related("voter", "voter__organization").order_by("cast_at", "id")
    )


def _tally_from(decision: Decision, votes: list[Vote]) -> dict[str, Any]:
    """The same count as `decisions.tally`, from votes already loaded."""
    counts = dict.fromkeys(VoteChoice.values, 0)
    for vote in votes:
        counts[vote.choice] += 1
    agree, disagree = counts[VoteChoice.AGREE], counts[VoteChoice.DISAGREE]
    total = len(votes)
    return {
        **counts,
        "total": total,
        "agree_share": round(100 * agree / (agree + disagree)) if agree + disagree else 0,
        "quorum_met": total >= decision.quorum,
    }


def decision_page(*, viewer: Any, decision: Decision) -> dict[str, Any]:
    """Everything the decision page (and the API detail) shows besides the decision."""
    votes = votes_for(decision)
    mine = next((v for v in votes if v.voter_id == viewer.pk), None)
    tally = decision.tally if not decision.is_open and decision.tally else None
    version = decision.standards_version
    criteria = list(version.criteria.all()) if version is not None else []
    return {
        "decision": decision,
        "votes": votes,
        "my_vote": mine,
        "tally": tally or _tally_from(decision, votes),
        "participation": decisions.participation(decision),
        "may_vote": decision.is_open and decisions.may_vote(viewer, decision),
        "may_withdraw": decisions.may_withdraw(viewer, decision),
        "criteria": criteria,
        "lacks_equity": version is not None and not any(c.is_equity for c in criteria),
        "to_stage_label": Stage(decision.to_stage).label if decision.to_stage else "",
    }


def open_decision_for(idea: Idea) -> Decision | None:
    return (
        Decision.objects.filter(idea=idea, status=DecisionStatus.OPEN)
        .select_related("proposed_by")
        .annotate(vote_count=Count("votes"))
        .first()
    )


def idea_decision_panel(*, viewer: Any, idea: Idea, history: Sequence[Any] = ()) -> dict[str, Any]:
    """Context for the idea page's "How mature it is" section; marks each stage change in
    `history` with the pk of the decision that made it (`decision_pk`), in one query."""
    from learnloop.consolidation.decision_forms import OverrideForm, ProposeStageForm

    made_by = (
        dict(
            Decision.objects.filter(stage_change__in=[c.pk for c in history]).values_list(
                "stage_change_id", "pk"
            )
        )
        if history
        else {}
    )
    for change in history:
        change.decision_pk = made_by.get(change.pk)

    open_decision = open_decision_for(idea) if access.is_member(viewer) else None
    proposable = rules.proposable_stages(idea) if rules.may_propose(viewer, idea) else []
    overrides = rules.override_choices_for(viewer, idea)
    return {
        "open_decision": open_decision,
        "open_decision_due": open_decision is not None
        and open_decision.closes_at <= timezone.now(),
        "direct_choices": rules.direct_stage_choices_for(viewer, idea),
        "propose_form": (
            ProposeStageForm(choices=proposable)
            if proposable and open_decision is None and idea.deleted_at is None
            else None
        ),
        "override_form": OverrideForm(choices=overrides) if overrides else None,
    }
