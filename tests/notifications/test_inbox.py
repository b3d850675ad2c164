"""The inbox page: one's own notifications only, unread first, rows whose target the viewer
can no longer see hidden; marking read one by one or all at once; the header count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from learnloop.core.access import forget_memberships
from learnloop.core.models import Visibility
from learnloop.notifications.context_processors import unread
from learnloop.notifications.models import Notification
from learnloop.notifications.selectors import inbox, unread_count
from learnloop.people.models import Membership
from tests.core.a11y import problems
from tests.factories import LearningFactory
from tests.notifications.factories_notifications import NotificationFactory, about

pytestmark = pytest.mark.django_db
INBOX = reverse("notifications:inbox")


def test_visitors_are_sent_to_log_in(anon_client):
    response = anon_client.get(INBOX)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_shows_only_my_own_unread_first(member_client, member, owner):
    now = timezone.now()
    old_unread = NotificationFactory(
        recipient=member, title="Old but unread", created_at=now - timedelta(days=9)
    )
    NotificationFactory(recipient=member, title="New and read", created_at=now, read_at=now)
    NotificationFactory(recipient=owner, title="Someone else's")
    rows = list(inbox(viewer=member))
    assert [n.title for n in rows] == ["Old but unread", "New and read"]
    html = member_client.get(INBOX).content.decode()
    assert "Someone else&#x27;s" not in html and "Someone else's" not in html
    assert html.index("Old but unread") < html.index("New and read")
    assert reverse("notifications:open", args=[old_unread.pk]) in html
    assert problems(html) == []


def test_rows_about_what_i_can_no_longer_see_are_hidden_and_not_counted(
    member_client, member, group, group_idea, network_idea
):
    about(group_idea, recipient=member, title="About the group idea")
    about(network_idea, recipient=member, title="About the network idea")
    deleted = LearningFactory(author=member, visibility=Visibility.NETWORK)
    about(deleted, recipient=member, title="About a deleted learning")
    deleted.deleted_at = timezone.now()
    deleted.save()
    assert unread_count(viewer=member) == 2

    Membership.objects.filter(person=member, group=group).delete()
    forget_memberships(member)
    html = member_client.get(INBOX).content.decode()
    assert "About the group idea" not in html
    assert "About a deleted learning" not in html
    assert "About the network idea" in html
    assert unread_count(viewer=member) == 1


def test_mark_one_read_and_htmx_gets_the_row_back(member_client, member):
    n = NotificationFactory(recipient=member, title="Read me")
    response = member_client.post(
        reverse("notifications:read", args=[n.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'id="notification-' in response.content.decode()
    assert "Mark read" not in response.content.decode()
    n.refresh_from_db()
    assert n.read_at is not None


def test_no_one_marks_someone_elses_notification(outsider_client, member):
    n = NotificationFactory(recipient=member)
    assert outsider_client.post(reverse("notifications:read", args=[n.pk])).status_code == 404
    assert outsider_client.get(reverse("notifications:open", args=[n.pk])).status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_marking_needs_a_post(member_client, member):
    n = NotificationFactory(recipient=member)
    assert member_client.get(reverse("notifications:read", args=[n.pk])).status_code == 405
    assert member_client.get(reverse("notifications:read_all")).status_code == 405


def test_mark_all_read(member_client, member, owner):
    NotificationFactory.create_batch(3, recipient=member)
    theirs = NotificationFactory(recipient=owner)
    response = member_client.post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_marks_read_and_follows_the_link(member_client, member, network_idea):
    n = about(network_idea, recipient=member)
    response = member_client.get(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302
    assert response["Location"] == network_idea.get_absolute_url()
    n.refresh_from_db()
    assert n.read_at is not None


def test_opening_never_sends_people_off_site(member_client, member):
    n = NotificationFactory(recipient=member, url="https://evil.example/phish")
    response = member_client.get(reverse("notifications:open", args=[n.pk]))
    assert response["Location"] == INBOX


def test_opening_a_row_about_a_hidden_target_is_404(member_client, member, group, group_idea):
    n = about(group_idea, recipient=member)
    Membership.objects.filter(person=member, group=group).delete()
    assert member_client.get(reverse("notifications:open", args=[n.pk])).status_code == 404


def test_unread_filter(member_client, member):
    NotificationFactory(recipient=member, title="Still new")
    NotificationFactory(recipient=member, title="Seen it", read_at=timezone.now())
    html = member_client.get(INBOX + "?show=unread").content.decode()
    assert "Still new" in html
    assert "Seen it" not in html


def test_inbox_query_count_does_not_grow(
    member_client, member, network_idea, django_assert_max_num_queries
):
    for _ in range(20):
        about(network_idea, recipient=member, actor=network_idea.author)
    NotificationFactory.create_batch(10, recipient=member)
    with django_assert_max_num_queries(14):
        response = member_client.get(INBOX)
    assert response.content.decode().count('class="notification') == 25


def test_header_count_is_lazy_and_right(member, owner, rf: RequestFactory):
    NotificationFactory.create_batch(2, recipient=member)
    NotificationFactory(recipient=owner)
    request = rf.get("/")
    request.user = member
    context = unread(request)
    html = Template("{% include 'notifications/_header_link.html' %}").render(
        Context({**context, "is_member": True})
    )
    assert "Notifications" in html
    assert 'stage-emerging">2<span class="sr-only"> unread</span>' in html
    assert unread_count(viewer=member) == 2


def test_header_count_for_visitors_is_zero(rf: RequestFactory):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    assert unread(request) == {"unread_notifications": 0}
