"""What the services do: the loop closes, reviews keep their history, overdue is noticed."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from learnloop.application import selectors, services
from learnloop.application.models import Outcome, StakeholderStep, StepUpdate
from learnloop.consolidation.models import Evidence
from learnloop.core.models import AuditEvent, Revision
from learnloop.generation.models import Learning
from tests.factories import OrganizationFactory, PlanFactory, ProductFactory, StepFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)


def test_plan_create_keeps_a_revision_and_the_share(owner, group, product):
    from tests.factories import ShareFactory

    share = ShareFactory(product=product)
    plan = services.plan_create(
        author=owner, product=product, share=share, title=" Calls ", group=group, visibility="group"
    )
    assert plan.title == "Calls"
    assert plan.share == share
    assert Revision.objects.filter(object_id=plan.pk, summary="Planned").count() == 1


def test_plan_create_refuses_a_share_of_another_product(owner, product):
    from tests.factories import ShareFactory

    other_share = ShareFactory(product=ProductFactory(author=owner))
    with pytest.raises(ValidationError) as exc:
        services.plan_create(author=owner, product=product, share=other_share, title="x")
    assert "share" in exc.value.message_dict


def test_plan_create_refuses_a_product_the_author_cannot_see(outsider, owner, group):
    hidden = ProductFactory(author=owner, group=group, visibility="group")
    with pytest.raises(PermissionDenied):
        services.plan_create(author=outsider, product=hidden, title="x")


def test_step_needs_exactly_one_stakeholder(owner, network_plan, member):
    with pytest.raises(ValidationError) as none_given:
        services.step_create(viewer=owner, plan=network_plan, action="Call families")
    assert "Say who this is" in none_given.value.message_dict["stakeholder"][0]
    with pytest.raises(ValidationError) as two_given:
        services.step_create(
            viewer=owner, plan=network_plan, action="Call", person=member, label="Teachers"
        )
    assert "Choose just one" in two_given.value.message_dict["stakeholder"][0]
    assert StakeholderStep.objects.count() == 0


def test_step_with_an_organization(owner, network_plan):
    org = OrganizationFactory(name="District office")
    step = services.step_create(
        viewer=owner, plan=network_plan, organization=org, action_kind="resource", action="Fund it"
    )
    assert step.stakeholder_name == "District office"
    assert step.stakeholder_kind == "organization"


def test_state_change_writes_history(owner, network_plan):
    step = StepFactory(plan=network_plan)
    services.step_update_state(
        viewer=owner, step=step, state="considering", note="They asked for the script."
    )
    services.step_update_state(viewer=owner, step=step, state="trying", next_review_on=TOMORROW)
    step.refresh_from_db()
    assert step.state == "trying"
    assert step.next_review_on == TOMORROW
    history = list(StepUpdate.objects.filter(step=step).order_by("at", "id"))
    assert [(u.from_state, u.to_state) for u in history] == [
        ("not_reached", "considering"),
        ("considering", "trying"),
    ]
    assert history[0].note == "They asked for the script."
    assert history[0].by == owner


def test_review_without_change_needs_a_note(owner, network_plan):
    step = StepFactory(plan=network_plan, state="aware")
    with pytest.raises(ValidationError) as exc:
        services.step_update_state(viewer=owner, step=step, state="aware")
    assert "note" in exc.value.message_dict
    services.step_update_state(viewer=owner, step=step, state="aware", note="Still thinking.")
    assert StepUpdate.objects.filter(step=step, from_state="aware", to_state="aware").count() == 1


def test_state_must_be_a_known_state(owner, network_plan):
    step = StepFactory(plan=network_plan)
    with pytest.raises(ValidationError) as exc:
        services.step_update_state(viewer=owner, step=step, state="ecstatic")
    assert "state" in exc.value.message_dict


def test_member_cannot_change_someone_elses_plan(member, group_plan):
    step = StepFactory(plan=group_plan)
    with pytest.raises(PermissionDenied):
        services.step_update_state(viewer=member, step=step, state="aware", note="x")
    with pytest.raises(PermissionDenied):
        services.outcome_record(viewer=member, plan=group_plan, title="x", description="y")


def test_overdue_detection(owner, network_plan):
    due = StepFactory(plan=network_plan, label="Due", next_review_on=YESTERDAY)
    StepFactory(plan=network_plan, label="Today", next_review_on=TODAY)
    StepFactory(plan=network_plan, label="Later", next_review_on=TOMORROW)
    StepFactory(plan=network_plan, label="Settled", next_review_on=YESTERDAY, state="adopted")
    StepFactory(plan=network_plan, label="No date")
    assert [s.label for s in selectors.reviews_due(viewer=owner)] == ["Due"]
    assert due.is_overdue
    plan = selectors.plan_list(viewer=owner).get(pk=network_plan.pk)
    assert plan.overdue_count == 1
    assert plan.step_count == 5
    assert {s: n for s, _l, n in selectors.state_counts(plan)}["not_reached"] == 4


def test_reviews_due_only_in_plans_the_viewer_may_change(
    owner, member, moderator, outsider, group_plan
):
    StepFactory(plan=group_plan, next_review_on=YESTERDAY)
    assert len(selectors.reviews_due(viewer=owner)) == 1
    assert len(selectors.reviews_due(viewer=moderator)) == 1
    assert selectors.reviews_due(viewer=member) == []
    assert selectors.reviews_due(viewer=outsider) == []


def test_outcome_closes_the_loop(
    owner, group, group_plan, product, django_capture_on_commit_callbacks
):
    step = StepFactory(plan=group_plan, label="Ninth-grade teachers")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.outcome_record(
            viewer=owner,
            plan=group_plan,
            title="Attendance up 6 points",
            description="Week-one calls reached **90%** of families.",
            step=step,
            relation="contradicts",
        )
    learning = Learning.objects.get(outcome=outcome)
    assert learning.author == owner
    assert learning.group == group
    assert learning.visibility == "group"  # the plan's
    assert learning.kind == "observation"
    assert learning.title == "Attendance up 6 points"
    assert "Week-one calls reached **90%** of families." in learning.body
    assert "Day-one family calls" in learning.body  # names the product
    evidence = Evidence.objects.filter(learning=learning).order_by("idea__title")
    assert [e.idea.title for e in evidence] == ["Calls beat letters", "First week sets the habit"]
    assert {e.relation for e in evidence} == {"contradicts"}
    assert {e.context_group for e in evidence} == {group}
    assert {e.added_by for e in evidence} == {owner}
    assert AuditEvent.objects.filter(verb="recorded an outcome").count() == 1
    assert mail.outbox == []  # the product's author recorded it: no email to oneself


def test_outcome_emails_the_product_author(
    owner, moderator, group_plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.outcome_record(
            viewer=moderator, plan=group_plan, title="Two schools adopted", description="Yes."
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner.email]
    assert "Day-one family calls" in mail.outbox[0].subject
    assert "Two schools adopted" in mail.outbox[0].body


def test_outcome_is_all_or_nothing(owner, group_plan):
    with pytest.raises(ValidationError):
        services.outcome_record(
            viewer=owner, plan=group_plan, title="x", description="y", visibility="nonsense"
        )
    assert Outcome.objects.count() == 0
    assert Learning.objects.count() == 0


def test_outcome_step_must_belong_to_the_plan(owner, group_plan, network_plan):
    stranger = StepFactory(plan=network_plan)
    with pytest.raises(ValidationError) as exc:
        services.outcome_record(
            viewer=owner, plan=group_plan, title="x", description="y", step=stranger
        )
    assert "step" in exc.value.message_dict


def test_outcome_visibility_can_differ_from_the_plan(owner, network_plan):
    outcome = services.outcome_record(
        viewer=owner, plan=network_plan, title="x", description="y", visibility="draft"
    )
    assert outcome.learning.visibility == "draft"


def test_deleted_plan_takes_no_outcomes(steward, owner, network_plan):
    from learnloop.core.services import item_soft_delete

    item_soft_delete(viewer=owner, item=network_plan)
    with pytest.raises(ValidationError):
        services.outcome_record(viewer=steward, plan=network_plan, title="x", description="y")


def test_plan_hidden_when_its_product_is_hidden(owner, group, outsider):
    hidden = ProductFactory(author=owner, group=group, visibility="group")
    plan = PlanFactory(author=owner, product=hidden, visibility="network")
    assert not selectors.plan_list(viewer=outsider).filter(pk=plan.pk).exists()
    assert selectors.plan_list(viewer=owner).filter(pk=plan.pk).exists()
