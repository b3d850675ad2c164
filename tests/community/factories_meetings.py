"""Factories and fixtures for group meetings and moderator tools (kept here:
tests/factories.py is shared).

`open_work` puts one of each kind of open record in `group` (a running test cycle, an open
question, an idea awaiting evidence, a decision open on a group idea, a synthesis due)
plus records that must never reach the agenda: another group's work, someone's private
draft, a deleted cycle, an answered question, a well-evidenced idea."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import factory
import pytest
from django.utils import timezone

from learnloop.consolidation.models import (
    Decision,
    DecisionKind,
    Idea,
    RoutineKind,
    RoutineSchedule,
    Stage,
)
from learnloop.core.models import Visibility
from learnloop.generation.models import Answer, Question, TestCycle
from learnloop.value.models import Convening
from tests.factories import (
    EvidenceFactory,
    IdeaFactory,
    LearningFactory,
    PersonFactory,
    QuestionFactory,
    TestCycleFactory,
)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convening

    author = factory.SubFactory(PersonFactory)
    title = factory.Sequence(lambda n: f"Circle meeting {n}")
    kind = "meeting"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    visibility = Visibility.GROUP


@dataclass
class OpenWork:
    cycle: TestCycle
    studying: TestCycle
    question: Question
    idea: Idea
    decision: Decision
    synthesis: RoutineSchedule
    # Never on the agenda:
    other_cycle: TestCycle
    draft_question: Question
    deleted_cycle: TestCycle
    answered: Question
    closed: Question
    strong_idea: Idea
    knowledge_idea: Idea


@pytest.fixture
def open_work(group, other_group, owner, member, outsider) -> OpenWork:
    now = timezone.now()
    cycle = TestCycleFactory(
        author=owner,
        group=group,
        visibility=Visibility.GROUP,
        title="Text families on day one",
        status="running",
        started_on=now.date() - timedelta(days=9),
    )
    studying = TestCycleFactory(
        author=member, group=group, title="Bus stop greeters", status="studying"
    )
    question = QuestionFactory(
        author=member, group=group, visibility=Visibility.GROUP, title="Who calls on Mondays?"
    )
    Answer.objects.create(question=question, author=owner, body="Maybe the nurse.")
    idea = IdeaFactory(
        author=owner, group=group, stage=Stage.EMERGING, title="Morning texts lift attendance"
    )
    EvidenceFactory(idea=idea, learning=LearningFactory(author=owner, group=group))
    voted = IdeaFactory(author=owner, group=group, stage=Stage.PROMISING, title="Home visits")
    decision = Decision.objects.create(
        kind=DecisionKind.STAGE,
        idea=voted,
        to_stage=Stage.KNOWLEDGE,
        title="Make home visits knowledge",
        rationale="Three schools saw it work.",
        proposed_by=owner,
        closes_at=now + timedelta(days=5),
    )
    synthesis = RoutineSchedule.objects.create(
        kind=RoutineKind.SYNTHESIS, group=group, next_due_on=now.date() - timedelta(days=2)
    )
    RoutineSchedule.objects.create(
        kind=RoutineKind.SUMMARY, person=member, next_due_on=now.date() - timedelta(days=1)
    )

    other_cycle = TestCycleFactory(
        author=outsider,
        group=other_group,
        visibility=Visibility.GROUP,
        title="Reading buddies",
        status="running",
    )
    draft_question = QuestionFactory(
        author=member, group=group, visibility=Visibility.DRAFT, title="Half-formed worry"
    )
    deleted_cycle = TestCycleFactory(
        author=owner, group=group, status="running", title="Gone", deleted_at=now
    )
    answered = QuestionFactory(author=owner, group=group, title="Settled already?")
    Answer.objects.create(question=answered, author=member, body="Yes.", accepted=True)
    closed = QuestionFactory(author=owner, group=group, title="Closed one", closed_at=now)
    strong_idea = IdeaFactory(
        author=owner, group=group, stage=Stage.TESTING, title="Well evidenced"
    )
    for _ in range(3):
        EvidenceFactory(idea=strong_idea, learning=LearningFactory(author=owner, group=group))
    knowledge_idea = IdeaFactory(
        author=owner, group=group, stage=Stage.KNOWLEDGE, title="Known already"
    )
    return OpenWork(
        cycle=cycle,
        studying=studying,
        question=question,
        idea=idea,
        decision=decision,
        synthesis=synthesis,
        other_cycle=other_cycle,
        draft_question=draft_question,
        deleted_cycle=deleted_cycle,
        answered=answered,
        closed=closed,
        strong_idea=strong_idea,
        knowledge_idea=knowledge_idea,
    )


def keys(entries: list[dict[str, Any]]) -> list[str]:
    return [e["key"] for e in entries]
