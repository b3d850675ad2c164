"""API for reviews of ideas against the standards, and for clearing a review flag."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from learnloop.consolidation import review_selectors, review_services, selectors
from learnloop.core.api_support import MEMBER_AUTH, Pagination, member, viewer
from learnloop.core.schemas import PersonRef

router = Router()


class VersionRef(Schema):
    id: int
    number: int | None = None
    title: str


class ScoreOut(Schema):
    criterion_id: int
    criterion: str
    verdict: str
    justification: str
    evidence_ids: list[int]

    @staticmethod
    def resolve_criterion(obj: Any) -> str:
        return obj.criterion.title

    @staticmethod
    def resolve_evidence_ids(obj: Any) -> list[int]:
        # Prefetched with only the evidence the viewer may see.
        return [e.pk for e in obj.evidence.all()]


class ReviewOut(Schema):
    id: int
    idea_id: int
    reviewer: PersonRef
    version: VersionRef
    summary: str
    missing: str
    created_at: datetime
    scores: list[ScoreOut]
    url: str

    @staticmethod
    def resolve_scores(obj: Any) -> list[Any]:
        return list(obj.scores.all())

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return reverse("reviews:review", args=[obj.pk])


class ScoreIn(Schema):
    criterion_id: int
    # Plain text, not an enum: the service's message names the criterion that lacks one.
    verdict: str = ""
    justification: str = Field("", max_length=5000)
    evidence_ids: list[int] = []


class ReviewIn(Schema):
    summary: str = Field("", max_length=10000)
    missing: str = Field("", max_length=10000)
    scores: list[ScoreIn] = []
    version_id: int | None = Field(
        None, description="The version the reviewer scored against; refused if no longer current."
    )


class ResolveIn(Schema):
    note: str = Field("", max_length=5000)


class FlagOut(Schema):
    id: int
    review_flagged_at: datetime | None = None
    review_flag: str


@router.get("/ideas/{pk}/reviews", response=list[ReviewOut])
@paginate(Pagination)
def list_reviews(request: HttpRequest, pk: int) -> Any:
    person = viewer(request)
    idea = selectors.get_idea_for(person, pk)
    return review_selectors.reviews_for_idea(viewer=person, idea=idea)


@router.post("/ideas/{pk}/reviews", response={200: ReviewOut, 201: ReviewOut}, auth=MEMBER_AUTH)
def submit_review(request: HttpRequest, pk: int, payload: ReviewIn) -> Any:
    """Create your review against the current standards, or replace it (200)."""
    person = member(request)
    idea = selectors.get_idea_for(person, pk)
    review = review_services.review_submit(
        reviewer=person,
        idea=idea,
        scores=[s.dict() for s in payload.scores],
        summary=payload.summary,
        missing=payload.missing,
        version_id=payload.version_id,
    )
    status = 201 if review.is_new else 200  # type: ignore[attr-defined]
    return Status(status, review_selectors.get_review_for(person, review.pk))


@router.get("/reviews/{pk}", response=ReviewOut)
def get_review(request: HttpRequest, pk: int) -> Any:
    return review_selectors.get_review_for(viewer(request), pk)


@router.delete("/reviews/{pk}", response={204: None}, auth=MEMBER_AUTH)
def delete_review(request: HttpRequest, pk: int) -> Any:
    person = member(request)
    review = review_selectors.get_review_for(person, pk, write=True)
    review_services.review_delete(viewer=person, review=review)
    return Status(204, None)


@router.post("/ideas/{pk}/review-flag/resolve", response=FlagOut, auth=MEMBER_AUTH)
def resolve_flag(request: HttpRequest, pk: int, payload: ResolveIn) -> Any:
    person = member(request)
    idea = selectors.get_idea_for(person, pk)
    return review_services.reopen_resolve(viewer=person, idea=idea, note=payload.note)
