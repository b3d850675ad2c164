"""API for decisions members take together: list, read, propose, vote, withdraw.

Decisions are the members' own deliberation: every call needs a member's token or session.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from learnloop.consolidation import decision_selectors, decisions, selectors
from learnloop.consolidation.models import Decision, DecisionKind, DecisionStatus, VoteChoice
from learnloop.consolidation.standard_selectors import get_version_for
from learnloop.core.api_support import MEMBER_AUTH, Pagination, member
from learnloop.core.schemas import PersonRef

router = Router(auth=MEMBER_AUTH)


class IdeaRef(Schema):
    id: int
    title: str
    stage: str
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class VersionRef(Schema):
    id: int
    number: int | None = None
    title: str
    status: str
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class DecisionOut(Schema):
    id: int
    kind: DecisionKind
    title: str
    rationale: str
    idea: IdeaRef | None = None
    to_stage: str
    standards_version: VersionRef | None = None
    proposed_by: PersonRef
    opened_at: datetime
    closes_at: datetime
    quorum: int
    threshold: int
    status: DecisionStatus
    closed_at: datetime | None = None
    outcome_reason: str
    stage_change_id: int | None = None
    vote_count: int = 0
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class TallyOut(Schema):
    agree: int = 0
    abstain: int = 0
    disagree: int = 0
    block: int = 0
    total: int = 0
    agree_share: int = 0
    quorum_met: bool = False


class CountOut(Schema):
    label: str
    count: int


class ParticipationOut(Schema):
    voters: int
    by_type: list[CountOut]
    by_role: list[CountOut]
    by_organization: list[CountOut]
    unheard: list[str]


class VoteOut(Schema):
    voter: PersonRef
    choice: VoteChoice
    reason: str
    cast_at: datetime


class DecisionDetailOut(DecisionOut):
    tally: TallyOut
    participation: ParticipationOut
    votes: list[VoteOut]
    my_vote: VoteChoice | None = None

    # `_detail` puts what the page shows on the decision as `page`.
    @staticmethod
    def resolve_tally(obj: Any) -> dict[str, Any]:
        return obj.page["tally"]

    @staticmethod
    def resolve_participation(obj: Any) -> dict[str, Any]:
        who = obj.page["participation"]
        return {
            "voters": who["voters"],
            "by_type": _counts(who["by_type"]),
            "by_role": _counts(who["by_role"]),
            "by_organization": _counts(who["by_organization"]),
            "unheard": who["unheard"],
        }

    @staticmethod
    def resolve_votes(obj: Any) -> list[Any]:
        return obj.page["votes"]

    @staticmethod
    def resolve_my_vote(obj: Any) -> str | None:
        mine = obj.page["my_vote"]
        return mine.choice if mine else None


class DecisionIn(Schema):
    idea_id: int | None = None
    to_stage: str = ""
    standards_version_id: int | None = None
    rationale: str = Field("", max_length=20000)
    title: str = Field("", max_length=300)
    closes_at: datetime | None = None
    quorum: int | None = Field(None, ge=1, le=10000)
    threshold: int | None = Field(None, ge=1, le=100)


class VoteIn(Schema):
    choice: VoteChoice
    reason: str = Field("", max_length=5000)


class WithdrawIn(Schema):
    reason: str = Field("", max_length=2000)


def _counts(pairs: list[tuple[str, int]]) -> list[dict[str, Any]]:
    return [{"label": str(label), "count": n} for label, n in pairs]


def _detail(person: Any, pk: int) -> Decision:
    decision = decision_selectors.get_decision_for(person, pk)
    decisions.decision_close_if_due(decision=decision)
    decision.page = decision_selectors.decision_page(viewer=person, decision=decision)  # type: ignore[attr-defined]
    decision.vote_count = len(decision.page["votes"])  # type: ignore[attr-defined]
    return decision


@router.get("/decisions", response=list[DecisionOut])
@paginate(Pagination)
def list_decisions(
    request: HttpRequest,
    kind: DecisionKind | None = None,
    status: str | None = None,
    idea: int | None = None,
) -> Any:
    """Open decisions first, soonest to close on top; `status` is one status or `closed`."""
    return decision_selectors.decision_list(
        viewer=member(request), kind=kind, status=status, idea=idea
    )


@router.get("/decisions/{pk}", response=DecisionDetailOut)
def get_decision(request: HttpRequest, pk: int) -> Any:
    return _detail(member(request), pk)


@router.post("/decisions", response={201: DecisionDetailOut})
def open_decision(request: HttpRequest, payload: DecisionIn) -> Any:
    """Propose a stage move ({idea_id, to_stage}) or a standards version
    ({standards_version_id}) to the members."""
    person = member(request)
    if (payload.idea_id is None) == (payload.standards_version_id is None):
        raise ValidationError({"idea_id": _("Give either idea_id or standards_version_id.")})
    idea = selectors.get_idea_for(person, payload.idea_id) if payload.idea_id else None
    version = (
        get_version_for(person, payload.standards_version_id)
        if payload.standards_version_id
        else None
    )
    decision = decisions.decision_open(
        proposer=person,
        idea=idea,
        to_stage=payload.to_stage,
        standards_version=version,
        rationale=payload.rationale,
        title=payload.title,
        closes_at=payload.closes_at,
        quorum=payload.quorum,
        threshold=payload.threshold,
    )
    return Status(201, _detail(person, decision.pk))


@router.post("/decisions/{pk}/vote", response=DecisionDetailOut)
def cast_vote(request: HttpRequest, pk: int, payload: VoteIn) -> Any:
    """Cast or change your vote while the decision is open."""
    person = member(request)
    decision = decision_selectors.get_decision_for(person, pk)
    decisions.decision_close_if_due(decision=decision)
    decisions.vote_cast(
        voter=person, decision=decision, choice=payload.choice, reason=payload.reason
    )
    return _detail(person, pk)


@router.post("/decisions/{pk}/withdraw", response=DecisionDetailOut)
def withdraw_decision(request: HttpRequest, pk: int, payload: WithdrawIn) -> Any:
    """Withdraw an open proposal (its proposer or a steward); send `{}` or `{"reason": …}`."""
    person = member(request)
    decision = decision_selectors.get_decision_for(person, pk)
    decisions.decision_withdraw(viewer=person, decision=decision, reason=payload.reason)
    return _detail(person, pk)
