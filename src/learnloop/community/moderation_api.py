"""API for the moderator tools of a group: who has gone quiet, nudges, powerful questions.
For the group's moderators and stewards: 404 outside the group, 403 for its members."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from learnloop.community import moderation_selectors as sel
from learnloop.community import moderation_services as services
from learnloop.community import prompts
from learnloop.core.api_support import MEMBER_AUTH, member
from learnloop.core.schemas import PersonRef

router = Router(auth=MEMBER_AUTH)


class QuietOut(Schema):
    person: PersonRef
    role: str
    joined_at: datetime
    last_active: datetime | None = None
    last_what: str
    last_nudged_at: datetime | None = None
    nudge_again_at: datetime | None = Field(
        None, description="Set while the person was nudged within the last week."
    )


class NudgeOut(Schema):
    id: int
    recipient: PersonRef
    actor: PersonRef | None = None
    body: str
    created_at: datetime


class NudgeIn(Schema):
    usernames: list[str] = Field(..., min_length=1)
    message: str = Field(..., min_length=1, max_length=services.MAX_MESSAGE)


class PromptOut(Schema):
    key: str
    purpose: str
    purpose_label: str
    text: str


class MeetingRef(Schema):
    id: int
    title: str
    starts_at: datetime


class QuestionRef(Schema):
    id: int
    title: str
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_absolute_url())


@router.get("/groups/{slug}/moderation/quiet", response=list[QuietOut])
def quiet(request: HttpRequest, slug: str, weeks: int = sel.DEFAULT_WEEKS) -> Any:
    """Members with no activity the caller can see for `weeks` weeks (2, 4, 6, 8, 12 or
    26), longest silence first."""
    person = member(request)
    group = sel.get_group_for(person, slug)
    return sel.quiet_members(viewer=person, group=group, weeks=sel.clean_weeks(weeks))


@router.get("/groups/{slug}/moderation/nudges", response=list[NudgeOut])
def nudges(request: HttpRequest, slug: str) -> Any:
    person = member(request)
    group = sel.get_group_for(person, slug)
    return sel.nudge_list(viewer=person, group=group)


@router.post("/groups/{slug}/moderation/nudges", response={201: list[NudgeOut]})
def send_nudge(request: HttpRequest, slug: str, payload: NudgeIn) -> Any:
    """Nudge one or several members. Someone nudged within the last week cannot be nudged
    again yet: the whole call is refused (422) and names them."""
    person = member(request)
    group = sel.get_group_for(person, slug)
    people = sel.nudgeable(group=group, usernames=payload.usernames)
    return Status(
        201,
        services.nudge_send(
            moderator=person, group=group, recipients=people, message=payload.message
        ),
    )


@router.get("/groups/{slug}/moderation/prompts", response=list[PromptOut])
def list_prompts(request: HttpRequest, slug: str) -> Any:
    person = member(request)
    sel.get_group_for(person, slug)
    return [
        {
            "key": p.key,
            "purpose": p.purpose,
            "purpose_label": prompts.purpose_label(p.purpose),
            "text": str(p.text),
        }
        for p in prompts.PROMPTS
    ]


@router.post("/groups/{slug}/moderation/prompts/{key}/agenda", response={201: MeetingRef})
def prompt_to_agenda(request: HttpRequest, slug: str, key: str) -> Any:
    """Put the question on the agenda of the group's next meeting (422 when none is planned)."""
    person = member(request)
    group = sel.get_group_for(person, slug)
    return Status(201, services.prompt_to_agenda(moderator=person, group=group, key=key))


@router.post("/groups/{slug}/moderation/prompts/{key}/question", response={201: QuestionRef})
def prompt_to_question(request: HttpRequest, slug: str, key: str) -> Any:
    """Post the question to the group (group-only)."""
    person = member(request)
    group = sel.get_group_for(person, slug)
    return Status(201, services.prompt_to_question(moderator=person, group=group, key=key))
