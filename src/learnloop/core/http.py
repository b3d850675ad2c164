"""The request type views see: django-htmx's details and our Person (or anonymous)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class Request(HttpRequest):
    htmx: HtmxDetails
    user: Any  # learnloop.people.models.Person or AnonymousUser
