"""Spread figures: audiences reached, shares, responses and adoption plans started from a
share, per broker, per product, per group and for the network, as the viewer may see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from learnloop.core.models import Visibility
from learnloop.sharing.models import Sphere
from learnloop.sharing.spread import period_since, spread_by_broker, spread_figures
from tests.core.a11y import problems
from tests.factories import PlanFactory, ProductFactory, ShareFactory
from tests.sharing.factories_brokers import AudienceFactory, BrokerFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def by_sphere(figures) -> dict[str, tuple[int, int, int, int]]:
    return {s.sphere: (s.audiences, s.shares, s.responses, s.plans) for s in figures.spheres}


@pytest.fixture
def network_product(owner):
    return ProductFactory(author=owner, visibility=Visibility.NETWORK, title="Network guide")


@pytest.fixture
def group_product(owner, group):
    return ProductFactory(
        author=owner, group=group, visibility=Visibility.GROUP, title="Group guide"
    )


def test_figures_count_distinct_audiences_per_sphere_shares_responses_and_plans(
    member, network_product
):
    team = ShareFactory(product=network_product, audience="Reading Team", sphere="groups")
    ShareFactory(product=network_product, audience="reading team", sphere="groups", response="Yes")
    ShareFactory(product=network_product, audience="Reading Team", sphere="field")
    ShareFactory(product=network_product, audience="Board", sphere="partners", response="Later")
    ShareFactory(product=network_product, audience="Old share")
    PlanFactory.create_batch(2, product=network_product, share=team)
    PlanFactory(product=network_product)  # not from a share
    figures = spread_figures(viewer=member)
    assert by_sphere(figures) == {
        "groups": (1, 2, 1, 2),
        "partners": (1, 1, 1, 0),
        "field": (1, 1, 0, 0),
        "": (1, 1, 0, 0),
    }
    assert (figures.audiences, figures.shares, figures.responses, figures.plans) == (4, 5, 2, 2)
    assert [s.sphere for s in figures.spheres] == ["groups", "partners", "field", ""]


def test_every_sphere_is_shown_even_at_zero(member):
    figures = spread_figures(viewer=member)
    assert by_sphere(figures) == {
        "groups": (0, 0, 0, 0),
        "partners": (0, 0, 0, 0),
        "field": (0, 0, 0, 0),
    }
    assert not figures.has_any


def test_the_period_bounds_shares_and_plans(member, network_product):
    old = ShareFactory(
        product=network_product, sphere="groups", shared_at=timezone.now() - timedelta(days=200)
    )
    ShareFactory(product=network_product, sphere="groups")
    PlanFactory(product=network_product, share=old, created_at=timezone.now() - timedelta(days=150))
    PlanFactory(product=network_product, share=old)
    key, since = period_since("90")
    recent = spread_figures(viewer=member, since=since)
    always = spread_figures(viewer=member, since=period_since("all")[1])
    assert key == "90"
    assert (recent.shares, recent.plans) == (1, 1)
    assert (always.shares, always.plans) == (2, 2)
    assert period_since("nonsense")[0] == "365"


def test_outsiders_count_nothing_of_a_group_product(member, outsider, group_product):
    share = ShareFactory(product=group_product, audience="Principals", sphere="partners")
    PlanFactory(product=group_product, share=share, group=group_product.group)
    assert (spread_figures(viewer=member).shares, spread_figures(viewer=member).plans) == (1, 1)
    hidden = spread_figures(viewer=outsider)
    assert (hidden.audiences, hidden.shares, hidden.responses, hidden.plans) == (0, 0, 0, 0)


def test_visitors_see_no_figures_even_of_public_products(owner):
    ShareFactory(product=ProductFactory(author=owner, visibility=Visibility.PUBLIC))
    assert spread_figures(viewer=AnonymousUser()).shares == 0


def test_plans_the_viewer_cannot_open_are_not_counted(member, outsider, network_product, group):
    share = ShareFactory(product=network_product, sphere="groups")
    PlanFactory(product=network_product, share=share, visibility=Visibility.GROUP, group=group)
    assert spread_figures(viewer=member).plans == 1
    assert spread_figures(viewer=outsider).plans == 0


def test_figures_per_broker_per_product_and_per_group(member, owner, network_product, group):
    broker = BrokerFactory(person=member)
    audience = AudienceFactory(broker=broker, name="Board", sphere=Sphere.PARTNERS)
    # Through one of the broker's audiences (recorded by a steward, say), and by the
    # broker with a typed audience: both are the broker's.
    ShareFactory(product=network_product, broker_audience=audience, audience="Board")
    ShareFactory(product=network_product, shared_by=member, audience="Library", sphere="field")
    ShareFactory(product=network_product, audience="Someone else's audience", sphere="field")
    in_group = ProductFactory(author=owner, group=group, visibility=Visibility.NETWORK)
    ShareFactory(product=in_group, audience="Team", sphere="groups")
    assert spread_figures(viewer=member, broker=broker).shares == 2
    assert spread_figures(viewer=member, product=network_product).shares == 3
    assert spread_figures(viewer=member, group=group).shares == 1
    assert spread_figures(viewer=member).shares == 4
    together = spread_by_broker(viewer=member, brokers=[broker])
    assert by_sphere(together[broker.pk]) == by_sphere(spread_figures(viewer=member, broker=broker))


def test_figures_take_two_queries_whatever_the_size(
    member, network_product, django_assert_max_num_queries
):
    brokers = BrokerFactory.create_batch(5)
    for broker in brokers:
        for audience in AudienceFactory.create_batch(3, broker=broker):
            share = ShareFactory(
                product=network_product, broker_audience=audience, audience=audience.name
            )
            PlanFactory(product=network_product, share=share)
    member.refresh_from_db()
    with django_assert_max_num_queries(3):  # memberships of the viewer, shares, plans
        spread_figures(viewer=member)
    with django_assert_max_num_queries(2):
        figures = spread_by_broker(viewer=member, brokers=brokers)
    assert [figures[b.pk].plans for b in brokers] == [3] * 5


# Pages -------------------------------------------------------------------------------------


def test_broker_page_shows_the_brokers_figures(member_client, member, network_product):
    BrokerFactory(person=member)
    ShareFactory(
        product=network_product, shared_by=member, audience="Board", sphere="partners", response="!"
    )
    response = member_client.get(reverse("brokers:broker", args=[member.username]) + "?period=90")
    html = response.content.decode()
    assert response.status_code == 200
    assert problems(html) == []
    assert response.context["figures"].responses == 1
    assert response.context["period"] == "90"
    assert 'data-sphere="partners"' in html


def test_health_page_shows_how_knowledge_spreads(member_client, outsider_client, group_product):
    ShareFactory(product=group_product, audience="Principals", sphere="partners")
    seen = member_client.get(reverse("health:health"))
    hidden = outsider_client.get(reverse("health:health"))
    html = seen.content.decode()
    assert "How knowledge spreads" in html
    assert problems(html) == []
    assert seen.context["spread"].shares == 1
    assert hidden.context["spread"].shares == 0


def test_health_page_spread_follows_the_group_filter(member_client, owner, group, other_group):
    ShareFactory(product=ProductFactory(author=owner, group=group), sphere="groups")
    ShareFactory(product=ProductFactory(author=owner, group=other_group), sphere="groups")
    scoped = member_client.get(reverse("health:health") + f"?group={group.slug}")
    assert scoped.context["spread"].shares == 1


# API ---------------------------------------------------------------------------------------


def test_api_spread_for_the_network_a_product_and_a_broker(
    client, member, outsider, network_product, group_product, token_for
):
    BrokerFactory(person=member)
    ShareFactory(product=network_product, shared_by=member, audience="Board", sphere="partners")
    ShareFactory(product=group_product, audience="Team", sphere="groups")
    mine = {"Authorization": f"Bearer {token_for(member)}"}
    theirs = {"Authorization": f"Bearer {token_for(outsider)}"}
    network = client.get(f"{API}/spread", headers=mine).json()
    assert (network["shares"], network["audiences"]) == (2, 2)
    assert client.get(f"{API}/spread", headers=theirs).json()["shares"] == 1
    product = client.get(f"{API}/spread?product={group_product.pk}", headers=mine).json()
    assert product["shares"] == 1
    assert client.get(f"{API}/spread?product={group_product.pk}", headers=theirs).status_code == 404
    by_broker = client.get(f"{API}/spread?broker={member.username}&period=all", headers=mine)
    assert by_broker.json()["spheres"][1] == {
        "sphere": "partners",
        "label": "Partner organizations",
        "audiences": 1,
        "shares": 1,
        "responses": 0,
        "plans": 0,
    }
    assert client.get(f"{API}/spread").status_code == 401
