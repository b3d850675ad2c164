"""The access layer: who sees and changes what, in one place."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from learnloop.core import access
from learnloop.core.models import Visibility
from learnloop.generation.models import Learning
from tests.factories import LearningFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(owner, group):
    return {
        v: LearningFactory(author=owner, group=group, visibility=v, title=v)
        for v in Visibility.values
    }


def visible_titles(viewer) -> set[str]:
    return set(access.visible(viewer, Learning.objects.all()).values_list("title", flat=True))


def test_anonymous_sees_public_only(items):
    assert visible_titles(AnonymousUser()) == {"public"}


def test_author_sees_everything_of_their_own(items, owner):
    assert visible_titles(owner) == {"draft", "group", "network", "public"}


def test_group_member_sees_group_items_but_not_drafts(items, member):
    assert visible_titles(member) == {"group", "network", "public"}


def test_outsider_sees_network_and_public(items, outsider):
    assert visible_titles(outsider) == {"network", "public"}


def test_steward_sees_all_but_drafts(items, steward):
    assert visible_titles(steward) == {"group", "network", "public"}


def test_inactive_person_is_treated_as_anonymous(items, member):
    member.is_active = False
    assert visible_titles(member) == {"public"}


def test_python_and_sql_rules_agree(items, owner, member, outsider, steward):
    for viewer in (AnonymousUser(), owner, member, outsider, steward):
        expected = visible_titles(viewer)
        assert {i.title for i in items.values() if access.can_view(viewer, i)} == expected


def test_deleted_items_are_for_stewards_only(items, owner, steward):
    item = items["network"]
    Learning.objects.filter(pk=item.pk).update(deleted_at=timezone.now())
    item.refresh_from_db()
    assert not access.can_view(owner, item)
    assert access.can_view(steward, item)
    assert "network" not in visible_titles(steward)


def test_change_rights(items, owner, member, moderator, steward):
    group_item = items["group"]
    assert access.can_change(owner, group_item)
    assert access.can_change(moderator, group_item)
    assert access.can_change(steward, group_item)
    assert not access.can_change(member, group_item)
    assert not access.can_change(moderator, items["draft"])


def test_get_for_answers_404_then_403(items, outsider, member):
    qs = Learning.objects.all()
    with pytest.raises(Http404):
        access.get_for(outsider, qs, items["group"].pk)
    with pytest.raises(PermissionDenied):
        access.get_for(member, qs, items["group"].pk, write=True)
    with pytest.raises(Http404):
        access.get_for(member, qs, "not-a-number")
    assert access.get_for(member, qs, items["group"].pk) == items["group"]
