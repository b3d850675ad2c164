"""Moderator tools: who has gone quiet (only by activity the moderator may see), kind
nudges (never twice a week to the same person), and powerful questions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from learnloop.community import moderation_selectors as sel
from learnloop.community import moderation_services as services
from learnloop.community import prompts
from learnloop.community.meeting_services import meeting_plan
from learnloop.consolidation.models import (
    Decision,
    DecisionKind,
    Endorsement,
    Review,
    StandardsVersion,
    Vote,
)
from learnloop.core.models import AuditEvent, Comment, Visibility
from learnloop.generation.models import Answer, Question
from learnloop.notifications.models import Notification, NotificationKind
from learnloop.people.models import Membership
from tests.community.factories_meetings import MeetingFactory
from tests.core.a11y import problems
from tests.factories import (
    IdeaFactory,
    LearningFactory,
    MembershipFactory,
    PersonFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db

LONG_AGO = timedelta(days=200)


@pytest.fixture(autouse=True)
def _settled(group, owner, member, moderator):
    """Everyone in the cast joined the group long ago (so nobody is merely new)."""
    Membership.objects.filter(group=group).update(joined_at=timezone.now() - LONG_AGO)


def _url(group, name="meetings:moderate"):
    return reverse(name, args=[group.slug])


def _quiet_names(moderator, group, **kw):
    return [m.person.username for m in sel.quiet_members(viewer=moderator, group=group, **kw)]


# Who may use the tools ---------------------------------------------------------------------


def test_moderator_tools_are_for_moderators_and_stewards(
    anon_client, outsider_client, member_client, moderator_client, steward_client, group
):
    assert anon_client.get(_url(group)).status_code == 302
    assert outsider_client.get(_url(group)).status_code == 404
    assert member_client.get(_url(group)).status_code == 403
    response = moderator_client.get(_url(group))
    assert response.status_code == 200
    assert problems(response.content.decode()) == []
    assert steward_client.get(_url(group)).status_code == 200
    for name in ("meetings:nudge",):
        assert outsider_client.post(_url(group, name), {}).status_code == 404
        assert member_client.post(_url(group, name), {}).status_code == 403
    for name in ("meetings:prompt_agenda", "meetings:prompt_question"):
        url = reverse(name, args=[group.slug, "open-noticed"])
        assert outsider_client.post(url).status_code == 404
        assert member_client.post(url).status_code == 403
    assert Question.objects.count() == 0


# Who has gone quiet -----------------------------------------------------------------------


def test_members_without_recent_activity_are_quiet(moderator, member, owner, group):
    LearningFactory(author=owner, group=group)  # owner is active today
    old = LearningFactory(author=member, group=group)
    old.created_at = timezone.now() - timedelta(weeks=10)
    old.save()
    quiet = sel.quiet_members(viewer=moderator, group=group)
    assert [m.person.username for m in quiet] == ["mia"]
    assert quiet[0].last_what == "a learning"
    assert quiet[0].last_active == old.created_at
    assert _quiet_names(moderator, group, weeks=12) == []


def test_newcomers_are_new_not_quiet(moderator, group):
    newcomer = PersonFactory(username="nell")
    MembershipFactory(person=newcomer, group=group)  # joined just now
    assert "nell" not in _quiet_names(moderator, group)
    assert "mia" in _quiet_names(moderator, group)


def _comment(member, owner, group):
    item = LearningFactory(author=owner, group=group)
    Comment.objects.create(target=item, author=member, body="Yes!")


def _answer(member, owner, group):
    question = QuestionFactory(author=owner, group=group)
    Answer.objects.create(question=question, author=member, body="Try texts.")


def _vote(member, owner, group):
    idea = IdeaFactory(author=owner, group=group)
    decision = Decision.objects.create(
        kind=DecisionKind.STAGE,
        idea=idea,
        to_stage="promising",
        title="Move it",
        rationale="Because.",
        proposed_by=owner,
        closes_at=timezone.now() + timedelta(days=3),
    )
    Vote.objects.create(decision=decision, voter=member, choice="agree")


def _review(member, owner, group):
    version = StandardsVersion.objects.create(title="v1", proposed_by=owner, number=1)
    Review.objects.create(
        idea=IdeaFactory(author=owner, group=group), reviewer=member, version=version
    )


def _endorse(member, owner, group):
    Endorsement.objects.create(idea=IdeaFactory(author=owner, group=group), person=member)


def _attend(member, owner, group):
    meeting = MeetingFactory(
        author=owner, group=group, starts_at=timezone.now() - timedelta(days=2)
    )
    meeting.participants.add(member)


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (_comment, "a comment"),
        (_answer, "an answer"),
        (_vote, "a vote"),
        (_review, "a review"),
        (_endorse, "an endorsement"),
        (_attend, "a meeting"),
    ],
)
def test_every_kind_of_taking_part_counts(moderator, member, owner, group, make, what):
    assert "mia" in _quiet_names(moderator, group)
    make(member, owner, group)
    assert "mia" not in _quiet_names(moderator, group)
    (mia,) = [m for m in sel.member_activity(viewer=moderator, group=group) if m.person == member]
    assert mia.last_what == what


def test_activity_the_moderator_cannot_see_does_not_count(moderator, member, group, other_group):
    """A private draft, or group-only work in a group the moderator is not in, must not
    show through as a date on this page."""
    LearningFactory(author=member, visibility=Visibility.DRAFT)
    MembershipFactory(person=member, group=other_group)
    LearningFactory(author=member, group=other_group, visibility=Visibility.GROUP)
    (mia,) = [m for m in sel.member_activity(viewer=moderator, group=group) if m.person == member]
    assert mia.last_active is None
    assert mia.is_quiet


def test_quiet_members_in_two_queries_however_many(moderator, group, django_assert_max_num_queries):
    sel.quiet_members(viewer=moderator, group=group)  # content types get cached
    for _ in range(20):
        MembershipFactory(group=group, joined_at=timezone.now() - LONG_AGO)
    # One for the clusters whose routines the moderator sees, one for everything else.
    with django_assert_max_num_queries(2):
        quiet = sel.quiet_members(viewer=moderator, group=group)
    assert len(quiet) == 22


def test_moderator_page_query_count(moderator_client, group, django_assert_max_num_queries):
    for _ in range(15):
        MembershipFactory(group=group, joined_at=timezone.now() - LONG_AGO)
    moderator_client.get(_url(group))
    with django_assert_max_num_queries(12):
        response = moderator_client.get(_url(group) + "?weeks=4")
    assert response.status_code == 200


# Nudges ------------------------------------------------------------------------------------


def test_moderator_nudges_quiet_members_kindly(
    moderator_client, moderator, member, owner, group, django_capture_on_commit_callbacks
):
    page = moderator_client.get(_url(group)).content.decode()
    assert "We have not heard from you in Attendance Circle" in page  # a kind first draft
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            _url(group, "meetings:nudge"),
            {"recipients": ["mia", "olu"], "message": "We miss you, come on Thursday!"},
        )
    assert response.status_code == 302
    sent = Notification.objects.filter(kind=NotificationKind.NUDGE).order_by("recipient__username")
    assert [n.recipient.username for n in sent] == ["mia", "olu"]
    assert all(n.actor == moderator for n in sent)
    assert all(n.body == "We miss you, come on Thursday!" for n in sent)
    assert all(n.url == group.get_absolute_url() for n in sent)
    assert sorted(m.to[0] for m in mail.outbox) == ["mia@example.org", "olu@example.org"]
    assert AuditEvent.objects.get(verb="nudged").data == {"people": sorted([member.pk, owner.pk])}
    page = moderator_client.get(_url(group)).content.decode()
    assert "We miss you, come on Thursday!" in page  # in the record of nudges
    assert 'value="mia"' not in page  # no box to tick again this week


def test_nobody_is_nudged_twice_in_a_week(moderator, member, owner, group, steward):
    services.nudge_send(moderator=moderator, group=group, recipients=[member], message="Hi")
    with pytest.raises(ValidationError, match="Mia Member"):
        services.nudge_send(
            moderator=steward, group=group, recipients=[member, owner], message="Hello"
        )
    assert Notification.objects.filter(kind=NotificationKind.NUDGE).count() == 1
    Notification.objects.update(created_at=timezone.now() - timedelta(days=8))
    services.nudge_send(moderator=steward, group=group, recipients=[member], message="Hello")
    assert Notification.objects.filter(kind=NotificationKind.NUDGE).count() == 2


def test_rate_limit_is_a_form_error_that_keeps_the_message(
    moderator_client, moderator, member, group
):
    services.nudge_send(moderator=moderator, group=group, recipients=[member], message="Hi")
    response = moderator_client.post(
        _url(group, "meetings:nudge"), {"recipients": ["mia"], "message": "Keep these words"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nudged within the last week" in html
    assert "Keep these words" in html
    assert Notification.objects.filter(kind=NotificationKind.NUDGE).count() == 1


def test_nudges_go_only_to_members_and_never_to_oneself(moderator, member, outsider, group):
    with pytest.raises(ValidationError, match="Only active members"):
        services.nudge_send(moderator=moderator, group=group, recipients=[outsider], message="Hi")
    with pytest.raises(ValidationError, match="yourself"):
        services.nudge_send(moderator=moderator, group=group, recipients=[moderator], message="Hi")
    with pytest.raises(ValidationError, match="few words"):
        services.nudge_send(moderator=moderator, group=group, recipients=[member], message="  ")
    with pytest.raises(PermissionDenied):
        services.nudge_send(moderator=member, group=group, recipients=[moderator], message="Hi")
    assert not Notification.objects.exists()


def test_nudges_of_a_group_are_seen_by_its_moderators_only(moderator, member, group, owner):
    services.nudge_send(moderator=moderator, group=group, recipients=[member], message="Hi")
    assert [n.recipient for n in sel.nudge_list(viewer=moderator, group=group)] == [member]
    with pytest.raises(PermissionDenied):
        sel.nudge_list(viewer=owner, group=group)


# Powerful questions -------------------------------------------------------------------------


def test_prompts_are_a_curated_set_under_four_purposes():
    assert 20 <= len(prompts.PROMPTS) <= 30
    assert len({p.key for p in prompts.PROMPTS}) == len(prompts.PROMPTS)
    grouped = prompts.grouped()
    assert [p.key for p, _items in grouped] == ["opening", "deeper", "stepping-back", "action"]
    assert all(len(items) >= 4 for _p, items in grouped)
    assert all(str(p.text).endswith("?") for p in prompts.PROMPTS)


def test_ask_the_group_posts_a_group_question(moderator_client, moderator, group):
    url = reverse("meetings:prompt_question", args=[group.slug, "back-learned"])
    response = moderator_client.post(url)
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    assert question.title == "What do we know now that we did not know a month ago?"
    assert question.author == moderator
    assert question.group == group
    assert question.visibility == Visibility.GROUP
    unknown = reverse("meetings:prompt_question", args=[group.slug, "no-such"])
    moderator_client.post(unknown)
    assert Question.objects.count() == 1


def test_add_a_prompt_to_the_next_meetings_agenda(moderator_client, moderator, group):
    url = reverse("meetings:prompt_agenda", args=[group.slug, "action-smallest"])
    response = moderator_client.post(url, follow=True)
    assert "plan the next meeting first" in response.content.decode()
    meeting = meeting_plan(
        planner=moderator, group=group, starts_at=timezone.now() + timedelta(days=3)
    )
    moderator_client.post(url)
    meeting.refresh_from_db()
    assert meeting.agenda[-2]["kind"] == "prompt"
    assert (
        meeting.agenda[-2]["title"] == "What is the smallest step we could try before we next meet?"
    )
    assert meeting.agenda[-2]["why"] == "Moving to action"
    assert meeting.agenda[-1]["kind"] == "step_back"
    response = moderator_client.post(url, follow=True)
    assert "on the agenda already" in response.content.decode()
    meeting.refresh_from_db()
    assert len(meeting.agenda) == 2


# API ------------------------------------------------------------------------------------------


def _api(client, method, path, **kw):
    return getattr(client, method)(f"/api/v1{path}", content_type="application/json", **kw)


def test_api_moderator_tools(moderator_client, member_client, outsider_client, group, member):
    base = f"/groups/{group.slug}/moderation"
    assert _api(outsider_client, "get", f"{base}/quiet").status_code == 404
    assert _api(member_client, "get", f"{base}/quiet").status_code == 403
    quiet = _api(moderator_client, "get", f"{base}/quiet?weeks=4").json()
    assert {q["person"]["username"] for q in quiet} == {"mia", "olu"}
    response = _api(
        moderator_client, "post", f"{base}/nudges", data={"usernames": ["mia"], "message": "Hi"}
    )
    assert response.status_code == 201
    assert response.json()[0]["recipient"]["username"] == "mia"
    again = _api(
        moderator_client, "post", f"{base}/nudges", data={"usernames": ["mia"], "message": "Hi"}
    )
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "recipients"
    stranger = _api(
        moderator_client, "post", f"{base}/nudges", data={"usernames": ["oscar"], "message": "Hi"}
    )
    assert stranger.status_code == 422
    assert (
        _api(
            member_client, "post", f"{base}/nudges", data={"usernames": ["olu"], "message": "x"}
        ).status_code
        == 403
    )
    assert len(_api(moderator_client, "get", f"{base}/nudges").json()) == 1
    listed = _api(moderator_client, "get", f"{base}/prompts").json()
    assert len(listed) == len(prompts.PROMPTS)
    made = _api(moderator_client, "post", f"{base}/prompts/open-stuck/question")
    assert made.status_code == 201
    assert made.json()["title"] == "Where do you feel stuck right now?"
    assert _api(moderator_client, "post", f"{base}/prompts/open-stuck/agenda").status_code == 422
