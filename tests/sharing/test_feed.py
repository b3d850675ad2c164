"""The activity feed page and its JSON twin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learnloop.core.models import Visibility
from tests.factories import LearningFactory, ProductFactory, ShareFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def learnings_back_in_time(author, count, **kwargs):
    now = timezone.now()
    return [
        LearningFactory(
            author=author,
            title=f"Learning #{i:02d}",
            created_at=now - timedelta(minutes=i),
            **kwargs,
        )
        for i in range(count)
    ]


def test_feed_page_shows_the_cycle(member_client, owner):
    LearningFactory(author=owner, title="Calls work")
    product = ProductFactory(author=owner, title="Calls guide")
    ShareFactory(product=product, audience="Principals")
    html = member_client.get(reverse("sharing:feed")).content.decode()
    assert "Calls work" in html
    assert "Calls guide" in html
    assert "shared a product with Principals" in html


def test_feed_shows_stage_moves_and_outcomes(member_client, owner, steward):
    from learnloop.application.models import Outcome
    from learnloop.consolidation.models import StageChange
    from tests.factories import IdeaFactory, PlanFactory

    idea = IdeaFactory(title="Morning check-ins", stage="promising")
    StageChange.objects.create(
        idea=idea, from_stage="testing", to_stage="promising", reason="r", decided_by=steward
    )
    plan = PlanFactory(product=ProductFactory(author=owner))
    Outcome.objects.create(
        plan=plan, title="Attendance up 4 points", description="d", recorded_by=owner
    )
    html = member_client.get(reverse("sharing:feed")).content.decode()
    assert "moved an idea from Testing to Promising" in html
    assert "Morning check-ins" in html
    assert "Attendance up 4 points" in html


def test_feed_hides_outcomes_of_products_the_viewer_may_not_see(outsider_client, owner, group):
    from learnloop.application.models import Outcome
    from tests.factories import PlanFactory

    product = ProductFactory(author=owner, group=group, visibility=Visibility.GROUP)
    plan = PlanFactory(product=product, visibility=Visibility.NETWORK)
    Outcome.objects.create(plan=plan, title="Quiet win", description="d", recorded_by=owner)
    html = outsider_client.get(reverse("sharing:feed")).content.decode()
    assert "Quiet win" not in html


def test_feed_hides_what_the_viewer_may_not_see(outsider_client, owner, group):
    LearningFactory(author=owner, group=group, visibility=Visibility.GROUP, title="Group secret")
    html = outsider_client.get(reverse("sharing:feed")).content.decode()
    assert "Group secret" not in html


def test_anonymous_is_sent_to_login(anon_client):
    assert anon_client.get(reverse("sharing:feed")).status_code == 302


def test_older_pagination_by_cursor(member_client, owner):
    learnings_back_in_time(owner, 35)
    first = member_client.get(reverse("sharing:feed"))
    older = first.context["older"]
    assert [e.item.title for e in first.context["feed"]][-1] == "Learning #29"
    assert "Load older activity" in first.content.decode()
    second = member_client.get(reverse("sharing:feed"), {"before": older.isoformat()})
    titles = [e.item.title for e in second.context["feed"]]
    assert titles == [f"Learning #{i:02d}" for i in range(30, 35)]
    assert second.context["older"] is None


def test_cursor_survives_a_plus_turned_into_a_space(member_client, owner):
    learnings_back_in_time(owner, 3)
    cursor = timezone.now().isoformat().replace("+", " ")
    response = member_client.get(reverse("sharing:feed"), {"before": cursor})
    assert len(response.context["feed"]) == 3


def test_unreadable_cursor_means_from_now(member_client, owner):
    learnings_back_in_time(owner, 2)
    response = member_client.get(reverse("sharing:feed"), {"before": "yesterday-ish"})
    assert response.status_code == 200
    assert len(response.context["feed"]) == 2


def test_load_more_by_htmx_returns_items_only(member_client, owner):
    learnings_back_in_time(owner, 35)
    older = member_client.get(reverse("sharing:feed")).context["older"]
    response = member_client.get(
        reverse("sharing:feed"), {"before": older.isoformat()}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "Learning #34" in html
    assert "<html" not in html
    assert "That is everything so far." in html


def test_filter_by_group(member_client, owner, group):
    LearningFactory(author=owner, group=group, title="In the circle")
    LearningFactory(author=owner, title="Elsewhere")
    response = member_client.get(reverse("sharing:feed"), {"group": group.pk})
    assert [e.item.title for e in response.context["feed"]] == ["In the circle"]


def test_home_links_to_the_full_feed(member_client, owner):
    LearningFactory(author=owner)
    html = member_client.get(reverse("home")).content.decode()
    assert reverse("sharing:feed") in html


def test_feed_page_query_count(member_client, owner, django_assert_max_num_queries):
    learnings_back_in_time(owner, 10)
    for product in ProductFactory.create_batch(10, author=owner):
        ShareFactory(product=product)
    with django_assert_max_num_queries(16):
        response = member_client.get(reverse("sharing:feed"))
    assert len(response.context["feed"]) == 30


def test_api_feed_with_cursor(client, member, owner, token_for):
    learnings_back_in_time(owner, 5)
    token = token_for(member)
    first = client.get(f"{API}/feed", {"limit": 3}, headers=bearer(token)).json()
    assert [i["item_title"] for i in first["items"]] == [
        "Learning #00",
        "Learning #01",
        "Learning #02",
    ]
    assert first["items"][0]["item_type"] == "learning"
    assert first["items"][0]["actor"]["username"] == "olu"
    second = client.get(
        f"{API}/feed", {"limit": 3, "before": first["next_before"]}, headers=bearer(token)
    ).json()
    assert [i["item_title"] for i in second["items"]] == ["Learning #03", "Learning #04"]
    assert second["next_before"] is None


def test_api_feed_needs_a_member(client):
    assert client.get(f"{API}/feed").status_code == 401


def test_api_bad_cursor_is_422(client, member, token_for):
    response = client.get(f"{API}/feed", {"before": "soon"}, headers=bearer(token_for(member)))
    assert response.status_code == 422
