"""The demo network's impact-group meetings: agendas, attendance and step-back learnings
over recent months, one meeting ahead for the demo moderator's group, a small group that
gets size advice, and nudges to members who went quiet."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learnloop.community.groups import group_size_advice
from learnloop.community.meeting_selectors import agenda_view, reflection_view
from learnloop.community.moderation_selectors import quiet_members
from learnloop.generation.models import LearningKind
from learnloop.notifications.models import Notification, NotificationKind
from learnloop.people.models import Group, GroupKind, Person, Role
from learnloop.value.models import Convening
from tests.demo.conftest import TODAY

pytestmark = pytest.mark.django_db

END = datetime.combine(TODAY, time(0), tzinfo=timezone.get_current_timezone())


def _meetings():
    return Convening.objects.filter(kind="meeting", group__kind=GroupKind.IMPACT).exclude(agenda=[])


def test_impact_groups_met_with_agendas_attendance_and_step_backs(demo):
    held = [m for m in _meetings().prefetch_related("participants") if m.starts_at < END]
    recent = [m for m in held if m.starts_at >= END - timedelta(days=183)]
    assert len({m.group_id for m in recent}) >= 4
    for meeting in held:
        people = list(meeting.participants.all())
        assert meeting.author in people and len(people) >= 3
        items = agenda_view(viewer=meeting.author, meeting=meeting)
        assert len(items) >= 2 and all(i.visible for i in items)
        assert any(i.kind in ("test_cycle", "question", "idea") for i in items)
        assert all(i.done and i.note for i in items)
        assert meeting.agenda[-1]["kind"] == "step_back"
        answers = [
            a for r in reflection_view(viewer=meeting.author, meeting=meeting) for a in r.answers
        ]
        assert {a.prompt for a in answers} == {"learned", "surprised", "next"}
        learnings = list(meeting.learnings.all())
        assert len(learnings) == 2
        assert {a.learning_id for a in answers if a.learning_id} == {lrn.pk for lrn in learnings}
        for learning in learnings:
            assert learning.kind == LearningKind.REFLECTION
            assert learning.group_id == meeting.group_id
            assert learning.author in people
            assert learning.created_at >= meeting.ends_at
            assert "From the step back at" in learning.body


def test_the_demo_moderators_group_has_a_meeting_ahead_and_was_told(demo):
    rosa = Person.objects.get(username="rosa.jimenez")
    family = rosa.memberships.get(role=Role.MODERATOR).group
    (ahead,) = [m for m in _meetings().filter(group=family) if m.starts_at > END]
    assert ahead.starts_at.weekday() < 5
    kinds = [i.kind for i in agenda_view(viewer=rosa, meeting=ahead)]
    assert {"test_cycle", "own"} <= set(kinds)
    assert not any(a for r in reflection_view(viewer=rosa, meeting=ahead) for a in r.answers)
    told = Notification.objects.filter(kind=NotificationKind.MEETING, object_id=ahead.pk)
    members = set(family.memberships.exclude(person=rosa).values_list("person_id", flat=True))
    assert set(told.values_list("recipient_id", flat=True)) <= members
    assert told.count() >= 10
    assert all(n.actor_id == rosa.pk for n in told)


def test_a_small_impact_group_gets_the_size_advice(demo):
    outside = [
        g for g in Group.objects.filter(kind=GroupKind.IMPACT) if group_size_advice(g) is not None
    ]
    assert outside
    group = outside[0]
    client = Client()
    client.force_login(group.memberships.first().person)
    html = client.get(reverse("people:group", args=[group.slug])).content.decode()
    assert "work best with 5 to 15 people" in html


def test_moderators_nudged_members_who_had_gone_quiet(demo):
    nudges = list(Notification.objects.filter(kind=NotificationKind.NUDGE).select_related("actor"))
    assert len(nudges) >= 3
    for nudge in nudges:
        group = Group.objects.get(
            memberships__person=nudge.recipient, slug=nudge.url.strip("/").split("/")[-1]
        )
        assert nudge.actor.memberships.get(group=group).role == Role.MODERATOR
        quiet = quiet_members(viewer=nudge.actor, group=group, now=nudge.created_at)
        assert nudge.recipient in [m.person for m in quiet]
    rosa = Person.objects.get(username="rosa.jimenez")
    family = rosa.memberships.get(role=Role.MODERATOR).group
    now_quiet = quiet_members(viewer=rosa, group=family, now=END)
    assert any(m.can_nudge for m in now_quiet)


def test_demo_moderator_sees_the_tools_and_members_do_not(demo):
    rosa = Person.objects.get(username="rosa.jimenez")
    family = rosa.memberships.get(role=Role.MODERATOR).group
    client = Client()
    client.force_login(rosa)
    url = reverse("meetings:moderate", args=[family.slug])
    html = client.get(url).content.decode()
    assert "Grace O&#x27;Neill" in html or "Grace O'Neill" in html
    assert "Powerful questions" in html
    maria = Client()
    maria.force_login(Person.objects.get(username="maria.lopez"))
    assert maria.get(url).status_code == 403
    assert client.get(reverse("meetings:meetings", args=[family.slug])).status_code == 200
