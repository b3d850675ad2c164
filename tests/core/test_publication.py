"""The guideline gate: before anything becomes public, every active voice guideline is
ticked, and a publication check is kept. Through the services of every kind of item, the
forms (without JavaScript) and the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from learnloop.application import services as application
from learnloop.capture import services as capture
from learnloop.capture.models import KnowledgeProduct
from learnloop.community import narrative_services
from learnloop.consolidation import routines
from learnloop.consolidation import services as consolidation
from learnloop.consolidation.models import Idea
from learnloop.core.models import Visibility
from learnloop.core.publication import becomes_public, publication_check
from learnloop.generation import services as generation
from learnloop.generation.models import Learning
from learnloop.sharing.models import PublicationCheck
from learnloop.value import services as value
from tests.core.a11y import problems
from tests.factories import (
    LearningFactory,
    PlanFactory,
    ProductFactory,
    TestCycleFactory,
)
from tests.sharing.factories_publishing import GuidelineFactory, guidelines, ticks

pytestmark = pytest.mark.django_db
API = "/api/v1"
TEXTS = ("We say how sure we are.", "No family can be recognized.")


@pytest.fixture
def checklist(db):
    return guidelines(*TEXTS)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# Every create service that sets a visibility ------------------------------------------------


def _creators(owner, steward):
    now = timezone.now()
    product = ProductFactory(author=owner, visibility=Visibility.NETWORK)
    return {
        "learning": lambda v, ok: generation.learning_create(
            author=owner, title="Calls work", visibility=v, guidelines_confirmed=ok
        ),
        "test cycle": lambda v, ok: generation.test_cycle_create(
            author=owner, title="Call five", plan="Monday", visibility=v, guidelines_confirmed=ok
        ),
        "question": lambda v, ok: generation.question_create(
            author=owner, title="Who calls?", visibility=v, guidelines_confirmed=ok
        ),
        "idea": lambda v, ok: consolidation.idea_create(
            author=owner,
            title="Calls",
            summary="Calls help.",
            visibility=v,
            guidelines_confirmed=ok,
        ),
        "product": lambda v, ok: capture.product_create(
            author=owner, title="Guide", actions="Call.", visibility=v, guidelines_confirmed=ok
        ),
        "plan": lambda v, ok: application.plan_create(
            author=owner, product=product, title="Plan", visibility=v, guidelines_confirmed=ok
        ),
        "convening": lambda v, ok: value.convening_create(
            author=owner,
            title="Meet",
            starts_at=now + timedelta(days=1),
            visibility=v,
            guidelines_confirmed=ok,
        ),
        "story": lambda v, ok: value.story_create(
            author=owner, title="Story", visibility=v, guidelines_confirmed=ok
        ),
        "narrative": lambda v, ok: narrative_services.narrative_create(
            author=steward,
            title="Every ninth grader on track",
            opportunity="Why now.",
            call_to_act="Try calls.",
            visibility=v,
            guidelines_confirmed=ok,
        ),
    }


KINDS = [
    "learning",
    "test cycle",
    "question",
    "idea",
    "product",
    "plan",
    "convening",
    "story",
    "narrative",
]


@pytest.mark.parametrize("kind", KINDS)
def test_creating_public_needs_every_guideline_ticked(kind, owner, steward, checklist):
    create = _creators(owner, steward)[kind]
    with pytest.raises(ValidationError) as caught:
        create(Visibility.PUBLIC, False)
    assert "guidelines_confirmed" in caught.value.message_dict
    assert not PublicationCheck.objects.exists()

    item = create(Visibility.PUBLIC, True)
    check = PublicationCheck.objects.get()
    assert check.item == item
    assert check.guidelines == list(TEXTS)
    assert check.checked_by == (steward if kind == "narrative" else owner)


@pytest.mark.parametrize("kind", KINDS)
def test_creating_below_public_asks_nothing_and_records_nothing(kind, owner, steward, checklist):
    item = _creators(owner, steward)[kind](Visibility.NETWORK, False)
    assert item.pk is not None
    assert not PublicationCheck.objects.exists()


def test_a_refused_item_is_not_saved(owner, checklist):
    with pytest.raises(ValidationError):
        capture.product_create(author=owner, title="Guide", actions="Call.", visibility="public")
    assert not KnowledgeProduct.objects.exists()


# Every update service that sets a visibility -------------------------------------------------


def _updaters(owner, steward):
    from learnloop.community.models import Narrative
    from learnloop.value.models import Convening, ValueStory

    now = timezone.now()
    learning = LearningFactory(author=owner)
    cycle = TestCycleFactory(author=owner)
    question = generation.question_create(author=owner, title="Who?")
    idea = consolidation.idea_create(author=owner, title="Calls", summary="Calls help.")
    product = ProductFactory(author=owner)
    plan = PlanFactory(author=owner, product=product)
    convening = Convening.objects.create(author=owner, title="Meet", starts_at=now)
    story = ValueStory.objects.create(author=owner, title="Story")
    narrative = Narrative.objects.create(
        author=steward, title="On track", opportunity="Why.", call_to_act="Act."
    )
    return {
        "learning": (
            learning,
            lambda ok, **f: generation.learning_update(
                viewer=owner, learning=learning, guidelines_confirmed=ok, **f
            ),
        ),
        "test cycle": (
            cycle,
            lambda ok, **f: generation.test_cycle_update(
                viewer=owner, cycle=cycle, guidelines_confirmed=ok, **f
            ),
        ),
        "question": (
            question,
            lambda ok, **f: generation.question_update(
                viewer=owner, question=question, guidelines_confirmed=ok, **f
            ),
        ),
        "idea": (
            idea,
            lambda ok, **f: consolidation.idea_update(
                viewer=owner, idea=idea, guidelines_confirmed=ok, **f
            ),
        ),
        "product": (
            product,
            lambda ok, **f: capture.product_update(
                viewer=owner, product=product, guidelines_confirmed=ok, **f
            ),
        ),
        "plan": (
            plan,
            lambda ok, **f: application.plan_update(
                viewer=owner, plan=plan, guidelines_confirmed=ok, **f
            ),
        ),
        "convening": (
            convening,
            lambda ok, **f: value.convening_update(
                viewer=owner, convening=convening, guidelines_confirmed=ok, **f
            ),
        ),
        "story": (
            story,
            lambda ok, **f: value.story_update(
                viewer=owner, story=story, guidelines_confirmed=ok, **f
            ),
        ),
        "narrative": (
            narrative,
            lambda ok, **f: narrative_services.narrative_update(
                viewer=steward, narrative=narrative, guidelines_confirmed=ok, **f
            ),
        ),
    }


@pytest.mark.parametrize("kind", KINDS)
def test_changing_to_public_needs_every_guideline_ticked(kind, owner, steward, checklist):
    item, update = _updaters(owner, steward)[kind]
    with pytest.raises(ValidationError) as caught:
        update(False, visibility=Visibility.PUBLIC)
    assert "guidelines_confirmed" in caught.value.message_dict
    item.refresh_from_db()
    assert item.visibility == Visibility.NETWORK

    update(True, visibility=Visibility.PUBLIC)
    item.refresh_from_db()
    assert item.visibility == Visibility.PUBLIC
    assert PublicationCheck.objects.get().item == item


@pytest.mark.parametrize("kind", KINDS)
def test_editing_what_is_public_already_asks_nothing(kind, owner, steward, checklist):
    item, update = _updaters(owner, steward)[kind]
    update(True, visibility=Visibility.PUBLIC)
    update(False, visibility=Visibility.PUBLIC, title="A better title")
    update(False, title="A better title still")
    item.refresh_from_db()
    assert item.title == "A better title still"
    assert PublicationCheck.objects.count() == 1


def test_moving_back_below_public_and_out_again_is_checked_again(owner, checklist):
    product = ProductFactory(author=owner)
    capture.product_update(
        viewer=owner, product=product, visibility="public", guidelines_confirmed=True
    )
    capture.product_update(viewer=owner, product=product, visibility="network")
    with pytest.raises(ValidationError):
        capture.product_update(viewer=owner, product=product, visibility="public")
    capture.product_update(
        viewer=owner, product=product, visibility="public", guidelines_confirmed=True
    )
    assert PublicationCheck.objects.count() == 2


def test_a_moderator_making_it_public_is_the_one_recorded(owner, moderator, group, checklist):
    idea = consolidation.idea_create(
        author=owner, title="Calls", summary="Calls help.", group=group, visibility="group"
    )
    consolidation.idea_update(
        viewer=moderator, idea=idea, visibility="public", guidelines_confirmed=True
    )
    assert PublicationCheck.objects.get().checked_by == moderator


def test_without_active_guidelines_nothing_is_asked_but_the_record_is_kept(owner):
    GuidelineFactory(text="Old line", retired_at=timezone.now())
    learning = generation.learning_create(author=owner, title="Calls", visibility="public")
    check = PublicationCheck.objects.get()
    assert check.item == learning
    assert check.guidelines == []


def test_retired_guidelines_are_neither_asked_nor_quoted(owner, checklist):
    GuidelineFactory(text="Retired line", retired_at=timezone.now(), position=0)
    generation.learning_create(
        author=owner, title="Calls", visibility="public", guidelines_confirmed=True
    )
    assert "Retired line" not in PublicationCheck.objects.get().guidelines


def test_becomes_public_reads_the_stored_row(owner):
    learning = LearningFactory(author=owner, visibility="network")
    learning.visibility = "public"  # set in memory, as update services do before checking
    assert becomes_public(learning, "public")
    assert not becomes_public(learning, "network")
    assert becomes_public(None, "public")
    assert (
        publication_check(actor=owner, item_or_none=learning, visibility="public", confirmed=False)
        == []
    )


def test_a_lesson_from_a_public_cycle_is_checked_too(owner, checklist):
    cycle = TestCycleFactory(author=owner, visibility="public", learned="Calls work.")
    with pytest.raises(ValidationError):
        generation.test_cycle_record_learning(viewer=owner, cycle=cycle)
    learning = generation.test_cycle_record_learning(
        viewer=owner, cycle=cycle, guidelines_confirmed=True
    )
    assert learning.visibility == "public"
    assert PublicationCheck.objects.get().item == learning


def test_an_outcome_becoming_a_public_learning_is_checked(owner, checklist):
    plan = PlanFactory(author=owner)
    with pytest.raises(ValidationError):
        application.outcome_record(
            viewer=owner, plan=plan, title="Attendance up", description="Up.", visibility="public"
        )
    assert not Learning.objects.exists()
    application.outcome_record(
        viewer=owner,
        plan=plan,
        title="Attendance up",
        description="Up.",
        visibility="public",
        guidelines_confirmed=True,
    )
    assert PublicationCheck.objects.get().item == Learning.objects.get()


def test_a_routine_proposing_a_public_idea_is_checked(owner, checklist):
    learning = LearningFactory(author=owner)
    new = routines.NewIdea(title="Calls", summary="Calls help.", visibility="public")
    with pytest.raises(ValidationError) as caught:
        routines.summary_complete(
            person=owner, learnings=[learning], answers={}, output="new", new_idea=new
        )
    assert "guidelines_confirmed" in caught.value.message_dict
    new = routines.NewIdea(
        title="Calls", summary="Calls help.", visibility="public", guidelines_confirmed=True
    )
    routines.summary_complete(
        person=owner, learnings=[learning], answers={}, output="new", new_idea=new
    )
    assert PublicationCheck.objects.get().item == Idea.objects.get()


# Forms, without JavaScript -------------------------------------------------------------------

PRODUCT = {
    "title": "Day-one calls",
    "kind": "how_to",
    "audience": "staff",
    "actions": "Call five families.",
    "visibility": "public",
}


def test_the_form_shows_the_checklist_with_explanations(owner_client, checklist):
    html = owner_client.get(reverse("capture:product_create")).content.decode()
    assert "data-guideline-check" in html
    assert "sharing/guideline_check.js" in html
    for text in TEXTS:
        assert text in html
    assert checklist[0].explanation in html
    assert problems(html) == []


def test_no_checklist_without_guidelines(owner_client):
    html = owner_client.get(reverse("capture:product_create")).content.decode()
    assert "data-guideline-check" not in html


def test_no_checklist_when_editing_what_is_public_already(owner_client, owner, checklist):
    product = ProductFactory(author=owner, visibility="public")
    html = owner_client.get(reverse("capture:product_edit", args=[product.pk])).content.decode()
    assert "data-guideline-check" not in html


def test_posting_public_without_every_tick_shows_the_error(owner_client, checklist):
    response = owner_client.post(
        reverse("capture:product_create"), {**PRODUCT, "guidelines_confirmed": ticks(checklist[:1])}
    )
    assert response.status_code == 200
    assert "tick them all" in response.content.decode()
    assert not KnowledgeProduct.objects.exists()


def test_posting_public_with_every_tick_publishes_and_records(owner_client, owner, checklist):
    response = owner_client.post(
        reverse("capture:product_create"), {**PRODUCT, "guidelines_confirmed": ticks(checklist)}
    )
    product = KnowledgeProduct.objects.get()
    assert response.status_code == 302
    assert product.visibility == "public"
    assert PublicationCheck.objects.get().checked_by == owner


def test_a_guideline_added_meanwhile_must_be_ticked_too(owner_client, checklist):
    rendered = ticks(checklist)
    GuidelineFactory(text="Credit the people whose work it is.", position=3)
    response = owner_client.post(
        reverse("capture:product_create"), {**PRODUCT, "guidelines_confirmed": rendered}
    )
    assert response.status_code == 200
    assert "Credit the people whose work it is." in response.content.decode()
    assert not KnowledgeProduct.objects.exists()


def test_ticks_do_not_matter_below_public(owner_client, checklist):
    response = owner_client.post(
        reverse("capture:product_create"), {**PRODUCT, "visibility": "network"}
    )
    assert response.status_code == 302
    assert not PublicationCheck.objects.exists()


def test_edit_form_changes_a_learning_to_public(owner_client, owner, checklist):
    learning = LearningFactory(author=owner, visibility="network", title="Calls work")
    data = {
        "title": "Calls work",
        "kind": "reflection",
        "body": "",
        "visibility": "public",
        "tags": "",
        "site": "",
    }
    url = reverse("generation:learning_edit", args=[learning.pk])
    assert owner_client.post(url, data).status_code == 200
    response = owner_client.post(url, {**data, "guidelines_confirmed": ticks(checklist)})
    assert response.status_code == 302
    learning.refresh_from_db()
    assert learning.visibility == "public"


def test_the_cycle_record_form_asks_when_the_cycle_is_public(owner_client, owner, checklist):
    cycle = TestCycleFactory(author=owner, visibility="public", learned="Calls work.")
    page = owner_client.get(reverse("generation:test_cycle", args=[cycle.pk])).content.decode()
    assert "data-guideline-check" in page
    url = reverse("generation:test_cycle_record", args=[cycle.pk])
    owner_client.post(url, {"title": "Calls"})
    assert not Learning.objects.exists()
    owner_client.post(url, {"title": "Calls", "guidelines_confirmed": ticks(checklist)})
    assert Learning.objects.get().visibility == "public"


def test_the_outcome_form_asks_for_a_public_learning(owner_client, owner, checklist):
    plan = PlanFactory(author=owner)
    url = reverse("application:outcome_create", args=[plan.pk])
    assert "data-guideline-check" in owner_client.get(url).content.decode()
    data = {
        "title": "Attendance up",
        "description": "Up.",
        "relation": "supports",
        "kind": "observation",
        "visibility": "public",
    }
    assert owner_client.post(url, data).status_code == 200
    assert (
        owner_client.post(url, {**data, "guidelines_confirmed": ticks(checklist)}).status_code
        == 302
    )
    assert Learning.objects.get().visibility == "public"


# API -----------------------------------------------------------------------------------------


def test_api_create_public_needs_the_flag(client, owner, token_for, checklist):
    headers = bearer(token_for(owner))
    body = {"title": "Guide", "actions": "Call.", "visibility": "public"}
    refused = client.post(f"{API}/products", body, content_type="application/json", headers=headers)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["guidelines_confirmed"]
    made = client.post(
        f"{API}/products",
        {**body, "guidelines_confirmed": True},
        content_type="application/json",
        headers=headers,
    )
    assert made.status_code == 201
    assert PublicationCheck.objects.get().object_id == made.json()["id"]


def test_api_patch_to_public_needs_the_flag(client, owner, token_for, checklist):
    headers = bearer(token_for(owner))
    learning = LearningFactory(author=owner)
    url = f"{API}/learnings/{learning.pk}"
    assert (
        client.patch(
            url, {"visibility": "public"}, content_type="application/json", headers=headers
        ).status_code
        == 422
    )
    assert (
        client.patch(
            url,
            {"visibility": "public", "guidelines_confirmed": True},
            content_type="application/json",
            headers=headers,
        ).status_code
        == 200
    )
    learning.refresh_from_db()
    assert learning.visibility == "public"


def test_api_idea_patch_accepts_the_flag(client, owner, token_for, checklist):
    headers = bearer(token_for(owner))
    idea = consolidation.idea_create(author=owner, title="Calls", summary="Calls help.")
    response = client.patch(
        f"{API}/ideas/{idea.pk}",
        {"visibility": "public", "guidelines_confirmed": True},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200
    assert PublicationCheck.objects.get().item == idea
