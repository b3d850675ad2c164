"""Fixtures for the people app: an organization and a cluster."""

from __future__ import annotations

import pytest

from learnloop.people.models import GroupKind
from tests.factories import GroupFactory, OrganizationFactory


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Northside Schools", slug="northside")


@pytest.fixture
def cluster(db):
    return GroupFactory(
        name="Attendance Cluster", slug="attendance-cluster", kind=GroupKind.CLUSTER
    )


@pytest.fixture
def mail_now(django_capture_on_commit_callbacks):
    """Run the after-commit callbacks (which queue the emails) at the end of the block."""

    def capture():
        return django_capture_on_commit_callbacks(execute=True)

    return capture
