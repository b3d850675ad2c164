"""People who might know: ranked from visible contributions on the question's tags and
words and from listed expertise, with reasons that never reveal what the viewer may not
see; the asker can ask them to answer (a notification)."""

# The space fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from learnloop.community.space_services import question_ask_people
from learnloop.community.suggestions import people_who_might_know, topic_of, words_of
from learnloop.core.models import AuditEvent, Tag, Visibility
from learnloop.generation.models import Answer
from learnloop.notifications.models import Notification
from tests.community.factories_spaces import far_group, space, stranger  # noqa: F401
from tests.core.a11y import problems
from tests.factories import (
    GroupFactory,
    IdeaFactory,
    LearningFactory,
    MembershipFactory,
    PersonFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db


def tag(name: str) -> Tag:
    return Tag.objects.get_or_create(slug=Tag.slug_for(name), defaults={"name": name})[0]


def tagged(factory, n: int, tags: list[str], **kw):
    made = []
    for _ in range(n):
        item = factory(**kw)
        item.tags.set([tag(t) for t in tags])
        made.append(item)
    return made


@pytest.fixture
def question(owner, space):
    q = QuestionFactory(
        author=owner,
        group=space,
        visibility=Visibility.GROUP,
        title="How do you keep ninth graders coming after the first month?",
    )
    q.tags.set([tag("attendance")])
    return q


def names(suggestions) -> list[str]:
    return [s.person.name for s in suggestions]


def test_topic_has_the_tags_and_telling_words(question):
    topic = topic_of(question)
    assert topic.tags == [(tag("attendance").pk, "attendance")]
    assert topic.words == ["ninth", "graders", "coming", "month"]
    assert words_of("Buses, buses and the bus depot") == ["buses", "depot"]


def test_member_of_another_group_who_wrote_on_the_topic_is_suggested(
    owner, outsider, other_group, question
):
    tagged(LearningFactory, 4, ["attendance"], author=outsider, group=other_group)
    [found] = people_who_might_know(viewer=owner, question=question)
    assert found.person == outsider
    assert found.reasons == ["wrote 4 learnings tagged attendance"]


def test_suggestions_rank_by_contribution_with_reasons(owner, outsider, member, question):
    tagged(LearningFactory, 1, ["attendance"], author=member)
    tagged(IdeaFactory, 2, ["attendance"], author=outsider)
    previous = QuestionFactory(author=member, title="Who calls on Monday?")
    previous.tags.set([tag("attendance")])
    Answer.objects.create(question=previous, author=outsider, body="We do.", accepted=True)
    found = people_who_might_know(viewer=owner, question=question)
    assert names(found) == ["Oscar Outsider", "Mia Member"]
    assert found[0].reasons == [
        "proposed 2 ideas tagged attendance",
        "gave 1 accepted answer on attendance",
    ]


def test_expertise_and_words_count(owner, question, group):
    expert = PersonFactory(display_name="Eve Expert", expertise="Attendance data, mentoring")
    MembershipFactory(person=expert, group=group)
    writer = PersonFactory(display_name="Will Writer")
    MembershipFactory(person=writer, group=group)
    LearningFactory(author=writer, title="Ninth graders drift in October")
    found = {
        s.person.name: s.reasons for s in people_who_might_know(viewer=owner, question=question)
    }
    assert found["Eve Expert"] == ["lists attendance data among their expertise"]
    assert found["Will Writer"] == [
        "wrote 1 learning about “graders”",
        "wrote 1 learning about “ninth”",
    ]


def test_words_common_to_the_whole_network_say_nothing(owner, question, group):
    filler = PersonFactory(display_name="Fran Filler")
    MembershipFactory(person=filler, group=group)
    for n in range(40):
        LearningFactory(author=filler, title=f"Ninth grade note {n}")
    writer = PersonFactory(display_name="Will Writer")
    MembershipFactory(person=writer, group=group)
    LearningFactory(author=writer, title="Ninth graders drift in October")
    found = {
        s.person.name: s.reasons for s in people_who_might_know(viewer=owner, question=question)
    }
    assert found == {"Will Writer": ["wrote 1 learning about “graders”"]}


def test_reasons_count_only_what_the_viewer_may_see(
    owner, outsider, other_group, group, question, steward
):
    tagged(LearningFactory, 2, ["attendance"], author=outsider, group=other_group)
    tagged(
        LearningFactory,
        3,
        ["attendance"],
        author=outsider,
        group=other_group,
        visibility=Visibility.GROUP,
    )
    tagged(LearningFactory, 5, ["attendance"], author=outsider, visibility=Visibility.DRAFT)
    [found] = people_who_might_know(viewer=owner, question=question)
    assert found.reasons == ["wrote 2 learnings tagged attendance"]
    [seen_by_steward] = people_who_might_know(viewer=steward, question=question)
    assert seen_by_steward.reasons == ["wrote 5 learnings tagged attendance"]


def test_someone_known_only_through_hidden_work_is_not_suggested(owner, question, space):
    quiet = PersonFactory(display_name="Quinn Quiet")
    hidden_group = GroupFactory(name="Hidden", slug="hidden")
    hidden_group.clusters.add(space)
    MembershipFactory(person=quiet, group=hidden_group)
    tagged(
        LearningFactory,
        6,
        ["attendance"],
        author=quiet,
        group=hidden_group,
        visibility=Visibility.GROUP,
    )
    assert people_who_might_know(viewer=owner, question=question) == []


def test_asker_answerers_inactive_and_those_who_cannot_see_are_left_out(
    owner, member, outsider, stranger, question
):
    for person in (owner, member, outsider, stranger):
        tagged(LearningFactory, 2, ["attendance"], author=person)
    gone = PersonFactory(display_name="Gone Person", is_active=False)
    tagged(LearningFactory, 9, ["attendance"], author=gone)
    Answer.objects.create(question=question, author=member, body="Mentors.")
    # The question is for the space: the stranger (outside it) may not see it.
    assert names(people_who_might_know(viewer=owner, question=question)) == ["Oscar Outsider"]


def test_no_suggestions_for_anonymous_or_unseen_questions(anon_client, owner, question):
    from django.contrib.auth.models import AnonymousUser

    assert people_who_might_know(viewer=AnonymousUser(), question=question) == []
    other = PersonFactory()
    assert people_who_might_know(viewer=other, question=question) == []


def test_suggestions_query_count_stays_flat(owner, question, group, django_assert_max_num_queries):
    for n in range(12):
        person = PersonFactory(display_name=f"Helper {n}", expertise="attendance")
        MembershipFactory(person=person, group=group)
        tagged(LearningFactory, 2, ["attendance"], author=person, title=f"Ninth graders {n}")
        tagged(IdeaFactory, 1, ["attendance"], author=person)
    with django_assert_max_num_queries(12):
        found = people_who_might_know(viewer=owner, question=question)
    assert len(found) == 5


# The panel on the question page ------------------------------------------------------------


def test_question_page_shows_the_panel_with_reasons(owner_client, outsider, other_group, question):
    tagged(LearningFactory, 3, ["attendance"], author=outsider, group=other_group)
    html = owner_client.get(question.get_absolute_url()).content.decode()
    assert "People who might know" in html
    assert "wrote 3 learnings tagged attendance" in html
    assert f'name="people" value="{outsider.pk}"' in html
    assert "Ask them to answer" in html
    assert problems(html) == []


def test_only_the_asker_or_a_moderator_gets_the_ask_form(
    member_client, moderator_client, outsider, other_group, question
):
    tagged(LearningFactory, 3, ["attendance"], author=outsider, group=other_group)
    html = member_client.get(question.get_absolute_url()).content.decode()
    assert "wrote 3 learnings tagged attendance" in html
    assert "Ask them to answer" not in html
    # A moderator of one linked group is not a moderator of the space the question is in.
    assert (
        "Ask them to answer"
        not in moderator_client.get(question.get_absolute_url()).content.decode()
    )


def test_public_question_page_shows_no_panel_to_visitors(anon_client, owner, outsider):
    public = QuestionFactory(author=owner, visibility=Visibility.PUBLIC, title="Public one")
    public.tags.set([tag("attendance")])
    tagged(LearningFactory, 3, ["attendance"], author=outsider, visibility=Visibility.PUBLIC)
    html = anon_client.get(public.get_absolute_url()).content.decode()
    assert "People who might know" not in html


def test_suggestions_page_and_fragment(owner_client, outsider_client, outsider, question):
    tagged(LearningFactory, 1, ["attendance"], author=outsider)
    url = reverse("spaces:suggestions", args=[question.pk])
    html = owner_client.get(url).content.decode()
    assert "Oscar Outsider" in html
    assert problems(html) == []
    fragment = owner_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.strip().startswith('<section id="suggest"')


def test_suggestions_page_is_404_for_who_cannot_see_the_question(question, stranger):
    from tests.community.factories_spaces import client_for

    response = client_for(stranger).get(reverse("spaces:suggestions", args=[question.pk]))
    assert response.status_code == 404


# Asking them ---------------------------------------------------------------------------------


def test_asker_asks_a_suggested_person(
    owner_client, owner, outsider, question, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("spaces:ask_people", args=[question.pk]),
            {"people": [outsider.pk], "note": "You ran the buddy calls: what kept them coming?"},
        )
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url() + "#suggest"
    note = Notification.objects.get(recipient=outsider)
    assert (note.kind, note.actor, note.url) == ("question", owner, question.get_absolute_url())
    assert note.body == "You ran the buddy calls: what kept them coming?"
    assert [m.to for m in mail.outbox] == [[outsider.email]]
    assert AuditEvent.objects.filter(verb="asked people to answer").exists()
    html = owner_client.get(question.get_absolute_url()).content.decode()
    assert "Asked Oscar Outsider to help." in html


def test_nobody_is_asked_twice_in_a_week(owner, outsider, question):
    question_ask_people(viewer=owner, question=question, people=[outsider])
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        question_ask_people(viewer=owner, question=question, people=[outsider])
    assert "in the last week" in str(exc.value)
    Notification.objects.update(created_at=timezone.now() - timedelta(days=8))
    assert question_ask_people(viewer=owner, question=question, people=[outsider]) == [outsider]


def test_asked_people_are_marked_in_the_panel(owner, outsider, question):
    tagged(LearningFactory, 2, ["attendance"], author=outsider)
    question_ask_people(viewer=owner, question=question, people=[outsider])
    [found] = people_who_might_know(viewer=owner, question=question)
    assert found.asked_at is not None


def test_cannot_ask_someone_who_may_not_see_the_question(owner_client, stranger, question):
    response = owner_client.post(
        reverse("spaces:ask_people", args=[question.pk]), {"people": [stranger.pk]}, follow=True
    )
    assert "You can only ask active members who can see this question." in (
        response.content.decode()
    )
    assert not Notification.objects.exists()


def test_only_the_asker_or_a_moderator_may_ask(member_client, outsider_client, outsider, question):
    url = reverse("spaces:ask_people", args=[question.pk])
    assert member_client.post(url, {"people": [outsider.pk]}).status_code == 403
    from tests.community.factories_spaces import client_for

    response = client_for(PersonFactory()).post(url, {"people": [outsider.pk]})
    assert response.status_code == 404
    assert not Notification.objects.exists()


def test_a_closed_question_asks_nobody(owner, outsider, question):
    from django.core.exceptions import ValidationError

    question.closed_at = timezone.now()
    question.save()
    with pytest.raises(ValidationError):
        question_ask_people(viewer=owner, question=question, people=[outsider])


# API -----------------------------------------------------------------------------------------


def test_api_suggestions_and_ask(client, owner, outsider, question, token_for):
    tagged(LearningFactory, 2, ["attendance"], author=outsider)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(owner)}"}
    found = client.get(f"/api/v1/questions/{question.pk}/suggestions", **auth).json()
    assert found[0]["person"]["username"] == "oscar"
    assert found[0]["reasons"] == ["wrote 2 learnings tagged attendance"]
    response = client.post(
        f"/api/v1/questions/{question.pk}/suggestions/ask",
        {"person_ids": [outsider.pk]},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200
    assert response.json()["asked"][0]["username"] == "oscar"
    again = client.post(
        f"/api/v1/questions/{question.pk}/suggestions/ask",
        {"person_ids": [outsider.pk]},
        content_type="application/json",
        **auth,
    )
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "person_ids"


def test_api_suggestions_permissions(client, member, stranger, outsider, question, token_for):
    hidden = client.get(
        f"/api/v1/questions/{question.pk}/suggestions",
        HTTP_AUTHORIZATION=f"Bearer {token_for(stranger)}",
    )
    assert hidden.status_code == 404
    forbidden = client.post(
        f"/api/v1/questions/{question.pk}/suggestions/ask",
        {"person_ids": [outsider.pk]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_for(member)}",
    )
    assert forbidden.status_code == 403
    assert client.get(f"/api/v1/questions/{question.pk}/suggestions").status_code == 401
