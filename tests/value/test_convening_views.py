"""Convening pages: who may see and change them, what saving does, lists and a11y."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learnloop.core.models import Revision, Visibility
from learnloop.value.models import Convening
from tests.core.a11y import problems
from tests.value.conftest import ConveningFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group_convening(owner, group):
    return ConveningFactory(
        author=owner, group=group, visibility=Visibility.GROUP, title="Circle huddle"
    )


def test_member_records_a_convening_with_participants(owner_client, owner, member, group):
    response = owner_client.post(
        reverse("value:convening_create"),
        {
            "title": "Family night",
            "kind": "event",
            "starts_at": "2031-03-04T18:00",
            "ends_at": "2031-03-04T20:00",
            "place": "North High library",
            "group": group.pk,
            "visibility": "group",
            "participants": [owner.pk, member.pk],
            "other_participants": "23",
            "notes": "We *listened*.",
            "outputs": "Three families offered to host the next one.",
        },
    )
    convening = Convening.objects.get()
    assert response.status_code == 302
    assert response["Location"] == convening.get_absolute_url()
    assert sorted(p.username for p in convening.participants.all()) == ["mia", "olu"]
    assert convening.other_participants == 23
    assert convening.ends_at - convening.starts_at == timedelta(hours=2)
    assert Revision.objects.filter(object_id=convening.pk).count() == 1
    html = owner_client.get(convening.get_absolute_url()).content.decode()
    assert "<em>listened</em>" in html
    assert "Mia Member" in html
    assert problems(html) == []


def test_end_before_start_is_a_form_error_and_keeps_input(owner_client):
    response = owner_client.post(
        reverse("value:convening_create"),
        {
            "title": "Backwards",
            "kind": "meeting",
            "starts_at": "2031-03-04T18:00",
            "ends_at": "2031-03-04T17:00",
            "visibility": "network",
            "notes": "Notes that must survive",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert Convening.objects.count() == 0
    assert "It cannot end before it starts." in html
    assert "Notes that must survive" in html


def test_group_convening_hidden_from_outsider_and_anonymous(
    group_convening, outsider_client, anon_client, member_client
):
    url = group_convening.get_absolute_url()
    assert outsider_client.get(url).status_code == 404
    assert anon_client.get(url).status_code == 404
    assert member_client.get(url).status_code == 200
    listing = outsider_client.get(reverse("value:convenings")).content.decode()
    assert "Circle huddle" not in listing


def test_public_convening_readable_without_login_but_names_stay_with_members(
    owner, member, anon_client
):
    convening = ConveningFactory(author=owner, visibility=Visibility.PUBLIC, title="Open forum")
    convening.participants.set([member])
    html = anon_client.get(convening.get_absolute_url()).content.decode()
    assert "Open forum" in html
    assert "Mia Member" not in html
    assert "1 member" in html


def test_member_without_rights_cannot_edit(group_convening, member_client, moderator_client):
    url = reverse("value:convening_edit", args=[group_convening.pk])
    assert member_client.get(url).status_code == 403
    response = member_client.post(
        url,
        {
            "title": "hijack",
            "kind": "meeting",
            "starts_at": "2031-01-01T10:00",
            "visibility": "network",
        },
    )
    assert response.status_code == 403
    group_convening.refresh_from_db()
    assert group_convening.title == "Circle huddle"
    assert moderator_client.get(url).status_code == 200


def test_anonymous_is_sent_to_log_in_for_forms(anon_client, group_convening):
    for url in (
        reverse("value:convening_create"),
        reverse("value:convening_edit", args=[group_convening.pk]),
    ):
        response = anon_client.get(url)
        assert response.status_code == 302
        assert "/login" in response["Location"]


def test_edit_updates_and_keeps_history(owner_client, group_convening, group, member):
    url = reverse("value:convening_edit", args=[group_convening.pk])
    assert problems(owner_client.get(url).content.decode()) == []
    response = owner_client.post(
        url,
        {
            "title": "Circle huddle, moved",
            "kind": "conversation",
            "starts_at": "2031-05-01T09:30",
            "visibility": "group",
            "group": group.pk,
            "participants": [member.pk],
            "outputs": "A shared call script.",
        },
    )
    assert response.status_code == 302
    group_convening.refresh_from_db()
    assert group_convening.title == "Circle huddle, moved"
    assert group_convening.outputs == "A shared call script."
    assert list(group_convening.participants.all()) == [member]
    revision = Revision.objects.get(object_id=group_convening.pk)
    assert revision.data["title"] == "Circle huddle, moved"


def test_soft_delete_through_generic_item_urls(owner_client, member_client, group_convening):
    url = reverse("item_delete", args=["convening", group_convening.pk])
    assert member_client.post(url).status_code == 403
    assert owner_client.post(url).status_code == 302
    assert owner_client.get(group_convening.get_absolute_url()).status_code == 404


def test_list_splits_upcoming_and_past_and_filters_by_group(
    owner_client, owner, group, other_group
):
    now = timezone.now()
    ConveningFactory(author=owner, title="Soon in circle", group=group)
    ConveningFactory(author=owner, title="Last month", starts_at=now - timedelta(days=30))
    ConveningFactory(author=owner, title="Other team", group=other_group)
    response = owner_client.get(reverse("value:convenings"))
    html = response.content.decode()
    assert html.index("Soon in circle") < html.index("Past") < html.index("Last month")
    assert problems(html) == []
    filtered = owner_client.get(reverse("value:convenings"), {"group": group.pk}).content.decode()
    assert "Soon in circle" in filtered
    assert "Other team" not in filtered


def test_list_shows_personal_calendar_addresses_to_members_only(
    owner_client, anon_client, owner, group
):
    html = owner_client.get(reverse("value:convenings")).content.decode()
    token = owner.calendar_token.token
    assert f"/value/groups/{group.slug}/convenings.ics?token={token}" in html
    anon_html = anon_client.get(reverse("value:convenings")).content.decode()
    assert "token=" not in anon_html
    assert "/value/convenings.ics" in anon_html


def test_calendar_token_reset(owner_client, owner, anon_client):
    owner_client.get(reverse("value:convenings"))
    old = owner.calendar_token.token
    response = owner_client.post(reverse("value:calendar_token_reset"))
    owner.calendar_token.refresh_from_db()
    assert response.status_code == 302
    assert owner.calendar_token.token != old
    assert anon_client.post(reverse("value:calendar_token_reset")).status_code == 302


def test_list_query_count_does_not_grow(owner_client, owner, member, django_assert_max_num_queries):
    now = timezone.now()
    for i in range(15):
        c = ConveningFactory(author=owner, starts_at=now + timedelta(days=i + 1))
        c.participants.set([owner, member])
        d = ConveningFactory(author=owner, starts_at=now - timedelta(days=i + 1))
        d.participants.set([member])
    with django_assert_max_num_queries(16):
        response = owner_client.get(reverse("value:convenings"))
    assert response.status_code == 200


def test_generic_history_and_comments_work_for_convenings_and_stories(
    owner, group, member_client, outsider_client
):
    from learnloop.value.services import convening_create, story_create

    convening = convening_create(
        author=owner,
        title="Huddle with history",
        starts_at=timezone.now() + timedelta(days=1),
        group=group,
        visibility="group",
    )
    story = story_create(author=owner, title="Story with comments", group=group, visibility="group")
    history = member_client.get(reverse("item_history", args=["convening", convening.pk]))
    assert history.status_code == 200
    assert "Huddle with history" in history.content.decode()
    comment_url = reverse("item_comment", args=["story", story.pk])
    assert member_client.post(comment_url, {"body": "Lovely thread."}).status_code == 302
    assert "Lovely thread." in member_client.get(story.get_absolute_url()).content.decode()
    assert outsider_client.post(comment_url, {"body": "sneaky"}).status_code == 404
