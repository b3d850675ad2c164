"""The three routines as services: what each produces, who may run it, cadence, reminders."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from learnloop.consolidation import routine_rules
from learnloop.consolidation.models import (
    Criterion,
    Decision,
    DecisionStatus,
    Evidence,
    Idea,
    ReductionItem,
    Routine,
    RoutineSchedule,
    Stage,
    StandardsVersion,
    VersionStatus,
)
from learnloop.consolidation.routine_selectors import due_for, reduction_candidates
from learnloop.consolidation.routines import (
    Choice,
    NewIdea,
    reduction_complete,
    schedule_set,
    schedule_update,
    send_due_reminders,
    summary_complete,
    synthesis_complete,
)
from learnloop.core.models import Visibility
from learnloop.people.models import GroupKind
from tests.factories import (
    GroupFactory,
    IdeaFactory,
    LearningFactory,
    MembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


def _schedule(**kw):
    kw.setdefault("cadence", "monthly")
    kw.setdefault("next_due_on", TODAY)
    return RoutineSchedule.objects.create(**kw)


# Cadence -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cadence", "due", "expected"),
    [
        ("weekly", date(2026, 6, 1), date(2026, 6, 8)),
        ("fortnightly", date(2026, 6, 1), date(2026, 6, 15)),
        ("monthly", date(2026, 1, 31), date(2026, 2, 28)),
        ("quarterly", date(2026, 11, 15), date(2027, 2, 15)),
    ],
)
def test_one_period_later(cadence, due, expected):
    assert routine_rules.add_cadence(due, cadence) == expected


def test_long_overdue_routine_moves_into_the_future_keeping_its_rhythm():
    assert routine_rules.next_after(date(2026, 3, 1), "monthly", TODAY) == date(2026, 7, 1)


# Schedules -----------------------------------------------------------------------------


def test_a_person_sets_their_own_summary_cadence_once(owner):
    first = schedule_set(viewer=owner, kind="summary", cadence="weekly", today=TODAY)
    again = schedule_set(viewer=owner, kind="summary", cadence="monthly", today=TODAY)
    assert first.pk == again.pk
    assert (again.person, again.cadence, again.next_due_on) == (owner, "monthly", date(2026, 6, 8))


def test_only_moderators_and_stewards_set_a_groups_cadence(member, moderator, steward, group):
    with pytest.raises(PermissionDenied):
        schedule_set(viewer=member, kind="synthesis", cadence="monthly", group=group)
    made = schedule_set(viewer=moderator, kind="synthesis", cadence="fortnightly", group=group)
    assert made.group == group
    assert (
        schedule_set(viewer=steward, kind="synthesis", cadence="weekly", group=group).pk == made.pk
    )


def test_only_stewards_set_the_reduction_cadence(moderator, steward):
    with pytest.raises(PermissionDenied):
        schedule_set(viewer=moderator, kind="reduction", cadence="quarterly")
    assert schedule_set(viewer=steward, kind="reduction", cadence="quarterly").group is None


def test_someone_elses_summary_schedule_cannot_be_changed(owner, member):
    schedule = _schedule(kind="summary", person=owner)
    with pytest.raises(PermissionDenied):
        schedule_update(viewer=member, schedule=schedule, active=False)


def test_a_due_date_in_the_past_is_refused(owner):
    with pytest.raises(ValidationError) as exc:
        schedule_set(viewer=owner, kind="summary", cadence="weekly", next_due_on=date(2020, 1, 1))
    assert "next_due_on" in exc.value.message_dict


# What is due ---------------------------------------------------------------------------


def test_due_for_lists_own_summary_own_groups_and_the_reduction_for_leads(
    owner, moderator, outsider, group, other_group
):
    mine = _schedule(kind="summary", person=owner)
    _schedule(kind="summary", person=outsider)
    ours = _schedule(kind="synthesis", group=group)
    theirs = _schedule(kind="synthesis", group=other_group)
    _schedule(kind="summary", person=moderator, next_due_on=TODAY + timedelta(days=1))
    reduction = _schedule(kind="reduction")
    assert due_for(viewer=owner, on=TODAY) == [mine, ours]
    assert due_for(viewer=moderator, on=TODAY) == [ours, reduction]
    assert theirs in due_for(viewer=outsider, on=TODAY)


def test_paused_schedules_are_not_due(owner):
    _schedule(kind="summary", person=owner, active=False)
    assert due_for(viewer=owner, on=TODAY) == []


# Summary -------------------------------------------------------------------------------


def test_summary_proposes_an_idea_with_the_chosen_learnings_as_evidence(owner, group):
    chosen = LearningFactory(author=owner, group=group, site="North High", title="Calls work")
    LearningFactory(author=owner, title="Not this one")
    schedule = _schedule(kind="summary", person=owner)
    routine = summary_complete(
        person=owner,
        learnings=[chosen],
        answers={
            "evidence": "Attendance up 8 points in four weeks.",
            "understanding": "It is about trust, not reminders.",
            "helpers": "The South Middle team.",
        },
        output="new",
        new_idea=NewIdea(title="Call families on day one", summary="A personal call builds trust."),
        today=TODAY,
    )
    idea = Idea.objects.get(title="Call families on day one")
    evidence = Evidence.objects.get(idea=idea)
    assert list(routine.learnings.all()) == [chosen]
    assert list(routine.ideas.all()) == [idea]
    assert (evidence.learning, evidence.relation, evidence.routine) == (chosen, "supports", routine)
    assert evidence.context_site == "North High"
    assert routine.answers["understanding"] == "It is about trust, not reminders."
    assert routine.schedule == schedule
    schedule.refresh_from_db()
    assert schedule.next_due_on == date(2026, 7, 1)


def test_summary_adds_evidence_to_an_existing_idea(owner, network_idea):
    learning = LearningFactory(author=owner)
    routine = summary_complete(
        person=owner,
        learnings=[learning],
        answers={"evidence": "Seen again this week."},
        output="existing",
        idea=network_idea,
    )
    assert Evidence.objects.get(idea=network_idea).routine == routine
    assert list(routine.ideas.all()) == [network_idea]


def test_summary_looks_only_at_ones_own_learnings(owner, member):
    theirs = LearningFactory(author=member)
    with pytest.raises(ValidationError) as exc:
        summary_complete(person=owner, learnings=[theirs], answers={})
    assert "learnings" in exc.value.message_dict


def test_a_new_idea_needs_a_title_and_words(owner):
    learning = LearningFactory(author=owner)
    with pytest.raises(ValidationError) as exc:
        summary_complete(
            person=owner,
            learnings=[learning],
            answers={},
            output="new",
            new_idea=NewIdea(title="", summary=""),
        )
    assert set(exc.value.message_dict) == {"idea_title", "idea_summary"}
    assert Routine.objects.count() == 0


def test_an_empty_summary_is_refused(owner):
    with pytest.raises(ValidationError):
        summary_complete(person=owner, learnings=[], answers={"evidence": "  "})


# Synthesis -----------------------------------------------------------------------------


@pytest.fixture
def cluster(group, other_group):
    cluster = GroupFactory(name="Attendance Cluster", kind=GroupKind.CLUSTER)
    group.clusters.add(cluster)
    other_group.clusters.add(cluster)
    return cluster


def test_synthesis_of_a_cluster_links_cross_site_evidence(
    member, cluster, learning_here, learning_there, network_idea
):
    routine = synthesis_complete(
        person=member,
        group=cluster,
        learnings=[learning_here, learning_there],
        answers={"patterns": "Calls work in both schools.", "differences": "Smaller at South."},
        strength="moderate",
        output="existing",
        ideas=[network_idea],
    )
    rows = Evidence.objects.filter(idea=network_idea).order_by("context_site")
    assert [(e.context_site, e.routine) for e in rows] == [
        ("North High", routine),
        ("South Middle", routine),
    ]
    assert routine.group == cluster
    assert routine.answers["strength"] == "moderate"
    assert list(routine.ideas.all()) == [network_idea]


def test_synthesis_keeps_an_earlier_link_as_it_was(member, group, learning_here, network_idea):
    earlier = Evidence.objects.create(
        idea=network_idea, learning=learning_here, added_by=member, relation="context"
    )
    synthesis_complete(
        person=member,
        group=group,
        learnings=[learning_here],
        answers={"patterns": "x"},
        strength="weak",
        output="existing",
        ideas=[network_idea],
    )
    earlier.refresh_from_db()
    assert (earlier.relation, earlier.routine) == ("context", None)


def test_synthesis_can_create_a_new_idea(member, group, learning_here):
    routine = synthesis_complete(
        person=member,
        group=group,
        learnings=[learning_here],
        answers={"patterns": "Calls work."},
        strength="weak",
        output="new",
        new_idea=NewIdea(title="Calls", summary="Call families.", group=group),
    )
    idea = routine.ideas.get()
    assert idea.evidence.get().routine == routine


def test_a_member_cannot_synthesize_a_group_they_are_not_in(outsider, group, learning_here):
    with pytest.raises(PermissionDenied):
        synthesis_complete(
            person=outsider,
            group=group,
            learnings=[learning_here],
            answers={"patterns": "x"},
            strength="weak",
        )


def test_synthesis_takes_learnings_from_its_own_scope(member, group, learning_there):
    with pytest.raises(ValidationError) as exc:
        synthesis_complete(
            person=member,
            group=group,
            learnings=[learning_there],
            answers={"patterns": "x"},
            strength="weak",
        )
    assert "learnings" in exc.value.message_dict


def test_synthesis_needs_patterns_and_a_strength(member, group):
    with pytest.raises(ValidationError) as exc:
        synthesis_complete(person=member, group=group, answers={}, strength="")
    assert {"patterns", "strength"} <= set(exc.value.message_dict)


# Reduction -----------------------------------------------------------------------------


@pytest.fixture
def promising(owner, group):
    return [
        IdeaFactory(author=owner, group=group, stage=Stage.PROMISING, title=title)
        for title in ("Day-one calls", "Name greetings", "Homework club")
    ]


@pytest.fixture
def standards(steward):
    version = StandardsVersion.objects.create(
        title="First standards",
        number=1,
        status=VersionStatus.ADOPTED,
        proposed_by=steward,
        adopted_at=timezone.now(),
    )
    Criterion.objects.create(version=version, kind="contexts", title="Three sites", min_contexts=3)
    return version


def test_reduction_opens_decisions_for_elevate_and_return(moderator, promising, standards):
    calls, names, club = promising
    schedule = _schedule(kind="reduction")
    routine = reduction_complete(
        lead=moderator,
        choices=[
            Choice(idea=calls, outcome="elevate"),
            Choice(idea=names, outcome="refine", note="Needs a second site."),
            Choice(idea=club, outcome="return", note="Attendance fell where it was tried."),
        ],
        today=TODAY,
    )
    items = {i.idea: i for i in ReductionItem.objects.filter(routine=routine)}
    assert items[calls].decision.to_stage == "knowledge"
    assert items[calls].decision.routine == routine
    assert items[names].decision is None
    assert items[names].note == "Needs a second site."
    assert items[club].decision.to_stage == "returned"
    assert items[club].decision.rationale == "Attendance fell where it was tried."
    assert Decision.objects.filter(status=DecisionStatus.OPEN).count() == 2
    assert routine.standards_version == standards
    assert set(routine.ideas.all()) == set(promising)
    schedule.refresh_from_db()
    assert schedule.next_due_on == date(2026, 7, 1)


def test_refine_and_return_need_a_note(moderator, promising):
    calls, names, _club = promising
    with pytest.raises(ValidationError) as exc:
        reduction_complete(
            lead=moderator,
            choices=[Choice(idea=calls, outcome="refine"), Choice(idea=names, outcome="return")],
        )
    assert set(exc.value.message_dict) == {f"note_{calls.pk}", f"note_{names.pk}"}
    assert Routine.objects.count() == 0
    assert Decision.objects.count() == 0


def test_a_round_with_nothing_elevated_is_kept(moderator, promising):
    routine = reduction_complete(
        lead=moderator,
        choices=[Choice(idea=i, outcome="refine", note="More sites.") for i in promising],
    )
    assert routine.items.count() == 3
    assert Decision.objects.count() == 0


def test_only_stewards_and_moderators_lead_a_reduction(member, promising):
    with pytest.raises(PermissionDenied):
        reduction_complete(lead=member, choices=[Choice(idea=promising[0], outcome="refine")])


def test_an_idea_with_an_open_decision_is_not_a_candidate(moderator, promising):
    reduction_complete(lead=moderator, choices=[Choice(idea=promising[0], outcome="elevate")])
    found = reduction_candidates(viewer=moderator)
    assert promising[0] not in found["candidates"]
    assert promising[0] in found["being_decided"]


def test_candidates_include_knowledge_flagged_for_review(moderator, owner):
    flagged = IdeaFactory(author=owner, stage=Stage.KNOWLEDGE, review_flagged_at=timezone.now())
    settled = IdeaFactory(author=owner, stage=Stage.KNOWLEDGE)
    found = reduction_candidates(viewer=moderator)["candidates"]
    assert flagged in found
    assert settled not in found


# Reminders -----------------------------------------------------------------------------


def test_reminders_go_to_the_right_people_once_a_day(
    owner,
    member,
    moderator,
    outsider,
    steward,
    group,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    _schedule(kind="summary", person=owner, cadence="weekly")
    synthesis = _schedule(kind="synthesis", group=group)
    _schedule(kind="reduction")
    _schedule(kind="summary", person=outsider, next_due_on=TODAY + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(today=TODAY) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(today=TODAY) == 0
    sent = sorted((m.to[0], m.subject) for m in mailoutbox)
    assert sent == [
        ("mia@example.org", "The synthesis of Attendance Circle is due"),
        ("mo@example.org", "The synthesis of Attendance Circle is due"),
        ("olu@example.org", "The synthesis of Attendance Circle is due"),
        ("olu@example.org", "Your weekly summary is due"),
        ("stella@example.org", "The network's reduction round is due"),
    ]
    to_mia = next(m for m in mailoutbox if m.to == ["mia@example.org"])
    assert f"/routines/synthesis/new?group={group.pk}" in to_mia.body
    synthesis.refresh_from_db()
    assert synthesis.last_reminded_on == TODAY


def test_the_next_day_brings_a_new_reminder(owner, mailoutbox, django_capture_on_commit_callbacks):
    _schedule(kind="summary", person=owner)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(today=TODAY)
        send_due_reminders(today=TODAY + timedelta(days=1))
    assert len(mailoutbox) == 2
    assert "/routines/summary/new" in mailoutbox[0].body


def test_reminder_task_runs_the_same_service(owner, mailoutbox, django_capture_on_commit_callbacks):
    from learnloop.consolidation.tasks import send_routine_reminders

    _schedule(kind="summary", person=owner, next_due_on=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        result = send_routine_reminders.enqueue()
    assert result.return_value == 1
    assert len(mailoutbox) == 1


def test_group_visible_learning_of_a_stranger_cannot_be_chosen(outsider, other_group, group):
    hidden = LearningFactory(
        author=PersonFactory(), group=group, visibility=Visibility.GROUP, title="Private"
    )
    MembershipFactory(person=hidden.author, group=group)
    with pytest.raises(ValidationError):
        synthesis_complete(
            person=outsider,
            group=other_group,
            learnings=[hidden],
            answers={"patterns": "x"},
            strength="weak",
        )
