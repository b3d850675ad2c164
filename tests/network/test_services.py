"""Refreshing the map: what is computed, when it is skipped, and who may ask for it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from learnloop.core.models import AuditEvent
from learnloop.network import tasks
from learnloop.network.models import NetworkSnapshot, SnapshotKind
from learnloop.network.services import (
    network_refresh,
    quarter_windows,
    refresh_request,
    year_window,
)
from learnloop.people.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TODAY = date(2025, 5, 14)
JOINED = datetime(2023, 1, 9, 12, tzinfo=UTC)


def quarters():
    return list(
        NetworkSnapshot.objects.filter(kind=SnapshotKind.QUARTER)
        .order_by("window_start")
        .values_list("window_start", "complete")
    )


def test_windows_are_the_last_twelve_months_and_calendar_quarters():
    year = year_window(TODAY)
    assert (year.start, year.end) == (date(2024, 5, 15), date(2025, 5, 15))
    assert [(w.start, w.end) for w in quarter_windows(TODAY, count=2)] == [
        (date(2025, 4, 1), date(2025, 7, 1)),
        (date(2025, 1, 1), date(2025, 4, 1)),
        (date(2024, 10, 1), date(2025, 1, 1)),
    ]


@pytest.fixture
def early_network(db):
    """People who joined well before the quarters being computed."""
    return [PersonFactory(date_joined=JOINED) for _ in range(2)]


def test_a_refresh_computes_the_year_and_the_quarters(early_network):
    result = network_refresh(force=True, today=TODAY)
    assert not result.skipped
    year = NetworkSnapshot.objects.get(kind=SnapshotKind.YEAR)
    assert (year.window_start, year.window_end) == (date(2024, 5, 15), date(2025, 5, 15))
    assert year.people_count == 2
    assert year.data["format"] == 1
    assert quarters() == [
        (date(2024, 4, 1), True),
        (date(2024, 7, 1), True),
        (date(2024, 10, 1), True),
        (date(2025, 1, 1), True),
        (date(2025, 4, 1), False),  # under way
    ]
    event = AuditEvent.objects.get(verb="refreshed the network map")
    assert event.actor is None
    assert event.data["quarters"] == 5


def test_finished_quarters_are_kept_and_the_current_one_recomputed(early_network):
    network_refresh(force=True, today=TODAY)
    before = dict(
        NetworkSnapshot.objects.filter(kind=SnapshotKind.QUARTER).values_list("window_start", "pk")
    )
    PersonFactory(date_joined=JOINED)
    result = network_refresh(force=True, today=TODAY)
    assert [s.kind for s in result.computed] == [SnapshotKind.YEAR, SnapshotKind.QUARTER]
    after = dict(
        NetworkSnapshot.objects.filter(kind=SnapshotKind.QUARTER).values_list("window_start", "pk")
    )
    assert {k: v for k, v in after.items() if k != date(2025, 4, 1)} == {
        k: v for k, v in before.items() if k != date(2025, 4, 1)
    }
    assert after[date(2025, 4, 1)] != before[date(2025, 4, 1)]
    # The map keeps only its newest year.
    assert NetworkSnapshot.objects.filter(kind=SnapshotKind.YEAR).count() == 1
    assert NetworkSnapshot.objects.get(kind=SnapshotKind.YEAR).people_count == 3


def test_quarters_keep_people_where_the_year_put_them(early_network):
    newcomer = PersonFactory()  # in this quarter's map, not in the year's
    network_refresh(force=True)
    year = NetworkSnapshot.objects.get(kind=SnapshotKind.YEAR)
    quarter = NetworkSnapshot.objects.filter(kind=SnapshotKind.QUARTER).latest("window_start")
    places = {p["id"]: (p["x"], p["y"]) for p in year.data["people"]}
    for person in quarter.data["people"]:
        assert (person["x"], person["y"]) == places[person["id"]]
    assert newcomer.pk in places


def test_a_new_quarter_is_computed_when_the_previous_one_ends(early_network):
    network_refresh(force=True, today=TODAY)
    network_refresh(force=True, today=date(2025, 7, 2))
    assert quarters()[-2:] == [(date(2025, 4, 1), True), (date(2025, 7, 1), False)]


def test_quarters_from_before_anyone_joined_are_not_computed(db):
    PersonFactory()  # joined today
    network_refresh(force=True)
    assert len(quarters()) == 1


def test_a_fresh_map_is_not_recomputed_unless_forced(early_network):
    network_refresh(force=True, today=TODAY)
    assert network_refresh(today=TODAY).skipped
    NetworkSnapshot.objects.filter(kind=SnapshotKind.YEAR).update(
        computed_at=timezone.now() - timedelta(hours=21)
    )
    assert not network_refresh(today=TODAY).skipped


def test_the_periodic_task_runs_at_most_daily(early_network):
    assert tasks.network_refresh.enqueue().return_value == 6
    assert tasks.network_refresh.enqueue().return_value == 0
    assert tasks.network_refresh.enqueue(force=True).return_value == 2


def test_only_stewards_may_ask_for_a_refresh(member, moderator):
    for person in (member, moderator):
        with pytest.raises(PermissionDenied):
            refresh_request(viewer=person)
    assert not NetworkSnapshot.objects.exists()


def test_a_stewards_request_recomputes_the_map_after_commit(
    steward, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        refresh_request(viewer=steward)
    assert NetworkSnapshot.objects.filter(kind=SnapshotKind.YEAR).exists()
    assert AuditEvent.objects.filter(actor=steward, verb="asked for a fresh network map").exists()


def test_deactivated_people_drop_out_of_the_next_map(early_network):
    gone = early_network[0]
    Person.objects.filter(pk=gone.pk).update(is_active=False)
    network_refresh(force=True)
    year = NetworkSnapshot.objects.get(kind=SnapshotKind.YEAR)
    assert [p["id"] for p in year.data["people"]] == [early_network[1].pk]
