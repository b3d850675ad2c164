"""A small network for the map's pages, API and refreshes: two groups and a bridge."""

from __future__ import annotations

import pytest

from learnloop.core.models import Visibility
from learnloop.network.services import network_refresh
from tests.factories import IdeaFactory, LearningFactory, MembershipFactory, PersonFactory
from tests.network.factories_network import comment, endorse


@pytest.fixture
def bridge(group, other_group, owner, outsider):
    """Bea, in both groups, comments on the owner's learning and endorses the outsider's
    idea: she connects the two groups."""
    bea = PersonFactory(username="bea", display_name="Bea Bridge")
    MembershipFactory(person=bea, group=group)
    MembershipFactory(person=bea, group=other_group)
    comment(LearningFactory(author=owner, group=group, visibility=Visibility.NETWORK), bea)
    endorse(IdeaFactory(author=outsider, group=other_group), bea)
    return bea


@pytest.fixture
def mapped(bridge, member, moderator, steward):
    """The map computed for the cast and the bridge."""
    return network_refresh(force=True)
