from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from learnloop.people.models import Person


class UsernameOrEmailBackend(ModelBackend):
    """People log in with their username or their email address."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username and "@" in username:
            person = Person.objects.filter(email__iexact=username).order_by("pk").first()
            if person is not None:
                username = person.username
        return super().authenticate(request, username=username, password=password, **kwargs)
