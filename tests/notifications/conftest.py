"""Items at each visibility for the notification tests, on top of the shared cast."""

from __future__ import annotations

import pytest

from learnloop.core.models import Visibility
from tests.factories import IdeaFactory


@pytest.fixture
def group_idea(owner, group):
    return IdeaFactory(author=owner, group=group, visibility=Visibility.GROUP, title="Group idea")


@pytest.fixture
def network_idea(owner):
    return IdeaFactory(author=owner, visibility=Visibility.NETWORK, title="Network idea")
