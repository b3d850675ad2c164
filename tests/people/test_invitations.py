"""Invitations: who may send them, the email, the join page, and links that no longer work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from learnloop.people import services
from learnloop.people.models import Invitation, Membership, Person, Role
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

JOIN = {
    "username": "newcomer",
    "display_name": "Nia Newcomer",
    "password": "sunny-meadow-4821",
    "password_again": "sunny-meadow-4821",
    "job_role": "Family liaison",
    "site": "East Middle",
    "stakeholder_type": "parent",
    "expertise": "home visits, translation",
}


@pytest.fixture
def invitation(moderator, group):
    return Invitation.objects.create(
        email="nia@example.org", group=group, role=Role.MEMBER, invited_by=moderator
    )


def test_moderator_invites_into_own_group_and_email_is_sent(
    moderator_client, group, mailoutbox, mail_now
):
    with mail_now():
        response = moderator_client.post(
            reverse("people:invitation_create"),
            {
                "email": "nia@example.org",
                "group": group.pk,
                "role": "member",
                "message": "Come learn with us",
            },
        )
    invitation = Invitation.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert invitation.get_absolute_url() in html
    assert 'data-copy="#invite-link"' in html
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["nia@example.org"]
    assert "Mo Moderator" in message.subject
    assert invitation.get_absolute_url() in message.body
    assert "Come learn with us" in message.body
    assert "Attendance Circle" in message.body


def test_member_cannot_invite(member_client, group):
    url = reverse("people:invitation_create")
    assert member_client.get(url).status_code == 403
    response = member_client.post(url, {"email": "x@example.org", "group": group.pk})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_moderator_cannot_invite_into_another_group(moderator_client, other_group):
    response = moderator_client.post(
        reverse("people:invitation_create"),
        {"email": "x@example.org", "group": other_group.pk, "role": "member"},
    )
    assert response.status_code == 200  # the group is not among the choices: a form error
    assert not Invitation.objects.exists()


def test_moderator_cannot_invite_network_wide(moderator, other_group):
    with pytest.raises(PermissionDenied):
        services.invitation_create(viewer=moderator, email="x@example.org")
    with pytest.raises(PermissionDenied):
        services.invitation_create(viewer=moderator, email="x@example.org", group=other_group)


def test_steward_invites_without_group(steward_client):
    response = steward_client.post(
        reverse("people:invitation_create"), {"email": "x@example.org", "role": "member"}
    )
    assert response.status_code == 200
    assert Invitation.objects.get().group is None


def test_inviting_an_existing_member_is_a_form_error(steward_client, owner):
    response = steward_client.post(
        reverse("people:invitation_create"), {"email": owner.email, "role": "member"}
    )
    assert response.status_code == 200
    assert "already a member" in response.content.decode()
    assert not Invitation.objects.exists()


def test_join_creates_person_membership_and_logs_in(client, invitation, group):
    organization = OrganizationFactory(name="Eastside")
    url = invitation.get_absolute_url()
    page = client.get(url)
    assert page.status_code == 200
    assert "Mo Moderator" in page.content.decode()
    response = client.post(url, {**JOIN, "organization": organization.pk}, follow=True)
    person = Person.objects.get(username="newcomer")
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Welcome, Nia Newcomer" in response.content.decode()
    assert person.email == "nia@example.org"
    assert person.organization == organization
    assert person.stakeholder_type == "parent"
    assert person.check_password("sunny-meadow-4821")
    assert Membership.objects.get(person=person).group == group
    invitation.refresh_from_db()
    assert invitation.accepted_by == person
    assert response.context["user"] == person


def test_join_with_moderator_role(client, invitation, group):
    invitation.role = Role.MODERATOR
    invitation.save()
    client.post(invitation.get_absolute_url(), JOIN)
    assert Membership.objects.get(person__username="newcomer").role == Role.MODERATOR


def test_join_rejects_weak_or_mismatched_passwords(client, invitation):
    url = invitation.get_absolute_url()
    response = client.post(url, {**JOIN, "password": "123", "password_again": "123"})
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert "Family liaison" in response.content.decode()  # what was typed is kept
    response = client.post(url, {**JOIN, "password_again": "other-meadow-4821"})
    assert "The two passwords differ." in response.content.decode()
    assert not Person.objects.filter(username="newcomer").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_join_with_taken_username(client, invitation, owner):
    response = client.post(invitation.get_absolute_url(), {**JOIN, "username": "olu"})
    assert response.status_code == 200
    assert "This username is taken." in response.content.decode()


def test_used_invitation_is_gone(client, invitation):
    client.post(invitation.get_absolute_url(), JOIN)
    other = type(client)()
    response = other.post(invitation.get_absolute_url(), {**JOIN, "username": "second"})
    assert response.status_code == 410
    assert "already used" in response.content.decode()
    assert not Person.objects.filter(username="second").exists()


def test_expired_revoked_and_unknown_links(client, invitation):
    url = invitation.get_absolute_url()
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    assert client.get(url).status_code == 410
    assert client.post(url, JOIN).status_code == 410
    invitation.expires_at = timezone.now() + timedelta(days=1)
    invitation.revoked_at = timezone.now()
    invitation.save()
    response = client.post(url, JOIN)
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert client.get(reverse("people:accept_invitation", args=["nope"])).status_code == 404
    assert not Person.objects.filter(username="newcomer").exists()


def test_join_post_is_rate_limited(client, invitation):
    url = invitation.get_absolute_url()
    bad = {**JOIN, "password_again": "mismatch"}
    statuses = [client.post(url, bad).status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_steward_lists_and_revokes(steward_client, invitation, client):
    html = steward_client.get(reverse("people:invitations")).content.decode()
    assert "nia@example.org" in html
    response = steward_client.post(reverse("people:invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert client.get(invitation.get_absolute_url()).status_code == 410


def test_member_cannot_list_or_revoke(member_client, invitation):
    assert member_client.get(reverse("people:invitations")).status_code == 403
    assert (
        member_client.post(reverse("people:invitation_revoke", args=[invitation.pk])).status_code
        == 404
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_invitation_list_query_count(steward, steward_client, group, django_assert_max_num_queries):
    for n in range(20):
        Invitation.objects.create(email=f"p{n}@example.org", group=group, invited_by=steward)
    with django_assert_max_num_queries(8):
        response = steward_client.get(reverse("people:invitations"))
    assert response.status_code == 200
