"""Helpers for the health tests: moments in the past, and a gap finder."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from learnloop.health import selectors


def ago(days: int):
    return timezone.now() - timedelta(days=days)


def gap_keys(viewer, kind: str, group=None) -> list[str]:
    sections = selectors.cycle_gaps(viewer=viewer, group=group, kind=kind)
    return [g.item_key for g in selectors.all_gaps(sections)]


@pytest.fixture
def old_group(group):
    """The cast's group, created long ago so that its cadence has had time to run."""
    group.created_at = ago(400)
    group.save(update_fields=["created_at"])
    return group
