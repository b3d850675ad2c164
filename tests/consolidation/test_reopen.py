"""Re-opening: new contradicting evidence flags knowledge for review and tells the people
who elevated it; a moderator or steward clears the flag with a note."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from learnloop.consolidation import review_services, services
from learnloop.consolidation.decisions import decision_close, decision_open, vote_cast
from learnloop.consolidation.models import Stage
from learnloop.core.models import AuditEvent, Comment
from learnloop.people.models import Person
from tests.factories import IdeaFactory, LearningFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def elevated(owner, group, moderator):
    """A network idea elevated to knowledge by a decision (proposed by the owner; two agree,
    one disagrees), then moved to scaling by the moderator's override."""
    idea = IdeaFactory(author=owner, group=group, stage=Stage.PROMISING, title="Call on day one")
    decision = decision_open(
        proposer=owner,
        idea=idea,
        to_stage=Stage.KNOWLEDGE,
        rationale="Three schools, same result.",
        quorum=3,
        threshold=60,
    )
    agree = [PersonFactory(username="ada"), PersonFactory(username="ali")]
    against = PersonFactory(username="dora")
    for person in agree:
        vote_cast(voter=person, decision=decision, choice="agree")
    vote_cast(voter=against, decision=decision, choice="disagree")
    decision_close(decision=decision, now=decision.closes_at + timedelta(seconds=1))
    idea.refresh_from_db()
    services.idea_change_stage(
        viewer=moderator, idea=idea, to_stage=Stage.SCALING, reason="Ready", override=True
    )
    idea.refresh_from_db()
    mail.outbox.clear()
    return idea


def _link(person, idea, relation="contradicts", **learning):
    return services.evidence_link(
        viewer=person,
        idea=idea,
        learning=LearningFactory(author=person, **learning),
        relation=relation,
    )


def test_contradicting_learning_flags_knowledge_and_tells_who_elevated_it(
    elevated, member, owner, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        evidence = _link(member, elevated)
    elevated.refresh_from_db()
    assert elevated.review_flagged_at == evidence.added_at
    assert f"#{evidence.learning_id}" in elevated.review_flag
    assert member.name in elevated.review_flag
    event = AuditEvent.objects.get(verb="flagged for review")
    assert event.actor == member
    assert event.data["learning"] == evidence.learning_id
    recipients = sorted(m.to[0] for m in mail.outbox)
    voters = Person.objects.filter(username__in=["ada", "ali"])
    assert recipients == sorted([owner.email, moderator.email, *(p.email for p in voters)])
    assert "dora@example.org" not in recipients  # voted against
    assert "Call on day one" in mail.outbox[0].subject
    assert elevated.get_absolute_url() in mail.outbox[0].body


def test_the_person_who_links_it_is_not_emailed(
    elevated, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _link(owner, elevated)
    assert owner.email not in [m.to[0] for m in mail.outbox]
    assert len(mail.outbox) == 3  # the moderator and the two who agreed


@pytest.mark.parametrize(
    ("stage", "relation", "flagged"),
    [
        (Stage.KNOWLEDGE, "contradicts", True),
        (Stage.SCALING, "contradicts", True),
        (Stage.PROMISING, "contradicts", False),
        (Stage.TESTING, "contradicts", False),
        (Stage.KNOWLEDGE, "supports", False),
        (Stage.KNOWLEDGE, "context", False),
    ],
)
def test_only_contradicted_knowledge_is_flagged(owner, member, stage, relation, flagged):
    idea = IdeaFactory(author=owner, stage=stage)
    _link(member, idea, relation=relation)
    idea.refresh_from_db()
    assert (idea.review_flagged_at is not None) == flagged
    assert AuditEvent.objects.filter(verb="flagged for review").count() == int(flagged)


def test_a_second_contradiction_keeps_the_first_date(elevated, member, owner):
    first = _link(member, elevated)
    second = _link(owner, elevated)
    elevated.refresh_from_db()
    assert elevated.review_flagged_at == first.added_at
    assert f"#{second.learning_id}" in elevated.review_flag


def test_notice_renders_with_the_learning_linked(elevated, member, member_client, anon_client):
    evidence = _link(member, elevated, title="Calls did not help at West")
    html = member_client.get(elevated.get_absolute_url()).content.decode()
    assert "New evidence contradicts this knowledge: it is flagged for review" in html
    assert evidence.learning.get_absolute_url() in html
    assert reverse("reviews:create", args=[elevated.pk]) in html
    assert reverse("reviews:flag_resolve", args=[elevated.pk]) not in html  # not a moderator


def test_notice_leaves_out_learnings_the_viewer_cannot_see(elevated, owner, group, outsider_client):
    _link(owner, elevated, title="Private finding", group=group, visibility="group")
    html = outsider_client.get(elevated.get_absolute_url()).content.decode()
    assert "it is flagged for review" in html
    assert "Private finding" not in html
    assert "1 contradicting learning you cannot see" in html


def test_moderator_resolves_with_a_note(elevated, member, moderator, moderator_client):
    _link(member, elevated)
    html = moderator_client.get(elevated.get_absolute_url()).content.decode()
    assert reverse("reviews:flag_resolve", args=[elevated.pk]) in html
    response = moderator_client.post(
        reverse("reviews:flag_resolve", args=[elevated.pk]),
        {"note": "One site had a strike that week; the finding holds."},
    )
    assert response.status_code == 302
    elevated.refresh_from_db()
    assert elevated.review_flagged_at is None
    assert elevated.review_flag == ""
    comment = Comment.objects.get(object_id=elevated.pk)
    assert "the finding holds" in comment.body
    assert AuditEvent.objects.filter(verb="resolved the review flag").count() == 1


def test_resolving_needs_a_note(elevated, member, moderator, moderator_client):
    _link(member, elevated)
    response = moderator_client.post(
        reverse("reviews:flag_resolve", args=[elevated.pk]), {"note": "  "}
    )
    assert response.status_code == 200
    elevated.refresh_from_db()
    assert elevated.review_flagged_at is not None
    with pytest.raises(ValidationError):
        review_services.reopen_resolve(viewer=moderator, idea=elevated, note="")


def test_members_may_not_resolve(elevated, member, member_client, outsider_client, anon_client):
    _link(member, elevated)
    url = reverse("reviews:flag_resolve", args=[elevated.pk])
    assert member_client.post(url, {"note": "I say it holds"}).status_code == 403
    assert outsider_client.post(url, {"note": "I say it holds"}).status_code == 403
    assert anon_client.post(url, {"note": "x"}).status_code == 302
    with pytest.raises(PermissionDenied):
        review_services.reopen_resolve(viewer=member, idea=elevated, note="x")
    elevated.refresh_from_db()
    assert elevated.review_flagged_at is not None


def test_steward_resolves_through_the_api(elevated, member, steward, client, token_for):
    _link(member, elevated)
    response = client.post(
        f"/api/v1/ideas/{elevated.pk}/review-flag/resolve",
        {"note": "Weighed at the network meeting."},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(steward)}"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["review_flagged_at"] is None


def test_api_resolve_refuses_members_and_hides_group_ideas(
    owner, group, member, outsider, client, token_for
):
    idea = IdeaFactory(author=owner, group=group, visibility="group", stage=Stage.KNOWLEDGE)
    _link(member, idea)
    url = f"/api/v1/ideas/{idea.pk}/review-flag/resolve"
    body = {"note": "x"}
    as_member = client.post(
        url,
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(member)}"},
    )
    as_outsider = client.post(
        url,
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(outsider)}"},
    )
    anonymous = client.post(url, body, content_type="application/json")
    assert (as_member.status_code, as_outsider.status_code, anonymous.status_code) == (
        403,
        404,
        401,
    )


def test_a_new_stage_clears_the_flag(elevated, member, moderator):
    _link(member, elevated)
    services.idea_change_stage(
        viewer=moderator,
        idea=elevated,
        to_stage=Stage.RETURNED,
        reason="Did not hold.",
        override=True,
    )
    elevated.refresh_from_db()
    assert elevated.review_flagged_at is None
