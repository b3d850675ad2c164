"""The reviews API: list, submit, read, withdraw."""

from __future__ import annotations

import pytest

from learnloop.consolidation import review_services
from learnloop.consolidation.models import Review
from tests.consolidation.test_review_services import adopt_standards, scores_for
from tests.factories import EvidenceFactory, LearningFactory, PersonFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _post(client, url, body, token=None):
    headers = bearer(token) if token else {}
    return client.post(url, body, content_type="application/json", headers=headers)


def test_member_submits_then_updates_a_review(client, network_idea, owner, member, token_for):
    version = adopt_standards(owner)
    evidence = EvidenceFactory(idea=network_idea, learning=LearningFactory(author=owner))
    body = {
        "summary": "Holds in two schools.",
        "missing": "A rural site.",
        "scores": scores_for(version, "partly", evidence_ids=[evidence.pk]),
    }
    url = f"{API}/ideas/{network_idea.pk}/reviews"
    created = _post(client, url, body, token_for(member))
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["version"] == {"id": version.pk, "number": 1, "title": "Standards 1"}
    assert data["reviewer"]["username"] == "mia"
    assert [s["verdict"] for s in data["scores"]] == ["partly"] * 3
    assert data["scores"][0]["evidence_ids"] == [evidence.pk]
    body["scores"] = scores_for(version, "meets")
    updated = _post(client, url, body, token_for(member))
    assert updated.status_code == 200
    assert updated.json()["id"] == data["id"]
    assert updated.json()["created_at"] == data["created_at"]
    assert Review.objects.count() == 1


def test_missing_justification_names_the_criterion(client, network_idea, owner, member, token_for):
    version = adopt_standards(owner)
    scores = scores_for(version)
    scores[2]["justification"] = ""
    response = _post(
        client, f"{API}/ideas/{network_idea.pk}/reviews", {"scores": scores}, token_for(member)
    )
    criterion = list(version.criteria.all())[2]
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == f"score_{criterion.pk}_justification"
    assert "No unresolved contradiction" in error["message"]


def test_invisible_evidence_is_a_field_error_not_a_leak(
    client, network_idea, owner, outsider, group_learning, token_for
):
    version = adopt_standards(owner)
    hidden = EvidenceFactory(idea=network_idea, learning=group_learning)
    response = _post(
        client,
        f"{API}/ideas/{network_idea.pk}/reviews",
        {"scores": scores_for(version, evidence_ids=[hidden.pk])},
        token_for(outsider),
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {
        f"score_{c.pk}_evidence" for c in version.criteria.all()
    }
    assert "Group-only" not in response.content.decode()


def test_reviews_of_a_group_idea_are_hidden_from_outsiders(
    client, group_idea, owner, member, outsider, token_for
):
    version = adopt_standards(owner)
    review = review_services.review_submit(
        reviewer=member, idea=group_idea, scores=scores_for(version)
    )
    as_outsider = bearer(token_for(outsider))
    assert (
        client.get(f"{API}/ideas/{group_idea.pk}/reviews", headers=as_outsider).status_code == 404
    )
    assert client.get(f"{API}/ideas/{group_idea.pk}/reviews").status_code == 404
    assert client.get(f"{API}/reviews/{review.pk}", headers=as_outsider).status_code == 404
    assert client.get(f"{API}/reviews/{review.pk}").status_code == 404
    assert client.delete(f"{API}/reviews/{review.pk}", headers=as_outsider).status_code == 404
    posted = _post(
        client,
        f"{API}/ideas/{group_idea.pk}/reviews",
        {"scores": scores_for(version)},
        token_for(outsider),
    )
    assert posted.status_code == 404
    assert (
        client.get(f"{API}/reviews/{review.pk}", headers=bearer(token_for(owner))).json()["id"]
        == review.pk
    )


def test_anonymous_reads_public_reviews_but_may_not_write(client, public_idea, owner, member):
    version = adopt_standards(owner)
    review = review_services.review_submit(
        reviewer=member, idea=public_idea, scores=scores_for(version)
    )
    listed = client.get(f"{API}/ideas/{public_idea.pk}/reviews")
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()["items"]] == [review.pk]
    assert _post(client, f"{API}/ideas/{public_idea.pk}/reviews", {"scores": []}).status_code == 401
    assert client.delete(f"{API}/reviews/{review.pk}").status_code == 401


def test_only_the_reviewer_or_a_steward_deletes(
    client, network_idea, owner, member, steward, token_for
):
    version = adopt_standards(owner)
    mine = review_services.review_submit(
        reviewer=member, idea=network_idea, scores=scores_for(version)
    )
    theirs = review_services.review_submit(
        reviewer=owner, idea=network_idea, scores=scores_for(version)
    )
    as_member = bearer(token_for(member))
    assert client.delete(f"{API}/reviews/{theirs.pk}", headers=as_member).status_code == 403
    assert client.delete(f"{API}/reviews/{mine.pk}", headers=as_member).status_code == 204
    as_steward = bearer(token_for(steward))
    assert client.delete(f"{API}/reviews/{theirs.pk}", headers=as_steward).status_code == 204
    assert Review.objects.count() == 0


def test_without_standards_posting_says_so(client, network_idea, member, token_for):
    response = _post(
        client, f"{API}/ideas/{network_idea.pk}/reviews", {"scores": []}, token_for(member)
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "version"


def test_list_query_count(
    client, network_idea, owner, member, token_for, django_assert_max_num_queries
):
    evidence = EvidenceFactory(idea=network_idea, learning=LearningFactory(author=owner))
    for number in (1, 2):
        version = adopt_standards(owner, number=number)
        for _ in range(6):
            review_services.review_submit(
                reviewer=PersonFactory(),
                idea=network_idea,
                scores=scores_for(version, evidence_ids=[evidence.pk]),
            )
    headers = bearer(token_for(member))
    with django_assert_max_num_queries(10):
        response = client.get(f"{API}/ideas/{network_idea.pk}/reviews", headers=headers)
    body = response.json()
    assert body["count"] == 12
    assert [r["version"]["number"] for r in body["items"]] == [2] * 6 + [1] * 6
