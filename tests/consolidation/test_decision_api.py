"""The decisions API: list, read (tally, participation, votes), propose, vote, withdraw, and
the stage endpoint's override."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from learnloop.consolidation.decisions import decision_open, vote_cast
from learnloop.consolidation.models import Decision, DecisionStatus, Stage, StandardsVersion
from learnloop.people.models import StakeholderType
from tests.factories import IdeaFactory, PersonFactory

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
def promising(owner, group):
    return IdeaFactory(
        author=owner, group=group, stage=Stage.PROMISING, title="Greet by name", serves=["student"]
    )


@pytest.fixture
def group_promising(owner, group):
    return IdeaFactory(
        author=owner, group=group, visibility="group", stage=Stage.PROMISING, title="Group idea"
    )


def _open(idea, proposer, **kw):
    return decision_open(
        proposer=proposer,
        idea=idea,
        to_stage=kw.pop("to_stage", "knowledge"),
        rationale="Worked at three sites.",
        **kw,
    )


def test_propose_vote_and_read(call, owner, member, promising):
    created = call(
        member,
        "post",
        "/decisions",
        {"idea_id": promising.pk, "to_stage": "knowledge", "rationale": "Ready", "quorum": 2},
    )
    body = created.json()
    assert created.status_code == 201, body
    assert (body["kind"], body["to_stage"], body["quorum"], body["threshold"]) == (
        "stage",
        "knowledge",
        2,
        66,
    )
    pk = body["id"]
    voted = call(owner, "post", f"/decisions/{pk}/vote", {"choice": "agree", "reason": "Yes"})
    assert voted.status_code == 200, voted.json()
    detail = call(member, "get", f"/decisions/{pk}").json()
    assert detail["tally"]["agree"] == 1
    assert detail["votes"][0]["voter"]["name"] == "Olu Owner"
    assert detail["participation"]["by_type"] == [{"label": "Staff", "count": 1}]
    assert detail["participation"]["unheard"] == ["Student"]
    assert detail["my_vote"] is None


def test_block_needs_a_reason(call, member, owner, promising):
    decision = _open(promising, owner)
    response = call(member, "post", f"/decisions/{decision.pk}/vote", {"choice": "block"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"


def test_bad_input_names_the_field(call, member, promising):
    no_reason = call(
        member, "post", "/decisions", {"idea_id": promising.pk, "to_stage": "knowledge"}
    )
    bad_stage = call(
        member,
        "post",
        "/decisions",
        {"idea_id": promising.pk, "to_stage": "testing", "rationale": "x"},
    )
    neither = call(member, "post", "/decisions", {"rationale": "x"})
    past = call(
        member,
        "post",
        "/decisions",
        {
            "idea_id": promising.pk,
            "to_stage": "knowledge",
            "rationale": "x",
            "closes_at": (timezone.now() - timedelta(days=1)).isoformat(),
        },
    )
    assert [r.status_code for r in (no_reason, bad_stage, neither, past)] == [422] * 4
    assert no_reason.json()["errors"][0]["field"] == "rationale"
    assert bad_stage.json()["errors"][0]["field"] == "to_stage"
    assert past.json()["errors"][0]["field"] == "closes_at"
    assert Decision.objects.count() == 0


def test_anonymous_gets_401(call, owner, promising):
    decision = _open(promising, owner)
    assert call(None, "get", "/decisions").status_code == 401
    assert call(None, "get", f"/decisions/{decision.pk}").status_code == 401
    assert (
        call(None, "post", f"/decisions/{decision.pk}/vote", {"choice": "agree"}).status_code == 401
    )


def test_outsider_gets_404_on_a_group_idea(call, outsider, owner, group_promising):
    decision = _open(group_promising, owner)
    assert call(outsider, "get", f"/decisions/{decision.pk}").status_code == 404
    vote = call(outsider, "post", f"/decisions/{decision.pk}/vote", {"choice": "agree"})
    propose = call(
        outsider,
        "post",
        "/decisions",
        {"idea_id": group_promising.pk, "to_stage": "returned", "rationale": "x"},
    )
    assert (vote.status_code, propose.status_code) == (404, 404)
    assert call(outsider, "get", "/decisions").json()["count"] == 0


def test_withdraw_only_by_proposer_or_steward(call, member, owner, steward, promising):
    decision = _open(promising, owner)
    assert call(member, "post", f"/decisions/{decision.pk}/withdraw", {}).status_code == 403
    done = call(steward, "post", f"/decisions/{decision.pk}/withdraw", {"reason": "Duplicate"})
    assert done.status_code == 200
    assert done.json()["status"] == "withdrawn"
    again = call(owner, "post", f"/decisions/{decision.pk}/withdraw", {})
    assert again.status_code == 422


def test_reading_a_due_decision_closes_it(call, member, owner, promising):
    decision = _open(promising, owner, quorum=1)
    vote_cast(voter=member, decision=decision, choice="agree")
    Decision.objects.filter(pk=decision.pk).update(closes_at=timezone.now() - timedelta(seconds=5))
    body = call(member, "get", f"/decisions/{decision.pk}").json()
    promising.refresh_from_db()
    assert body["status"] == "passed"
    assert body["stage_change_id"] is not None
    assert promising.stage == Stage.KNOWLEDGE


def test_list_filters_and_query_count(call, member, owner, group, django_assert_max_num_queries):
    for n in range(6):
        idea = IdeaFactory(author=owner, group=group, stage=Stage.PROMISING)
        decision = _open(idea, owner)
        vote_cast(
            voter=PersonFactory(stakeholder_type=StakeholderType.PARENT),
            decision=decision,
            choice="agree",
        )
        if n % 2:
            decision.status = DecisionStatus.WITHDRAWN
            decision.closed_at = timezone.now()
            decision.save()
    call(member, "get", "/decisions")  # the token is made before counting
    with django_assert_max_num_queries(6):
        response = call(member, "get", "/decisions?status=open")
    body = response.json()
    assert body["count"] == 3
    assert {d["status"] for d in body["items"]} == {"open"}
    assert body["items"][0]["vote_count"] == 1
    assert call(member, "get", "/decisions?status=closed").json()["count"] == 3
    assert call(member, "get", "/decisions?kind=standards").json()["count"] == 0


def test_standards_decision_only_by_the_drafts_proposer(call, member, owner):
    version = StandardsVersion.objects.create(title="Draft", proposed_by=owner)
    version.criteria.create(title="Tried in two contexts", kind="contexts", min_contexts=2)
    other = call(
        member, "post", "/decisions", {"standards_version_id": version.pk, "rationale": "x"}
    )
    mine = call(
        owner, "post", "/decisions", {"standards_version_id": version.pk, "rationale": "Start here"}
    )
    assert other.status_code == 403
    assert mine.status_code == 201
    assert mine.json()["standards_version"]["status"] == "proposed"


def test_stage_endpoint_accepts_an_override(call, moderator, member, promising):
    refused = call(
        moderator,
        "post",
        f"/ideas/{promising.pk}/stage",
        {"to_stage": "returned", "reason": "Did not hold"},
    )
    assert refused.status_code == 422
    done = call(
        moderator,
        "post",
        f"/ideas/{promising.pk}/stage",
        {"to_stage": "returned", "reason": "Did not hold", "override": True},
    )
    assert done.status_code == 201
    plain = call(
        member,
        "post",
        f"/ideas/{promising.pk}/stage",
        {"to_stage": "knowledge", "reason": "x", "override": True},
    )
    assert plain.status_code == 403
