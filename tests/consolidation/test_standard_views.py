"""Standards pages: the current version and its history, drafting a new version, editing
its standards, and putting it to the members."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learnloop.consolidation import standard_services
from learnloop.consolidation.decisions import decision_close, decision_open, vote_cast
from learnloop.consolidation.models import (
    Criterion,
    Decision,
    DecisionStatus,
    StandardsVersion,
    VersionStatus,
)
from tests.core.a11y import problems
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _adopt(version, proposer):
    decision = decision_open(
        proposer=proposer, standards_version=version, rationale="Adopt these.", quorum=1
    )
    vote_cast(voter=PersonFactory(), decision=decision, choice="agree")
    return decision_close(decision=decision, now=decision.closes_at + timedelta(seconds=1))


@pytest.fixture
def first(steward):
    """Version 1, adopted: two standards, no equity standard."""
    version = StandardsVersion.objects.create(title="First standards", proposed_by=steward)
    Criterion.objects.create(
        version=version, position=0, kind="contexts", title="Tried in two contexts", min_contexts=2
    )
    Criterion.objects.create(
        version=version, position=1, kind="measure", title="Moves a shared measure"
    )
    _adopt(version, steward)
    version.refresh_from_db()
    return version


@pytest.fixture
def second(first, owner):
    """Version 2, adopted: adds an equity standard and asks for three contexts."""
    version = standard_services.version_draft(proposer=owner, title="Adds equity")
    contexts = version.criteria.get(kind="contexts")
    standard_services.criterion_update(viewer=owner, criterion=contexts, min_contexts=3)
    standard_services.criterion_add(
        viewer=owner,
        version=version,
        kind="equity",
        title="Works for students furthest from success",
    )
    _adopt(version, owner)
    version.refresh_from_db()
    return version


def test_index_shows_current_history_and_changes(member_client, second):
    response = member_client.get(reverse("standards:standards"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "v2: Adds equity" in html
    assert "Equity standard" in html
    assert "Added" in html and "Works for students furthest from success" in html
    assert "contexts 2 → 3" in html
    assert "The first version" in html
    assert second.decisions.get().get_absolute_url() in html
    assert problems(html) == []


def test_anonymous_is_sent_to_log_in(anon_client, first):
    for url in (
        reverse("standards:standards"),
        reverse("standards:version", args=[first.pk]),
        reverse("standards:propose"),
    ):
        response = anon_client.get(url)
        assert response.status_code == 302
        assert "/login" in response["Location"]


def test_member_drafts_from_the_current_version(member_client, member, second):
    response = member_client.post(
        reverse("standards:propose"), {"title": "Sharper wording", "rationale": "Clearer"}
    )
    draft = StandardsVersion.objects.get(status=VersionStatus.DRAFT)
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    assert (draft.proposed_by, draft.based_on) == (member, second)
    assert list(draft.criteria.values_list("title", flat=True)) == list(
        second.criteria.values_list("title", flat=True)
    )
    html = member_client.get(draft.get_absolute_url()).content.decode()
    assert "Add a standard" in html
    assert "Put it to the members" in html
    assert problems(html) == []


def test_proposer_adds_edits_reorders_and_removes(member_client, member, first):
    draft = standard_services.version_draft(proposer=member)
    add = member_client.post(
        reverse("standards:criterion_add", args=[draft.pk]),
        {"kind": "equity", "title": "Reaches families who speak other languages"},
    )
    equity = draft.criteria.get(kind="equity")
    assert add.status_code == 302
    assert list(draft.criteria.order_by("position").values_list("kind", flat=True)) == [
        "contexts",
        "measure",
        "equity",
    ]
    member_client.post(
        reverse("standards:criterion_move", args=[draft.pk, equity.pk]), {"direction": "up"}
    )
    assert list(draft.criteria.order_by("position").values_list("kind", flat=True)) == [
        "contexts",
        "equity",
        "measure",
    ]
    measure = draft.criteria.get(kind="measure")
    edit = member_client.post(
        reverse("standards:criterion_edit", args=[draft.pk, measure.pk]),
        {"kind": "measure", "title": "Improves attendance or grades", "description": "Either."},
    )
    measure.refresh_from_db()
    assert edit.status_code == 302
    assert (measure.title, measure.description) == ("Improves attendance or grades", "Either.")
    member_client.post(reverse("standards:criterion_delete", args=[draft.pk, measure.pk]))
    assert draft.criteria.count() == 2


def test_bad_standard_re_renders_with_the_message(member_client, member, first):
    draft = standard_services.version_draft(proposer=member)
    response = member_client.post(
        reverse("standards:criterion_add", args=[draft.pk]),
        {"kind": "contexts", "title": "Tried widely", "description": "Keep me"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "in how many distinct contexts" in html
    assert "Keep me" in html
    assert draft.criteria.count() == 2


def test_only_proposer_or_steward_edits_a_draft(outsider_client, steward_client, member, first):
    draft = standard_services.version_draft(proposer=member)
    criterion = draft.criteria.first()
    add = reverse("standards:criterion_add", args=[draft.pk])
    assert outsider_client.get(draft.get_absolute_url()).status_code == 200
    assert "Add a standard" not in outsider_client.get(draft.get_absolute_url()).content.decode()
    assert outsider_client.post(add, {"kind": "other", "title": "x"}).status_code == 403
    assert (
        outsider_client.post(
            reverse("standards:criterion_delete", args=[draft.pk, criterion.pk])
        ).status_code
        == 403
    )
    assert outsider_client.get(reverse("standards:submit", args=[draft.pk])).status_code == 403
    assert steward_client.post(add, {"kind": "other", "title": "Clear words"}).status_code == 302
    assert draft.criteria.count() == 3


def test_adopted_versions_cannot_be_edited(steward_client, first):
    response = steward_client.post(
        reverse("standards:criterion_add", args=[first.pk]), {"kind": "other", "title": "x"}
    )
    assert response.status_code == 403
    assert first.criteria.count() == 2


def test_submitting_warns_without_equity_and_opens_a_decision(member_client, member, first):
    draft = standard_services.version_draft(proposer=member, title="Fewer words")
    url = reverse("standards:submit", args=[draft.pk])
    page = member_client.get(url).content.decode()
    assert "no equity standard" in page
    assert problems(page) == []
    closes = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    response = member_client.post(
        url, {"rationale": "Shorter", "closes_at": closes, "quorum": "5", "threshold": "66"}
    )
    decision = Decision.objects.get(standards_version=draft)
    draft.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == decision.get_absolute_url()
    assert draft.status == VersionStatus.PROPOSED
    html = member_client.get(decision.get_absolute_url()).content.decode()
    assert "This version has no equity standard" in html
    index = member_client.get(reverse("standards:standards")).content.decode()
    assert "Proposals being decided" in index and "Fewer words" in index


def test_rejected_versions_are_listed(member_client, member, first):
    draft = standard_services.version_draft(proposer=member, title="Drop the measure")
    decision = decision_open(
        proposer=member, standards_version=draft, rationale="Simpler", quorum=1
    )
    vote_cast(voter=PersonFactory(), decision=decision, choice="disagree")
    closed = decision_close(decision=decision, now=decision.closes_at + timedelta(seconds=1))
    assert closed.status == DecisionStatus.FAILED
    html = member_client.get(reverse("standards:standards")).content.decode()
    assert html.index("Proposals not adopted") < html.index("Drop the measure")


def test_index_query_count(member_client, second, member, django_assert_max_num_queries):
    for n in range(5):
        standard_services.version_draft(proposer=member, title=f"Draft {n}")
    with django_assert_max_num_queries(10):
        response = member_client.get(reverse("standards:standards"))
    assert response.status_code == 200


def test_unknown_version_is_404(member_client):
    assert member_client.get(reverse("standards:version", args=[999999])).status_code == 404
