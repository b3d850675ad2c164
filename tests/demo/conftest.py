"""The demo network, built once per test module (about a second) and flushed after it."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from learnloop.demo.builder import build_demo

TODAY = date(2025, 6, 30)


def quiet(_message: str) -> None:
    pass


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Committed once for the module; each test runs in a transaction rolled back after it."""
    with django_db_blocker.unblock():
        summary = build_demo(progress=quiet, today=TODAY)
    yield summary
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_content_types():
    # A flush inside a test recreates content types that the rollback then removes.
    yield
    ContentType.objects.clear_cache()
