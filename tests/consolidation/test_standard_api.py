"""The standards API: read the standards and a version; draft, edit and propose a version."""

from __future__ import annotations

from datetime import timedelta

import pytest

from learnloop.consolidation.decisions import decision_close, decision_open, vote_cast
from learnloop.consolidation.models import Criterion, StandardsVersion
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def call(client, token_for):
    tokens = {}

    def make(person, method, path, data=None):
        if person is not None and person.pk not in tokens:
            tokens[person.pk] = token_for(person)
        headers = {"Authorization": f"Bearer {tokens[person.pk]}"} if person else {}
        send = getattr(client, method)
        if data is None:
            return send(API + path, headers=headers)
        return send(API + path, data, content_type="application/json", headers=headers)

    return make


@pytest.fixture
def adopted(steward):
    version = StandardsVersion.objects.create(title="First standards", proposed_by=steward)
    Criterion.objects.create(
        version=version, kind="contexts", title="Tried in two contexts", min_contexts=2
    )
    decision = decision_open(
        proposer=steward, standards_version=version, rationale="Start", quorum=1
    )
    vote_cast(voter=PersonFactory(), decision=decision, choice="agree")
    decision_close(decision=decision, now=decision.closes_at + timedelta(seconds=1))
    version.refresh_from_db()
    return version


def test_read_the_standards(call, member, adopted):
    body = call(member, "get", "/standards").json()
    assert body["current"]["number"] == 1
    assert body["current"]["criteria"][0]["title"] == "Tried in two contexts"
    assert body["current"]["has_equity"] is False
    assert body["current"]["decisions"][0]["status"] == "passed"
    assert [v["id"] for v in body["history"]] == [adopted.pk]
    one = call(member, "get", f"/standards/versions/{adopted.pk}").json()
    assert one["changes"]["first"] is True


def test_anonymous_gets_401(call, adopted):
    assert call(None, "get", "/standards").status_code == 401
    assert call(None, "get", f"/standards/versions/{adopted.pk}").status_code == 401
    assert call(None, "post", "/standards/versions", {}).status_code == 401


def test_draft_edit_and_propose(call, member, adopted):
    created = call(member, "post", "/standards/versions", {"title": "Adds equity"})
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["criteria"][0]["title"] == "Tried in two contexts"
    added = call(
        member,
        "post",
        f"/standards/versions/{pk}/criteria",
        {"kind": "equity", "title": "Serves those least well served"},
    )
    assert added.status_code == 201
    assert added.json()["is_equity"] is True
    moved = call(
        member, "patch", f"/standards/versions/{pk}/criteria/{added.json()['id']}", {"move": -1}
    )
    assert moved.json()["position"] == 0
    renamed = call(member, "patch", f"/standards/versions/{pk}", {"rationale": "Equity first"})
    assert renamed.json()["rationale"] == "Equity first"
    first_id = call(member, "get", f"/standards/versions/{pk}").json()["criteria"][1]["id"]
    gone = call(member, "delete", f"/standards/versions/{pk}/criteria/{first_id}")
    assert gone.status_code == 204
    proposed = call(
        member, "post", "/decisions", {"standards_version_id": pk, "rationale": "Equity first"}
    )
    assert proposed.status_code == 201
    body = call(member, "get", "/standards").json()
    assert [v["id"] for v in body["proposed"]] == [pk]
    assert body["proposed"][0]["changes"] == {
        "first": False,
        "added": ["Serves those least well served"],
        "removed": ["Tried in two contexts"],
        "changed": [],
    }


def test_only_the_proposer_or_a_steward_edits(call, member, outsider, steward, adopted):
    pk = call(member, "post", "/standards/versions", {}).json()["id"]
    criterion = StandardsVersion.objects.get(pk=pk).criteria.get()
    path = f"/standards/versions/{pk}/criteria"
    assert call(outsider, "post", path, {"title": "x"}).status_code == 403
    assert call(outsider, "patch", f"/standards/versions/{pk}", {"title": "x"}).status_code == 403
    assert call(outsider, "delete", f"{path}/{criterion.pk}").status_code == 403
    assert call(steward, "post", path, {"title": "Plain words"}).status_code == 201
    adopted_path = f"/standards/versions/{adopted.pk}/criteria"
    assert call(steward, "post", adopted_path, {"title": "x"}).status_code == 403


def test_bad_input_names_the_field(call, member, adopted):
    pk = call(member, "post", "/standards/versions", {}).json()["id"]
    no_count = call(
        member, "post", f"/standards/versions/{pk}/criteria", {"kind": "contexts", "title": "x"}
    )
    blank = call(member, "post", f"/standards/versions/{pk}/criteria", {"title": " "})
    unknown = call(member, "patch", f"/standards/versions/{pk}", {"number": 9})
    assert no_count.json()["errors"][0]["field"] == "min_contexts"
    assert blank.json()["errors"][0]["field"] == "title"
    assert unknown.status_code == 422
    assert call(member, "get", "/standards/versions/999999").status_code == 404


def test_standards_query_count(call, member, adopted, django_assert_max_num_queries):
    for n in range(4):
        call(member, "post", "/standards/versions", {"title": f"Draft {n}"})
    with django_assert_max_num_queries(10):
        response = call(member, "get", "/standards")
    assert len(response.json()["drafts"]) == 4
