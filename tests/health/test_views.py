"""Health pages: who may open them, what they show, the CSV downloads, the thresholds form."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learnloop.core.models import Visibility
from learnloop.health.models import HealthSettings
from tests.core.a11y import problems
from tests.factories import (
    GroupFactory,
    IdeaFactory,
    LearningFactory,
    MembershipFactory,
    PersonFactory,
    PlanFactory,
    ProductFactory,
    ShareFactory,
    StepFactory,
)
from tests.health.conftest import ago

pytestmark = pytest.mark.django_db

HEALTH = reverse("health:health")
SETTINGS = reverse("health:settings")


def test_anonymous_is_sent_to_log_in(anon_client):
    for url in (HEALTH, SETTINGS, reverse("health:flows_csv"), reverse("health:gaps_csv")):
        response = anon_client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_steward_sees_map_gaps_and_acts(steward_client, group):
    idea = IdeaFactory(
        title="Morning greeters", group=group, stage="knowledge", stage_changed_at=ago(30)
    )
    response = steward_client.get(HEALTH)
    html = response.content.decode()
    assert response.status_code == 200
    assert problems(html) == []
    assert "<svg" in html and '<title id="wave-title">' in html and "<desc" in html
    assert "Knowledge never captured in a product" in html
    assert "Morning greeters" in html
    assert f'href="/products/new?idea={idea.pk}"' in html
    assert f'href="{SETTINGS}"' in html
    assert "health/health.css" in html


def test_member_reads_without_action_links(member_client, group):
    idea = IdeaFactory(group=group, stage="knowledge", stage_changed_at=ago(30))
    html = member_client.get(HEALTH).content.decode()
    assert idea.title in html
    assert f"/products/new?idea={idea.pk}" not in html
    assert f'href="{SETTINGS}"' not in html


def test_moderator_sees_their_groups_gaps_with_links(moderator_client, group):
    idea = IdeaFactory(
        group=group, visibility=Visibility.GROUP, stage="knowledge", stage_changed_at=ago(30)
    )
    response = moderator_client.get(HEALTH, {"group": group.slug})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"/products/new?idea={idea.pk}" in html
    assert "Attendance Circle" in html


def test_outsider_does_not_see_hidden_items_in_the_map_or_gaps(outsider_client, group):
    IdeaFactory(
        title="Group secret",
        group=group,
        visibility=Visibility.GROUP,
        stage="knowledge",
        stage_changed_at=ago(30),
    )
    html = outsider_client.get(HEALTH, {"group": group.slug}).content.decode()
    assert "Group secret" not in html


def test_unknown_group_is_404(member_client):
    assert member_client.get(HEALTH, {"group": "no-such-group"}).status_code == 404


def test_flows_csv_has_bom_and_a_line_per_record_kind(owner_client, owner):
    LearningFactory(author=owner)
    response = owner_client.get(reverse("health:flows_csv"))
    body = response.content.decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="health-flows-network.csv"' in response["Content-Disposition"]
    assert body.startswith("\ufeffphase,what,direction,")
    lines = body.splitlines()
    assert len(lines[0].split(",")) == 3 + 12
    assert lines[1].startswith("generation,Learnings posted,entered,")
    assert lines[1].endswith(",1")


def test_gaps_csv_lists_every_gap_with_its_link(steward_client, group):
    idea = IdeaFactory(title="=cmd", stage="knowledge", stage_changed_at=ago(30))
    response = steward_client.get(reverse("health:gaps_csv"), {"group": ""})
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffkind,gap,")
    line = next(x for x in body.splitlines() if x.startswith("uncaptured,"))
    assert "'=cmd" in line
    assert f"/products/new?idea={idea.pk}" in line


def test_member_may_not_open_the_thresholds(member_client, moderator_client):
    assert member_client.get(SETTINGS).status_code == 403
    assert moderator_client.post(SETTINGS, {"quiet_days": 5}).status_code == 403
    assert HealthSettings.objects.count() == 0


def test_steward_sets_thresholds_and_they_take_effect(steward_client):
    idea = IdeaFactory(stage="testing", stage_changed_at=ago(60))
    page = steward_client.get(SETTINGS)
    assert page.status_code == 200
    assert problems(page.content.decode()) == []
    data = {
        "quiet_days": 30,
        "stuck_emerging_days": 90,
        "stuck_testing_days": 45,
        "stuck_promising_days": 90,
        "stuck_knowledge_days": 180,
        "grace_days": 14,
        "cadence_grace_days": 7,
    }
    response = steward_client.post(SETTINGS, data)
    assert response.status_code == 302
    assert HealthSettings.objects.get().stuck_testing_days == 45
    html = steward_client.get(HEALTH).content.decode()
    assert f'href="{idea.get_absolute_url()}#stage-h"' in html


def test_bad_threshold_re_renders_with_the_message(steward_client):
    response = steward_client.post(SETTINGS, {"quiet_days": 0, "grace_days": "abc"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "errorlist" in html
    assert 'value="0"' in html
    assert HealthSettings.objects.count() == 0


def _page_queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(HEALTH, params).status_code == 200
    return len(ctx.captured_queries)


def _lots_of_everything(n: int) -> None:
    for i in range(n):
        group = GroupFactory(created_at=ago(400))
        author = PersonFactory()
        MembershipFactory(person=author, group=group)
        LearningFactory(author=author, group=group, created_at=ago(i * 20))
        IdeaFactory(author=author, group=group, stage="knowledge", stage_changed_at=ago(200))
        IdeaFactory(author=author, group=group, stage="testing", stage_changed_at=ago(100))
        product = ProductFactory(author=author, group=group, published_at=ago(40))
        shared = ProductFactory(author=author, group=group, published_at=ago(40))
        ShareFactory(product=shared, shared_at=ago(30))
        plan = PlanFactory(product=product, group=group)
        StepFactory(plan=plan, state="trying", next_review_on=ago(5).date())


def test_page_queries_do_not_grow_with_items_or_groups(steward_client, moderator_client, group):
    _lots_of_everything(2)
    steward_few = _page_queries(steward_client)
    moderator_few = _page_queries(moderator_client, group=group.slug)
    _lots_of_everything(8)
    assert _page_queries(steward_client) == steward_few
    assert _page_queries(moderator_client, group=group.slug) == moderator_few
    assert steward_few <= 30


def test_page_on_a_phone_uses_stacking_tables(steward_client):
    IdeaFactory(stage="knowledge", stage_changed_at=ago(30))
    html = steward_client.get(HEALTH).content.decode()
    assert 'class="stack"' in html
    assert 'viewBox="0 0 ' in html
