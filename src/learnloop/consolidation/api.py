"""API for consolidation: ideas, their evidence, stage decisions and endorsements."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from learnloop.consolidation import selectors, services
from learnloop.consolidation.models import Idea, Relation, Stage
from learnloop.core.api_support import MEMBER_AUTH, Pagination, member, viewer
from learnloop.core.schemas import GroupRef, ItemOut, PersonRef
from learnloop.core.services import item_soft_delete
from learnloop.generation.selectors import get_learning_for
from learnloop.people.selectors import get_group_or_none

router = Router()


class IdeaOut(ItemOut):
    title: str
    summary: str
    stage: Stage
    stage_changed_at: datetime
    tags: list[str]
    serves: list[str] = []
    supports_count: int = 0
    contradicts_count: int = 0
    context_count: int = 0
    endorsement_count: int = 0

    @staticmethod
    def resolve_tags(obj: Any) -> list[str]:
        return obj.tag_names


class LearningRef(Schema):
    id: int
    title: str
    kind: str
    author: PersonRef
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class EvidenceOut(Schema):
    id: int
    learning: LearningRef
    relation: Relation
    note: str
    context_group: GroupRef | None = None
    context_site: str
    added_by: PersonRef
    added_at: datetime


class SnapshotRow(Schema):
    learning_id: int | None = None
    title: str | None = None
    relation: str


class SnapshotOut(Schema):
    counts: dict[str, int] = {}
    contexts: int = 0
    learnings: list[SnapshotRow] = []


class StageChangeOut(Schema):
    id: int
    from_stage: str
    to_stage: Stage
    reason: str
    decided_by: PersonRef
    decided_at: datetime
    evidence_snapshot: SnapshotOut

    @staticmethod
    def resolve_evidence_snapshot(obj: Any) -> dict[str, Any]:
        rows = getattr(obj, "snapshot_rows", None)
        if rows is None:  # just decided by the caller, who could see all of it
            return obj.evidence_snapshot
        return {
            "counts": obj.snapshot_counts,
            "contexts": obj.snapshot_contexts,
            "learnings": [
                {
                    "learning_id": r.get("learning_id") if r["visible"] else None,
                    "title": r.get("title") if r["visible"] else None,
                    "relation": r.get("relation", ""),
                }
                for r in rows
            ],
        }


class EndorsementOut(Schema):
    id: int
    person: PersonRef
    note: str
    created_at: datetime


class IdeaDetailOut(IdeaOut):
    evidence: list[EvidenceOut] = []
    stage_history: list[StageChangeOut] = []
    endorsements: list[EndorsementOut] = []

    @staticmethod
    def resolve_evidence(obj: Any) -> list[Any]:
        return obj.evidence_rows

    @staticmethod
    def resolve_stage_history(obj: Any) -> list[Any]:
        return obj.history_rows

    @staticmethod
    def resolve_endorsements(obj: Any) -> list[Any]:
        return obj.endorsement_rows


class IdeaIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field(..., min_length=1, max_length=50000)
    group_id: int | None = None
    visibility: str = "network"
    tags: list[str] = []
    serves: list[str] = []
    from_learning_id: int | None = None
    guidelines_confirmed: bool = Field(
        False, description="Every voice guideline was checked (needed to make it public)."
    )


class IdeaPatch(Schema):
    """No stage here: a stage moves only through POST /ideas/{id}/stage."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, min_length=1, max_length=50000)
    group_id: int | None = None
    visibility: str | None = None
    tags: list[str] | None = None
    serves: list[str] | None = None
    guidelines_confirmed: bool = Field(
        False, description="Every voice guideline was checked (needed to make it public)."
    )


class StageIn(Schema):
    to_stage: Stage
    reason: str = ""
    override: bool = Field(
        False,
        description="A moderator's or steward's move to knowledge, scaling or returned "
        "without a decision by the members; shown on the idea with its reason.",
    )


class EvidenceIn(Schema):
    learning_id: int
    relation: Relation = Relation.SUPPORTS
    note: str = Field("", max_length=5000)


class EndorseIn(Schema):
    note: str = Field("", max_length=500)


def _detail(person: Any, pk: int) -> Idea:
    """The idea with its evidence, stage history and endorsements, as `person` may see it."""
    idea = selectors.get_idea_for(person, pk)
    idea.evidence_rows = selectors.evidence_for_idea(viewer=person, idea=idea)  # type: ignore[attr-defined]
    idea.history_rows = selectors.stage_history(viewer=person, idea=idea)  # type: ignore[attr-defined]
    idea.endorsement_rows = selectors.endorsements_for(idea)  # type: ignore[attr-defined]
    return idea


@router.get("/ideas", response=list[IdeaOut])
@paginate(Pagination)
def list_ideas(
    request: HttpRequest,
    stage: Stage | None = None,
    group: int | None = None,
    tag: str | None = None,
    q: str | None = None,
    author: int | None = None,
) -> Any:
    return selectors.idea_list(
        viewer=viewer(request), stage=stage, group=group, tag=tag, q=q, author=author
    )


@router.get("/ideas/{pk}", response=IdeaDetailOut)
def get_idea(request: HttpRequest, pk: int) -> Any:
    return _detail(viewer(request), pk)


@router.post("/ideas", response={201: IdeaDetailOut}, auth=MEMBER_AUTH)
def create_idea(request: HttpRequest, payload: IdeaIn) -> Any:
    author = member(request)
    learning = (
        get_learning_for(author, payload.from_learning_id) if payload.from_learning_id else None
    )
    idea = services.idea_create(
        author=author,
        title=payload.title,
        summary=payload.summary,
        group=get_group_or_none(payload.group_id),
        visibility=payload.visibility,
        tags=payload.tags,
        serves=payload.serves,
        from_learning=learning,
        guidelines_confirmed=payload.guidelines_confirmed,
    )
    return Status(201, _detail(author, idea.pk))


@router.patch("/ideas/{pk}", response=IdeaDetailOut, auth=MEMBER_AUTH)
def update_idea(request: HttpRequest, pk: int, payload: IdeaPatch) -> Any:
    person = member(request)
    idea = selectors.get_idea_for(person, pk, write=True)
    data = payload.dict(exclude_unset=True)
    tags = data.pop("tags", None)
    if "group_id" in data:
        data["group"] = get_group_or_none(data.pop("group_id"))
    services.idea_update(viewer=person, idea=idea, tags=tags, **data)
    return _detail(person, idea.pk)


@router.delete("/ideas/{pk}", response={204: None}, auth=MEMBER_AUTH)
def delete_idea(request: HttpRequest, pk: int) -> Any:
    person = member(request)
    item_soft_delete(viewer=person, item=selectors.get_idea_for(person, pk, write=True))
    return Status(204, None)


@router.post("/ideas/{pk}/stage", response={201: StageChangeOut}, auth=MEMBER_AUTH)
def change_stage(request: HttpRequest, pk: int, payload: StageIn) -> Any:
    person = member(request)
    idea = selectors.get_idea_for(person, pk)
    change = services.idea_change_stage(
        viewer=person,
        idea=idea,
        to_stage=payload.to_stage,
        reason=payload.reason,
        override=payload.override,
    )
    return Status(201, change)


@router.post("/ideas/{pk}/evidence", response={201: EvidenceOut}, auth=MEMBER_AUTH)
def add_evidence(request: HttpRequest, pk: int, payload: EvidenceIn) -> Any:
    person = member(request)
    idea = selectors.get_idea_for(person, pk)
    learning = get_learning_for(person, payload.learning_id)
    evidence = services.evidence_link(
        viewer=person,
        idea=idea,
        learning=learning,
        relation=payload.relation,
        note=payload.note,
    )
    return Status(201, evidence)


@router.delete("/ideas/{pk}/evidence/{evidence_id}", response={204: None}, auth=MEMBER_AUTH)
def remove_evidence(request: HttpRequest, pk: int, evidence_id: int) -> Any:
    person = member(request)
    idea = selectors.get_idea_for(person, pk)
    evidence = selectors.get_evidence_for(person, idea, evidence_id)
    services.evidence_remove(viewer=person, evidence=evidence)
    return Status(204, None)


@router.post("/ideas/{pk}/endorse", response={201: EndorsementOut}, auth=MEMBER_AUTH)
def endorse_idea(request: HttpRequest, pk: int, payload: EndorseIn | None = None) -> Any:
    person = member(request)
    idea = selectors.get_idea_for(person, pk)
    note = payload.note if payload is not None else ""
    return Status(201, services.idea_endorse(person=person, idea=idea, note=note))


@router.delete("/ideas/{pk}/endorse", response={204: None}, auth=MEMBER_AUTH)
def withdraw_endorsement(request: HttpRequest, pk: int) -> Any:
    person = member(request)
    idea = selectors.get_idea_for(person, pk)
    services.idea_withdraw_endorsement(person=person, idea=idea)
    return Status(204, None)
