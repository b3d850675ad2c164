"""API for notifications and their settings. Everything here is the caller's own: members
only, and a notification by id is found only among the caller's own."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from learnloop.core.api_support import MEMBER_AUTH, Pagination, member
from learnloop.core.schemas import PersonRef
from learnloop.notifications import selectors, services
from learnloop.notifications.models import DigestRhythm, NotificationKind

router = Router()


class NotificationOut(Schema):
    id: int
    kind: NotificationKind
    kind_label: str
    title: str
    body: str
    url: str
    actor: PersonRef | None = None
    created_at: datetime
    read_at: datetime | None = None
    emailed_at: datetime | None = None

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())


class SettingsOut(Schema):
    email_enabled: bool
    muted_kinds: list[NotificationKind]
    digest_rhythm: DigestRhythm
    last_digest_at: datetime | None = None
    next_digest_at: datetime | None = None

    @staticmethod
    def resolve_next_digest_at(obj: Any) -> datetime | None:
        from django.utils import timezone

        return services.next_digest_at(obj, timezone.now())


class SettingsIn(Schema):
    email_enabled: bool = True
    muted_kinds: list[NotificationKind] = Field(default_factory=list)
    digest_rhythm: DigestRhythm = DigestRhythm.WEEKLY


class MarkedOut(Schema):
    marked: int


@router.get("/notifications", response=list[NotificationOut], auth=MEMBER_AUTH)
@paginate(Pagination)
def list_notifications(request: HttpRequest, unread: bool | None = None) -> Any:
    """Your notifications, unread first; `unread=true` for the unread ones only. Those
    about something you may no longer see are left out."""
    return selectors.inbox(viewer=member(request), unread=unread)


@router.get("/notifications/settings", response=SettingsOut, auth=MEMBER_AUTH)
def get_settings(request: HttpRequest) -> Any:
    return selectors.settings_of(member(request))


@router.put("/notifications/settings", response=SettingsOut, auth=MEMBER_AUTH)
def put_settings(request: HttpRequest, payload: SettingsIn) -> Any:
    return services.settings_update(
        person=member(request),
        email_enabled=payload.email_enabled,
        muted_kinds=[str(k) for k in payload.muted_kinds],
        digest_rhythm=str(payload.digest_rhythm),
    )


@router.post("/notifications/read-all", response=MarkedOut, auth=MEMBER_AUTH)
def read_all(request: HttpRequest) -> Any:
    return {"marked": services.notifications_mark_all_read(viewer=member(request))}


@router.post("/notifications/{pk}/read", response=NotificationOut, auth=MEMBER_AUTH)
def read_one(request: HttpRequest, pk: int) -> Any:
    person = member(request)
    notification = selectors.get_notification_for(person, pk)
    return services.notification_mark_read(viewer=person, notification=notification)


def _mount_newsletter() -> None:
    # The newsletter export lives with sharing; its router hangs under this one so that
    # `/api/v1/newsletter` needs no line of its own in the project's API module.
    from learnloop.sharing.newsletter_api import router as newsletter

    router.add_router("/", newsletter, tags=["newsletter"])


_mount_newsletter()
