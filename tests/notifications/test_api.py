"""API for notifications: members only, one's own only, hidden targets left out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learnloop.notifications.models import Notification, NotificationSettings
from learnloop.people.models import Membership
from tests.notifications.factories_notifications import NotificationFactory, about

pytestmark = pytest.mark.django_db
LIST = "/api/v1/notifications"


def _auth(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_visitors_get_401_everywhere(client, member):
    n = NotificationFactory(recipient=member)
    assert client.get(LIST).status_code == 401
    assert client.get(f"{LIST}/settings").status_code == 401
    assert client.post(f"{LIST}/{n.pk}/read").status_code == 401
    assert client.post(f"{LIST}/read-all").status_code == 401
    assert client.put(f"{LIST}/settings", {}, content_type="application/json").status_code == 401


def test_list_is_mine_unread_first_and_hides_what_i_cannot_see(
    client, member, owner, group, group_idea, network_idea, token_for
):
    about(network_idea, recipient=member, title="Visible")
    about(group_idea, recipient=member, title="Hidden soon")
    NotificationFactory(recipient=member, title="Read one", read_at=network_idea.created_at)
    NotificationFactory(recipient=owner, title="Not mine")
    Membership.objects.filter(person=member, group=group).delete()
    body = client.get(LIST, **_auth(token_for(member))).json()
    assert body["count"] == 2
    assert [n["title"] for n in body["items"]] == ["Visible", "Read one"]
    assert body["items"][0]["url"] == network_idea.get_absolute_url()
    assert body["items"][0]["kind_label"] == "Network news from stewards"


def test_unread_filter(client, member, token_for):
    NotificationFactory(recipient=member, title="New")
    NotificationFactory(recipient=member, title="Old", read_at="2025-01-01T00:00:00Z")
    body = client.get(f"{LIST}?unread=true", **_auth(token_for(member))).json()
    assert [n["title"] for n in body["items"]] == ["New"]


def test_read_one_mine_only(client, member, outsider, token_for):
    n = NotificationFactory(recipient=member)
    assert client.post(f"{LIST}/{n.pk}/read", **_auth(token_for(outsider))).status_code == 404
    response = client.post(f"{LIST}/{n.pk}/read", **_auth(token_for(member)))
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    assert client.post(f"{LIST}/999999/read", **_auth(token_for(member))).status_code == 404


def test_read_all(client, member, owner, token_for):
    NotificationFactory.create_batch(3, recipient=member)
    NotificationFactory(recipient=owner)
    response = client.post(f"{LIST}/read-all", **_auth(token_for(member)))
    assert response.json() == {"marked": 3}
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_session_writes_need_csrf(csrf_client, owner):
    NotificationFactory(recipient=owner)
    assert csrf_client.post(f"{LIST}/read-all").status_code == 403
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_settings_get_and_put(client, member, token_for):
    token = token_for(member)
    got = client.get(f"{LIST}/settings", **_auth(token)).json()
    assert got["email_enabled"] is True
    assert got["digest_rhythm"] == "weekly"
    assert got["muted_kinds"] == []
    put = client.put(
        f"{LIST}/settings",
        {"email_enabled": False, "muted_kinds": ["share"], "digest_rhythm": "daily"},
        content_type="application/json",
        **_auth(token),
    )
    assert put.status_code == 200
    assert put.json()["digest_rhythm"] == "daily"
    assert put.json()["next_digest_at"] is None  # email is off
    found = NotificationSettings.objects.get(person=member)
    assert (found.email_enabled, found.muted_kinds, found.digest_rhythm) == (
        False,
        ["share"],
        "daily",
    )


def test_bad_settings_are_field_errors(client, member, token_for):
    response = client.put(
        f"{LIST}/settings",
        {"muted_kinds": ["gossip"], "digest_rhythm": "hourly"},
        content_type="application/json",
        **_auth(token_for(member)),
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"muted_kinds.0", "digest_rhythm"} <= fields
    assert not NotificationSettings.objects.filter(person=member, digest_rhythm="hourly").exists()


def test_list_query_count(client, member, network_idea, token_for, django_assert_max_num_queries):
    token = token_for(member)
    for _ in range(30):
        about(network_idea, recipient=member, actor=network_idea.author)
    with django_assert_max_num_queries(9):
        body = client.get(LIST, **_auth(token)).json()
    assert body["count"] == 30


def test_openapi_lists_the_paths(client):
    paths = client.get(reverse("api:openapi-json")).json()["paths"]
    assert {
        "/api/v1/notifications",
        "/api/v1/notifications/settings",
        "/api/v1/notifications/{pk}/read",
        "/api/v1/notifications/read-all",
        "/api/v1/newsletter",
    } <= set(paths)
