"""Fixtures for consolidation: ideas in the owner's group and learnings from two contexts."""

from __future__ import annotations

import pytest

from learnloop.core.models import Visibility
from tests.factories import IdeaFactory, LearningFactory


@pytest.fixture
def group_idea(owner, group):
    """An idea only the owner's group may see."""
    return IdeaFactory(
        author=owner, group=group, visibility=Visibility.GROUP, title="Call families on day one"
    )


@pytest.fixture
def network_idea(owner, group):
    return IdeaFactory(
        author=owner, group=group, visibility=Visibility.NETWORK, title="Greet students by name"
    )


@pytest.fixture
def public_idea(owner, group):
    return IdeaFactory(
        author=owner, group=group, visibility=Visibility.PUBLIC, title="Open idea for all"
    )


@pytest.fixture
def learning_here(member, group):
    """A learning from the owner's group, at North High."""
    return LearningFactory(
        author=member, group=group, site="North High", title="Calls worked at North"
    )


@pytest.fixture
def learning_there(outsider, other_group):
    """A network learning from another group and site."""
    return LearningFactory(
        author=outsider, group=other_group, site="South Middle", title="Calls worked at South"
    )


@pytest.fixture
def group_learning(owner, group):
    """A learning only the owner's group may see."""
    return LearningFactory(
        author=owner, group=group, visibility=Visibility.GROUP, title="Group-only learning"
    )
