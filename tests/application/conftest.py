"""Fixtures for application tests: a product drawing on two ideas, and plans for it."""

from __future__ import annotations

import pytest

from learnloop.core.models import Visibility
from tests.factories import IdeaFactory, PlanFactory, ProductFactory


@pytest.fixture
def product(owner):
    product = ProductFactory(author=owner, title="Day-one family calls")
    product.ideas.set(
        [
            IdeaFactory(author=owner, title="Calls beat letters", stage="promising"),
            IdeaFactory(author=owner, title="First week sets the habit", stage="testing"),
        ]
    )
    return product


@pytest.fixture
def group_plan(owner, group, product):
    """A plan only the owner's group may see."""
    return PlanFactory(
        author=owner,
        product=product,
        group=group,
        visibility=Visibility.GROUP,
        title="Roll out calls at North High",
        goal="Every ninth-grade family called in week one.",
    )


@pytest.fixture
def network_plan(owner, product):
    return PlanFactory(author=owner, product=product, title="Network-wide calls")
