"""The network map in the demo network: computed at the end of the build, with the quiet
transition team as a silo and people who bridge groups."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client

from learnloop.demo import content as C
from learnloop.demo.builder import build_demo
from learnloop.network.models import NetworkSnapshot, SnapshotKind
from learnloop.people.models import Person

TODAY = date(2025, 6, 30)
QUIET = "eighth-to-ninth-transition-team"
BUSY_GROUPS = (C.ONTRACK, C.ATTENDANCE, C.FAMILY, C.STUDENT, C.MENTORING)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        summary = build_demo(progress=lambda _m: None, today=TODAY)
    yield summary
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_content_types():
    yield
    ContentType.objects.clear_cache()


def test_the_demo_has_a_map_of_its_year_and_its_quarters(demo):
    year = NetworkSnapshot.objects.get(kind=SnapshotKind.YEAR)
    assert (year.window_start, year.window_end) == (date(2024, 7, 1), date(2025, 7, 1))
    assert year.people_count == Person.objects.filter(is_active=True).count()
    assert year.tie_count > 100
    quarters = NetworkSnapshot.objects.filter(kind=SnapshotKind.QUARTER).order_by("window_start")
    assert [q.key for q in quarters] == ["2024-q3", "2024-q4", "2025-q1", "2025-q2"]
    assert [q.complete for q in quarters] == [True, True, True, False]


def test_the_quiet_team_is_a_silo_and_the_busy_groups_are_not(demo):
    year = NetworkSnapshot.objects.get(kind=SnapshotKind.YEAR)
    silos = {s["slug"] for s in year.silos}
    assert QUIET in silos
    assert not silos & set(BUSY_GROUPS)
    quiet = next(g for g in year.data["groups"] if g["slug"] == QUIET)
    assert quiet["external"] == 0


def test_some_people_bridge_groups_and_broker_in_practice(demo):
    people = NetworkSnapshot.objects.get(kind=SnapshotKind.YEAR).data["people"]
    bridges = [p for p in people if p["reach"] >= 3 and p["bridging"] >= 0.5]
    assert len(bridges) >= 5
    assert max(p["betweenness"] for p in people) > 0.1
    assert year_share_across_groups() > 0.2


def year_share_across_groups() -> float:
    return NetworkSnapshot.objects.get(kind=SnapshotKind.YEAR).cross_share


def test_a_demo_member_opens_the_map(demo):
    client = Client()
    client.force_login(Person.objects.get(username="tom.whitaker"))
    html = client.get("/network/").content.decode()
    silos = html.split('data-testid="silos"')[1].split("</table>")[0]
    assert "Eighth-to-Ninth Transition Team" in silos and "net-silo-badge" in silos
    assert html.count("<tr>") >= 4
