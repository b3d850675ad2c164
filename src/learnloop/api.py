"""The JSON API at /api/v1/: one NinjaAPI, one router per phase, one error shape."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from learnloop.core.api_support import READ_AUTH

api = NinjaAPI(
    title="LearnLoop API",
    version="1",
    description=(
        "Everything a network does in LearnLoop, as JSON. Authenticate scripts with "
        "`Authorization: Bearer <token>` (create one with `learnloop token create USERNAME` "
        "or on your profile page); the browser uses its session and CSRF token. "
        "Errors always look like `{detail, errors: [{field, message}]}`."
    ),
    auth=READ_AUTH,
    urls_namespace="api",
)


def _error(
    request: HttpRequest, status: int, detail: str, errors: list[dict[str, str]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = []
    for err in exc.errors:
        loc = [str(part) for part in err.get("loc", ()) if part not in ("body", "payload", "query")]
        errors.append({"field": ".".join(loc) or "__all__", "message": str(err.get("msg", ""))})
    return _error(request, 422, "The request has invalid fields.", errors)


@api.exception_handler(DjangoValidationError)
def on_rule_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors: list[dict[str, str]] = []
    if hasattr(exc, "error_dict"):
        for field, field_errors in exc.message_dict.items():
            errors += [{"field": field, "message": m} for m in field_errors]
    else:
        errors = [{"field": "__all__", "message": m} for m in exc.messages]
    return _error(request, 422, "The request has invalid fields.", errors)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, "Not found.")


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, "You may not do this.")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 401, "Authentication required: a valid Bearer token or a session.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))


def _mount() -> None:
    from learnloop.application.api import router as application
    from learnloop.capture.api import router as capture
    from learnloop.community.meeting_api import router as meetings
    from learnloop.community.space_api import router as spaces
    from learnloop.consolidation.api import router as consolidation
    from learnloop.consolidation.decision_api import router as decisions
    from learnloop.consolidation.review_api import router as reviews
    from learnloop.consolidation.routine_api import router as routines
    from learnloop.consolidation.standard_api import router as standards
    from learnloop.core.api import router as core
    from learnloop.generation.api import router as generation
    from learnloop.health.api import router as health
    from learnloop.measures.api import router as measures
    from learnloop.network.api import router as network
    from learnloop.notifications.api import router as notifications
    from learnloop.people.api import router as people
    from learnloop.search.api import router as search
    from learnloop.sharing.api import router as sharing
    from learnloop.sharing.broker_api import router as brokers
    from learnloop.value.api import router as value

    routers: list[tuple[str, Any, str]] = [
        ("/", people, "people"),
        ("/", generation, "generation"),
        ("/", consolidation, "consolidation"),
        ("/", decisions, "decisions"),
        ("/", standards, "standards"),
        ("/", reviews, "reviews"),
        ("/", routines, "routines"),
        ("/", capture, "capture"),
        ("/", sharing, "sharing"),
        ("/", brokers, "brokers"),
        ("/", application, "application"),
        ("/", measures, "measures"),
        ("/", value, "value"),
        ("/", health, "health"),
        ("/", meetings, "meetings"),
        ("/", spaces, "spaces"),
        ("/", network, "network"),
        ("/", notifications, "notifications"),
        ("/", search, "search"),
        ("/", core, "core"),
    ]
    for prefix, router, tag in routers:
        api.add_router(prefix, router, tags=[tag])


_mount()
