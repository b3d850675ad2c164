"""Issue 5 journey: a member asks for a daily digest, a colleague shares a learning in
their group (and another group keeps its own work to itself), the digest goes out, and
the member follows its link to the learning and then unsubscribes with one click — from a
browser that is not even logged in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from learnloop.generation.services import learning_create
from learnloop.notifications.models import NotificationSettings
from learnloop.notifications.tasks import send_due_digests
from learnloop.people.services import person_create
from tests.e2e.conftest import log_in
from tests.factories import GroupFactory, MembershipFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Journey-passphrase-9"


def _path(url: str) -> str:
    assert url.startswith(settings.SITE_URL), url
    return url[len(settings.SITE_URL) :]


def test_member_gets_a_daily_digest_follows_it_and_unsubscribes(
    page, browser, live_server, mailoutbox
):
    circle = GroupFactory(name="Attendance Circle", slug="attendance-circle")
    others = GroupFactory(name="Reading Team", slug="reading-team")
    nia = person_create(
        username="nia", email="nia@example.org", password=PASSWORD, display_name="Nia Navarro"
    )
    ravi = person_create(
        username="ravi", email="ravi@example.org", password=PASSWORD, display_name="Ravi Rao"
    )
    olga = person_create(
        username="olga", email="olga@example.org", password=PASSWORD, display_name="Olga Ortiz"
    )
    MembershipFactory(person=nia, group=circle)
    MembershipFactory(person=ravi, group=circle)
    MembershipFactory(person=olga, group=others)
    for quiet in (ravi, olga):
        NotificationSettings.objects.create(person=quiet, digest_rhythm="never")

    # Nia asks for a daily digest on her settings page.
    log_in(page, "nia", PASSWORD)
    page.goto("/notifications/settings")
    page.get_by_label("Daily").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save settings").click()
    assert "Your notification settings are saved." in page.content()
    found = NotificationSettings.objects.get(person=nia)
    assert found.digest_rhythm == "daily"
    # Her last digest went out yesterday morning.
    found.last_digest_at = timezone.now() - timedelta(days=1, hours=1)
    found.save(update_fields=["last_digest_at"])

    # Activity: Ravi shares a learning with the circle; the Reading Team keeps one of its
    # own to itself.
    learning = learning_create(
        author=ravi,
        title="Families answer texts in their home language",
        body="Eleven of twelve families replied within a day.",
        group=circle,
        visibility="group",
    )
    learning_create(
        author=olga,
        title="Our reading team's private worry",
        group=others,
        visibility="group",
    )

    # The worker's periodic task sends what is due.
    assert send_due_digests.enqueue().return_value == 1
    (message,) = mailoutbox
    assert message.to == ["nia@example.org"]
    assert "1 new in your groups" in message.subject
    assert "Families answer texts in their home language" in message.body
    assert "Credit: Ravi Rao" in message.body
    assert "private worry" not in message.body
    assert "private worry" not in message.alternatives[0][0]

    # She follows the link in the email to the learning.
    link = re.search(r"(\S+/learnings/\d+/)", message.body)
    assert link is not None
    assert _path(link.group(1)) == learning.get_absolute_url()
    page.goto(_path(link.group(1)))
    assert page.get_by_role("heading", level=1).inner_text() == learning.title

    # One click unsubscribes, with no login: the link is the key.
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    stranger = browser.new_context(base_url=live_server.url).new_page()
    stranger.goto(_path(unsubscribe))
    with stranger.expect_navigation():
        stranger.get_by_role("button", name="Unsubscribe from all email").click()
    assert stranger.get_by_role("heading", level=1).inner_text() == "You are unsubscribed"
    assert stranger.get_by_role("link", name="Turn email back on").is_visible()
    stranger.context.close()
    assert NotificationSettings.objects.get(person=nia).email_enabled is False

    # Her settings page says so, and no digest goes out any more.
    page.goto("/notifications/settings")
    assert "Email is off" in page.content()
    learning_create(author=ravi, title="Another one", group=circle, visibility="group")
    mailoutbox.clear()
    assert send_due_digests.enqueue().return_value == 0
    assert mailoutbox == []
    assert page.csp_errors == []  # type: ignore[attr-defined]
