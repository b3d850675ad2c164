"""The map's API: members only; the map, one group's part of it, the changes, the refresh."""

from __future__ import annotations

import pytest

from learnloop.network.models import NetworkSnapshot, SnapshotKind

pytestmark = pytest.mark.django_db

MAP = "/api/v1/network/map"
CHANGES = "/api/v1/network/changes"
REFRESH = "/api/v1/network/refresh"


def test_anonymous_gets_401_everywhere(anon_client, mapped):
    for response in (anon_client.get(MAP), anon_client.get(CHANGES), anon_client.post(REFRESH)):
        assert response.status_code == 401
        assert response.json()["detail"].startswith("Authentication required")


def test_before_the_first_refresh_the_map_is_empty(member_client):
    body = member_client.get(MAP).json()
    assert body["computed_at"] is None
    assert body["people"] == [] and body["ties"] == []
    assert member_client.get(CHANGES).json() == []


def test_member_reads_the_whole_map(member_client, mapped, bridge, group, other_group):
    response = member_client.get(MAP)
    assert response.status_code == 200
    body = response.json()
    assert body["window"]["key"] == "year"
    people = {p["username"]: p for p in body["people"]}
    assert set(people) == {"olu", "mia", "mo", "oscar", "bea", "stella"}
    bea = people["bea"]
    assert sorted(bea["groups"]) == sorted([group.slug, other_group.slug])
    assert bea["group_reach"] == 2
    assert bea["betweenness"] > 0 and bea["bridging"] > 0
    assert 0 <= bea["x"] <= 1 and 0 <= bea["y"] <= 1
    ties = {(t["a"], t["b"]): t for t in body["ties"]}
    tie = ties.get(("olu", "bea")) or ties[("bea", "olu")]
    assert tie["kinds"] == {"comment": 1, "group": 1}
    groups = {g["slug"]: g for g in body["groups"]}
    assert groups[group.slug]["members"] == 4
    assert body["totals"]["ties"] == len(body["ties"])


def test_one_groups_part_of_the_map(member_client, mapped, other_group):
    body = member_client.get(MAP, {"group": other_group.slug}).json()
    assert body["group"] == other_group.slug
    names = {p["username"] for p in body["people"]}
    assert {"oscar", "bea"} <= names
    assert "stella" not in names
    assert all("oscar" in (t["a"], t["b"]) or "bea" in (t["a"], t["b"]) for t in body["ties"])


def test_unknown_group_or_window_is_404(member_client, mapped):
    assert member_client.get(MAP, {"group": "nope"}).status_code == 404
    assert member_client.get(MAP, {"window": "2020-q9"}).status_code == 404


def test_changes_list_the_quarters_oldest_first(member_client, mapped):
    rows = member_client.get(CHANGES).json()
    assert len(rows) == NetworkSnapshot.objects.filter(kind=SnapshotKind.QUARTER).count() >= 1
    row = rows[-1]
    assert row["window"]["kind"] == "quarter" and row["window"]["complete"] is False
    assert row["people"] == 6
    assert 0 <= row["cross_group_share"] <= 1
    starts = [r["window"]["start"] for r in rows]
    assert starts == sorted(starts)


def test_a_script_reads_the_map_with_a_token(client, mapped, member, token_for):
    response = client.get(MAP, HTTP_AUTHORIZATION=f"Bearer {token_for(member)}")
    assert response.status_code == 200


def test_member_may_not_refresh(member_client, token_for, member, client):
    assert member_client.post(REFRESH).status_code == 403
    response = client.post(REFRESH, HTTP_AUTHORIZATION=f"Bearer {token_for(member)}")
    assert response.status_code == 403
    assert not NetworkSnapshot.objects.exists()


def test_steward_queues_a_refresh(client, steward, token_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REFRESH, HTTP_AUTHORIZATION=f"Bearer {token_for(steward)}")
    assert response.status_code == 202
    assert "background" in response.json()["detail"]
    assert NetworkSnapshot.objects.filter(kind=SnapshotKind.YEAR).exists()


def test_the_map_reads_a_fixed_number_of_queries(
    member_client, mapped, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        assert member_client.get(MAP).status_code == 200
