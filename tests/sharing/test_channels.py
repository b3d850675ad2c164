"""Channels: stewards keep the list, members read it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learnloop.sharing.models import Channel
from tests.factories import ShareFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_steward_creates_and_edits_a_channel(steward_client):
    response = steward_client.post(
        reverse("sharing:channel_create"),
        {"name": "Family newsletter", "kind": "email", "reaches_outside": "on"},
    )
    channel = Channel.objects.get()
    assert response.status_code == 302
    assert channel.reaches_outside
    steward_client.post(
        reverse("sharing:channel_edit", args=[channel.pk]),
        {"name": "Family letter", "kind": "print", "description": "Monthly, on paper"},
    )
    channel.refresh_from_db()
    assert (channel.name, channel.kind, channel.reaches_outside) == (
        "Family letter",
        "print",
        False,
    )


def test_duplicate_name_is_a_form_error(steward_client, newsletter):
    response = steward_client.post(
        reverse("sharing:channel_create"), {"name": "District newsletter", "kind": "email"}
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Channel.objects.count() == 1


def test_member_sees_the_list_but_cannot_create_or_edit(member_client, newsletter, owner):
    ShareFactory.create_batch(2, channel=newsletter)
    response = member_client.get(reverse("sharing:channels"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "District newsletter" in html
    assert "Beyond the network" in html
    assert reverse("sharing:channel_create") not in html
    assert member_client.get(reverse("sharing:channel_create")).status_code == 403
    assert (
        member_client.post(
            reverse("sharing:channel_create"), {"name": "x", "kind": "other"}
        ).status_code
        == 403
    )
    edit = reverse("sharing:channel_edit", args=[newsletter.pk])
    assert member_client.post(edit, {"name": "mine", "kind": "other"}).status_code == 403
    newsletter.refresh_from_db()
    assert newsletter.name == "District newsletter"


def test_channel_share_counts_only_visible_products(
    member_client, outsider, other_group, newsletter
):
    from learnloop.core.models import Visibility
    from tests.factories import ProductFactory

    hidden = ProductFactory(author=outsider, group=other_group, visibility=Visibility.GROUP)
    ShareFactory(product=hidden, channel=newsletter)
    ShareFactory(channel=newsletter)
    channels = member_client.get(reverse("sharing:channels")).context["channels"]
    assert [c.share_count for c in channels] == [1]


def test_anonymous_is_sent_to_login(anon_client):
    response = anon_client.get(reverse("sharing:channels"))
    assert response.status_code == 302


def test_channel_list_query_count(member_client, django_assert_max_num_queries):
    from tests.factories import ChannelFactory

    ChannelFactory.create_batch(20)
    with django_assert_max_num_queries(6):
        response = member_client.get(reverse("sharing:channels"))
    assert response.status_code == 200


def test_api_channels(client, steward, member, newsletter, token_for):
    member_token, steward_token = token_for(member), token_for(steward)
    listed = client.get(f"{API}/channels", headers=bearer(member_token)).json()
    assert [c["name"] for c in listed["items"]] == ["District newsletter"]
    denied = client.post(
        f"{API}/channels",
        {"name": "x"},
        content_type="application/json",
        headers=bearer(member_token),
    )
    created = client.post(
        f"{API}/channels",
        {"name": "Radio slot", "kind": "other", "reaches_outside": True},
        content_type="application/json",
        headers=bearer(steward_token),
    )
    patch_denied = client.patch(
        f"{API}/channels/{newsletter.pk}",
        {"name": "y"},
        content_type="application/json",
        headers=bearer(member_token),
    )
    patched = client.patch(
        f"{API}/channels/{newsletter.pk}",
        {"reaches_outside": False},
        content_type="application/json",
        headers=bearer(steward_token),
    )
    assert (denied.status_code, created.status_code) == (403, 201)
    assert patch_denied.status_code == 403
    assert patched.json()["reaches_outside"] is False
    assert client.get(f"{API}/channels").status_code == 401


def test_api_duplicate_channel_name_is_422(client, steward, newsletter, token_for):
    response = client.post(
        f"{API}/channels",
        {"name": "District newsletter"},
        content_type="application/json",
        headers=bearer(token_for(steward)),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
