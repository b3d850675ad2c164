"""Schemas several routers share."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class PersonRef(Schema):
    id: int
    username: str
    name: str


class GroupRef(Schema):
    id: int
    slug: str
    name: str


class ItemOut(Schema):
    id: int
    author: PersonRef
    group: GroupRef | None = None
    visibility: str
    created_at: datetime
    updated_at: datetime
    url: str

    @staticmethod
    def resolve_url(obj: object) -> str:
        return obj.get_absolute_url()  # type: ignore[attr-defined]


class CommentIn(Schema):
    body: str


class CommentOut(Schema):
    id: int
    author: PersonRef
    body: str
    created_at: datetime
