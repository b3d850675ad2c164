"""Fixtures and factories for creation spaces, follows, suggestions and narratives
(kept here: tests/factories.py is shared). Import the fixtures a module uses by name.

The cast, on top of tests/conftest.py: `space` is a cluster linking `group` (owner,
member, moderator) and `other_group` (outsider); `far_group` is outside the space, with
`stranger` in it."""

from __future__ import annotations

import factory
import pytest
from django.test import Client

from learnloop.community.models import Follow, Narrative
from learnloop.core.models import Visibility
from learnloop.people.models import GroupKind
from tests.factories import GroupFactory, MembershipFactory, PersonFactory


class NarrativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Narrative

    author = factory.SubFactory(PersonFactory)
    title = factory.Sequence(lambda n: f"Opportunity {n}")
    opportunity = "Ninth graders who miss the first week rarely catch up."
    call_to_act = "Every group: try one first-week welcome and report back."
    visibility = Visibility.NETWORK


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    person = factory.SubFactory(PersonFactory)
    group = factory.SubFactory(GroupFactory)


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def space(group, other_group):
    cluster = GroupFactory(
        name="Freshman Success Space",
        slug="freshman-success",
        kind=GroupKind.CLUSTER,
        purpose="Groups that help ninth graders *thrive*.",
    )
    group.clusters.add(cluster)
    other_group.clusters.add(cluster)
    return cluster


@pytest.fixture
def far_group(db):
    return GroupFactory(name="Funders Table", slug="funders-table")


@pytest.fixture
def stranger(far_group):
    """A network member outside the space."""
    person = PersonFactory(username="sam", display_name="Sam Stranger")
    MembershipFactory(person=person, group=far_group)
    return person


@pytest.fixture
def stranger_client(stranger):
    return client_for(stranger)
