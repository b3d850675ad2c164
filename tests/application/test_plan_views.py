"""Adoption pages: who may see and change them, and what each form does."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from learnloop.application.models import AdoptionPlan, Outcome, StakeholderStep, StepUpdate
from learnloop.consolidation.models import Evidence
from learnloop.core.models import Visibility
from learnloop.generation.models import Learning
from tests.factories import PlanFactory, ProductFactory, ShareFactory, StepFactory

pytestmark = pytest.mark.django_db

YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


def step_data(**overrides):
    data = {
        "person": "",
        "group": "",
        "organization": "",
        "label": "Ninth-grade teachers",
        "action_kind": "act",
        "action": "Call every family in week one.",
        "motivations": "They want fewer empty seats.",
        "barriers": "No time in the first week.",
        "support": "A call script and a cover period.",
        "next_review_on": "",
        "state": "not_reached",
    }
    return {**data, **overrides}


# Plans list ---------------------------------------------------------------------------


def test_list_shows_counts_and_reviews_due(owner_client, network_plan):
    StepFactory(plan=network_plan, label="Counsellors", state="trying")
    StepFactory(plan=network_plan, label="Principals", next_review_on=YESTERDAY)
    html = owner_client.get(reverse("application:plans")).content.decode()
    assert "Network-wide calls" in html
    assert "Day-one family calls" in html
    assert 'class="badge state-trying">Trying: 1' in html
    assert 'class="badge state-not_reached">Not yet reached: 1' in html
    assert "1 review overdue" in html
    assert "Reviews due" in html
    assert "Principals" in html


def test_reviews_due_not_shown_to_those_who_cannot_change(member_client, network_plan):
    StepFactory(plan=network_plan, label="Principals", next_review_on=YESTERDAY)
    html = member_client.get(reverse("application:plans")).content.decode()
    assert "Network-wide calls" in html
    assert "Reviews due" not in html


def test_group_plan_hidden_from_outsider_and_anonymous(
    group_plan, outsider_client, anon_client, member_client
):
    url = group_plan.get_absolute_url()
    assert outsider_client.get(url).status_code == 404
    assert anon_client.get(url).status_code == 404
    assert member_client.get(url).status_code == 200
    listing = outsider_client.get(reverse("application:plans")).content.decode()
    assert "Roll out calls at North High" not in listing


def test_list_filters_by_state(owner_client, owner, product):
    trying = PlanFactory(author=owner, product=product, title="Someone trying")
    PlanFactory(author=owner, product=product, title="Nobody yet")
    StepFactory(plan=trying, state="trying")
    html = owner_client.get(reverse("application:plans"), {"state": "trying"}).content.decode()
    assert "Someone trying" in html
    assert "Nobody yet" not in html


def test_list_query_count_does_not_grow(
    owner_client, owner, product, django_assert_max_num_queries
):
    for plan in PlanFactory.create_batch(20, author=owner, product=product):
        StepFactory.create_batch(3, plan=plan, next_review_on=YESTERDAY)
    with django_assert_max_num_queries(10):
        response = owner_client.get(reverse("application:plans"))
    assert response.status_code == 200
    assert response.content.decode().count("3 reviews overdue") == 20


# Creating and editing plans -----------------------------------------------------------


def test_create_plan_from_a_share(owner_client, owner, group, product):
    share = ShareFactory(product=product, audience="Principals")
    url = reverse("application:plan_create") + f"?product={product.pk}&share={share.pk}"
    page = owner_client.get(url).content.decode()
    assert "Day-one family calls" in page
    assert "Principals" in page
    response = owner_client.post(
        url,
        {
            "title": "Calls at North",
            "goal": "All families",
            "share": share.pk,  # preselected from ?share=, as the browser posts it
            "group": group.pk,
            "visibility": "group",
        },
    )
    plan = AdoptionPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url()
    assert (plan.product, plan.share, plan.author, plan.group) == (product, share, owner, group)


def test_create_plan_for_an_invisible_product_is_404(outsider_client, owner, group):
    hidden = ProductFactory(author=owner, group=group, visibility=Visibility.GROUP)
    url = reverse("application:plan_create") + f"?product={hidden.pk}"
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(url, {"title": "x", "visibility": "network"}).status_code == 404
    assert AdoptionPlan.objects.count() == 0


def test_create_plan_with_a_share_of_another_product_is_404(owner_client, owner, product):
    other = ShareFactory(product=ProductFactory(author=owner))
    url = reverse("application:plan_create") + f"?product={product.pk}&share={other.pk}"
    assert owner_client.get(url).status_code == 404


def test_create_plan_without_a_product_sends_to_products(owner_client):
    response = owner_client.get(reverse("application:plan_create"))
    assert response.status_code == 302
    assert response["Location"] == reverse("capture:products")


def test_public_plan_readable_without_login(anon_client, owner):
    public = ProductFactory(author=owner, visibility=Visibility.PUBLIC)
    plan = PlanFactory(author=owner, product=public, visibility=Visibility.PUBLIC, title="Open")
    PlanFactory(author=owner, product=public, title="Members only")
    assert anon_client.get(plan.get_absolute_url()).status_code == 200
    listing = anon_client.get(reverse("application:plans")).content.decode()
    assert "Open" in listing
    assert "Members only" not in listing


def test_create_plan_needs_login(anon_client, product):
    url = reverse("application:plan_create") + f"?product={product.pk}"
    assert anon_client.get(url).status_code == 302


def test_create_plan_bad_input_keeps_what_was_typed(owner_client, product):
    url = reverse("application:plan_create") + f"?product={product.pk}"
    response = owner_client.post(
        url, {"title": "", "goal": "A long goal worth keeping", "visibility": "group"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "A long goal worth keeping" in html
    assert "Choose the group that may see this." in html
    assert AdoptionPlan.objects.count() == 0


def test_edit_plan_and_member_403(owner_client, member_client, group_plan, group):
    url = reverse("application:plan_edit", args=[group_plan.pk])
    data = {"title": "Renamed", "goal": "", "group": group.pk, "visibility": "group"}
    assert member_client.get(url).status_code == 403
    assert member_client.post(url, data).status_code == 403
    assert owner_client.post(url, data).status_code == 302
    group_plan.refresh_from_db()
    assert group_plan.title == "Renamed"


def test_soft_delete_plan_and_steward_restore(
    owner_client, member_client, steward_client, group_plan
):
    url = reverse("item_delete", args=["plan", group_plan.pk])
    assert member_client.post(url).status_code == 403
    assert owner_client.post(url).status_code == 302
    assert owner_client.get(group_plan.get_absolute_url()).status_code == 404
    assert "Roll out calls" not in owner_client.get(reverse("application:plans")).content.decode()
    page = steward_client.get(group_plan.get_absolute_url()).content.decode()
    assert reverse("item_restore", args=["plan", group_plan.pk]) in page
    assert "Record an outcome" not in page
    assert (
        steward_client.post(reverse("item_restore", args=["plan", group_plan.pk])).status_code
        == 302
    )
    assert owner_client.get(group_plan.get_absolute_url()).status_code == 200


# Plan page ----------------------------------------------------------------------------


def test_plan_page_shows_product_ideas_steps_and_history(owner_client, owner, group_plan):
    step = StepFactory(
        plan=group_plan,
        label="Counsellors",
        state="considering",
        action_kind="support",
        motivations="Fewer referrals",
        barriers="Caseloads",
        support="Weekly huddle",
        next_review_on=YESTERDAY,
    )
    StepUpdate.objects.create(
        step=step, from_state="aware", to_state="considering", note="Asked for data", by=owner
    )
    html = owner_client.get(group_plan.get_absolute_url()).content.decode()
    assert "Every ninth-grade family called in week one." in html
    assert "Calls beat letters" in html
    assert 'class="badge stage stage-promising"' in html
    assert 'class="badge state-considering">Considering' in html
    assert "Build support" in html
    for text in ("Fewer referrals", "Caseloads", "Weekly huddle", "Asked for data"):
        assert text in html
    assert "<details>" in html
    assert "overdue" in html
    assert reverse("application:step_state", args=[step.pk]) in html


def test_plan_page_query_count(owner_client, owner, group_plan, django_assert_max_num_queries):
    for step in StepFactory.create_batch(10, plan=group_plan):
        StepUpdate.objects.create(step=step, from_state="not_reached", to_state="aware", by=owner)
    with django_assert_max_num_queries(15):
        response = owner_client.get(group_plan.get_absolute_url())
    assert response.status_code == 200


def test_member_sees_plan_without_change_controls(member_client, group_plan):
    StepFactory(plan=group_plan)
    html = member_client.get(group_plan.get_absolute_url()).content.decode()
    assert "Record a review" not in html
    assert "Add a stakeholder" not in html


# Steps --------------------------------------------------------------------------------


def test_add_step(owner_client, group_plan):
    url = reverse("application:step_create", args=[group_plan.pk])
    response = owner_client.post(url, step_data(state="aware"))
    step = StakeholderStep.objects.get()
    assert response.status_code == 302
    assert step.label == "Ninth-grade teachers"
    assert step.state == "aware"
    assert step.updates.count() == 1


def test_add_step_without_anyone_is_a_clear_error(owner_client, group_plan):
    url = reverse("application:step_create", args=[group_plan.pk])
    response = owner_client.post(url, step_data(label=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Say who this is" in html
    assert "They want fewer empty seats." in html
    assert StakeholderStep.objects.count() == 0


def test_add_step_with_two_stakeholders_is_a_clear_error(owner_client, group_plan, member):
    url = reverse("application:step_create", args=[group_plan.pk])
    response = owner_client.post(url, step_data(person=member.pk))
    assert "Choose just one" in response.content.decode()
    assert StakeholderStep.objects.count() == 0


def test_step_pages_permissions(member_client, outsider_client, group_plan):
    step = StepFactory(plan=group_plan)
    urls = [
        reverse("application:step_create", args=[group_plan.pk]),
        reverse("application:step_edit", args=[step.pk]),
        reverse("application:step_state", args=[step.pk]),
    ]
    for url in urls:
        assert member_client.post(url, step_data()).status_code == 403
        assert outsider_client.get(url).status_code == 404
    assert StakeholderStep.objects.count() == 1


def test_edit_step(owner_client, group_plan):
    step = StepFactory(plan=group_plan)
    url = reverse("application:step_edit", args=[step.pk])
    response = owner_client.post(url, step_data(label="Heads of year", action="Lead it"))
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.label, step.action) == ("Heads of year", "Lead it")


def test_update_state_from_the_plan_page(owner_client, group_plan):
    step = StepFactory(plan=group_plan)
    url = reverse("application:step_state", args=[step.pk])
    response = owner_client.post(
        url, {"state": "trying", "note": "Piloting with two classes", "next_review_on": ""}
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.state == "trying"
    assert step.updates.get().note == "Piloting with two classes"
    html = owner_client.get(group_plan.get_absolute_url()).content.decode()
    assert "Piloting with two classes" in html


def test_update_state_without_change_or_note_shows_error(owner_client, group_plan):
    step = StepFactory(plan=group_plan)
    url = reverse("application:step_state", args=[step.pk])
    response = owner_client.post(url, {"state": "not_reached", "note": ""})
    assert response.status_code == 200
    assert "Nothing changed" in response.content.decode()


# Outcomes -----------------------------------------------------------------------------


def test_record_outcome_closes_the_loop(owner_client, group_plan, group):
    step = StepFactory(plan=group_plan, label="Counsellors")
    url = reverse("application:outcome_create", args=[group_plan.pk])
    assert "supports" in owner_client.get(url).content.decode()
    response = owner_client.post(
        url,
        {
            "title": "Attendance rose",
            "description": "From 84% to 90%.",
            "step": step.pk,
            "relation": "supports",
            "kind": "data",
            "visibility": "group",
        },
    )
    outcome = Outcome.objects.get()
    learning = Learning.objects.get()
    assert response.status_code == 302
    assert learning.outcome == outcome
    assert learning.kind == "data"
    assert Evidence.objects.filter(learning=learning, context_group=group).count() == 2
    html = owner_client.get(group_plan.get_absolute_url()).content.decode()
    assert "Attendance rose" in html
    assert "Became the learning" in html
    assert learning.get_absolute_url() in html


def test_record_outcome_permissions(member_client, outsider_client, group_plan):
    url = reverse("application:outcome_create", args=[group_plan.pk])
    data = {"title": "x", "description": "y", "relation": "supports", "kind": "observation"}
    assert member_client.get(url).status_code == 403
    assert member_client.post(url, {**data, "visibility": "group"}).status_code == 403
    assert outsider_client.post(url, {**data, "visibility": "network"}).status_code == 404
    assert Outcome.objects.count() == 0


def test_outcome_learning_hidden_when_its_learning_is_a_draft(owner, member_client, network_plan):
    from learnloop.application.services import outcome_record

    outcome_record(
        viewer=owner, plan=network_plan, title="Early sign", description="y", visibility="draft"
    )
    html = member_client.get(network_plan.get_absolute_url()).content.decode()
    assert "Early sign" in html
    assert "Became the learning" not in html
