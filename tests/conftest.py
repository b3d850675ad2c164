"""The shared cast: an owner (author of things), a member, an outsider, a steward, and a
moderator of the owner's group."""

from __future__ import annotations

import pytest
from django.test import Client

from learnloop.people.models import Role
from tests.factories import GroupFactory, MembershipFactory, PersonFactory


@pytest.fixture
def group(db):
    return GroupFactory(name="Attendance Circle", slug="attendance-circle")


@pytest.fixture
def other_group(db):
    return GroupFactory(name="Reading Team", slug="reading-team")


@pytest.fixture
def owner(group):
    person = PersonFactory(username="olu", display_name="Olu Owner")
    MembershipFactory(person=person, group=group)
    return person


@pytest.fixture
def member(group):
    """In the same group as the owner, without special rights."""
    person = PersonFactory(username="mia", display_name="Mia Member")
    MembershipFactory(person=person, group=group)
    return person


@pytest.fixture
def moderator(group):
    person = PersonFactory(username="mo", display_name="Mo Moderator")
    MembershipFactory(person=person, group=group, role=Role.MODERATOR)
    return person


@pytest.fixture
def outsider(other_group):
    """A network member who is not in the owner's group."""
    person = PersonFactory(username="oscar", display_name="Oscar Outsider")
    MembershipFactory(person=person, group=other_group)
    return person


@pytest.fixture
def steward(db):
    return PersonFactory(username="stella", display_name="Stella Steward", is_steward=True)


def _client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def owner_client(owner):
    return _client_for(owner)


@pytest.fixture
def member_client(member):
    return _client_for(member)


@pytest.fixture
def moderator_client(moderator):
    return _client_for(moderator)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def steward_client(steward):
    return _client_for(steward)


@pytest.fixture
def anon_client(db):
    return Client()


@pytest.fixture
def csrf_client(owner):
    """A browser-like client that enforces CSRF checks."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    return client


@pytest.fixture
def token_for(db):
    from learnloop.people.services import token_create

    def make(person) -> str:
        return token_create(person=person, name="tests")[1]

    return make


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
