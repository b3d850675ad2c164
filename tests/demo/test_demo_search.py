"""The demo network is searchable as soon as it is loaded: a document for every learning,
idea, question, knowledge product and active person, and the search page finds them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from learnloop.capture.models import KnowledgeProduct
from learnloop.consolidation.models import Idea
from learnloop.core import access
from learnloop.generation.models import Learning, Question
from learnloop.people.models import Person
from learnloop.search.models import SearchDocument
from learnloop.search.searching import search
from tests.core.a11y import problems

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _native(settings):
    settings.SEARCH_ENGINE = "native"


def test_every_item_has_its_document(demo):
    expected = {
        "learning": Learning.objects.count(),
        "idea": Idea.objects.count(),
        "question": Question.objects.count(),
        "product": KnowledgeProduct.objects.count(),
        "person": Person.objects.filter(is_active=True).count(),
    }
    assert all(n > 0 for n in expected.values())
    for item_type, n in expected.items():
        assert SearchDocument.objects.filter(item_type=item_type).count() == n, item_type
    deleted = Learning.objects.filter(deleted_at__isnull=False).values_list("pk", flat=True)
    assert set(
        SearchDocument.objects.filter(item_type="learning", deleted_at__isnull=False).values_list(
            "item_id", flat=True
        )
    ) == set(deleted)


def test_a_member_finds_the_network_s_work_and_nothing_hidden(demo):
    person = Person.objects.get(username="rosa.jimenez")
    result = search(viewer=person, text="attendance families", per_page=100)
    assert result.total >= 20
    assert {"learning", "idea"} <= {r.item_type for r in result.results}
    visible = set(
        SearchDocument.objects.filter(access.visible_q(person)).values_list("pk", flat=True)
    )
    assert {r.document_id for r in result.results} <= visible
    public = search(viewer=AnonymousUser(), text="attendance families", per_page=100)
    assert 0 < public.total < result.total


def test_the_search_page_on_the_demo(demo):
    client = Client()
    client.force_login(Person.objects.get(username="rosa.jimenez"))
    response = client.get("/search/", {"q": "attendance"})
    html = response.content.decode()
    assert response.status_code == 200
    assert problems(html) == []
    assert "<mark>" in html
    suggestions = client.get("/search/suggest", {"q": "atten"}).content.decode()
    assert suggestions.count("<li>") >= 3
