"""Follows: a member keeps up with a group or space they are not in; its network and public
work (never its group-only work) shows in their feed's "following" filter."""

# The space fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F811

from __future__ import annotations

import pytest
from django.urls import reverse

from learnloop.community.follow_selectors import followed_group_ids
from learnloop.community.models import Follow
from learnloop.core.models import AuditEvent, Visibility
from learnloop.sharing.selectors import activity_feed
from tests.community.factories_spaces import (  # noqa: F401
    FollowFactory,
    far_group,
    space,
    stranger,
    stranger_client,
)
from tests.core.a11y import problems
from tests.factories import GroupFactory, LearningFactory

pytestmark = pytest.mark.django_db


def test_member_follows_a_group_from_its_page(stranger_client, stranger, other_group):
    page = reverse("people:group", args=[other_group.slug])
    html = stranger_client.get(page).content.decode()
    assert "Follow this group" in html
    assert problems(html) == []
    response = stranger_client.post(
        reverse("spaces:follow", args=[other_group.slug]), {"next": page}
    )
    assert response.status_code == 302
    assert response["Location"] == page
    assert Follow.objects.filter(person=stranger, group=other_group).exists()
    assert AuditEvent.objects.filter(verb="followed", actor=stranger).count() == 1
    html = stranger_client.get(page).content.decode()
    assert "Stop following Reading Team" in html
    # Following twice changes nothing.
    stranger_client.post(reverse("spaces:follow", args=[other_group.slug]))
    assert Follow.objects.filter(person=stranger).count() == 1


def test_follow_list_and_unfollow(stranger_client, stranger, other_group, space):
    FollowFactory(person=stranger, group=other_group)
    FollowFactory(person=stranger, group=space)
    html = stranger_client.get(reverse("spaces:following")).content.decode()
    assert "Reading Team" in html
    assert f'href="{reverse("spaces:space", args=[space.slug])}"' in html
    assert "2 groups" in html
    assert problems(html) == []
    response = stranger_client.post(reverse("spaces:unfollow", args=[other_group.slug]))
    assert response.status_code == 302
    assert response["Location"] == other_group.get_absolute_url()
    assert list(Follow.objects.filter(person=stranger).values_list("group", flat=True)) == [
        space.pk
    ]


def test_next_must_stay_on_this_site(stranger_client, other_group):
    response = stranger_client.post(
        reverse("spaces:follow", args=[other_group.slug]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == other_group.get_absolute_url()


def test_no_one_follows_their_own_group_or_space(owner_client, owner, group, space):
    for target in (group, space):
        response = owner_client.post(reverse("spaces:follow", args=[target.slug]), follow=True)
        assert "You take part in this group already" in response.content.decode()
    assert not Follow.objects.filter(person=owner).exists()
    html = owner_client.get(reverse("spaces:space", args=[space.slug])).content.decode()
    assert "You take part in this space" in html
    assert "Follow this space" not in html


def test_follow_answers_htmx_with_the_button(stranger_client, other_group):
    response = stranger_client.post(
        reverse("spaces:follow", args=[other_group.slug]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<div class="follow" id="follow-reading-team">')
    assert "Stop following Reading Team" in html
    response = stranger_client.post(
        reverse("spaces:unfollow", args=[other_group.slug]), HTTP_HX_REQUEST="true"
    )
    assert "Follow this group" in response.content.decode()


def test_follow_needs_a_login_and_a_post(anon_client, stranger_client, other_group):
    url = reverse("spaces:follow", args=[other_group.slug])
    assert anon_client.post(url)["Location"].startswith(reverse("login"))
    assert stranger_client.get(url).status_code == 405
    assert stranger_client.post(reverse("spaces:follow", args=["nope"])).status_code == 404
    assert anon_client.get(reverse("spaces:following"))["Location"].startswith(reverse("login"))


def test_an_archived_group_cannot_be_followed(stranger_client, stranger, other_group):
    from django.utils import timezone

    other_group.archived_at = timezone.now()
    other_group.save()
    stranger_client.post(reverse("spaces:follow", args=[other_group.slug]))
    assert not Follow.objects.filter(person=stranger).exists()


def test_following_a_space_follows_its_groups(stranger, space, group, other_group, far_group):
    FollowFactory(person=stranger, group=space)
    assert followed_group_ids(stranger) == {space.pk, group.pk, other_group.pk}


def test_feed_following_filter_shows_followed_network_work_only(
    stranger, stranger_client, steward, owner, outsider, group, other_group, far_group
):
    FollowFactory(person=stranger, group=other_group)
    FollowFactory(person=steward, group=other_group)
    LearningFactory(author=outsider, group=other_group, title="Followed and open")
    LearningFactory(
        author=outsider, group=other_group, title="Followed but public", visibility="public"
    )
    LearningFactory(
        author=outsider,
        group=other_group,
        title="Followed but group-only",
        visibility=Visibility.GROUP,
    )
    LearningFactory(author=owner, group=group, title="Not followed")
    everything = {e.item.title for e in activity_feed(viewer=stranger)}
    assert {"Followed and open", "Followed but public", "Not followed"} <= everything
    followed = {e.item.title for e in activity_feed(viewer=stranger, following=True)}
    assert followed == {"Followed and open", "Followed but public"}
    # Even a steward, who may see group-only work, gets only what the group shares.
    assert {e.item.title for e in activity_feed(viewer=steward, following=True)} == followed
    html = stranger_client.get(reverse("sharing:feed") + "?following=1").content.decode()
    assert "Followed and open" in html
    assert "Not followed" not in html
    assert 'id="f-following" type="checkbox" name="following" value="1" checked' in html
    assert problems(html) == []


def test_feed_following_with_nothing_followed_is_empty(stranger, owner, group):
    LearningFactory(author=owner, group=group, title="Somewhere")
    assert activity_feed(viewer=stranger, following=True) == []


# API ---------------------------------------------------------------------------------------


def test_api_follow_list_and_unfollow(client, stranger, other_group, space, token_for):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(stranger)}"}
    response = client.post(
        "/api/v1/follows", {"group": other_group.slug}, content_type="application/json", **auth
    )
    assert response.status_code == 201
    assert response.json()["group"]["slug"] == "reading-team"
    client.post("/api/v1/follows", {"group": space.slug}, content_type="application/json", **auth)
    listed = client.get("/api/v1/follows", **auth).json()
    assert sorted(f["group"]["slug"] for f in listed) == ["freshman-success", "reading-team"]
    assert {f["kind"] for f in listed} == {"cluster", "impact"}
    assert client.delete(f"/api/v1/follows/{other_group.slug}", **auth).status_code == 204
    assert [f["group"]["slug"] for f in client.get("/api/v1/follows", **auth).json()] == [
        "freshman-success"
    ]


def test_api_follow_errors(client, owner, group, token_for):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(owner)}"}
    own = client.post(
        "/api/v1/follows", {"group": group.slug}, content_type="application/json", **auth
    )
    assert own.status_code == 422
    assert own.json()["errors"][0]["field"] == "group"
    missing = client.post(
        "/api/v1/follows", {"group": "nope"}, content_type="application/json", **auth
    )
    assert missing.status_code == 404
    assert client.get("/api/v1/follows").status_code == 401
    assert (
        client.post(
            "/api/v1/follows", {"group": group.slug}, content_type="application/json"
        ).status_code
        == 401
    )


def test_follow_list_query_count(stranger_client, stranger, django_assert_max_num_queries):
    for n in range(6):
        FollowFactory(person=stranger, group=GroupFactory(name=f"G{n}", slug=f"g-{n}"))
    with django_assert_max_num_queries(12):
        response = stranger_client.get(reverse("spaces:following"))
    assert response.content.decode().count("Stop following") == 6
