"""Groups: their home page, who may create and manage them, clusters, members."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learnloop.core.models import Visibility
from learnloop.people.models import Group, Membership, Role
from tests.factories import (
    GroupFactory,
    LearningFactory,
    MembershipFactory,
    PersonFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db


def test_group_list_shows_groups_and_kind_filter(member_client, group, cluster):
    url = reverse("people:groups")
    html = member_client.get(url).content.decode()
    assert "Attendance Circle" in html
    assert "Attendance Cluster" in html
    html = member_client.get(url, {"kind": "cluster"}).content.decode()
    assert "Attendance Cluster" in html
    assert "Attendance Circle" not in html


def test_group_list_query_count(member_client, django_assert_max_num_queries):
    for _ in range(20):
        MembershipFactory(group=GroupFactory())
    with django_assert_max_num_queries(8):
        response = member_client.get(reverse("people:groups"))
    assert response.status_code == 200


def test_group_home_shows_purpose_members_and_activity(
    member_client, owner, moderator, group, other_group
):
    LearningFactory(author=owner, group=group, visibility=Visibility.GROUP, title="Calls work")
    LearningFactory(author=owner, group=other_group, title="Elsewhere")
    QuestionFactory(author=owner, group=group, title="Who tried texting?")
    html = member_client.get(reverse("people:group", args=[group.slug])).content.decode()
    assert "ninth-grade attendance" in html  # purpose
    assert "Olu Owner" in html
    assert "Mo Moderator" in html
    assert "Calls work" in html
    assert "Who tried texting?" in html
    assert "Elsewhere" not in html
    assert f"/learnings/new?group={group.pk}" in html
    assert "shared a learning" in html  # the activity feed


def test_group_items_are_hidden_on_the_page_from_outsiders(outsider_client, owner, group):
    LearningFactory(author=owner, group=group, visibility=Visibility.GROUP, title="Inner circle")
    response = outsider_client.get(reverse("people:group", args=[group.slug]))
    assert response.status_code == 200
    assert "Inner circle" not in response.content.decode()


def test_unknown_group_is_404(member_client):
    assert member_client.get(reverse("people:group", args=["nope"])).status_code == 404


def test_group_page_query_count(member_client, group, owner, django_assert_max_num_queries):
    for _ in range(15):
        MembershipFactory(group=group)
    LearningFactory.create_batch(5, author=owner, group=group)
    with django_assert_max_num_queries(22):
        response = member_client.get(reverse("people:group", args=[group.slug]))
    assert response.status_code == 200


def test_steward_creates_group_with_cluster(steward_client, organization, cluster):
    response = steward_client.post(
        reverse("people:group_create"),
        {
            "name": "Ninth Grade On Track",
            "slug": "",
            "kind": "impact",
            "purpose": "Keep ninth graders on track.",
            "cadence": "monthly",
            "organization": organization.pk,
            "clusters": [cluster.pk],
        },
    )
    group = Group.objects.get(name="Ninth Grade On Track")
    assert response.status_code == 302
    assert group.slug == "ninth-grade-on-track"
    assert group.organization == organization
    assert list(group.clusters.all()) == [cluster]


def test_cluster_page_shows_linked_groups_and_group_shows_clusters(member_client, group, cluster):
    group.clusters.add(cluster)
    cluster_html = member_client.get(reverse("people:group", args=[cluster.slug])).content.decode()
    assert "Groups in this cluster" in cluster_html
    assert "Attendance Circle" in cluster_html
    group_html = member_client.get(reverse("people:group", args=[group.slug])).content.decode()
    assert "Attendance Cluster" in group_html


def test_duplicate_group_name_is_a_form_error(steward_client, group):
    response = steward_client.post(
        reverse("people:group_create"),
        {"name": "attendance circle", "kind": "team", "cadence": "weekly", "purpose": "Typed"},
    )
    assert response.status_code == 200
    assert "This name is taken." in response.content.decode()
    assert "Typed" in response.content.decode()


def test_member_and_moderator_cannot_create_or_edit_groups(member_client, moderator_client, group):
    data = {"name": "Sneaky", "kind": "team", "cadence": "weekly"}
    for client in (member_client, moderator_client):
        assert client.get(reverse("people:group_create")).status_code == 403
        assert client.post(reverse("people:group_create"), data).status_code == 403
        assert client.post(reverse("people:group_edit", args=[group.slug]), data).status_code == 403
        assert client.post(reverse("people:group_archive", args=[group.slug])).status_code == 403
    assert not Group.objects.filter(name="Sneaky").exists()
    group.refresh_from_db()
    assert group.archived_at is None


def test_steward_edits_and_links_clusters(steward_client, group, cluster):
    response = steward_client.post(
        reverse("people:group_edit", args=[group.slug]),
        {
            "name": "Attendance Circle",
            "slug": "attendance-circle",
            "kind": "impact",
            "purpose": "New purpose",
            "cadence": "weekly",
            "clusters": [cluster.pk],
        },
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.purpose == "New purpose"
    assert group.cadence == "weekly"
    assert list(group.clusters.all()) == [cluster]


def test_steward_archives_and_restores(steward_client, group):
    url = reverse("people:group_archive", args=[group.slug])
    steward_client.post(url, {"archive": "1"})
    group.refresh_from_db()
    assert group.archived_at is not None
    assert "Attendance Circle" not in steward_client.get(reverse("people:groups")).content.decode()
    steward_client.post(url, {"archive": "0"})
    group.refresh_from_db()
    assert group.archived_at is None


def test_moderator_adds_member_changes_role_and_removes(moderator_client, group):
    newcomer = PersonFactory(username="nia", display_name="Nia New")
    add = reverse("people:group_member_add", args=[group.slug])
    assert moderator_client.post(add, {"person": newcomer.pk, "role": "member"}).status_code == 302
    assert Membership.objects.get(person=newcomer, group=group).role == Role.MEMBER
    role = reverse("people:group_member_role", args=[group.slug, "nia"])
    moderator_client.post(role, {"role": "moderator"})
    assert Membership.objects.get(person=newcomer, group=group).role == Role.MODERATOR
    remove = reverse("people:group_member_remove", args=[group.slug, "nia"])
    assert moderator_client.post(remove).status_code == 302
    assert not Membership.objects.filter(person=newcomer, group=group).exists()


def test_steward_manages_any_group(steward_client, other_group):
    newcomer = PersonFactory()
    add = reverse("people:group_member_add", args=[other_group.slug])
    steward_client.post(add, {"person": newcomer.pk, "role": "moderator"})
    assert Membership.objects.get(person=newcomer, group=other_group).role == Role.MODERATOR


def test_member_and_outsider_cannot_manage_members(member_client, outsider_client, owner, group):
    newcomer = PersonFactory()
    for client in (member_client, outsider_client):
        add = reverse("people:group_member_add", args=[group.slug])
        assert client.post(add, {"person": newcomer.pk, "role": "member"}).status_code == 403
        role = reverse("people:group_member_role", args=[group.slug, owner.username])
        assert client.post(role, {"role": "moderator"}).status_code == 403
        remove = reverse("people:group_member_remove", args=[group.slug, owner.username])
        assert client.post(remove).status_code == 403
    assert not Membership.objects.filter(person=newcomer).exists()
    assert Membership.objects.get(person=owner, group=group).role == Role.MEMBER


def test_moderator_of_one_group_cannot_manage_another(moderator_client, outsider, other_group):
    remove = reverse("people:group_member_remove", args=[other_group.slug, outsider.username])
    assert moderator_client.post(remove).status_code == 403
    assert Membership.objects.filter(person=outsider, group=other_group).exists()


def test_manage_controls_only_for_managers(member_client, moderator_client, group):
    url = reverse("people:group", args=[group.slug])
    assert "Add a member" not in member_client.get(url).content.decode()
    assert "Add a member" in moderator_client.get(url).content.decode()


def test_member_leaves_group(member_client, member, group):
    response = member_client.post(reverse("people:group_leave", args=[group.slug]))
    assert response.status_code == 302
    assert not Membership.objects.filter(person=member, group=group).exists()


def test_removing_someone_not_in_group_is_404(moderator_client, outsider, group):
    remove = reverse("people:group_member_remove", args=[group.slug, outsider.username])
    assert moderator_client.post(remove).status_code == 404
