"""The value API: convenings, stories with steps, the matrix; who may read and change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from learnloop.core.models import Visibility
from learnloop.value.models import Convening, StoryStep, ValueStory
from tests.factories import LearningFactory, PersonFactory, ProductFactory
from tests.value.conftest import ConveningFactory, OutcomeFactory, StoryFactory, StoryStepFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/value"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def owner_auth(owner, token_for):
    return bearer(token_for(owner))


@pytest.fixture
def member_auth(member, token_for):
    return bearer(token_for(member))


@pytest.fixture
def outsider_auth(outsider, token_for):
    return bearer(token_for(outsider))


# Convenings ---------------------------------------------------------------------------


def test_create_convening(client, owner_auth, group, member):
    response = client.post(
        f"{API}/convenings",
        {
            "title": "Data huddle",
            "kind": "workshop",
            "starts_at": "2031-02-01T15:00:00Z",
            "ends_at": "2031-02-01T16:30:00Z",
            "link": "https://meet.example.org/huddle",
            "group_id": group.pk,
            "visibility": "group",
            "participant_ids": [member.pk],
            "other_participants": 4,
        },
        content_type="application/json",
        headers=owner_auth,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "workshop"
    assert body["upcoming"] is True
    assert [p["username"] for p in body["participants"]] == ["mia"]
    assert Convening.objects.get().group == group


def test_convening_bad_input_names_fields(client, owner_auth):
    response = client.post(
        f"{API}/convenings",
        {
            "title": "x",
            "starts_at": "2031-02-01T15:00:00Z",
            "ends_at": "2031-02-01T14:00:00Z",
            "participant_ids": [999999],
        },
        content_type="application/json",
        headers=owner_auth,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "participant_ids"
    response = client.post(
        f"{API}/convenings",
        {"title": "x", "starts_at": "2031-02-01T15:00:00Z", "ends_at": "2031-02-01T14:00:00Z"},
        content_type="application/json",
        headers=owner_auth,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "ends_at", "message": "It cannot end before it starts."}
    ]
    assert Convening.objects.count() == 0


def test_convening_list_filters_and_hides(client, owner, group, outsider_auth, anon_client):
    now = timezone.now()
    ConveningFactory(author=owner, title="Ahead", visibility=Visibility.PUBLIC)
    ConveningFactory(
        author=owner, title="Behind", starts_at=now - timedelta(days=3), visibility="public"
    )
    ConveningFactory(author=owner, title="Circle", group=group, visibility=Visibility.GROUP)
    upcoming = client.get(f"{API}/convenings?when=upcoming", headers=outsider_auth).json()
    assert [c["title"] for c in upcoming["items"]] == ["Ahead"]
    past = anon_client.get(f"{API}/convenings?when=past").json()
    assert [c["title"] for c in past["items"]] == ["Behind"]
    everything = anon_client.get(f"{API}/convenings").json()
    assert everything["count"] == 2


def test_convening_permissions(client, owner, group, member_auth, outsider_auth, anon_client):
    convening = ConveningFactory(author=owner, group=group, visibility=Visibility.GROUP)
    url = f"{API}/convenings/{convening.pk}"
    assert client.get(url, headers=outsider_auth).status_code == 404
    assert anon_client.get(url).status_code == 404
    assert client.get(url, headers=member_auth).status_code == 200
    patch = client.patch(
        url, {"title": "hijack"}, content_type="application/json", headers=member_auth
    )
    assert patch.status_code == 403
    assert client.delete(url, headers=member_auth).status_code == 403
    assert client.delete(url, headers=outsider_auth).status_code == 404
    assert anon_client.delete(url).status_code == 401
    assert (
        anon_client.post(
            f"{API}/convenings",
            {"title": "x", "starts_at": "2031-01-01T00:00:00Z"},
            content_type="application/json",
        ).status_code
        == 401
    )


def test_convening_update_and_delete(client, owner, owner_auth, member):
    convening = ConveningFactory(author=owner)
    url = f"{API}/convenings/{convening.pk}"
    response = client.patch(
        url,
        {"outputs": "A call script.", "participant_ids": [member.pk]},
        content_type="application/json",
        headers=owner_auth,
    )
    assert response.status_code == 200, response.content
    assert response.json()["outputs"] == "A call script."
    assert list(convening.participants.all()) == [member]
    assert client.delete(url, headers=owner_auth).status_code == 204
    convening.refresh_from_db()
    assert convening.deleted_at is not None


def test_anonymous_sees_no_participant_names(owner, member, anon_client):
    convening = ConveningFactory(author=owner, visibility=Visibility.PUBLIC)
    convening.participants.set([member])
    body = anon_client.get(f"{API}/convenings/{convening.pk}").json()
    assert body["participants"] == []


def test_convening_list_query_count(client, owner, owner_auth, django_assert_max_num_queries):
    for _i in range(20):
        ConveningFactory(author=PersonFactory()).participants.set([owner])
    with django_assert_max_num_queries(10):
        response = client.get(f"{API}/convenings", headers=owner_auth)
    assert response.json()["count"] == 20


# Stories -----------------------------------------------------------------------------


def test_create_story_with_steps_from_visible_records(client, owner, owner_auth, group):
    convening = ConveningFactory(author=owner)
    learning = LearningFactory(author=owner)
    product = ProductFactory(author=owner)
    outcome = OutcomeFactory(plan__product=product)
    response = client.post(
        f"{API}/stories",
        {
            "title": "Thread",
            "group_id": group.pk,
            "visibility": "group",
            "steps": [
                {"cycle": "immediate", "narrative": "Met.", "convening_id": convening.pk},
                {
                    "cycle": "potential",
                    "narrative": "Wrote.",
                    "learning_id": learning.pk,
                    "product_id": product.pk,
                },
                {"cycle": "applied", "narrative": "Did.", "outcome_id": outcome.pk},
                {
                    "cycle": "realized",
                    "narrative": "Moved.",
                    "indicator": "88% → 94%",
                    "measure_slug": "attendance",
                },
            ],
        },
        content_type="application/json",
        headers=owner_auth,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["cycles"] == ["immediate", "potential", "applied", "realized"]
    assert body["steps"][1]["learning_id"] == learning.pk
    assert body["steps"][2]["outcome_id"] == outcome.pk
    assert body["steps"][3]["measure_slug"] == "attendance"


def test_step_linking_an_unseen_record_is_not_found(
    client, owner, owner_auth, outsider, other_group
):
    story = StoryFactory(author=owner)
    hidden = LearningFactory(author=outsider, group=other_group, visibility=Visibility.GROUP)
    hidden_outcome = OutcomeFactory(
        plan__product__author=outsider, plan__group=other_group, plan__visibility="group"
    )
    for payload in (
        {"cycle": "potential", "narrative": "x", "learning_id": hidden.pk},
        {"cycle": "applied", "narrative": "x", "outcome_id": hidden_outcome.pk},
        {"cycle": "applied", "narrative": "x", "product_id": 999999},
    ):
        response = client.post(
            f"{API}/stories/{story.pk}/steps",
            payload,
            content_type="application/json",
            headers=owner_auth,
        )
        assert response.status_code == 404
    response = client.post(
        f"{API}/stories",
        {
            "title": "t",
            "steps": [{"cycle": "potential", "narrative": "x", "learning_id": hidden.pk}],
        },
        content_type="application/json",
        headers=owner_auth,
    )
    assert response.status_code == 404
    assert StoryStep.objects.count() == 0
    assert ValueStory.objects.count() == 1


def test_story_hides_links_the_viewer_may_not_see(client, owner, group, outsider_auth, member_auth):
    story = StoryFactory(author=owner, visibility=Visibility.NETWORK)
    hidden = LearningFactory(author=owner, group=group, visibility=Visibility.GROUP)
    StoryStepFactory(story=story, cycle="potential", learning=hidden)
    outsider_view = client.get(f"{API}/stories/{story.pk}", headers=outsider_auth).json()
    assert outsider_view["steps"][0]["learning_id"] is None
    member_view = client.get(f"{API}/stories/{story.pk}", headers=member_auth).json()
    assert member_view["steps"][0]["learning_id"] == hidden.pk


def test_story_permissions(client, owner, group, member_auth, outsider_auth, anon_client):
    story = StoryFactory(author=owner, group=group, visibility=Visibility.GROUP)
    step = StoryStepFactory(story=story)
    url = f"{API}/stories/{story.pk}"
    assert client.get(url, headers=outsider_auth).status_code == 404
    assert anon_client.get(url).status_code == 404
    assert (
        client.patch(
            url, {"title": "x"}, content_type="application/json", headers=member_auth
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"{url}/steps",
            {"cycle": "applied", "narrative": "x"},
            content_type="application/json",
            headers=member_auth,
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"{url}/steps/{step.pk}",
            {"narrative": "x"},
            content_type="application/json",
            headers=member_auth,
        ).status_code
        == 403
    )
    assert client.delete(f"{url}/steps/{step.pk}", headers=member_auth).status_code == 403
    assert client.delete(f"{url}/steps/{step.pk}", headers=outsider_auth).status_code == 404
    assert client.delete(url, headers=member_auth).status_code == 403
    assert anon_client.delete(url).status_code == 401


def test_story_update_steps_and_delete(client, owner, owner_auth):
    story = StoryFactory(author=owner)
    step = StoryStepFactory(story=story)
    url = f"{API}/stories/{story.pk}"
    assert (
        client.patch(
            url, {"summary": "Sharper."}, content_type="application/json", headers=owner_auth
        ).json()["summary"]
        == "Sharper."
    )
    response = client.patch(
        f"{url}/steps/{step.pk}",
        {"cycle": "reframing", "narrative": "We now count relationships too."},
        content_type="application/json",
        headers=owner_auth,
    )
    assert response.status_code == 200, response.content
    assert response.json()["cycle"] == "reframing"
    bad = client.patch(
        f"{url}/steps/{step.pk}",
        {"cycle": "sideways"},
        content_type="application/json",
        headers=owner_auth,
    )
    assert bad.status_code == 422
    assert client.delete(f"{url}/steps/{step.pk}", headers=owner_auth).status_code == 204
    assert client.delete(url, headers=owner_auth).status_code == 204
    assert client.get(url, headers=owner_auth).status_code == 404


def test_story_list_filter_and_query_count(
    client, owner, owner_auth, django_assert_max_num_queries
):
    for _i in range(15):
        story = StoryFactory(author=PersonFactory())
        StoryStepFactory(story=story, cycle="applied", learning=LearningFactory(author=owner))
    StoryFactory(author=owner, title="No steps")
    with django_assert_max_num_queries(10):
        response = client.get(f"{API}/stories?cycle=applied", headers=owner_auth)
    body = response.json()
    assert body["count"] == 15
    assert all(s["cycles"] == ["applied"] for s in body["items"])


# Matrix ------------------------------------------------------------------------------


def test_matrix(client, owner, group, owner_auth, anon_client):
    story = StoryFactory(author=owner, group=group)
    StoryStepFactory(story=story, cycle="immediate")
    StoryStepFactory(story=story, cycle="immediate", indicator="Came back")
    body = client.get(f"{API}/matrix?group={group.pk}", headers=owner_auth).json()
    assert body["group"]["slug"] == "attendance-circle"
    assert body["columns"][0] == {
        "cycle": "immediate",
        "label": "Immediate value",
        "stories": 1,
        "steps": 2,
        "indicators": 1,
        "linked_records": 0,
    }
    assert body["stops_between"] == ["immediate", "potential"]
    assert "fewer than half" in body["rule"]
    assert anon_client.get(f"{API}/matrix").status_code == 401
    assert client.get(f"{API}/matrix?group=999999", headers=owner_auth).status_code == 404
