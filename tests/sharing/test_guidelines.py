"""Voice guidelines: members read them, stewards add, edit, reorder, retire and restore them
(pages and API); stewards see the publication record."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from learnloop.core.models import AuditEvent
from learnloop.generation import services as generation
from learnloop.sharing.models import PublicationCheck, VoiceGuideline
from tests.core.a11y import problems
from tests.factories import LearningFactory, ProductFactory
from tests.sharing.factories_publishing import GuidelineFactory, guidelines

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def three(db):
    return guidelines("Say how sure we are.", "No family can be recognized.", "Plain words.")


def order() -> list[str]:
    return list(
        VoiceGuideline.objects.filter(retired_at__isnull=True)
        .order_by("position", "id")
        .values_list("text", flat=True)
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# Reading -------------------------------------------------------------------------------------


def test_members_read_the_checklist_in_order(member_client, three):
    GuidelineFactory(text="An old retired line", retired_at=timezone.now())
    response = member_client.get(reverse("sharing:guidelines"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Say how sure we are.") < html.index("Plain words.")
    assert "An old retired line" not in html
    assert "Add a guideline" not in html
    assert "Move up" not in html
    assert problems(html) == []


def test_anonymous_is_sent_to_login(anon_client, three):
    response = anon_client.get(reverse("sharing:guidelines"))
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_stewards_see_the_tools_and_retired_lines(steward_client, three):
    GuidelineFactory(text="An old retired line", retired_at=timezone.now())
    html = steward_client.get(reverse("sharing:guidelines")).content.decode()
    assert "Add a guideline" in html
    assert "Move up" in html
    assert "An old retired line" in html
    assert "Put back" in html
    assert problems(html) == []


# Keeping them (pages) ------------------------------------------------------------------------


def test_steward_adds_a_guideline_at_the_end(steward_client, steward, three):
    response = steward_client.post(
        reverse("sharing:guideline_create"),
        {"text": "  Credit   the people  ", "explanation": "Ask first."},
    )
    assert response.status_code == 302
    assert order()[-1] == "Credit the people"
    assert AuditEvent.objects.filter(actor=steward, verb="added a voice guideline").exists()


def test_an_empty_guideline_is_a_form_error(steward_client):
    response = steward_client.post(reverse("sharing:guideline_create"), {"text": "   "})
    assert response.status_code == 200
    assert not VoiceGuideline.objects.exists()


def test_steward_edits_a_guideline_and_old_checks_keep_the_old_words(steward_client, owner, three):
    generation.learning_create(
        author=owner, title="Calls", visibility="public", guidelines_confirmed=True
    )
    url = reverse("sharing:guideline_edit", args=[three[0].pk])
    assert steward_client.get(url).status_code == 200
    response = steward_client.post(url, {"text": "Say how sure we are, always.", "explanation": ""})
    assert response.status_code == 302
    assert order()[0] == "Say how sure we are, always."
    assert PublicationCheck.objects.get().guidelines[0] == "Say how sure we are."


def test_steward_moves_guidelines_up_and_down(steward_client, three):
    steward_client.post(reverse("sharing:guideline_move", args=[three[2].pk]), {"direction": "up"})
    assert order() == ["Say how sure we are.", "Plain words.", "No family can be recognized."]
    steward_client.post(
        reverse("sharing:guideline_move", args=[three[0].pk]), {"direction": "down"}
    )
    assert order() == ["Plain words.", "Say how sure we are.", "No family can be recognized."]
    # The first cannot go higher: nothing changes.
    steward_client.post(reverse("sharing:guideline_move", args=[three[2].pk]), {"direction": "up"})
    steward_client.post(reverse("sharing:guideline_move", args=[three[2].pk]), {"direction": "up"})
    assert order()[0] == "Plain words."


def test_steward_retires_and_restores(steward_client, owner, three):
    steward_client.post(reverse("sharing:guideline_retire", args=[three[1].pk]))
    assert order() == ["Say how sure we are.", "Plain words."]
    # Retired lines are no longer asked for.
    generation.learning_create(
        author=owner, title="Calls", visibility="public", guidelines_confirmed=True
    )
    assert PublicationCheck.objects.get().guidelines == ["Say how sure we are.", "Plain words."]
    steward_client.post(reverse("sharing:guideline_retire", args=[three[1].pk]), {"restore": "1"})
    assert order() == ["Say how sure we are.", "Plain words.", "No family can be recognized."]


@pytest.mark.parametrize("name", ["guideline_edit", "guideline_move", "guideline_retire"])
def test_non_stewards_may_not_change_guidelines(member_client, moderator_client, three, name):
    url = reverse(f"sharing:{name}", args=[three[0].pk])
    assert member_client.post(url, {"text": "Mine", "direction": "down"}).status_code == 403
    assert moderator_client.post(url, {"text": "Mine", "direction": "down"}).status_code == 403
    assert order()[0] == "Say how sure we are."


def test_non_stewards_may_not_add(member_client, anon_client):
    assert member_client.get(reverse("sharing:guideline_create")).status_code == 403
    assert member_client.post(reverse("sharing:guideline_create"), {"text": "x"}).status_code == 403
    assert anon_client.post(reverse("sharing:guideline_create"), {"text": "x"}).status_code == 302
    assert not VoiceGuideline.objects.exists()


def test_unknown_guideline_is_404_for_stewards(steward_client):
    assert steward_client.get(reverse("sharing:guideline_edit", args=[999])).status_code == 404


# The publication record ----------------------------------------------------------------------


def test_steward_sees_who_made_what_public_and_when(steward_client, owner, three):
    learning = generation.learning_create(
        author=owner, title="Calls work", visibility="public", guidelines_confirmed=True
    )
    ProductFactory(author=owner, visibility="network", title="Inside guide")
    response = steward_client.get(reverse("sharing:publication_record"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Calls work" in html
    assert learning.get_absolute_url() in html
    assert owner.name in html
    assert "No family can be recognized." in html
    assert "Inside guide" not in html
    assert problems(html) == []
    filtered = steward_client.get(reverse("sharing:publication_record") + "?kind=product")
    assert "Calls work" not in filtered.content.decode()


def test_the_record_shows_an_item_that_left_public(steward_client, owner, three):
    learning = generation.learning_create(
        author=owner, title="Calls work", visibility="public", guidelines_confirmed=True
    )
    generation.learning_update(viewer=owner, learning=learning, visibility="network")
    html = steward_client.get(reverse("sharing:publication_record")).content.decode()
    assert "now Network" in html


def test_only_stewards_see_the_record(member_client, moderator_client, anon_client):
    url = reverse("sharing:publication_record")
    assert member_client.get(url).status_code == 403
    assert moderator_client.get(url).status_code == 403
    assert anon_client.get(url).status_code == 302


def test_record_query_count(steward_client, owner, three, django_assert_max_num_queries):
    for i in range(10):
        generation.learning_create(
            author=owner, title=f"L{i}", visibility="public", guidelines_confirmed=True
        )
        product = ProductFactory(author=owner)
        from learnloop.capture import services as capture

        capture.product_update(
            viewer=owner, product=product, visibility="public", guidelines_confirmed=True
        )
    with django_assert_max_num_queries(12):
        response = steward_client.get(reverse("sharing:publication_record"))
    assert len(response.context["page"]) == 20


# API -----------------------------------------------------------------------------------------


def test_api_members_read_the_checklist(client, member, token_for, three):
    response = client.get(f"{API}/guidelines", headers=bearer(token_for(member)))
    assert response.status_code == 200
    assert [g["text"] for g in response.json()] == order()
    assert client.get(f"{API}/guidelines").status_code == 401


def test_api_steward_keeps_the_checklist(client, steward, token_for, three):
    headers = bearer(token_for(steward))
    made = client.post(
        f"{API}/guidelines",
        {"text": "Credit people"},
        content_type="application/json",
        headers=headers,
    )
    assert made.status_code == 201
    new = made.json()["id"]
    assert (
        client.patch(
            f"{API}/guidelines/{new}",
            {"explanation": "Ask first."},
            content_type="application/json",
            headers=headers,
        ).status_code
        == 200
    )
    assert VoiceGuideline.objects.get(pk=new).explanation == "Ask first."
    moved = client.post(
        f"{API}/guidelines/{new}/move",
        {"direction": "up"},
        content_type="application/json",
        headers=headers,
    )
    assert moved.status_code == 200
    assert order()[-2] == "Credit people"
    ids = [three[2].pk, three[1].pk, three[0].pk, new]
    assert (
        client.put(
            f"{API}/guidelines/order",
            {"order": ids},
            content_type="application/json",
            headers=headers,
        ).status_code
        == 200
    )
    assert order() == [
        "Plain words.",
        "No family can be recognized.",
        "Say how sure we are.",
        "Credit people",
    ]
    retired = client.post(
        f"{API}/guidelines/{new}/retire", {}, content_type="application/json", headers=headers
    )
    assert retired.json()["retired_at"] is not None
    listed = client.get(f"{API}/guidelines?retired=true", headers=headers).json()
    assert [g["text"] for g in listed] == ["Credit people"]


def test_api_bad_input_is_a_field_error(client, steward, token_for, three):
    headers = bearer(token_for(steward))
    empty = client.post(
        f"{API}/guidelines", {"text": "   "}, content_type="application/json", headers=headers
    )
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "text"
    partial = client.put(
        f"{API}/guidelines/order",
        {"order": [three[0].pk]},
        content_type="application/json",
        headers=headers,
    )
    assert partial.status_code == 422
    assert partial.json()["errors"][0]["field"] == "order"
    sideways = client.post(
        f"{API}/guidelines/{three[0].pk}/move",
        {"direction": "left"},
        content_type="application/json",
        headers=headers,
    )
    assert sideways.status_code == 422


def test_api_non_stewards_may_not_change(client, member, token_for, three):
    headers = bearer(token_for(member))
    assert (
        client.post(
            f"{API}/guidelines", {"text": "x"}, content_type="application/json", headers=headers
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"{API}/guidelines/{three[0].pk}",
            {"text": "x"},
            content_type="application/json",
            headers=headers,
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"{API}/guidelines/{three[0].pk}/retire",
            {},
            content_type="application/json",
            headers=headers,
        ).status_code
        == 403
    )
    assert (
        client.put(
            f"{API}/guidelines/order",
            {"order": []},
            content_type="application/json",
            headers=headers,
        ).status_code
        == 403
    )
    assert client.get(f"{API}/publication-checks", headers=headers).status_code == 403
    assert order()[0] == "Say how sure we are."


def test_api_publication_checks_for_stewards(client, steward, owner, token_for, three):
    learning = LearningFactory(author=owner)
    generation.learning_update(
        viewer=owner, learning=learning, visibility="public", guidelines_confirmed=True
    )
    response = client.get(f"{API}/publication-checks", headers=bearer(token_for(steward)))
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    check = body["items"][0]
    assert (check["item_type"], check["item_id"]) == ("generation.learning", learning.pk)
    assert check["checked_by"]["username"] == owner.username
    assert check["guidelines"] == order()
