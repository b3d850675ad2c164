"""Factories for the test suite. Rows are created through the ORM for speed; behaviour
under test always goes through services."""

from __future__ import annotations

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from learnloop.application.models import AdoptionPlan, StakeholderStep
from learnloop.capture.models import KnowledgeProduct
from learnloop.consolidation.models import Evidence, Idea
from learnloop.core.models import Visibility
from learnloop.generation.models import Learning, Question, TestCycle
from learnloop.people.models import Group, Membership, Organization, Person
from learnloop.sharing.models import Channel, Share


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda p: f"{p.username}@example.org")
    display_name = factory.LazyAttribute(lambda p: p.username.title())
    job_role = "Teacher"
    site = "North High"
    password = factory.LazyFunction(lambda: make_password(None))


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    purpose = "Learn together how to improve ninth-grade attendance."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    group = factory.SubFactory(GroupFactory)


class LearningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Learning

    author = factory.SubFactory(PersonFactory)
    title = factory.Sequence(lambda n: f"Learning {n}")
    body = "Calling families on day one *worked*."
    visibility = Visibility.NETWORK


class TestCycleFactory(factory.django.DjangoModelFactory):
    __test__ = False

    class Meta:
        model = TestCycle

    author = factory.SubFactory(PersonFactory)
    title = factory.Sequence(lambda n: f"Cycle {n}")
    plan = "Call five families on Monday."
    visibility = Visibility.NETWORK


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    author = factory.SubFactory(PersonFactory)
    title = factory.Sequence(lambda n: f"How do we reach families {n}?")
    visibility = Visibility.NETWORK


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    author = factory.SubFactory(PersonFactory)
    title = factory.Sequence(lambda n: f"Idea {n}")
    summary = "Personal calls to families raise attendance."
    visibility = Visibility.NETWORK


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    idea = factory.SubFactory(IdeaFactory)
    learning = factory.SubFactory(LearningFactory)
    added_by = factory.SelfAttribute("learning.author")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KnowledgeProduct

    author = factory.SubFactory(PersonFactory)
    title = factory.Sequence(lambda n: f"Product {n}")
    actions = "Call every family in the first week."
    visibility = Visibility.NETWORK
    published_at = factory.LazyFunction(timezone.now)


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    name = factory.Sequence(lambda n: f"Channel {n}")


class ShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Share

    product = factory.SubFactory(ProductFactory)
    shared_by = factory.SelfAttribute("product.author")
    audience = "Principals"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdoptionPlan

    product = factory.SubFactory(ProductFactory)
    author = factory.SelfAttribute("product.author")
    title = factory.Sequence(lambda n: f"Plan {n}")
    visibility = Visibility.NETWORK


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StakeholderStep

    plan = factory.SubFactory(PlanFactory)
    label = "Ninth-grade teachers"
    action = "Call families in week one."
