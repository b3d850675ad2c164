"""People who came to a meeting are credited as contributors of the meeting and of every
learning captured from its step back, inside the network only: who came to a meeting is
named to members only, so public pages never credit attendance."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from learnloop.community import meeting_services as services
from learnloop.core.credits import credits, credits_for
from learnloop.core.models import Visibility
from learnloop.generation.models import Learning
from learnloop.value.models import Convening
from tests.factories import LearningFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(group, owner, member, moderator):
    meeting = services.meeting_plan(
        planner=moderator, group=group, starts_at=timezone.now() + timedelta(days=2)
    )
    services.meeting_record(
        viewer=moderator, meeting=meeting, participants=[member, owner, moderator]
    )
    return meeting


def _learning_from(meeting, by):
    (answer,) = services.reflection_add(
        viewer=by, meeting=meeting, answers={"learned": "Families answer early texts."}
    )
    return services.reflection_to_learning(viewer=by, meeting=meeting, answer_id=answer["id"])


def roles(found) -> dict[str, list[str]]:
    return {c.person.username: c.roles for c in found}


def came(found) -> set[str]:
    """Who is credited for taking part (authors are also credited for what they wrote)."""
    return {c.person.username for c in found if "took_part" in c.roles}


def test_who_came_is_credited_on_the_meeting(meeting, owner, member, moderator):
    found = roles(credits(meeting))
    assert "author" in found["mo"] and "took_part" in found["mo"]  # the planner came too
    assert found["mia"] == ["took_part"] and found["olu"] == ["took_part"]
    credit = next(c for c in credits(meeting) if c.person == member)
    assert credit.role_labels == ["took part in the meeting"]


def test_who_came_is_credited_on_the_learnings_of_its_step_back(meeting, member, steward):
    learning = _learning_from(meeting, member)
    found = roles(credits(learning))
    assert next(iter(found)) == "mia"  # the author who captured it comes first
    assert found["mia"][0] == "author" and "took_part" in found["mia"]
    assert found["olu"] == ["took_part"] and found["mo"] == ["took_part"]
    # A learning from no meeting gets no one from one.
    other = LearningFactory(author=member, visibility=Visibility.NETWORK)
    assert came(credits(other)) == set()
    # Many items at once, the same answer.
    together = credits_for([learning, other, meeting])
    assert roles(together[("generation.Learning", learning.pk)]) == found


def test_public_pages_never_credit_attendance(meeting, member):
    learning = _learning_from(meeting, member)
    assert came(credits(learning)) == {"mia", "olu", "mo"}
    Convening.objects.filter(pk=meeting.pk).update(visibility=Visibility.PUBLIC)
    assert came(credits(learning, public=True)) == set()
    assert came(credits(meeting, public=True)) == set()
    # A meeting only its group sees does not name who came to the network's readers of a
    # learning; on a learning of that group alone it does; a deleted one credits no one.
    Convening.objects.filter(pk=meeting.pk).update(visibility=Visibility.GROUP)
    Learning.objects.filter(pk=learning.pk).update(visibility=Visibility.NETWORK)
    assert came(credits(learning)) == set()
    Learning.objects.filter(pk=learning.pk).update(visibility=Visibility.GROUP, group=meeting.group)
    assert came(credits(learning)) == {"mia", "olu", "mo"}
    Convening.objects.filter(pk=meeting.pk).update(deleted_at=timezone.now())
    assert came(credits(learning)) == set()


def test_a_meeting_no_one_was_recorded_at_credits_its_author_only(group, moderator):
    lone = services.meeting_plan(
        planner=moderator, group=group, starts_at=timezone.now() + timedelta(days=3)
    )
    learning = LearningFactory(author=PersonFactory(), visibility=Visibility.NETWORK)
    lone.learnings.add(learning)
    assert set(roles(credits(lone))) == {"mo"} and came(credits(lone)) == set()
    assert came(credits(learning)) == set() and len(credits(learning)) == 1
