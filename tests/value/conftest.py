"""Factories and fixtures for the value app (kept here: tests/factories.py is shared)."""

from __future__ import annotations

from datetime import timedelta

import factory
import pytest
from django.utils import timezone

from learnloop.application.models import Outcome
from learnloop.core.models import Visibility
from learnloop.value.models import Convening, StoryStep, ValueStory
from tests.factories import PersonFactory, PlanFactory


class ConveningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convening

    author = factory.SubFactory(PersonFactory)
    title = factory.Sequence(lambda n: f"Convening {n}")
    kind = "meeting"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    visibility = Visibility.NETWORK


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ValueStory

    author = factory.SubFactory(PersonFactory)
    title = factory.Sequence(lambda n: f"Story {n}")
    summary = "How a circle of teachers changed week one."
    visibility = Visibility.NETWORK


class StoryStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoryStep

    story = factory.SubFactory(StoryFactory)
    cycle = "immediate"
    narrative = "It felt good to be heard."
    added_by = factory.SelfAttribute("story.author")


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Outcome {n}")
    description = "Families came on day one."
    recorded_by = factory.SelfAttribute("plan.author")


@pytest.fixture
def later():
    return timezone.now() + timedelta(days=7)


@pytest.fixture
def earlier():
    return timezone.now() - timedelta(days=7)
