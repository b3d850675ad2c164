"""The adoption API: the same rules as the pages, as JSON."""

from __future__ import annotations

import datetime

import pytest

from learnloop.application.models import AdoptionPlan, Outcome, StakeholderStep
from learnloop.consolidation.models import Evidence
from learnloop.core.models import Visibility
from learnloop.generation.models import Learning
from tests.factories import PlanFactory, ProductFactory, ShareFactory, StepFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"
YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def as_owner(client, owner, token_for):
    headers = bearer(token_for(owner))

    def call(method: str, path: str, data=None):
        return getattr(client, method)(
            f"{API}{path}", data, content_type="application/json", headers=headers
        )

    return call


@pytest.fixture
def as_member(client, member, token_for):
    headers = bearer(token_for(member))

    def call(method: str, path: str, data=None):
        return getattr(client, method)(
            f"{API}{path}", data, content_type="application/json", headers=headers
        )

    return call


@pytest.fixture
def as_outsider(client, outsider, token_for):
    headers = bearer(token_for(outsider))

    def call(method: str, path: str, data=None):
        return getattr(client, method)(
            f"{API}{path}", data, content_type="application/json", headers=headers
        )

    return call


def test_create_plan(as_owner, group, product):
    share = ShareFactory(product=product)
    response = as_owner(
        "post",
        "/plans",
        {
            "product_id": product.pk,
            "share_id": share.pk,
            "title": "Calls at North",
            "goal": "Every family",
            "group_id": group.pk,
            "visibility": "group",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["product"] == {"id": product.pk, "title": "Day-one family calls"}
    assert body["share_id"] == share.pk
    assert body["group"]["slug"] == "attendance-circle"
    assert body["steps"] == []
    assert AdoptionPlan.objects.get().author.username == "olu"


def test_create_plan_for_invisible_product_is_404(as_outsider, owner, group):
    hidden = ProductFactory(author=owner, group=group, visibility=Visibility.GROUP)
    response = as_outsider("post", "/plans", {"product_id": hidden.pk, "title": "x"})
    assert response.status_code == 404
    assert AdoptionPlan.objects.count() == 0


def test_create_plan_bad_share_is_a_field_error(as_owner, owner, product):
    other = ShareFactory(product=ProductFactory(author=owner))
    response = as_owner(
        "post", "/plans", {"product_id": product.pk, "share_id": other.pk, "title": "x"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "share_id"


def test_create_plan_needs_auth(client, product):
    response = client.post(
        f"{API}/plans", {"product_id": product.pk, "title": "x"}, content_type="application/json"
    )
    assert response.status_code == 401


def test_anonymous_lists_public_plans_only(client, owner):
    public = ProductFactory(author=owner, visibility=Visibility.PUBLIC)
    PlanFactory(author=owner, product=public, visibility=Visibility.PUBLIC, title="Open")
    PlanFactory(author=owner, product=public, title="Members only")
    body = client.get(f"{API}/plans").json()
    assert [p["title"] for p in body["items"]] == ["Open"]


def test_list_plans_with_filters(as_owner, owner, product, network_plan):
    other = PlanFactory(author=owner, product=ProductFactory(author=owner), title="Other")
    StepFactory(plan=network_plan, state="trying", next_review_on=YESTERDAY)
    StepFactory(plan=other, state="aware")
    by_product = as_owner("get", f"/plans?product={product.pk}").json()
    assert [p["title"] for p in by_product["items"]] == ["Network-wide calls"]
    assert by_product["items"][0]["state_counts"]["trying"] == 1
    assert by_product["items"][0]["overdue_count"] == 1
    by_state = as_owner("get", "/plans?state=aware").json()
    assert [p["title"] for p in by_state["items"]] == ["Other"]


def test_list_plans_query_count(as_owner, owner, product, django_assert_max_num_queries):
    for plan in PlanFactory.create_batch(20, author=owner, product=product):
        StepFactory.create_batch(2, plan=plan)
    with django_assert_max_num_queries(8):
        response = as_owner("get", "/plans")
    assert response.json()["count"] == 20


def test_group_plan_hidden_from_outsider_and_anonymous(client, as_outsider, group_plan):
    assert as_outsider("get", f"/plans/{group_plan.pk}").status_code == 404
    assert as_outsider("get", f"/plans/{group_plan.pk}/outcomes").status_code == 404
    assert client.get(f"{API}/plans/{group_plan.pk}").status_code == 404
    assert as_outsider("get", "/plans").json()["count"] == 0


def test_plan_detail_with_steps_and_outcomes(
    as_member, owner, group_plan, django_assert_max_num_queries
):
    from learnloop.application.services import outcome_record, step_update_state

    step = StepFactory(plan=group_plan, label="Counsellors")
    step_update_state(viewer=owner, step=step, state="aware", note="Met them")
    outcome_record(viewer=owner, plan=group_plan, title="Rose", description="y", step=step)
    with django_assert_max_num_queries(12):
        body = as_member("get", f"/plans/{group_plan.pk}").json()
    assert body["steps"][0]["stakeholder"] == "Counsellors"
    assert body["steps"][0]["updates"][0]["note"] == "Met them"
    assert body["state_counts"]["aware"] == 1
    assert body["outcomes"][0]["title"] == "Rose"
    assert body["outcomes"][0]["learning_id"] == Learning.objects.get().pk


def test_patch_and_delete_plan(as_owner, as_member, group_plan):
    assert as_member("patch", f"/plans/{group_plan.pk}", {"title": "Hijack"}).status_code == 403
    response = as_owner("patch", f"/plans/{group_plan.pk}", {"title": "Renamed"})
    assert response.status_code == 200
    assert response.json()["title"] == "Renamed"
    assert as_member("delete", f"/plans/{group_plan.pk}").status_code == 403
    assert as_owner("delete", f"/plans/{group_plan.pk}").status_code == 204
    assert as_owner("get", f"/plans/{group_plan.pk}").status_code == 404


def test_add_step(as_owner, group_plan, member):
    response = as_owner(
        "post",
        f"/plans/{group_plan.pk}/steps",
        {"person_id": member.pk, "action": "Try the script", "state": "aware"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stakeholder"] == "Mia Member"
    assert body["stakeholder_kind"] == "person"
    assert len(body["updates"]) == 1


def test_add_step_needs_exactly_one_stakeholder(as_owner, group_plan, member):
    none_given = as_owner("post", f"/plans/{group_plan.pk}/steps", {"action": "x"})
    assert none_given.status_code == 422
    assert none_given.json()["errors"][0]["field"] == "stakeholder"
    two_given = as_owner(
        "post",
        f"/plans/{group_plan.pk}/steps",
        {"action": "x", "person_id": member.pk, "label": "Also them"},
    )
    assert two_given.status_code == 422
    unknown = as_owner("post", f"/plans/{group_plan.pk}/steps", {"action": "x", "person_id": 999})
    assert unknown.json()["errors"][0]["field"] == "person_id"
    assert StakeholderStep.objects.count() == 0


def test_member_403_on_steps_and_outcomes_of_someone_elses_plan(as_member, group_plan):
    step = StepFactory(plan=group_plan)
    assert (
        as_member("post", f"/plans/{group_plan.pk}/steps", {"label": "x", "action": "y"})
    ).status_code == 403
    assert as_member("patch", f"/steps/{step.pk}", {"label": "x"}).status_code == 403
    assert (
        as_member("post", f"/steps/{step.pk}/state", {"state": "aware", "note": "x"}).status_code
        == 403
    )
    assert (
        as_member(
            "post", f"/plans/{group_plan.pk}/outcomes", {"title": "x", "description": "y"}
        ).status_code
        == 403
    )
    assert Outcome.objects.count() == 0


def test_outsider_404_on_steps(as_outsider, group_plan):
    step = StepFactory(plan=group_plan)
    assert as_outsider("patch", f"/steps/{step.pk}", {"label": "x"}).status_code == 404
    assert as_outsider("post", f"/steps/{step.pk}/state", {"state": "aware"}).status_code == 404
    assert as_outsider("post", f"/plans/{group_plan.pk}/steps", {"action": "y"}).status_code == 404


def test_patch_step_and_change_state(as_owner, group_plan):
    step = StepFactory(plan=group_plan)
    patched = as_owner("patch", f"/steps/{step.pk}", {"barriers": "Time", "next_review_on": None})
    assert patched.status_code == 200
    assert patched.json()["barriers"] == "Time"
    moved = as_owner(
        "post",
        f"/steps/{step.pk}/state",
        {"state": "adopted", "note": "All in", "next_review_on": None},
    )
    assert moved.status_code == 200
    assert moved.json()["state"] == "adopted"
    assert moved.json()["updates"][0]["from_state"] == "not_reached"
    bad = as_owner("post", f"/steps/{step.pk}/state", {"state": "ecstatic"})
    assert bad.status_code == 422


def test_record_outcome(as_owner, group, group_plan, product):
    step = StepFactory(plan=group_plan)
    response = as_owner(
        "post",
        f"/plans/{group_plan.pk}/outcomes",
        {
            "title": "Half the schools adopted",
            "description": "Two of four.",
            "step_id": step.pk,
            "relation": "context",
            "kind": "data",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    learning = Learning.objects.get(pk=body["learning_id"])
    assert learning.outcome_id == body["id"]
    assert learning.visibility == "group"
    links = Evidence.objects.filter(learning=learning)
    assert sorted(e.idea_id for e in links) == sorted(i.pk for i in product.ideas.all())
    assert {(e.relation, e.context_group_id) for e in links} == {("context", group.pk)}
    listed = as_owner("get", f"/plans/{group_plan.pk}/outcomes").json()
    assert [o["title"] for o in listed] == ["Half the schools adopted"]


def test_record_outcome_bad_input(as_owner, group_plan, network_plan):
    stranger = StepFactory(plan=network_plan)
    wrong_step = as_owner(
        "post",
        f"/plans/{group_plan.pk}/outcomes",
        {"title": "x", "description": "y", "step_id": stranger.pk},
    )
    assert wrong_step.json()["errors"][0]["field"] == "step_id"
    bad_relation = as_owner(
        "post",
        f"/plans/{group_plan.pk}/outcomes",
        {"title": "x", "description": "y", "relation": "maybe"},
    )
    assert bad_relation.json()["errors"][0]["field"] == "relation"
    assert Outcome.objects.count() == 0
