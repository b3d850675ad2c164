"""Every main page, on the demo network, for a steward, a parent and a visitor: no server
error, and each rendered page passes the accessibility checks in tests/core/a11y.py."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client

from learnloop.application.models import AdoptionPlan
from learnloop.capture.models import KnowledgeProduct
from learnloop.community.models import Narrative
from learnloop.consolidation.models import Decision, Idea, Routine, StandardsVersion
from learnloop.core.models import Tag, Visibility
from learnloop.demo.builder import DEMO_PASSWORD, DEMO_ROLES, build_demo
from learnloop.generation.models import Learning, Question, TestCycle
from learnloop.people.models import Group, GroupKind
from learnloop.sharing.models import Broker
from learnloop.value.models import Convening
from tests.core.a11y import problems

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_demo(progress=lambda _m: None, today=date(2026, 6, 1))
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()


def _public(model):
    return model.objects.filter(visibility="public", deleted_at__isnull=True).order_by("pk").first()


def _paths() -> list[str]:
    learning = _public(Learning)
    idea = _public(Idea)
    product = _public(KnowledgeProduct)
    return [
        "/",
        "/learnings/",
        f"/learnings/{learning.pk}/",
        "/learnings/new",
        "/test-cycles/",
        f"/test-cycles/{TestCycle.objects.order_by('pk').first().pk}/",
        "/test-cycles/new",
        "/questions/",
        f"/questions/{Question.objects.order_by('pk').first().pk}/",
        "/questions/new",
        "/ideas/",
        f"/ideas/{idea.pk}/",
        "/ideas/new",
        f"/items/idea/{idea.pk}/history",
        "/products/",
        f"/products/{product.pk}/",
        "/products/new",
        "/adoption/",
        f"/adoption/{AdoptionPlan.objects.order_by('pk').first().pk}/",
        "/groups/",
        f"/groups/{Group.objects.order_by('pk').first().slug}/",
        "/people/",
        f"/people/{DEMO_ROLES['parent']}/",
        "/organizations/",
        "/feed/",
        "/channels/",
        "/stewardship/",
        "/trash/",
        "/invitations/new",
        "/public/",
        f"/public/products/{product.pk}/",
        f"/public/ideas/{idea.pk}/",
        "/login/",
        "/password-reset/",
        "/decisions/",
        f"/decisions/{Decision.objects.order_by('pk').first().pk}/",
        "/standards/",
        "/standards/propose",
        f"/standards/versions/{StandardsVersion.objects.order_by('pk').first().pk}/",
        "/routines/",
        "/routines/summary/new",
        f"/routines/{Routine.objects.order_by('pk').first().pk}/",
        f"/reviews/ideas/{idea.pk}/new",
        *_issue5_paths(),
    ]


def _issue5_paths() -> list[str]:
    meeting = Convening.objects.exclude(agenda=[]).exclude(group=None).order_by("pk").first()
    slug = meeting.group.slug
    space = Group.objects.filter(kind=GroupKind.CLUSTER).order_by("pk").first()
    narrative = Narrative.objects.filter(visibility=Visibility.PUBLIC).order_by("pk").first()
    narrative = narrative or Narrative.objects.order_by("pk").first()
    broker = Broker.objects.select_related("person").order_by("pk").first()
    topic = Tag.objects.filter(learnings__visibility=Visibility.PUBLIC).order_by("pk").first()
    public_group = Learning.objects.filter(visibility=Visibility.PUBLIC).exclude(group=None)
    public_group_slug = public_group.order_by("pk").first().group.slug
    return [
        f"/groups/{slug}/meetings/",
        f"/groups/{slug}/meetings/plan",
        f"/groups/{slug}/meetings/{meeting.pk}/",
        f"/groups/{slug}/moderate",
        "/spaces/",
        f"/spaces/{space.slug}/",
        "/spaces/following",
        "/narratives/",
        "/narratives/new",
        f"/narratives/{narrative.pk}/",
        "/brokers/",
        f"/brokers/{broker.person.username}/",
        "/network/",
        "/notifications/",
        "/notifications/settings",
        "/notifications/digest",
        "/newsletter/",
        "/guidelines/",
        "/guidelines/record/",
        "/public/stages/",
        "/public/topics/",
        f"/public/topics/{topic.slug}/",
        f"/public/groups/{public_group_slug}/",
        "/public/learnings/",
        "/public/questions/",
        "/public/narratives/",
    ]


@pytest.mark.parametrize("role", ["steward", "parent", None])
def test_pages_render_and_pass_accessibility_checks(demo, role):
    client = Client()
    if role:
        assert client.login(username=DEMO_ROLES[role], password=DEMO_PASSWORD)
    found: dict[str, list[str]] = {}
    statuses: dict[str, int] = {}
    for path in _paths():
        response = client.get(path)
        statuses[path] = response.status_code
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            issues = problems(response.content.decode())
            if issues:
                found[path] = issues
    assert found == {}
    assert all(code in (200, 302, 403, 404) for code in statuses.values()), statuses


def test_public_pages_open_to_visitors_and_member_pages_closed(demo):
    client = Client()
    assert client.get("/public/").status_code == 200
    assert client.get("/learnings/new").status_code == 302
    assert client.get("/stewardship/").status_code == 302
