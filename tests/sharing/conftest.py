"""Products at each visibility, channels, and ideas with evidence for the public site."""

from __future__ import annotations

import pytest

from learnloop.core.models import Visibility
from tests.factories import ChannelFactory, ProductFactory


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


@pytest.fixture
def newsletter(db):
    return ChannelFactory(name="District newsletter", kind="email", reaches_outside=True)


@pytest.fixture
def huddle(db):
    return ChannelFactory(name="Monday huddle", kind="meeting", reaches_outside=False)
