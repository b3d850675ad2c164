"""Settings (email on/off, per-kind mutes, digest rhythm) and the one-click unsubscribe
link that needs no login."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from learnloop.core.models import AuditEvent
from learnloop.notifications.models import NotificationKind, NotificationSettings
from learnloop.notifications.services import settings_for
from tests.core.a11y import problems

pytestmark = pytest.mark.django_db
SETTINGS = reverse("notifications:settings")


def _unsubscribe_url(person) -> str:
    return reverse("notifications:unsubscribe", args=[settings_for(person).unsubscribe_token])


def test_settings_page_needs_a_login(anon_client):
    assert anon_client.get(SETTINGS).status_code == 302
    assert anon_client.post(SETTINGS, {"digest_rhythm": "never"}).status_code == 302
    assert not NotificationSettings.objects.exists()


def test_settings_page_shows_the_defaults(member_client):
    response = member_client.get(SETTINGS)
    html = response.content.decode()
    assert response.status_code == 200
    assert problems(html) == []
    assert 'value="weekly" required id="id_digest_rhythm_2" checked' in html
    assert 'id="id_email_enabled" checked' in html
    assert 'value="comment" id="id_emailed_kinds_' in html


def test_saving_settings(member_client, member):
    kinds = [k for k in NotificationKind.values if k not in {"comment", "share"}]
    response = member_client.post(
        SETTINGS, {"email_enabled": "on", "emailed_kinds": kinds, "digest_rhythm": "daily"}
    )
    assert response.status_code == 302
    found = NotificationSettings.objects.get(person=member)
    assert found.email_enabled is True
    assert found.muted_kinds == ["comment", "share"]
    assert found.digest_rhythm == "daily"
    assert AuditEvent.objects.filter(verb="changed notification settings", actor=member).exists()


def test_bad_rhythm_is_a_form_error_and_nothing_changes(member_client, member):
    response = member_client.post(SETTINGS, {"digest_rhythm": "hourly"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert settings_for(member).digest_rhythm == "weekly"


def test_unsubscribe_page_opens_without_login_and_changes_nothing(anon_client, member):
    url = _unsubscribe_url(member)
    response = anon_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Unsubscribe from all email" in html
    assert "m…@example.org" in html
    assert member.email not in html
    assert problems(html) == []
    assert settings_for(member).email_enabled is True


def test_one_click_post_turns_email_off_without_login_or_csrf(member):
    url = _unsubscribe_url(member)
    client = Client(enforce_csrf_checks=True)  # a mail program, RFC 8058
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Turn email back on" in html
    assert reverse("notifications:settings") in html
    assert settings_for(member).email_enabled is False
    assert AuditEvent.objects.filter(
        verb="turned email off with the unsubscribe link", actor=member
    ).exists()
    # Again: still off, still fine, no second audit row.
    assert client.post(url).status_code == 200
    assert AuditEvent.objects.filter(verb__startswith="turned email off").count() == 1
    assert "already off" in client.get(url).content.decode()


def test_unknown_token_is_404(anon_client, member):
    settings_for(member)
    assert anon_client.get("/notifications/unsubscribe/not-a-token").status_code == 404
    assert anon_client.post("/notifications/unsubscribe/not-a-token").status_code == 404
    assert settings_for(member).email_enabled is True


def test_turning_email_back_on(member_client, member):
    found = settings_for(member)
    found.email_enabled = False
    found.save()
    assert "Email is off" in member_client.get(SETTINGS).content.decode()
    member_client.post(
        SETTINGS,
        {
            "email_enabled": "on",
            "emailed_kinds": NotificationKind.values,
            "digest_rhythm": "weekly",
        },
    )
    found.refresh_from_db()
    assert found.email_enabled is True
    assert found.muted_kinds == []
