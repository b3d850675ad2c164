"""The demo network has voice guidelines in its own words, a publication check for every
public item, and a public site with every kind of item, topics, stages and credits."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from learnloop.capture.models import KnowledgeProduct
from learnloop.consolidation.models import Idea
from learnloop.core.models import Visibility
from learnloop.demo.publishing import PUBLIC_MODELS
from learnloop.generation.models import Learning, Question
from learnloop.people.models import Person
from learnloop.sharing import selectors
from learnloop.sharing.models import PublicationCheck, VoiceGuideline
from tests.core.a11y import problems

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_four_to_six_active_guidelines_and_one_retired(demo):
    active = VoiceGuideline.objects.filter(retired_at__isnull=True)
    assert 4 <= active.count() <= 6
    assert list(active.values_list("position", flat=True)) == list(range(1, active.count() + 1))
    assert VoiceGuideline.objects.filter(retired_at__isnull=False).count() == 1
    assert all(g.explanation for g in active)


def test_every_public_item_has_its_publication_check(demo):
    for model in PUBLIC_MODELS:
        ct = ContentType.objects.get_for_model(model)
        public = set(
            model.objects.filter(visibility=Visibility.PUBLIC).values_list("pk", flat=True)
        )
        checked = set(
            PublicationCheck.objects.filter(content_type=ct).values_list("object_id", flat=True)
        )
        assert checked == public, model
    assert PublicationCheck.objects.count() >= 30


def test_checks_quote_the_guidelines_in_force_on_the_day(demo):
    added_later = VoiceGuideline.objects.filter(retired_at__isnull=True).latest("created_at")
    retired = VoiceGuideline.objects.get(retired_at__isnull=False)
    checks = list(PublicationCheck.objects.all())
    with_new = [c for c in checks if added_later.text in c.guidelines]
    with_retired = [c for c in checks if retired.text in c.guidelines]
    assert with_new and with_retired
    assert all(c.checked_at >= added_later.created_at for c in with_new)
    assert all(c.checked_at < retired.retired_at for c in with_retired)
    assert not [c for c in with_new if retired.text in c.guidelines]


def test_the_public_site_has_every_kind_topics_and_stages(demo):
    assert selectors.public_products().exists()
    assert selectors.public_ideas().exists()
    assert selectors.public_learnings().exists()
    assert selectors.public_questions().exists()
    topics = selectors.public_topics()
    assert len(topics) >= 5
    assert sum(s.ideas for s in selectors.public_stage_summary()) == (
        Idea.objects.filter(visibility=Visibility.PUBLIC, deleted_at__isnull=True).count()
    )


def test_public_pages_on_the_demo_render_logged_out(demo):
    client = Client()
    topic = selectors.public_topics()[0]
    product = selectors.public_products().first()
    urls = [
        reverse("sharing:public"),
        reverse("sharing:public_products"),
        reverse("sharing:public_ideas"),
        reverse("sharing:public_stages"),
        reverse("sharing:public_learnings"),
        reverse("sharing:public_questions"),
        reverse("sharing:public_narratives"),
        reverse("sharing:public_topics"),
        reverse("sharing:public_topic", args=[topic.slug]),
        reverse("sharing:public_product", args=[product.pk]),
        reverse("sharing:public_learning", args=[selectors.public_learnings().first().pk]),
        reverse("sharing:public_question", args=[selectors.public_questions().first().pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert problems(response.content.decode()) == [], url
    html = client.get(reverse("sharing:public_product", args=[product.pk])).content.decode()
    assert "Contributors" in html


def test_demo_feeds_parse_with_credits_and_stages(demo):
    client = Client()
    topic = selectors.public_topics()[0]
    for url in (reverse("sharing:atom"), reverse("sharing:topic_atom", args=[topic.slug])):
        root = ET.fromstring(client.get(url).content)  # noqa: S314 (our own response)
        entries = root.findall(f"{ATOM}entry")
        assert entries, url
        assert all(e.findall(f"{ATOM}author") for e in entries)
        assert all(e.findall(f"{ATOM}category") for e in entries)


def test_the_steward_sees_the_publication_record(demo):
    client = Client()
    client.force_login(Person.objects.get(username="amara.okafor"))
    html = client.get(reverse("sharing:publication_record")).content.decode()
    assert "Publication record" in html
    assert VoiceGuideline.objects.filter(retired_at__isnull=True).first().text in html


def test_nothing_private_on_the_demo_public_site(demo):
    def titles(model, public):
        qs = model.objects.filter(visibility=Visibility.PUBLIC, deleted_at__isnull=True)
        if not public:
            qs = model.objects.exclude(pk__in=qs)
        return set(qs.values_list("title", flat=True))

    models = (Learning, Question, KnowledgeProduct, Idea)
    shown = set().union(*(titles(m, True) for m in models))
    hidden = set().union(*(titles(m, False) for m in models)) - shown
    client = Client()
    pages = "".join(
        client.get(reverse(name)).content.decode()
        for name in (
            "sharing:public",
            "sharing:public_products",
            "sharing:public_ideas",
            "sharing:public_learnings",
            "sharing:public_questions",
        )
    )
    assert hidden
    for title in hidden:
        assert f">{title}</a>" not in pages, title
