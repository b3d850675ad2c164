"""The people API: members only, the same rules as the pages."""

from __future__ import annotations

import pytest

from learnloop.people.models import ApiToken, Group, Invitation, Membership, Organization
from tests.factories import GroupFactory, MembershipFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def as_member(member, token_for):
    return bearer(token_for(member))


@pytest.fixture
def as_moderator(moderator, token_for):
    return bearer(token_for(moderator))


@pytest.fixture
def as_steward(steward, token_for):
    return bearer(token_for(steward))


@pytest.fixture
def as_owner(owner, token_for):
    return bearer(token_for(owner))


@pytest.mark.parametrize(
    "path",
    [
        "/me",
        "/people",
        "/people/olu",
        "/organizations",
        "/groups",
        "/groups/attendance-circle",
        "/invitations",
        "/tokens",
    ],
)
def test_anonymous_reads_are_401(client, owner, group, path):
    assert client.get(API + path).status_code == 401


def test_me(client, owner, as_owner):
    body = client.get(f"{API}/me", headers=as_owner).json()
    assert body["username"] == "olu"
    assert body["email"] == "olu@example.org"
    assert body["groups"] == [
        {
            "group": {
                "id": body["groups"][0]["group"]["id"],
                "slug": "attendance-circle",
                "name": "Attendance Circle",
            },
            "role": "member",
        }
    ]


def test_people_list_filters_and_paginates(client, as_member, organization):
    PersonFactory(display_name="Ana Data", expertise="attendance data", organization=organization)
    body = client.get(f"{API}/people", {"q": "attendance"}, headers=as_member).json()
    assert [p["name"] for p in body["items"]] == ["Ana Data"]
    assert body["items"][0]["expertise"] == ["attendance data"]
    assert "email" not in body["items"][0]
    body = client.get(
        f"{API}/people", {"organization": organization.pk, "limit": 1}, headers=as_member
    ).json()
    assert body["count"] == 1


def test_people_list_query_count(client, as_member, group, django_assert_max_num_queries):
    for _ in range(30):
        MembershipFactory(group=group, person=PersonFactory(organization=OrganizationFactory()))
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}/people", headers=as_member)
    assert response.json()["count"] >= 30


def test_get_person_and_404(client, as_member, owner):
    assert client.get(f"{API}/people/olu", headers=as_member).json()["display_name"] == "Olu Owner"
    assert client.get(f"{API}/people/nobody", headers=as_member).status_code == 404


def test_patch_self(client, owner, as_owner, organization):
    response = client.patch(
        f"{API}/people/olu",
        {"job_role": "Counselor", "organization_id": organization.pk, "expertise": "a, b"},
        content_type="application/json",
        headers=as_owner,
    )
    assert response.status_code == 200, response.content
    assert response.json()["organization"]["slug"] == "northside"
    owner.refresh_from_db()
    assert owner.job_role == "Counselor"
    assert owner.expertise_list == ["a", "b"]


def test_patch_someone_else_is_403_but_steward_may(client, owner, as_member, as_steward):
    url = f"{API}/people/olu"
    data = {"job_role": "Hacked"}
    assert (
        client.patch(url, data, content_type="application/json", headers=as_member).status_code
        == 403
    )
    assert (
        client.patch(url, data, content_type="application/json", headers=as_steward).status_code
        == 200
    )


def test_patch_bad_email_and_unknown_org_are_field_errors(client, as_owner, member):
    response = client.patch(
        f"{API}/people/olu",
        {"email": member.email},
        content_type="application/json",
        headers=as_owner,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "email"
    response = client.patch(
        f"{API}/people/olu",
        {"organization_id": 999999},
        content_type="application/json",
        headers=as_owner,
    )
    assert response.json()["errors"][0]["field"] == "organization_id"


def test_organizations(client, as_member, as_steward, organization):
    assert client.get(f"{API}/organizations", headers=as_member).json()["count"] == 1
    data = {"name": "Riverside Clinic"}
    assert (
        client.post(
            f"{API}/organizations", data, content_type="application/json", headers=as_member
        ).status_code
        == 403
    )
    response = client.post(
        f"{API}/organizations", data, content_type="application/json", headers=as_steward
    )
    assert response.status_code == 201
    assert response.json()["slug"] == "riverside-clinic"
    assert Organization.objects.count() == 2


def test_organizations_query_count(client, as_member, django_assert_max_num_queries):
    OrganizationFactory.create_batch(20)
    with django_assert_max_num_queries(6):
        response = client.get(f"{API}/organizations", headers=as_member)
    assert response.json()["count"] == 20


def test_groups_list_and_detail_with_members(client, as_member, owner, moderator, group, cluster):
    group.clusters.add(cluster)
    body = client.get(f"{API}/groups", headers=as_member).json()
    assert {g["slug"] for g in body["items"]} == {"attendance-circle", "attendance-cluster"}
    detail = client.get(f"{API}/groups/attendance-circle", headers=as_member).json()
    assert {m["person"]["username"]: m["role"] for m in detail["members"]} == {
        "olu": "member",
        "mia": "member",
        "mo": "moderator",
    }
    assert detail["clusters"][0]["slug"] == "attendance-cluster"
    cluster_body = client.get(f"{API}/groups/attendance-cluster", headers=as_member).json()
    assert cluster_body["linked_groups"][0]["slug"] == "attendance-circle"


def test_groups_query_count(client, as_member, django_assert_max_num_queries):
    for _ in range(20):
        MembershipFactory(group=GroupFactory(organization=OrganizationFactory()))
    with django_assert_max_num_queries(6):
        response = client.get(f"{API}/groups", headers=as_member)
    assert response.json()["count"] >= 20


def test_create_and_patch_group_by_steward(client, as_steward, cluster, organization):
    response = client.post(
        f"{API}/groups",
        {
            "name": "Math Team",
            "kind": "team",
            "organization_id": organization.pk,
            "cluster_ids": [cluster.pk],
        },
        content_type="application/json",
        headers=as_steward,
    )
    assert response.status_code == 201, response.content
    assert response.json()["clusters"][0]["id"] == cluster.pk
    response = client.patch(
        f"{API}/groups/math-team",
        {"purpose": "Algebra for all", "cluster_ids": [], "archived": True},
        content_type="application/json",
        headers=as_steward,
    )
    body = response.json()
    assert body["purpose"] == "Algebra for all"
    assert body["clusters"] == []
    assert body["archived"] is True


def test_linking_a_non_cluster_is_a_field_error(client, as_steward, group, other_group):
    response = client.patch(
        f"{API}/groups/{group.slug}",
        {"cluster_ids": [other_group.pk]},
        content_type="application/json",
        headers=as_steward,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "clusters"


def test_member_cannot_create_or_patch_groups(client, as_member, as_moderator, group):
    for headers in (as_member, as_moderator):
        assert (
            client.post(
                f"{API}/groups", {"name": "X"}, content_type="application/json", headers=headers
            ).status_code
            == 403
        )
        assert (
            client.patch(
                f"{API}/groups/{group.slug}",
                {"name": "Renamed"},
                content_type="application/json",
                headers=headers,
            ).status_code
            == 403
        )
    assert not Group.objects.filter(name__in=["X", "Renamed"]).exists()


def test_moderator_adds_and_removes_members(client, as_moderator, group):
    PersonFactory(username="nia")
    response = client.post(
        f"{API}/groups/{group.slug}/members",
        {"username": "nia", "role": "moderator"},
        content_type="application/json",
        headers=as_moderator,
    )
    assert response.status_code == 201
    assert response.json()["role"] == "moderator"
    response = client.delete(f"{API}/groups/{group.slug}/members/nia", headers=as_moderator)
    assert response.status_code == 204
    assert not Membership.objects.filter(person__username="nia").exists()


def test_outsider_cannot_manage_another_groups_members(client, outsider, owner, group, token_for):
    headers = bearer(token_for(outsider))
    PersonFactory(username="nia")
    response = client.post(
        f"{API}/groups/{group.slug}/members",
        {"username": "nia"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403
    response = client.delete(f"{API}/groups/{group.slug}/members/olu", headers=headers)
    assert response.status_code == 403
    assert Membership.objects.filter(person=owner, group=group).exists()


def test_member_may_leave_by_api(client, member, as_member, group):
    response = client.delete(f"{API}/groups/{group.slug}/members/mia", headers=as_member)
    assert response.status_code == 204
    assert not Membership.objects.filter(person=member, group=group).exists()


def test_adding_unknown_username_is_field_error(client, as_moderator, group):
    response = client.post(
        f"{API}/groups/{group.slug}/members",
        {"username": "ghost"},
        content_type="application/json",
        headers=as_moderator,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "username"


def test_moderator_invites_and_gets_link(
    client, as_moderator, group, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{API}/invitations",
            {"email": "nia@example.org", "group_id": group.pk, "role": "member"},
            content_type="application/json",
            headers=as_moderator,
        )
    assert response.status_code == 201, response.content
    invitation = Invitation.objects.get()
    assert response.json()["link"].endswith(invitation.get_absolute_url())
    assert len(mailoutbox) == 1


def test_member_cannot_invite_by_api(client, as_member, as_moderator, group, other_group):
    data = {"email": "x@example.org", "group_id": group.pk}
    assert (
        client.post(
            f"{API}/invitations", data, content_type="application/json", headers=as_member
        ).status_code
        == 403
    )
    data = {"email": "x@example.org", "group_id": other_group.pk}
    assert (
        client.post(
            f"{API}/invitations", data, content_type="application/json", headers=as_moderator
        ).status_code
        == 403
    )
    assert not Invitation.objects.exists()


def test_invalid_invitation_email_is_field_error(client, as_steward):
    response = client.post(
        f"{API}/invitations",
        {"email": "not-an-email"},
        content_type="application/json",
        headers=as_steward,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "email"


def test_invitation_list_is_for_stewards(
    client, steward, as_steward, as_member, group, django_assert_max_num_queries
):
    for n in range(15):
        Invitation.objects.create(email=f"p{n}@example.org", group=group, invited_by=steward)
    assert client.get(f"{API}/invitations", headers=as_member).status_code == 403
    with django_assert_max_num_queries(6):
        body = client.get(f"{API}/invitations", headers=as_steward).json()
    assert body["count"] == 15
    assert body["items"][0]["usable"] is True


def test_steward_revokes_invitation(client, steward, as_steward, as_member):
    invitation = Invitation.objects.create(email="x@example.org", invited_by=steward)
    assert client.delete(f"{API}/invitations/{invitation.pk}", headers=as_member).status_code == 404
    assert (
        client.delete(f"{API}/invitations/{invitation.pk}", headers=as_steward).status_code == 204
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_steward_creates_person(
    client, as_steward, group, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{API}/people",
            {"username": "newbie", "email": "newbie@example.org", "group_ids": [group.pk]},
            content_type="application/json",
            headers=as_steward,
        )
    assert response.status_code == 201, response.content
    assert response.json()["groups"][0]["group"]["slug"] == group.slug
    assert "/password-reset/" in mailoutbox[0].body


def test_member_cannot_create_person(client, as_member):
    response = client.post(
        f"{API}/people",
        {"username": "newbie", "email": "newbie@example.org"},
        content_type="application/json",
        headers=as_member,
    )
    assert response.status_code == 403


def test_tokens_own_only(client, owner, member, as_owner, token_for):
    response = client.post(
        f"{API}/tokens", {"name": "sheet"}, content_type="application/json", headers=as_owner
    )
    assert response.status_code == 201
    raw = response.json()["token"]
    assert client.get(f"{API}/me", headers=bearer(raw)).json()["username"] == "olu"
    names = [t["name"] for t in client.get(f"{API}/tokens", headers=as_owner).json()]
    assert sorted(names) == ["sheet", "tests"]
    token_id = response.json()["id"]
    other = bearer(token_for(member))
    assert client.delete(f"{API}/tokens/{token_id}", headers=other).status_code == 404
    assert client.delete(f"{API}/tokens/{token_id}", headers=as_owner).status_code == 204
    assert ApiToken.objects.get(pk=token_id).revoked_at is not None
    assert client.get(f"{API}/me", headers=bearer(raw)).status_code == 401


def test_session_write_needs_csrf(csrf_client):
    response = csrf_client.patch(
        f"{API}/people/olu", {"job_role": "x"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)


def test_membership_roles_enum(client, as_moderator, group):
    PersonFactory(username="nia")
    response = client.post(
        f"{API}/groups/{group.slug}/members",
        {"username": "nia", "role": "boss"},
        content_type="application/json",
        headers=as_moderator,
    )
    assert response.status_code == 422
