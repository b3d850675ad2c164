"""Sending digests: on each person's rhythm, only with something new, never to people who
turned email off, windows that never overlap; the task, the command line and the preview."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from learnloop.core.models import Visibility
from learnloop.notifications.models import NotificationSettings
from learnloop.notifications.services import digest_is_due, digests_send_due, settings_for
from learnloop.notifications.tasks import send_due_digests
from tests.core.a11y import problems
from tests.factories import IdeaFactory, LearningFactory

pytestmark = pytest.mark.django_db


def _rhythm(person, rhythm, last_days_ago=None, email=True):
    found = settings_for(person)
    found.digest_rhythm = rhythm
    found.email_enabled = email
    found.last_digest_at = (
        timezone.now() - timedelta(days=last_days_ago) if last_days_ago is not None else None
    )
    found.save()
    return found


def _only(*people):
    """Everyone else in the cast asks for no digest, so each test says who gets one."""
    from learnloop.people.models import Person

    for person in Person.objects.exclude(pk__in=[p.pk for p in people]):
        _rhythm(person, "never")


@pytest.fixture
def news(owner, group):
    """Something new in the owner's group, this morning."""
    return LearningFactory(
        author=owner, group=group, title="Calls beat letters", created_at=timezone.now()
    )


def test_daily_digest_is_sent_multipart_with_unsubscribe(
    member, news, mailoutbox, django_capture_on_commit_callbacks
):
    _only(member)
    found = _rhythm(member, "daily", last_days_ago=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_digests.enqueue().return_value == 1
    (message,) = mailoutbox
    assert message.to == [member.email]
    assert message.subject == "Your LearnLoop digest: 1 new in your groups"
    assert "Calls beat letters" in message.body
    assert f"{settings.SITE_URL}{news.get_absolute_url()}" in message.body
    assert "Credit: Olu Owner" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Calls beat letters" in html
    assert "<link" not in html and "<img" not in html and "<script" not in html
    token = found.unsubscribe_token
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<{settings.SITE_URL}/notifications/unsubscribe/{token}>"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"/notifications/unsubscribe/{token}" in message.body
    assert f"/notifications/unsubscribe/{token}" in html


def test_windows_follow_each_other_and_nothing_is_sent_twice(
    member, owner, group, news, mailoutbox, django_capture_on_commit_callbacks
):
    _only(member)
    _rhythm(member, "daily", last_days_ago=2)
    with django_capture_on_commit_callbacks(execute=True):
        first = digests_send_due()
        second = digests_send_due()  # not due again yet
        forced = digests_send_due(force=True)  # due or not: nothing new since the first
    assert [o.reason for o in first] == ["sent"]
    assert second == []
    assert [o.reason for o in forced] == ["nothing new"]
    assert forced[0].since == first[0].until
    assert len(mailoutbox) == 1
    found = NotificationSettings.objects.get(person=member)
    assert found.last_digest_at == forced[0].until


def test_nothing_new_sends_nothing_but_moves_the_window(
    member, mailoutbox, django_capture_on_commit_callbacks
):
    _only(member)
    _rhythm(member, "weekly", last_days_ago=8)
    with django_capture_on_commit_callbacks(execute=True):
        (outcome,) = digests_send_due()
    assert outcome.reason == "nothing new"
    assert mailoutbox == []
    assert NotificationSettings.objects.get(person=member).last_digest_at == outcome.until


def test_email_off_or_never_gets_no_digest(
    member, owner, news, mailoutbox, django_capture_on_commit_callbacks
):
    _only(member, owner)
    _rhythm(member, "daily", last_days_ago=3, email=False)
    _rhythm(owner, "never")
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send_due(force=True) == []
    assert mailoutbox == []


def test_people_who_never_chose_get_the_weekly_default(
    member, news, mailoutbox, django_capture_on_commit_callbacks
):
    _only()
    NotificationSettings.objects.filter(person=member).delete()
    with django_capture_on_commit_callbacks(execute=True):
        digests_send_due()
    assert [m.to[0] for m in mailoutbox] == [member.email]
    assert NotificationSettings.objects.get(person=member).digest_rhythm == "weekly"


def test_due_rules():
    now = timezone.now()
    daily = NotificationSettings(digest_rhythm="daily", last_digest_at=now - timedelta(hours=23.5))
    weekly = NotificationSettings(digest_rhythm="weekly", last_digest_at=now - timedelta(days=5))
    first = NotificationSettings(digest_rhythm="weekly", last_digest_at=None)
    never = NotificationSettings(digest_rhythm="never", last_digest_at=None)
    assert digest_is_due(daily, now)  # within the hour of slack
    assert not digest_is_due(weekly, now)
    assert digest_is_due(first, now)
    assert not digest_is_due(never, now)


def test_a_digest_never_carries_what_its_reader_may_not_see(
    member, outsider, other_group, news, mailoutbox, django_capture_on_commit_callbacks
):
    from learnloop.community.models import Follow

    Follow.objects.create(person=member, group=other_group)
    LearningFactory(
        author=outsider, group=other_group, visibility=Visibility.GROUP, title="Secret plan"
    )
    IdeaFactory(author=outsider, group=other_group, visibility=Visibility.DRAFT, title="Draft")
    _only(member)
    _rhythm(member, "daily", last_days_ago=1)
    with django_capture_on_commit_callbacks(execute=True):
        digests_send_due()
    (message,) = mailoutbox
    html = message.alternatives[0][0]
    for text in (message.subject, message.body, html):
        assert "Secret plan" not in text
        assert "Draft" not in text
    assert "(1)" in message.body  # counted: the one visible learning only


def test_command_line_send_dry_run_person_and_preview(
    member, owner, news, mailoutbox, django_capture_on_commit_callbacks
):
    _only(member, owner)
    _rhythm(member, "daily", last_days_ago=2)
    _rhythm(owner, "weekly", last_days_ago=2)  # not due
    out = io.StringIO()
    call_command("digests", "send", "--dry-run", stdout=out)
    assert "mia\tdry run\t1 new" in out.getvalue()
    assert "olu" not in out.getvalue()
    assert "nothing was sent" in out.getvalue()
    assert mailoutbox == []
    assert NotificationSettings.objects.get(person=member).last_digest_at < news.created_at

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("digests", "send", "--now", "--person", "mia", stdout=out)
    assert "1 digest(s) sent." in out.getvalue()
    assert [m.to[0] for m in mailoutbox] == [member.email]

    out = io.StringIO()
    call_command("digests", "preview", "olu", stdout=out)
    assert out.getvalue().startswith("Subject: Your LearnLoop digest")
    assert "Hello Olu Owner" in out.getvalue()


def test_command_line_unknown_person(member):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No person"):
        call_command("digests", "preview", "nobody", stdout=io.StringIO())


# The preview page -----------------------------------------------------------------------

PREVIEW = reverse("notifications:digest")


def test_preview_needs_a_login(anon_client):
    assert anon_client.get(PREVIEW).status_code == 302


def test_preview_shows_my_next_digest(member_client, member, news, outsider, other_group):
    LearningFactory(
        author=outsider, group=other_group, visibility=Visibility.GROUP, title="Secret plan"
    )
    _rhythm(member, "daily", last_days_ago=1)
    response = member_client.get(PREVIEW)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Calls beat letters" in html
    assert f'href="{news.get_absolute_url()}"' in html
    assert "Secret plan" not in html
    assert "You get it daily by email" in html
    assert problems(html) == []


def test_preview_says_when_no_digest_is_sent(member_client, member):
    _rhythm(member, "never")
    html = member_client.get(PREVIEW).content.decode()
    assert "You get no digest by email" in html


def test_one_broken_digest_does_not_stop_the_others(
    member, owner, news, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    from learnloop.sharing import digests

    _only(member, owner)
    _rhythm(member, "daily", last_days_ago=1)
    _rhythm(owner, "daily", last_days_ago=1)
    real = digests.build_digest

    def flaky(*, person, since, until):
        if person.pk == owner.pk:
            raise RuntimeError("boom")
        return real(person=person, since=since, until=until)

    monkeypatch.setattr(digests, "build_digest", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = digests_send_due()
    assert [o.person.username for o in outcomes] == ["mia"]
    assert [m.to[0] for m in mailoutbox] == [member.email]
