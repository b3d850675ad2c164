"""What every API router shares: authentication, the viewer, errors and pagination."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema
from ninja.pagination import LimitOffsetPagination
from ninja.security import HttpBearer, SessionAuth

from learnloop.core import access

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` with a personal access token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from learnloop.people.services import token_authenticate

        person = token_authenticate(raw=token)
        if person is None:
            return None
        request.user = person
        return person


class CsrfSessionAuth(SessionAuth):
    """The browser's session cookie; django-ninja checks the CSRF token on every unsafe call."""


class AnonymousRead:
    """Lets visitors without credentials read what is public; never writes."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.method not in SAFE_METHODS or "authorization" in request.headers:
            return None
        return AnonymousUser()


bearer = BearerToken()
session = CsrfSessionAuth()
MEMBER_AUTH: list[Any] = [bearer, session]
READ_AUTH: list[Any] = [bearer, session, AnonymousRead()]


def viewer(request: HttpRequest) -> Any:
    auth = getattr(request, "auth", None)
    if auth is None or isinstance(auth, AnonymousUser):
        return AnonymousUser()
    return auth


def member(request: HttpRequest) -> Any:
    person = viewer(request)
    access.require_member(person)
    return person


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=`; answers {items, count}."""

    class Input(Schema):
        limit: int = 50
        offset: int = 0

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest | None = None, **params: Any
    ) -> Any:
        limit = max(1, min(int(pagination.limit), 200))
        offset = max(0, int(pagination.offset))
        return {"items": list(queryset[offset : offset + limit]), "count": queryset.count()}


def now() -> Any:
    return timezone.now()
