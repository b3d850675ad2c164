"""The routines API: sessions, schedules, and finishing each routine from a script."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from learnloop.consolidation.models import (
    Decision,
    Evidence,
    Idea,
    Routine,
    RoutineSchedule,
    Stage,
)
from learnloop.consolidation.routines import synthesis_complete
from tests.factories import IdeaFactory, LearningFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def as_owner(owner, token_for):
    return bearer(token_for(owner))


@pytest.fixture
def as_member(member, token_for):
    return bearer(token_for(member))


@pytest.fixture
def as_outsider(outsider, token_for):
    return bearer(token_for(outsider))


@pytest.fixture
def as_moderator(moderator, token_for):
    return bearer(token_for(moderator))


@pytest.fixture
def group_synthesis(member, group, learning_here):
    return synthesis_complete(
        person=member,
        group=group,
        learnings=[learning_here],
        answers={"patterns": "Calls build trust."},
        strength="weak",
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/routines"),
        ("get", "/routines/1"),
        ("get", "/routines/due"),
        ("get", "/routine-schedules"),
        ("post", "/routine-schedules"),
        ("post", "/routines/summary"),
        ("post", "/routines/synthesis"),
        ("post", "/routines/reduction"),
    ],
)
def test_anonymous_gets_401(client, method, path):
    response = getattr(client, method)(f"{API}{path}", content_type="application/json")
    assert response.status_code == 401


def test_outsider_gets_404_on_a_group_synthesis(client, group_synthesis, as_outsider, as_owner):
    url = f"{API}/routines/{group_synthesis.pk}"
    assert client.get(url, headers=as_outsider).status_code == 404
    body = client.get(url, headers=as_owner).json()
    assert body["answers"]["patterns"] == "Calls build trust."
    assert body["kind"] == "synthesis"


def test_list_filters_and_hides_other_groups(client, group_synthesis, as_outsider, as_owner):
    assert client.get(f"{API}/routines", headers=as_outsider).json()["count"] == 0
    assert client.get(f"{API}/routines?kind=synthesis", headers=as_owner).json()["count"] == 1
    assert client.get(f"{API}/routines?kind=summary", headers=as_owner).json()["count"] == 0


def test_list_query_count(
    client, member, group, learning_here, as_member, django_assert_max_num_queries
):
    for n in range(15):
        synthesis_complete(
            person=member,
            group=group,
            learnings=[learning_here],
            answers={"patterns": f"P{n}"},
            strength="weak",
        )
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}/routines", headers=as_member)
    assert response.json()["count"] == 15


def test_summary_proposes_an_idea(client, owner, group, as_owner):
    learning = LearningFactory(author=owner, group=group)
    response = client.post(
        f"{API}/routines/summary",
        {
            "learning_ids": [learning.pk],
            "evidence": "Up 8 points.",
            "output": "new",
            "idea_title": "Call families",
            "idea_summary": "Calls build trust.",
        },
        content_type="application/json",
        headers=as_owner,
    )
    assert response.status_code == 201, response.content
    idea = Idea.objects.get(title="Call families")
    assert response.json()["idea_ids"] == [idea.pk]
    assert Evidence.objects.get(idea=idea).routine_id == response.json()["id"]


def test_summary_with_a_hidden_learning_is_404(client, member, group, as_outsider):
    hidden = LearningFactory(author=member, group=group, visibility="group")
    response = client.post(
        f"{API}/routines/summary",
        {"learning_ids": [hidden.pk], "understanding": "x"},
        content_type="application/json",
        headers=as_outsider,
    )
    assert response.status_code == 404


def test_summary_errors_name_the_field(client, owner, as_owner):
    learning = LearningFactory(author=owner)
    response = client.post(
        f"{API}/routines/summary",
        {"learning_ids": [learning.pk], "output": "new"},
        content_type="application/json",
        headers=as_owner,
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"idea_title", "idea_summary"}


def test_synthesis_by_an_outsider_is_403(client, group, learning_here, as_outsider):
    response = client.post(
        f"{API}/routines/synthesis",
        {
            "group_id": group.pk,
            "learning_ids": [learning_here.pk],
            "patterns": "x",
            "strength": "weak",
        },
        content_type="application/json",
        headers=as_outsider,
    )
    assert response.status_code == 403


def test_synthesis_links_evidence(client, group, learning_here, network_idea, as_member):
    response = client.post(
        f"{API}/routines/synthesis",
        {
            "group_id": group.pk,
            "learning_ids": [learning_here.pk],
            "patterns": "Calls build trust.",
            "strength": "moderate",
            "output": "existing",
            "idea_ids": [network_idea.pk],
        },
        content_type="application/json",
        headers=as_member,
    )
    assert response.status_code == 201, response.content
    assert Evidence.objects.get(idea=network_idea).routine_id == response.json()["id"]


def test_reduction_by_a_member_is_403(client, owner, group, as_member):
    idea = IdeaFactory(author=owner, group=group, stage=Stage.PROMISING)
    response = client.post(
        f"{API}/routines/reduction",
        {"items": [{"idea_id": idea.pk, "outcome": "refine", "note": "More."}]},
        content_type="application/json",
        headers=as_member,
    )
    assert response.status_code == 403


def test_reduction_opens_a_decision_and_requires_a_why(client, owner, group, as_moderator):
    idea = IdeaFactory(author=owner, group=group, stage=Stage.PROMISING)
    missing = client.post(
        f"{API}/routines/reduction",
        {"items": [{"idea_id": idea.pk, "outcome": "return"}]},
        content_type="application/json",
        headers=as_moderator,
    )
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == f"note_{idea.pk}"
    response = client.post(
        f"{API}/routines/reduction",
        {"items": [{"idea_id": idea.pk, "outcome": "elevate"}]},
        content_type="application/json",
        headers=as_moderator,
    )
    assert response.status_code == 201, response.content
    item = response.json()["items"][0]
    assert item["decision_status"] == "open"
    assert Decision.objects.get(pk=item["decision_id"]).to_stage == "knowledge"


def test_schedules_set_list_patch_and_due(client, owner, member, as_owner, as_member):
    made = client.post(
        f"{API}/routine-schedules",
        {"kind": "summary", "cadence": "weekly", "next_due_on": str(timezone.localdate())},
        content_type="application/json",
        headers=as_owner,
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert [s["id"] for s in client.get(f"{API}/routines/due", headers=as_owner).json()] == [pk]
    assert client.get(f"{API}/routines/due", headers=as_member).json() == []
    assert client.get(f"{API}/routine-schedules", headers=as_member).json() == []
    assert (
        client.patch(
            f"{API}/routine-schedules/{pk}",
            {"active": False},
            content_type="application/json",
            headers=as_member,
        ).status_code
        == 404
    )
    later = str(timezone.localdate() + timedelta(days=5))
    patched = client.patch(
        f"{API}/routine-schedules/{pk}",
        {"cadence": "monthly", "next_due_on": later},
        content_type="application/json",
        headers=as_owner,
    )
    assert patched.json()["cadence"] == "monthly"
    assert patched.json()["due"] is False


def test_member_setting_a_groups_cadence_is_403(client, group, as_member, as_moderator):
    body = {"kind": "synthesis", "cadence": "monthly", "group_id": group.pk}
    denied = client.post(
        f"{API}/routine-schedules", body, content_type="application/json", headers=as_member
    )
    assert denied.status_code == 403
    made = client.post(
        f"{API}/routine-schedules", body, content_type="application/json", headers=as_moderator
    )
    assert made.status_code == 201
    schedule = RoutineSchedule.objects.get()
    assert (
        client.patch(
            f"{API}/routine-schedules/{schedule.pk}",
            {"active": False},
            content_type="application/json",
            headers=as_member,
        ).status_code
        == 403
    )
    assert Routine.objects.count() == 0
