"""Items for search tests, written through `document_sync` as the services do (the shared
factories write rows directly, so they would not be searchable on their own)."""

from __future__ import annotations

from typing import Any

import pytest

from learnloop.search.models import SearchDocument
from learnloop.search.services import document_sync
from tests.factories import IdeaFactory, LearningFactory, ProductFactory, QuestionFactory


def indexed(item: Any) -> Any:
    document_sync(item=item)
    return item


def learning(author: Any, title: str, body: str = "", **kw: Any) -> Any:
    return indexed(LearningFactory(author=author, title=title, body=body, **kw))


def idea(author: Any, title: str, summary: str = "An idea.", **kw: Any) -> Any:
    return indexed(IdeaFactory(author=author, title=title, summary=summary, **kw))


def question(author: Any, title: str, body: str = "", **kw: Any) -> Any:
    return indexed(QuestionFactory(author=author, title=title, body=body, **kw))


def product(author: Any, title: str, body: str = "", **kw: Any) -> Any:
    return indexed(ProductFactory(author=author, title=title, body=body, **kw))


def doc_of(item: Any) -> SearchDocument:
    from learnloop.search.documents import item_type_of

    return SearchDocument.objects.get(item_type=item_type_of(item), item_id=item.pk)


@pytest.fixture(autouse=False)
def isolated_search(settings, tmp_path):
    """The database's own engine, and any derived index in this test's own directory.
    Import it into a test module (with autouse) to use it there."""
    settings.DATA_DIR = tmp_path
    settings.SEARCH_ENGINE = "native"
    return settings
