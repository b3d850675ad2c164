"""Routine pages: who may open and run them, what finishing each one does, and that each
page passes the accessibility checks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learnloop.consolidation.models import (
    Decision,
    Evidence,
    Idea,
    ReductionItem,
    Routine,
    RoutineSchedule,
    Stage,
)
from learnloop.consolidation.routines import Choice, reduction_complete, synthesis_complete
from tests.core.a11y import problems
from tests.factories import IdeaFactory, LearningFactory

pytestmark = pytest.mark.django_db

LIST = reverse("routines:routines")
SUMMARY = reverse("routines:summary_new")
REDUCTION = reverse("routines:reduction_new")


def synthesis_url(group) -> str:
    return reverse("routines:synthesis_new") + f"?group={group.pk}"


@pytest.fixture
def group_synthesis(member, group, learning_here, network_idea):
    return synthesis_complete(
        person=member,
        group=group,
        learnings=[learning_here],
        answers={"patterns": "Calls build trust.", "differences": "Less so at South."},
        strength="moderate",
        output="existing",
        ideas=[network_idea],
    )


# Who may open what ---------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, SUMMARY, REDUCTION, reverse("routines:routine", args=[1])])
def test_anonymous_is_sent_to_log_in(anon_client, url):
    response = anon_client.get(url)
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_outsider_gets_404_on_a_group_synthesis(outsider_client, member_client, group_synthesis):
    url = group_synthesis.get_absolute_url()
    assert outsider_client.get(url).status_code == 404
    assert member_client.get(url).status_code == 200


def test_a_member_may_not_start_a_synthesis_of_a_group_they_are_not_in(outsider_client, group):
    assert outsider_client.get(synthesis_url(group)).status_code == 403
    response = outsider_client.post(synthesis_url(group), {"patterns": "x", "strength": "weak"})
    assert response.status_code == 403
    assert Routine.objects.count() == 0


def test_unknown_group_is_404(member_client):
    response = member_client.get(reverse("routines:synthesis_new") + "?group=999999")
    assert response.status_code == 404


def test_only_stewards_and_moderators_lead_a_reduction(member_client, moderator_client):
    assert member_client.get(REDUCTION).status_code == 403
    assert member_client.post(REDUCTION, {}).status_code == 403
    assert moderator_client.get(REDUCTION).status_code == 200


def test_every_member_may_read_a_reduction_round(moderator, outsider_client, owner, group):
    idea = IdeaFactory(author=owner, group=group, stage=Stage.PROMISING)
    routine = reduction_complete(
        lead=moderator, choices=[Choice(idea=idea, outcome="refine", note="One more site.")]
    )
    response = outsider_client.get(routine.get_absolute_url())
    assert response.status_code == 200
    assert "One more site." in response.content.decode()


def test_a_member_may_not_set_their_groups_cadence(member_client, group):
    response = member_client.post(
        reverse("routines:schedule_set"),
        {"kind": "synthesis", "group": group.pk, "cadence": "weekly"},
    )
    assert response.status_code == 403
    assert RoutineSchedule.objects.count() == 0


def test_a_moderator_sets_their_groups_cadence(moderator_client, group):
    day = timezone.localdate() + timedelta(days=3)
    response = moderator_client.post(
        reverse("routines:schedule_set"),
        {"kind": "synthesis", "group": group.pk, "cadence": "weekly", "next_due_on": day},
    )
    assert response.status_code == 302
    schedule = RoutineSchedule.objects.get()
    assert (schedule.group, schedule.cadence, schedule.next_due_on) == (group, "weekly", day)


def test_one_may_not_pause_someone_elses_summary(member_client, owner):
    schedule = RoutineSchedule.objects.create(
        kind="summary", person=owner, next_due_on=timezone.localdate()
    )
    url = reverse("routines:schedule_edit", args=[schedule.pk])
    assert member_client.post(url, {"action": "stop"}).status_code == 404
    schedule.refresh_from_db()
    assert schedule.active


def test_a_person_pauses_their_summary(owner_client, owner):
    schedule = RoutineSchedule.objects.create(
        kind="summary", person=owner, next_due_on=timezone.localdate()
    )
    owner_client.post(reverse("routines:schedule_edit", args=[schedule.pk]), {"action": "stop"})
    schedule.refresh_from_db()
    assert not schedule.active


# The routines page and the home page ---------------------------------------------------


def test_routines_page_shows_schedules_and_history(
    owner_client, owner, group, group_synthesis, moderator
):
    RoutineSchedule.objects.create(kind="summary", person=owner, next_due_on=timezone.localdate())
    html = owner_client.get(LIST).content.decode()
    assert problems(html) == []
    assert "Your monthly summary" in html
    assert group_synthesis.title in html
    assert "Start a synthesis of Attendance Circle" in html


def test_history_filters_by_kind_and_group(owner_client, group_synthesis, group, other_group):
    assert group_synthesis.title in owner_client.get(LIST + "?kind=synthesis").content.decode()
    assert group_synthesis.title not in owner_client.get(LIST + "?kind=summary").content.decode()
    url = LIST + f"?group={other_group.pk}"
    assert group_synthesis.title not in owner_client.get(url).content.decode()


def test_history_list_queries_do_not_grow(
    member_client, member, group, learning_here, django_assert_max_num_queries
):
    for n in range(12):
        synthesis_complete(
            person=member,
            group=group,
            learnings=[learning_here],
            answers={"patterns": f"Pattern {n}"},
            strength="weak",
        )
    with django_assert_max_num_queries(16):
        response = member_client.get(LIST)
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        member_client.get(LIST, headers={"HX-Request": "true"})


def test_home_page_says_a_summary_is_due(owner_client, owner):
    RoutineSchedule.objects.create(
        kind="summary", person=owner, cadence="monthly", next_due_on=timezone.localdate()
    )
    html = owner_client.get("/").content.decode()
    assert "Your monthly summary is due" in html
    assert SUMMARY in html


# Summary -------------------------------------------------------------------------------


def test_summary_page_lists_own_learnings_since_the_last_summary(owner_client, owner, member):
    LearningFactory(author=owner, title="Before the last summary")
    Routine.objects.create(kind="summary", person=owner, title="Earlier")
    LearningFactory(author=owner, title="Since then")
    LearningFactory(author=member, title="Someone else's")
    html = owner_client.get(SUMMARY).content.decode()
    assert problems(html) == []
    assert "Since then" in html
    assert "Before the last summary" not in html
    assert "Someone else&#x27;s" not in html


def test_finishing_a_summary_proposes_an_idea(owner_client, owner, group):
    learning = LearningFactory(author=owner, group=group, title="Calls worked")
    response = owner_client.post(
        SUMMARY,
        {
            "learnings": [learning.pk],
            "evidence": "Eight points up.",
            "understanding": "Trust matters more than reminders.",
            "helpers": "South Middle.",
            "output": "new",
            "idea_title": "Call every family in week one",
            "idea_summary": "A personal call builds trust.",
            "visibility": "network",
        },
    )
    routine = Routine.objects.get(kind="summary")
    assert response.status_code == 302
    assert response["Location"] == routine.get_absolute_url()
    idea = Idea.objects.get(title="Call every family in week one")
    assert Evidence.objects.get(idea=idea).routine == routine
    page = owner_client.get(routine.get_absolute_url()).content.decode()
    assert problems(page) == []
    assert "Trust matters more than reminders." in page
    assert idea.title in page


def test_bad_summary_input_keeps_what_was_typed(owner_client, owner):
    learning = LearningFactory(author=owner)
    response = owner_client.post(
        SUMMARY,
        {
            "learnings": [learning.pk],
            "understanding": "A long reflection that must not be lost",
            "output": "new",
            "visibility": "network",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "A long reflection that must not be lost" in html
    assert "Give the idea a title" in html
    assert f'value="{learning.pk}" id="learning-{learning.pk}" checked' in html
    assert Routine.objects.count() == 0


# Synthesis -----------------------------------------------------------------------------


def test_synthesis_page_puts_contexts_side_by_side(member_client, group, owner, member):
    LearningFactory(author=owner, group=group, site="North High", title="North story")
    LearningFactory(author=member, group=group, site="East Elementary", title="East story")
    html = member_client.get(synthesis_url(group)).content.decode()
    assert problems(html) == []
    assert "Attendance Circle · East Elementary" in html
    assert "Attendance Circle · North High" in html


def test_synthesis_filters_by_tag_and_period(member_client, group, member):
    old = LearningFactory(author=member, group=group, title="Old one")
    old.created_at = timezone.now() - timedelta(days=200)
    old.save(update_fields=["created_at"])
    LearningFactory(author=member, group=group, title="Fresh one")
    html = member_client.get(synthesis_url(group) + "&period=90").content.decode()
    assert "Fresh one" in html
    assert "Old one" not in html


def test_finishing_a_synthesis_strengthens_an_idea(
    member_client, group, learning_here, network_idea
):
    response = member_client.post(
        synthesis_url(group),
        {
            "learnings": [learning_here.pk],
            "patterns": "Calls build trust everywhere.",
            "differences": "",
            "strength": "strong",
            "output": "existing",
            "ideas": [network_idea.pk],
            "relation": "supports",
            "visibility": "network",
        },
    )
    routine = Routine.objects.get(kind="synthesis")
    assert response.status_code == 302
    assert Evidence.objects.get(idea=network_idea).routine == routine
    page = member_client.get(routine.get_absolute_url()).content.decode()
    assert problems(page) == []
    assert "Where it was tried, and what happened there" in page
    assert "Attendance Circle · North High" in page


# Reduction -----------------------------------------------------------------------------


def test_reduction_round_opens_decisions_and_says_when_nothing_was_elevated(
    moderator_client, owner, group
):
    keep = IdeaFactory(author=owner, group=group, stage=Stage.PROMISING, title="Keep going")
    back = IdeaFactory(author=owner, group=group, stage=Stage.PROMISING, title="Send back")
    page = moderator_client.get(REDUCTION).content.decode()
    assert problems(page) == []
    assert "Keep going" in page
    response = moderator_client.post(
        REDUCTION,
        {
            f"outcome_{keep.pk}": "refine",
            f"note_{keep.pk}": "Try it at one more site.",
            f"outcome_{back.pk}": "return",
            f"note_{back.pk}": "It did not hold up at South.",
        },
    )
    routine = Routine.objects.get(kind="reduction")
    assert response.status_code == 302
    assert Decision.objects.get().idea == back
    assert ReductionItem.objects.filter(routine=routine).count() == 2
    html = moderator_client.get(routine.get_absolute_url()).content.decode()
    assert problems(html) == []
    assert "Nothing was elevated this round — that is normal" in html


def test_reduction_needs_a_note_to_refine(moderator_client, owner, group):
    idea = IdeaFactory(author=owner, group=group, stage=Stage.PROMISING)
    response = moderator_client.post(REDUCTION, {f"outcome_{idea.pk}": "refine"})
    assert response.status_code == 200
    assert "Say what is still missing" in response.content.decode()
    assert Routine.objects.count() == 0


def test_produced_by_partial_lists_the_routines_behind_an_idea(
    rf, member, group_synthesis, network_idea, outsider
):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = member
    html = render_to_string(
        "consolidation/_produced_by_routines.html", {"idea": network_idea}, request=request
    )
    assert group_synthesis.title in html
    request.user = outsider
    hidden = render_to_string(
        "consolidation/_produced_by_routines.html", {"idea": network_idea}, request=request
    )
    assert group_synthesis.title not in hidden
