"""`notify`: the one way any app tells people something — in the app always, by email when
the person's settings allow it, never about something they may not see."""

from __future__ import annotations

import pytest
from django.conf import settings

from learnloop.core.pagecache import content_version
from learnloop.notifications.models import Notification, NotificationSettings
from learnloop.notifications.services import notify, settings_for, settings_update
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _tell(recipients, **kw):
    return notify(
        recipients=recipients,
        kind=kw.pop("kind", "answer"),
        title=kw.pop("title", "Mo answered your question"),
        url=kw.pop("url", "/questions/1/"),
        body=kw.pop("body", "Try calling on day one."),
        **kw,
    )


def test_each_recipient_once_never_the_actor(
    owner, member, moderator, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        made = _tell([owner, member, owner, moderator, None], actor=moderator)
    assert sorted(n.recipient.username for n in made) == ["mia", "olu"]
    assert Notification.objects.count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == [member.email, owner.email]
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_inactive_people_get_nothing(owner, mailoutbox, django_capture_on_commit_callbacks):
    owner.is_active = False
    owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert _tell([owner]) == []
    assert mailoutbox == []


def test_email_carries_one_click_unsubscribe_and_a_visible_link(
    owner, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _tell([owner])
    (message,) = mailoutbox
    token = NotificationSettings.objects.get(person=owner).unsubscribe_token
    link = f"{settings.SITE_URL}/notifications/unsubscribe/{token}"
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body
    assert f"{settings.SITE_URL}/questions/1/" in message.body
    assert "Try calling on day one." in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert link in html
    assert "http" not in html.replace(settings.SITE_URL, "")  # nothing loaded from elsewhere


def test_a_muted_kind_is_shown_in_the_app_but_not_emailed(
    owner, mailoutbox, django_capture_on_commit_callbacks
):
    settings_update(person=owner, email_enabled=True, muted_kinds=["answer"], digest_rhythm="daily")
    with django_capture_on_commit_callbacks(execute=True):
        _tell([owner], kind="answer")
        _tell([owner], kind="vote", title="A vote waits for you")
    assert [m.subject for m in mailoutbox] == ["A vote waits for you"]
    assert Notification.objects.filter(recipient=owner).count() == 2
    assert Notification.objects.get(kind="answer").emailed_at is None


def test_email_off_sends_nothing(owner, mailoutbox, django_capture_on_commit_callbacks):
    found = settings_for(owner)
    found.email_enabled = False
    found.save()
    with django_capture_on_commit_callbacks(execute=True):
        _tell([owner])
    assert mailoutbox == []
    assert Notification.objects.filter(recipient=owner, read_at__isnull=True).count() == 1


def test_nobody_is_told_about_a_target_they_may_not_see(
    owner, member, outsider, steward, group_idea, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = _tell([member, outsider, steward], kind="stage", target=group_idea)
    assert sorted(n.recipient.username for n in made) == ["mia", "stella"]
    assert outsider.email not in [m.to[0] for m in mailoutbox]
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_a_private_draft_target_reaches_only_its_author(owner, member, group):
    from learnloop.core.models import Visibility
    from tests.factories import IdeaFactory

    draft = IdeaFactory(author=owner, group=group, visibility=Visibility.DRAFT)
    made = _tell([owner, member], target=draft)
    assert [n.recipient for n in made] == [owner]


def test_target_behind_a_parent_item_is_checked_through_it(owner, outsider, group_idea):
    """A decision is seen through its idea: the outsider is not told about it."""
    from datetime import timedelta

    from django.utils import timezone

    from learnloop.consolidation.models import Decision

    decision = Decision.objects.create(
        kind="stage",
        idea=group_idea,
        to_stage="testing",
        title="Move it",
        rationale="Evidence",
        proposed_by=owner,
        closes_at=timezone.now() + timedelta(days=3),
    )
    made = _tell([owner, outsider], kind="decision", target=decision)
    assert [n.recipient for n in made] == [owner]


def test_unknown_kind_is_refused(owner):
    with pytest.raises(ValueError, match="kind"):
        _tell([owner], kind="gossip")


def test_long_texts_are_cut_and_titles_are_one_line(
    owner, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (n,) = _tell([owner], title="Line one\nline two " + "x" * 400, body="b" * 6000)
    assert "\n" not in n.title
    assert len(n.title) == 300
    assert len(n.body) == 5000
    assert "\n" not in mailoutbox[0].subject


def test_settings_rows_are_made_once_for_many_people(django_assert_max_num_queries):
    people = PersonFactory.create_batch(12)
    with django_assert_max_num_queries(12):
        _tell(people)
    assert NotificationSettings.objects.count() == 12


def test_telling_people_retires_cached_pages(owner, django_capture_on_commit_callbacks):
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        _tell([owner])
    assert content_version() > before
