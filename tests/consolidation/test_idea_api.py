"""The ideas API: reads with visibility, writes through the same services as the pages."""

from __future__ import annotations

import json

import pytest

from learnloop.consolidation import services
from learnloop.consolidation.models import Endorsement, Evidence, Idea, StageChange
from learnloop.core.models import Visibility
from tests.factories import EvidenceFactory, IdeaFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def call(client, token_for):
    """call(person, method, path, body=None): a JSON request with that person's token;
    without a body, the request has an empty one."""
    tokens: dict[int, str] = {}

    def make(person, method: str, path: str, body: dict | None = None):
        if person.pk not in tokens:
            tokens[person.pk] = token_for(person)
        headers = bearer(tokens[person.pk])
        if method == "get":
            return client.get(f"{API}{path}", headers=headers)
        data = json.dumps(body).encode() if body is not None else b""
        return client.generic(
            method.upper(), f"{API}{path}", data, "application/json", headers=headers
        )

    return make


# Reads ---------------------------------------------------------------------------------


def test_list_includes_stage_and_counts(call, owner, member, network_idea, learning_here):
    services.evidence_link(viewer=owner, idea=network_idea, learning=learning_here)
    services.idea_endorse(person=member, idea=network_idea)
    body = call(owner, "get", "/ideas").json()
    item = body["items"][0]
    assert body["count"] == 1
    assert (item["title"], item["stage"]) == ("Greet students by name", "emerging")
    assert (item["supports_count"], item["contradicts_count"]) == (1, 0)
    assert (item["context_count"], item["endorsement_count"]) == (1, 1)


def test_list_filters(call, owner, group):
    services.idea_create(author=owner, title="In group", summary="s", group=group, tags=["a b"])
    IdeaFactory(author=owner, title="Testing one", stage="testing")
    IdeaFactory(author=owner, title="Words about mentoring")

    def titles(query: str) -> list[str]:
        return [i["title"] for i in call(owner, "get", f"/ideas?{query}").json()["items"]]

    assert titles("stage=testing") == ["Testing one"]
    assert titles(f"group={group.pk}") == ["In group"]
    assert titles("tag=a-b") == ["In group"]
    assert titles("q=mentoring") == ["Words about mentoring"]


def test_bad_stage_filter_is_a_field_error(call, owner):
    response = call(owner, "get", "/ideas?stage=wisdom")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "stage"


def test_anonymous_lists_public_only(client, public_idea, network_idea, group_idea):
    titles = [i["title"] for i in client.get(f"{API}/ideas").json()["items"]]
    assert titles == ["Open idea for all"]


def test_anonymous_reads_public_idea_not_network_idea(client, public_idea, network_idea):
    assert client.get(f"{API}/ideas/{public_idea.pk}").status_code == 200
    assert client.get(f"{API}/ideas/{network_idea.pk}").status_code == 404


def test_outsider_gets_404_for_group_idea(call, outsider, group_idea):
    response = call(outsider, "get", f"/ideas/{group_idea.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}


def test_detail_has_evidence_history_and_endorsements(
    call, owner, member, moderator, network_idea, learning_there, other_group
):
    services.evidence_link(viewer=member, idea=network_idea, learning=learning_there, note="n")
    services.idea_endorse(person=member, idea=network_idea, note="yes")
    services.idea_change_stage(
        viewer=moderator, idea=network_idea, to_stage="testing", reason="Try it"
    )
    body = call(owner, "get", f"/ideas/{network_idea.pk}").json()
    evidence = body["evidence"][0]
    assert body["stage"] == "testing"
    assert evidence["learning"]["title"] == "Calls worked at South"
    assert (evidence["relation"], evidence["note"]) == ("supports", "n")
    assert evidence["context_group"]["id"] == other_group.pk
    assert evidence["context_site"] == "South Middle"
    assert body["stage_history"][0]["reason"] == "Try it"
    assert body["stage_history"][0]["evidence_snapshot"]["counts"]["supports"] == 1
    assert body["endorsements"] == [
        {
            "id": Endorsement.objects.get().pk,
            "person": {"id": member.pk, "username": "mia", "name": "Mia Member"},
            "note": "yes",
            "created_at": body["endorsements"][0]["created_at"],
        }
    ]


def test_snapshot_hides_learnings_the_caller_may_not_see(
    call, owner, outsider, moderator, network_idea, group_learning
):
    services.evidence_link(viewer=owner, idea=network_idea, learning=group_learning)
    services.idea_change_stage(viewer=moderator, idea=network_idea, to_stage="testing", reason="r")
    body = call(outsider, "get", f"/ideas/{network_idea.pk}").json()
    row = body["stage_history"][0]["evidence_snapshot"]["learnings"][0]
    assert body["evidence"] == []
    assert row == {"learning_id": None, "title": None, "relation": "supports"}


def test_list_query_count(call, owner, member, django_assert_max_num_queries):
    for idea in IdeaFactory.create_batch(30, author=owner):
        EvidenceFactory.create_batch(2, idea=idea, learning__author=owner)
        Endorsement.objects.create(idea=idea, person=member)
    call(owner, "get", "/ideas")  # the token is made outside the measured block
    with django_assert_max_num_queries(8):
        response = call(owner, "get", "/ideas")
    items = response.json()["items"]
    assert len(items) == 30
    assert {(i["supports_count"], i["endorsement_count"]) for i in items} == {(2, 1)}


# Writes --------------------------------------------------------------------------------


def test_create_from_a_learning(call, member, group, learning_here):
    response = call(
        member,
        "post",
        "/ideas",
        {
            "title": "Call families",
            "summary": "Calls work.",
            "group_id": group.pk,
            "visibility": "group",
            "tags": ["Attendance"],
            "from_learning_id": learning_here.pk,
        },
    )
    body = response.json()
    assert response.status_code == 201, body
    assert (body["stage"], body["tags"], body["supports_count"]) == ("emerging", ["attendance"], 1)
    assert body["stage_history"][0]["from_stage"] == ""
    assert body["evidence"][0]["learning"]["id"] == learning_here.pk


def test_create_from_a_hidden_learning_is_404(call, outsider, group_learning):
    response = call(
        outsider,
        "post",
        "/ideas",
        {"title": "x", "summary": "y", "from_learning_id": group_learning.pk},
    )
    assert response.status_code == 404
    assert not Idea.objects.exists()


def test_create_bad_input_names_the_field(call, owner):
    response = call(owner, "post", "/ideas", {"title": "", "summary": "s", "visibility": "group"})
    assert response.status_code == 422
    assert "title" in {e["field"] for e in response.json()["errors"]}


def test_anonymous_cannot_write(client, network_idea):
    response = client.post(
        f"{API}/ideas", {"title": "x", "summary": "y"}, content_type="application/json"
    )
    endorse = client.post(f"{API}/ideas/{network_idea.pk}/endorse")
    assert (response.status_code, endorse.status_code) == (401, 401)


def test_patch_and_delete_permissions(call, owner, member, network_idea):
    patch = call(member, "patch", f"/ideas/{network_idea.pk}", {"title": "Mine now"})
    delete = call(member, "delete", f"/ideas/{network_idea.pk}")
    assert (patch.status_code, delete.status_code) == (403, 403)
    patch = call(owner, "patch", f"/ideas/{network_idea.pk}", {"title": "Better", "tags": ["x"]})
    assert (patch.json()["title"], patch.json()["tags"]) == ("Better", ["x"])
    assert call(owner, "delete", f"/ideas/{network_idea.pk}").status_code == 204
    assert call(owner, "get", f"/ideas/{network_idea.pk}").status_code == 404


def test_outsider_gets_404_on_group_idea_writes(call, outsider, group_idea, learning_there):
    paths = [
        ("patch", f"/ideas/{group_idea.pk}", {"title": "x"}),
        ("post", f"/ideas/{group_idea.pk}/stage", {"to_stage": "testing", "reason": "r"}),
        ("post", f"/ideas/{group_idea.pk}/evidence", {"learning_id": learning_there.pk}),
        ("post", f"/ideas/{group_idea.pk}/endorse", {"note": ""}),
    ]
    codes = [call(outsider, method, path, body).status_code for method, path, body in paths]
    assert codes == [404, 404, 404, 404]
    assert call(outsider, "delete", f"/ideas/{group_idea.pk}").status_code == 404
    assert call(outsider, "delete", f"/ideas/{group_idea.pk}/endorse").status_code == 404
    evidence = EvidenceFactory(idea=group_idea)
    removal = call(outsider, "delete", f"/ideas/{group_idea.pk}/evidence/{evidence.pk}")
    assert removal.status_code == 404


def test_patch_cannot_change_the_stage(call, owner, network_idea):
    response = call(owner, "patch", f"/ideas/{network_idea.pk}", {"stage": "knowledge"})
    network_idea.refresh_from_db()
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "stage"
    assert network_idea.stage == "emerging"


def test_stage_change_by_moderator(call, moderator, network_idea):
    response = call(
        moderator,
        "post",
        f"/ideas/{network_idea.pk}/stage",
        {"to_stage": "knowledge", "reason": "Meets the standards", "override": True},
    )
    body = response.json()
    network_idea.refresh_from_db()
    assert response.status_code == 201, body
    assert (body["from_stage"], body["to_stage"]) == ("emerging", "knowledge")
    assert body["evidence_snapshot"] == {
        "counts": {"supports": 0, "contradicts": 0, "context": 0},
        "contexts": 0,
        "learnings": [],
    }
    assert network_idea.stage == "knowledge"
    assert network_idea.stage_changes.get(to_stage="knowledge").override


def test_stage_change_rules(call, owner, member, network_idea):
    path = f"/ideas/{network_idea.pk}/stage"
    member_try = call(member, "post", path, {"to_stage": "testing", "reason": "r"})
    author_jump = call(owner, "post", path, {"to_stage": "knowledge", "reason": "r"})
    no_reason = call(owner, "post", path, {"to_stage": "testing"})
    bad_stage = call(owner, "post", path, {"to_stage": "wisdom", "reason": "r"})
    assert (member_try.status_code, author_jump.status_code) == (403, 403)
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "reason"
    assert bad_stage.status_code == 422
    assert bad_stage.json()["errors"][0]["field"] == "to_stage"
    assert StageChange.objects.filter(idea=network_idea).count() == 0


def test_add_evidence_copies_context(call, member, network_idea, learning_there, other_group):
    response = call(
        member,
        "post",
        f"/ideas/{network_idea.pk}/evidence",
        {"learning_id": learning_there.pk, "relation": "contradicts", "note": "Not at South"},
    )
    evidence = Evidence.objects.get()
    assert response.status_code == 201, response.json()
    assert response.json()["context_site"] == "South Middle"
    assert (evidence.context_group, evidence.relation) == (other_group, "contradicts")


def test_duplicate_evidence_is_a_field_error(call, member, network_idea, learning_here):
    path = f"/ideas/{network_idea.pk}/evidence"
    call(member, "post", path, {"learning_id": learning_here.pk})
    response = call(member, "post", path, {"learning_id": learning_here.pk})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "learning_id", "message": "This learning is already linked to this idea."}
    ]


def test_hidden_learning_cannot_be_linked(call, outsider, network_idea, group_learning):
    response = call(
        outsider, "post", f"/ideas/{network_idea.pk}/evidence", {"learning_id": group_learning.pk}
    )
    assert response.status_code == 404
    assert not Evidence.objects.exists()


def test_remove_evidence_permissions(call, owner, member, network_idea, learning_here):
    evidence = services.evidence_link(viewer=owner, idea=network_idea, learning=learning_here)
    path = f"/ideas/{network_idea.pk}/evidence/{evidence.pk}"
    assert call(member, "delete", path).status_code == 403
    assert call(owner, "delete", path).status_code == 204
    assert call(owner, "delete", path).status_code == 404


def test_endorse_and_withdraw(call, member, network_idea):
    path = f"/ideas/{network_idea.pk}/endorse"
    response = call(member, "post", path, {"note": "Seen it work"})
    assert response.status_code == 201
    assert response.json()["note"] == "Seen it work"
    assert call(member, "post", path).status_code == 201  # no body: note left empty
    assert call(member, "delete", path).status_code == 204
    assert not Endorsement.objects.exists()


def test_draft_idea_is_the_authors_alone(call, owner, steward):
    draft = IdeaFactory(author=owner, visibility=Visibility.DRAFT)
    assert call(owner, "get", f"/ideas/{draft.pk}").status_code == 200
    assert call(steward, "get", f"/ideas/{draft.pk}").status_code == 404


def test_openapi_schema_lists_the_endpoints(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    assert {
        "/api/v1/ideas",
        "/api/v1/ideas/{pk}",
        "/api/v1/ideas/{pk}/stage",
        "/api/v1/ideas/{pk}/evidence",
        "/api/v1/ideas/{pk}/evidence/{evidence_id}",
        "/api/v1/ideas/{pk}/endorse",
    } <= set(paths)
