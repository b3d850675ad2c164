"""The health API: flows, gaps, thresholds, CSV."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learnloop.core.models import Visibility
from learnloop.health.models import HealthSettings
from tests.factories import GroupFactory, IdeaFactory, LearningFactory, ProductFactory
from tests.health.conftest import ago

pytestmark = pytest.mark.django_db

API = "/api/v1"


def auth(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_anonymous_gets_401_everywhere(client):
    for path in ("/health", "/health.csv", "/health/gaps", "/health/gaps.csv", "/health/settings"):
        assert client.get(API + path).status_code == 401
    response = client.patch(
        API + "/health/settings", {"quiet_days": 3}, content_type="application/json"
    )
    assert response.status_code == 401


def test_flows_per_phase_and_month(client, owner, token_for, group):
    LearningFactory(author=owner, group=group)
    LearningFactory(author=owner)
    response = client.get(API + "/health", {"group": group.slug}, **auth(token_for(owner)))
    data = response.json()
    assert response.status_code == 200
    assert data["group"] == group.slug
    assert len(data["months"]) == 12
    assert [p["key"] for p in data["phases"]] == [
        "generation",
        "consolidation",
        "capture",
        "sharing",
        "application",
    ]
    generation = data["phases"][0]
    assert generation["entered"][-1] == 1
    assert generation["sources"][0] == {
        "key": "learnings",
        "label": "Learnings posted",
        "counts": [0] * 11 + [1],
    }


def test_flows_by_group_id_too_and_404_for_unknown(client, owner, token_for, group):
    headers = auth(token_for(owner))
    assert client.get(API + "/health", {"group": str(group.pk)}, **headers).status_code == 200
    response = client.get(API + "/health", {"group": "nope"}, **headers)
    assert response.status_code == 404
    assert response.json()["detail"] == "Not found."


def test_flows_respect_visibility(client, owner, token_for, other_group):
    LearningFactory(group=other_group, visibility=Visibility.GROUP)
    data = client.get(API + "/health", **auth(token_for(owner))).json()
    assert data["phases"][0]["entered"][-1] == 0


def test_gaps_with_kind_item_and_link(client, steward, token_for):
    idea = IdeaFactory(title="Walking buses", stage="knowledge", stage_changed_at=ago(30))
    response = client.get(API + "/health/gaps", {"kind": "uncaptured"}, **auth(token_for(steward)))
    assert response.status_code == 200
    assert response.json() == [
        {
            "kind": "uncaptured",
            "kind_label": "Knowledge never captured in a product",
            "item": {
                "type": "idea",
                "id": str(idea.pk),
                "title": "Walking buses",
                "url": idea.get_absolute_url(),
            },
            "link": f"/products/new?idea={idea.pk}",
            "link_label": "Package it in a product",
            "detail": "Knowledge for 30 days, and no product draws on it yet.",
            "since": ago(30).date().isoformat(),
            "group_id": None,
            "can_act": True,
        }
    ]


def test_gaps_unknown_kind_is_422(client, steward, token_for):
    response = client.get(API + "/health/gaps", {"kind": "bogus"}, **auth(token_for(steward)))
    assert response.status_code == 422


def test_gaps_csv(client, steward, token_for):
    ProductFactory(title="Lonely guide", published_at=ago(30))
    response = client.get(API + "/health/gaps.csv", **auth(token_for(steward)))
    body = response.content.decode("utf-8")
    assert response.status_code == 200
    assert body.startswith("\ufeff")
    assert "Lonely guide" in body


def test_flows_csv(client, owner, token_for):
    response = client.get(API + "/health.csv", **auth(token_for(owner)))
    assert response.status_code == 200
    assert response.content.decode("utf-8").startswith("\ufeffphase,")


def test_settings_are_for_stewards(client, member, moderator, steward, token_for):
    assert client.get(API + "/health/settings", **auth(token_for(member))).status_code == 403
    response = client.patch(
        API + "/health/settings",
        {"quiet_days": 5},
        content_type="application/json",
        **auth(token_for(moderator)),
    )
    assert response.status_code == 403
    assert HealthSettings.objects.count() == 0
    data = client.get(API + "/health/settings", **auth(token_for(steward))).json()
    assert data["stuck_knowledge_days"] == 180


def test_steward_patches_thresholds_and_gaps_follow(client, steward, token_for):
    IdeaFactory(stage="promising", stage_changed_at=ago(50))
    headers = auth(token_for(steward))
    assert client.get(API + "/health/gaps", {"kind": "stuck_idea"}, **headers).json() == []
    response = client.patch(
        API + "/health/settings",
        {"stuck_promising_days": 40},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    assert response.json()["stuck_promising_days"] == 40
    assert response.json()["quiet_days"] == 30
    assert len(client.get(API + "/health/gaps", {"kind": "stuck_idea"}, **headers).json()) == 1


def test_bad_patch_is_422_with_field(client, steward, token_for):
    response = client.patch(
        API + "/health/settings",
        {"grace_days": 0},
        content_type="application/json",
        **auth(token_for(steward)),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "grace_days"
    response = client.patch(
        API + "/health/settings",
        {"grace_days": None},
        content_type="application/json",
        **auth(token_for(steward)),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "grace_days"


def _queries(client, path, headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(API + path, **headers).status_code == 200
    return len(ctx.captured_queries)


def test_api_queries_do_not_grow(client, steward, token_for):
    headers = auth(token_for(steward))
    IdeaFactory(stage="knowledge", stage_changed_at=ago(30))
    _queries(client, "/health", headers)  # the token's first use is recorded once
    few = {p: _queries(client, p, headers) for p in ("/health", "/health/gaps")}
    for _i in range(6):
        group = GroupFactory(created_at=ago(300))
        LearningFactory(group=group)
        IdeaFactory(group=group, stage="knowledge", stage_changed_at=ago(30))
        ProductFactory(group=group, published_at=ago(30))
    assert {p: _queries(client, p, headers) for p in few} == few
