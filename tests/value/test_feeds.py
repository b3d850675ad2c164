"""iCalendar feeds: they parse, hold upcoming convenings only, and only what the token's
person may see; a wrong token is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from learnloop.core.models import Visibility
from learnloop.value.services import calendar_token_get
from tests.value.conftest import ConveningFactory

pytestmark = pytest.mark.django_db


def _summaries(response) -> list[str]:
    cal = Calendar.from_ical(response.content)
    return sorted(str(e["summary"]) for e in cal.walk("VEVENT"))


@pytest.fixture
def calendar(owner, group, other_group, outsider):
    now = timezone.now()
    ConveningFactory(author=owner, title="Public forum", visibility=Visibility.PUBLIC)
    ConveningFactory(author=owner, title="Network webinar", visibility=Visibility.NETWORK)
    ConveningFactory(author=owner, title="Circle huddle", group=group, visibility=Visibility.GROUP)
    ConveningFactory(
        author=owner, title="Circle open day", group=group, visibility=Visibility.PUBLIC
    )
    ConveningFactory(author=owner, title="My draft", group=group, visibility=Visibility.DRAFT)
    ConveningFactory(
        author=owner,
        title="Old huddle",
        group=group,
        visibility=Visibility.GROUP,
        starts_at=now - timedelta(days=2),
    )
    ConveningFactory(
        author=outsider, title="Reading team", group=other_group, visibility=Visibility.GROUP
    )
    gone = ConveningFactory(author=owner, title="Cancelled", visibility=Visibility.PUBLIC)
    gone.deleted_at = now
    gone.save()


def test_network_feed_without_token_is_public_and_upcoming_only(anon_client, calendar):
    response = anon_client.get(reverse("value:network_ics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert _summaries(response) == ["Circle open day", "Public forum"]


def test_network_feed_with_token_adds_network_convenings_never_group_ones(
    anon_client, calendar, member
):
    token = calendar_token_get(person=member).token
    response = anon_client.get(reverse("value:network_ics"), {"token": token})
    assert _summaries(response) == ["Circle open day", "Network webinar", "Public forum"]


def test_group_feed_for_a_member_by_token(anon_client, calendar, member, group):
    token = calendar_token_get(person=member).token
    response = anon_client.get(reverse("value:group_ics", args=[group.slug]), {"token": token})
    cal = Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    assert sorted(str(e["summary"]) for e in events) == ["Circle huddle", "Circle open day"]
    assert all(e.decoded("dtstart") > timezone.now() for e in events)
    assert all(str(e["url"]).startswith("http://testserver/value/convenings/") for e in events)
    assert str(cal["x-wr-calname"]) == "Attendance Circle convenings"


def test_group_feed_refuses_wrong_missing_or_outsider_token(anon_client, calendar, group, outsider):
    url = reverse("value:group_ics", args=[group.slug])
    assert anon_client.get(url).status_code == 404
    assert anon_client.get(url, {"token": "not-a-token"}).status_code == 404
    outsider_token = calendar_token_get(person=outsider).token
    assert anon_client.get(url, {"token": outsider_token}).status_code == 404


def test_network_feed_refuses_a_wrong_token(anon_client, calendar):
    assert anon_client.get(reverse("value:network_ics"), {"token": "wrong"}).status_code == 404


def test_deactivated_persons_token_stops_working(anon_client, calendar, member, group):
    token = calendar_token_get(person=member).token
    member.is_active = False
    member.save()
    url = reverse("value:group_ics", args=[group.slug])
    assert anon_client.get(url, {"token": token}).status_code == 404


def test_steward_token_reads_any_group_feed(anon_client, calendar, steward, other_group):
    token = calendar_token_get(person=steward).token
    response = anon_client.get(
        reverse("value:group_ics", args=[other_group.slug]), {"token": token}
    )
    assert _summaries(response) == ["Reading team"]
