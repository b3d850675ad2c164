"""Organizations: list, detail, and stewards' create and edit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learnloop.people.models import Organization
from tests.factories import GroupFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_list_and_detail_show_people_and_groups(member_client, organization):
    PersonFactory(display_name="Ana Org", organization=organization)
    GroupFactory(name="Org Led Group", organization=organization)
    html = member_client.get(reverse("people:organizations")).content.decode()
    assert "Northside Schools" in html
    html = member_client.get(organization.get_absolute_url()).content.decode()
    assert "Ana Org" in html
    assert "Org Led Group" in html


def test_anonymous_is_redirected_and_unknown_is_404(anon_client, member_client, organization):
    assert anon_client.get(organization.get_absolute_url()).status_code == 302
    assert member_client.get(reverse("people:organization", args=["nope"])).status_code == 404


def test_list_query_count(member_client, django_assert_max_num_queries):
    for _ in range(20):
        PersonFactory(organization=OrganizationFactory())
    with django_assert_max_num_queries(6):
        response = member_client.get(reverse("people:organizations"))
    assert response.status_code == 200


def test_steward_creates_and_edits(steward_client):
    response = steward_client.post(
        reverse("people:organization_create"),
        {"name": "Riverside Clinic", "description": "Health partner", "website": "riverside.org"},
    )
    organization = Organization.objects.get(name="Riverside Clinic")
    assert response.status_code == 302
    assert organization.slug == "riverside-clinic"
    assert organization.website == "https://riverside.org"
    response = steward_client.post(
        reverse("people:organization_edit", args=[organization.slug]),
        {"name": "Riverside Health", "slug": "riverside-clinic", "description": "", "website": ""},
    )
    organization.refresh_from_db()
    assert organization.name == "Riverside Health"


def test_member_cannot_create_or_edit(member_client, organization):
    assert member_client.get(reverse("people:organization_create")).status_code == 403
    assert (
        member_client.post(reverse("people:organization_create"), {"name": "X"}).status_code == 403
    )
    url = reverse("people:organization_edit", args=[organization.slug])
    assert member_client.post(url, {"name": "Renamed"}).status_code == 403
    organization.refresh_from_db()
    assert organization.name == "Northside Schools"


def test_duplicate_name_is_a_form_error(steward_client, organization):
    response = steward_client.post(
        reverse("people:organization_create"), {"name": "northside schools"}
    )
    assert response.status_code == 200
    assert "This name is taken." in response.content.decode()
