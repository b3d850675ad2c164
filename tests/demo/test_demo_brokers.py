"""The demo network has knowledge brokers, their audiences, shares through them with
responses, plans started from shares, and figures on the broker and health pages."""

from __future__ import annotations

import pytest
from django.test import Client

from learnloop.application.models import AdoptionPlan
from learnloop.demo.content import DEMO_LOGINS
from learnloop.notifications.models import Notification, NotificationKind
from learnloop.people.models import Person
from learnloop.sharing.broker_selectors import broker_queue
from learnloop.sharing.models import Broker, Share, Sphere
from learnloop.sharing.spread import spread_figures

pytestmark = pytest.mark.django_db


def test_brokers_reach_every_sphere(demo):
    brokers = Broker.objects.filter(retired_at__isnull=True)
    spheres = set(
        brokers.filter(audiences__retired_at__isnull=True).values_list(
            "audiences__sphere", flat=True
        )
    )
    assert 3 <= brokers.count() <= 4
    assert spheres == set(Sphere.values)
    logins = {login.username for login in DEMO_LOGINS}
    assert brokers.filter(person__username__in=logins).exists()


def test_shares_through_brokers_with_responses_and_plans(demo):
    through = Share.objects.filter(broker_audience__isnull=False)
    assert through.count() >= 10
    assert through.exclude(response="").count() >= 6
    assert set(through.values_list("sphere", flat=True)) == set(Sphere.values)
    assert not Share.objects.filter(sphere="").exists()
    assert AdoptionPlan.objects.filter(share__broker_audience__isnull=False).exists()
    # Every share through an audience is dated after its broker was named.
    for share in through.select_related("broker_audience__broker"):
        assert share.shared_at >= share.broker_audience.broker.named_at


def test_the_demo_broker_has_a_queue_and_news_of_it(demo):
    login = Broker.objects.select_related("person").get(
        person__username__in=[login.username for login in DEMO_LOGINS]
    )
    person = Person.objects.get(pk=login.person_id)
    assert broker_queue(viewer=person, broker=login).count() >= 3
    unread = Notification.objects.filter(
        recipient=person, kind=NotificationKind.BROKER, read_at__isnull=True
    )
    assert unread.count() == 2


def test_the_network_figures_are_filled_in_every_sphere(demo):
    steward = Person.objects.get(username="amara.okafor")
    figures = spread_figures(viewer=steward)
    assert all(s.shares and s.audiences for s in figures.spheres)
    assert figures.plans >= 5


def test_broker_pages_render_for_the_demo_broker(demo):
    client = Client()
    client.force_login(Person.objects.get(username="james.okonkwo"))
    listed = client.get("/brokers/")
    mine = client.get("/brokers/me/", follow=True)
    assert listed.status_code == 200
    assert "Hannah Kim" in listed.content.decode()
    assert mine.status_code == 200
    assert "County family resource centers" in mine.content.decode()
