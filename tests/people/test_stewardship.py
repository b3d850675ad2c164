"""The stewardship page: for stewards only, with counts, people and waiting invitations."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learnloop.people.models import Invitation
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_only_stewards(member_client, moderator_client, anon_client):
    url = reverse("people:steward")
    assert member_client.get(url).status_code == 403
    assert moderator_client.get(url).status_code == 403
    assert anon_client.get(url).status_code == 302


def test_page_shows_counts_people_invitations_and_links(steward_client, steward, owner, group):
    Invitation.objects.create(email="waiting@example.org", invited_by=steward)
    html = steward_client.get(reverse("people:steward")).content.decode()
    assert "waiting@example.org" in html
    assert "Olu Owner" in html
    assert reverse("trash") in html
    assert reverse("people:organizations") in html
    assert reverse("people:groups") in html
    assert reverse("people:person_steward", args=[owner.username]) in html
    assert reverse("people:person_active", args=[owner.username]) in html


def test_deactivated_people_are_listed_for_reactivation(steward_client):
    PersonFactory(display_name="Paused Person", is_active=False)
    html = steward_client.get(reverse("people:steward")).content.decode()
    assert "Paused Person" in html
    assert "Reactivate" in html


def test_query_count(steward_client, django_assert_max_num_queries):
    PersonFactory.create_batch(30)
    with django_assert_max_num_queries(12):
        response = steward_client.get(reverse("people:steward"))
    assert response.status_code == 200
