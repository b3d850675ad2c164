"""The demo network has notifications: settings with varied rhythms and past digest
dates, inboxes with read and unread rows for the demo logins, and a digest to preview."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from learnloop.demo.content import DEMO_LOGINS, DEMO_ROLES
from learnloop.notifications.models import Notification, NotificationSettings
from learnloop.notifications.selectors import inbox, target_visible
from learnloop.people.models import Person
from tests.core.a11y import problems
from tests.demo.conftest import _fresh_content_types, demo  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_everyone_has_settings_with_varied_rhythms(demo):  # noqa: F811
    assert NotificationSettings.objects.count() == Person.objects.count()
    rhythms = set(NotificationSettings.objects.values_list("digest_rhythm", flat=True))
    assert rhythms == {"daily", "weekly", "never"}
    assert NotificationSettings.objects.filter(last_digest_at__isnull=False).count() >= 20
    assert NotificationSettings.objects.filter(email_enabled=False).exists()
    assert NotificationSettings.objects.exclude(muted_kinds=[]).exists()


def test_demo_logins_have_read_and_unread_notifications_they_may_see(demo):  # noqa: F811
    for login in DEMO_LOGINS:
        person = Person.objects.get(username=login.username)
        mine = Notification.objects.filter(recipient=person)
        assert mine.filter(read_at__isnull=True).exists(), login.username
        assert mine.filter(read_at__isnull=False).exists(), login.username
        for n in mine.exclude(content_type=None).select_related("content_type"):
            target = n.content_type.get_object_for_this_type(pk=n.object_id)
            assert target_visible(person, target), (login.username, n.title)
        assert inbox(viewer=person).count() == mine.count()
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {"stage", "vote", "system", "routine"} <= kinds


def test_a_demo_member_sees_an_inbox_and_a_digest_preview(demo):  # noqa: F811
    client = Client()
    client.force_login(Person.objects.get(username=DEMO_ROLES["member"]))
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Your monthly summary is due" in page
    preview = client.get(reverse("notifications:digest"))
    assert preview.status_code == 200
    html = preview.content.decode()
    # The member's weekly digest went out six days before the demo's today: the week's
    # work of his groups is waiting in the next one, each item with its credits.
    assert "New in your groups" in html
    assert "Credit:" in html


@pytest.mark.parametrize("role", ["steward", "member", "funder"])
def test_pages_on_the_demo_pass_accessibility_checks(demo, role):  # noqa: F811
    client = Client()
    client.force_login(Person.objects.get(username=DEMO_ROLES[role]))
    paths = ["/notifications/", "/notifications/settings", "/notifications/digest"]
    if role == "steward":
        paths.append("/newsletter/?since=2025-01-01&until=2025-06-30&audience=network")
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert problems(response.content.decode()) == [], path
