"""The semantic layer on the demo network: a model fitted from its documents, related items
and duplicate suggestions that make sense and respect visibility, and themes for a group's
synthesis."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from learnloop.core import access
from learnloop.demo import content as C
from learnloop.generation.models import Learning
from learnloop.people.models import Group, Person
from learnloop.search import semantic, semantic_tasks, themes
from learnloop.search.embedders import analyze
from learnloop.search.models import SearchDocument, SearchVector, SemanticModel
from learnloop.search.related import related_items, similar_drafts
from tests.core.a11y import problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def vectors(demo, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    semantic.reset()
    semantic_tasks.refresh(limit_svd=None)
    yield
    semantic.reset()


def test_a_model_is_fitted_from_the_demo_and_every_document_has_a_vector(vectors):
    model = SemanticModel.objects.get(complete=True)
    live = SearchDocument.objects.filter(deleted_at__isnull=True).count()
    assert 2 <= model.dim <= 256
    assert SearchVector.objects.filter(model=model).count() == live > 300


def test_related_items_of_a_demo_learning_are_visible_and_on_topic(vectors):
    viewer = Person.objects.get(username="maria.lopez")
    learning = (
        Learning.objects.filter(access.visible_q(viewer), title__icontains="peer mentors")
        .order_by("pk")
        .first()
    )
    found = related_items(viewer=viewer, item_type="learning", item=learning)
    assert len(found) == 6
    visible = set(
        SearchDocument.objects.filter(access.visible_q(viewer)).values_list("pk", flat=True)
    )
    assert all(s.document.pk in visible and s.reasons for s in found)
    # The demo's texts are written from templates, so its closest items share a template
    # or a practice: many words, in any case.
    mine = set(analyze(f"{learning.title} {learning.body}"))
    top = found[0].document
    assert len(mine & set(analyze(f"{top.title} {top.body}"))) >= 5


def test_a_near_copy_of_a_demo_title_is_suggested(vectors):
    viewer = Person.objects.get(username="rosa.jimenez")
    original = Learning.objects.filter(access.visible_q(viewer)).order_by("pk")[10]
    draft = " ".join(original.title.split()[:-1])
    assert original.title in [s.title for s in similar_drafts(viewer=viewer, title=draft)]


def test_themes_of_a_group_synthesis(vectors):
    group = Group.objects.get(slug=C.CLUSTER)
    steward = Person.objects.get(username="amara.okafor")
    client = Client()
    client.force_login(steward)
    response = client.get(reverse("search:themes") + f"?group={group.pk}")
    html = response.content.decode()
    assert response.status_code == 200 and problems(html) == []
    result = response.context["result"]
    named = [t for t in result.themes if not t.other]
    assert 2 <= len(named) <= themes.MAX_K
    assert all(t.terms and len(t.representatives) == min(3, t.size) for t in named)
