"""Factories for knowledge brokers and their audiences."""

from __future__ import annotations

import factory

from learnloop.sharing.models import Broker, BrokerAudience, Sphere
from tests.factories import PersonFactory


class BrokerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Broker

    person = factory.SubFactory(PersonFactory)
    note = "Sits in the principals' meeting every month."


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BrokerAudience

    broker = factory.SubFactory(BrokerFactory)
    name = factory.Sequence(lambda n: f"Audience {n}")
    sphere = Sphere.GROUPS
