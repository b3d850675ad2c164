"""The demo network built as of today (the health page and calendar feeds read the clock):
every kind of gap the health page lists is there, and the calendar has what is coming up."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learnloop.demo.builder import DEMO_ROLES, build_demo
from learnloop.demo.impact_content import QUIET_GROUP
from learnloop.health.models import GapKind
from learnloop.health.selectors import cycle_gaps
from learnloop.measures.models import Measure
from learnloop.people.models import Group, Person
from tests.demo.conftest import quiet

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        summary = build_demo(progress=quiet, today=timezone.localdate())
    yield summary
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()


def _found(steward, group=None) -> dict[str, list[str]]:
    return {
        section.kind: [gap.title for gap in section.gaps]
        for section in cycle_gaps(viewer=steward, group=group)
    }


def test_every_kind_of_gap_is_on_the_demo(demo):
    steward = Person.objects.get(username=DEMO_ROLES["steward"])
    network = _found(steward)
    per_group = [_found(steward, g) for g in Group.objects.order_by("pk")]
    kinds = {kind for found in [network, *per_group] for kind, titles in found.items() if titles}
    assert kinds == set(GapKind.values)
    # What each gap is, so a steward has something real to act on.
    assert network[GapKind.NO_LEARNINGS] == [QUIET_GROUP["name"]]
    assert network[GapKind.NO_REFLECTION] == [QUIET_GROUP["name"]]
    assert (
        "Home visits in August build trust before anything goes wrong"
        in (network[GapKind.STUCK_IDEA])
    )
    assert len(network[GapKind.STUCK_IDEA]) >= 2
    assert any("early-warning list together" in t for t in network[GapKind.UNCAPTURED])
    assert "Evening attendance texts: how we write and time them" in network[GapKind.UNSHARED]
    assert network[GapKind.UNADOPTED]
    assert network[GapKind.OVERDUE_REVIEW]
    quiet_team = Group.objects.get(slug=QUIET_GROUP["slug"])
    assert len(_found(steward, quiet_team)[GapKind.QUIET_PHASE]) >= 3


def test_the_calendar_feeds_have_what_is_coming_up(demo):
    feed = Client().get(reverse("value:network_ics"))
    assert feed.status_code == 200
    body = feed.content.decode()
    assert body.count("BEGIN:VEVENT") >= 1
    assert "Network gathering: our first year" in body


def test_a_steward_reads_the_dashboards_of_the_demo(demo):
    client = Client()
    client.force_login(Person.objects.get(username=DEMO_ROLES["steward"]))
    paths = [reverse("measures:detail", args=[m.slug]) for m in Measure.objects.all()]
    paths += [reverse("value:matrix"), reverse("health:health"), reverse("value:convenings")]
    for path in paths:
        assert client.get(path).status_code == 200, path
