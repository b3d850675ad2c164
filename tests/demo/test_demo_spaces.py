"""The demo network's creation space: follows, questions answered across groups, two
opportunity narratives, and the pages that show them."""

from __future__ import annotations

import pytest
from django.test import Client

from learnloop.community.models import Follow, Narrative
from learnloop.community.suggestions import people_who_might_know
from learnloop.core import access
from learnloop.demo import content as C
from learnloop.demo.spaces import QUESTIONS
from learnloop.generation.models import Answer, Question
from learnloop.notifications.models import Notification
from learnloop.people.models import Group, Membership, Person
from tests.core.a11y import problems

pytestmark = pytest.mark.django_db


def _login(username: str) -> Client:
    client = Client()
    client.force_login(Person.objects.get(username=username))
    return client


def test_the_cluster_is_a_space_with_followers(demo):
    space = Group.objects.get(slug=C.CLUSTER)
    assert space.kind == "cluster"
    assert space.linked_groups.count() == len(C.CLUSTER_LINKS)
    follows = list(Follow.objects.select_related("person", "group"))
    assert len(follows) >= 10
    assert {f.person.username for f in follows if f.group == space} >= {
        "daniel.reyes",
        "frank.osei",
    }
    for f in follows:
        assert not access.is_group_member(f.person, f.group_id), (f.person, f.group)


def test_questions_are_answered_across_groups(demo):
    titles = [spec.title for spec in QUESTIONS]
    questions = list(Question.objects.filter(title__in=titles))
    assert 3 <= len(questions) <= 5
    assert any(q.group is None for q in questions)
    assert any(q.group and q.group.slug == C.CLUSTER for q in questions)
    across = 0
    for q in questions:
        accepted = Answer.objects.filter(question=q, accepted=True).first()
        if accepted is None:
            continue
        asker_groups = set(
            Membership.objects.filter(person=q.author).values_list("group_id", flat=True)
        )
        answerer_groups = set(
            Membership.objects.filter(person=accepted.author).values_list("group_id", flat=True)
        )
        assert not asker_groups & answerer_groups - {Group.objects.get(slug=C.CLUSTER).pk}
        assert access.can_view(accepted.author, q)
        across += 1
    assert across >= 3
    assert Notification.objects.filter(kind="question").count() >= len(questions)


def test_demo_question_has_people_who_might_know(demo):
    question = Question.objects.get(title=QUESTIONS[0].title)
    found = people_who_might_know(viewer=question.author, question=question)
    assert len(found) >= 3
    assert all(s.reasons for s in found)
    assert question.author not in [s.person for s in found]


def test_two_narratives_linked_to_groups_questions_and_ideas(demo):
    narratives = list(Narrative.objects.order_by("created_at"))
    assert len(narratives) == 2
    assert {n.group.slug if n.group else None for n in narratives} == {None, C.CLUSTER}
    for n in narratives:
        assert n.groups.exists() and n.questions.exists() and n.ideas.exists()


def test_space_and_narrative_pages_on_the_demo(demo):
    client = _login("tom.whitaker")
    space = Group.objects.get(slug=C.CLUSTER)
    pages = [
        "/spaces/",
        f"/spaces/{space.slug}/",
        "/spaces/following",
        "/narratives/",
        "/narratives/new",
        f"/questions/{Question.objects.get(title=QUESTIONS[0].title).pk}/",
        *[n.get_absolute_url() for n in Narrative.objects.all()],
    ]
    steward = _login("amara.okafor")
    for url in pages:
        for who in (client, steward):
            response = who.get(url)
            if url == "/narratives/new" and who is client:
                assert response.status_code == 403
                continue
            assert response.status_code == 200, url
            assert problems(response.content.decode()) == [], url
    html = client.get(f"/spaces/{space.slug}/").content.decode()
    assert "Shared measures, group by group" in html
    assert html.count('class="card space-col"') == len(C.CLUSTER_LINKS)
