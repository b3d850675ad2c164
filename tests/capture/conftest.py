"""Ideas at each visibility and stage, and products built on them."""

from __future__ import annotations

import pytest

from learnloop.core.models import Visibility
from tests.factories import IdeaFactory, PersonFactory, ProductFactory


@pytest.fixture
def network_idea(db):
    return IdeaFactory(title="Call families on day one", stage="promising")


@pytest.fixture
def emerging_idea(db):
    return IdeaFactory(title="Breakfast club hunch", stage="emerging")


@pytest.fixture
def returned_idea(db):
    return IdeaFactory(title="Attendance raffles", stage="returned")


@pytest.fixture
def hidden_idea(other_group):
    """Group-only idea of a group the owner is not in."""
    return IdeaFactory(
        author=PersonFactory(),
        group=other_group,
        visibility=Visibility.GROUP,
        title="Reading team secret sauce",
    )


@pytest.fixture
def group_product(owner, group):
    return ProductFactory(
        author=owner, group=group, visibility=Visibility.GROUP, title="Group-only guide"
    )


@pytest.fixture
def network_product(owner):
    return ProductFactory(author=owner, visibility=Visibility.NETWORK, title="Network guide")


@pytest.fixture
def public_product(owner):
    return ProductFactory(author=owner, visibility=Visibility.PUBLIC, title="Open guide")
