"""A question is found by what its answers say: its search document carries their text (the
accepted answer first) and follows every answer written, edited, accepted or deleted, for
exactly the people who may read the question."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learnloop.core.models import Visibility
from learnloop.generation.services import (
    answer_accept,
    answer_create,
    answer_delete,
    answer_update,
    question_create,
)
from learnloop.search import documents, searching
from learnloop.search.models import SearchChange
from learnloop.search.services import rebuild_documents
from tests.search.factories_search import doc_of, isolated_search  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_search")]


def found(viewer, text: str) -> set[tuple[str, int]]:
    return {(r.item_type, r.item_id) for r in searching.search(viewer=viewer, text=text).results}


@pytest.fixture
def question(owner, group):
    return question_create(
        author=owner,
        title="How do we reach families who never answer?",
        body="Letters home go unread.",
        group=group,
        visibility=Visibility.GROUP,
    )


def test_a_word_only_in_an_answer_finds_the_question(question, member, moderator, outsider):
    key = ("question", question.pk)
    assert key not in found(member, "marimba")
    answer_create(author=moderator, question=question, body="We used a **marimba** concert.")
    assert key in found(member, "marimba")
    # The answer is read with the question, so no one else finds the question by it.
    assert key not in found(outsider, "marimba")
    assert "**" not in doc_of(question).body  # plain text, as for every document


def test_editing_and_deleting_an_answer_update_the_question(question, member, moderator):
    key = ("question", question.pk)
    answer = answer_create(author=member, question=question, body="Try a marimba concert.")
    answer_update(viewer=member, answer=answer, body="Try a xylophone concert.")
    assert key not in found(member, "marimba")
    assert key in found(member, "xylophone")
    changes = SearchChange.objects.filter(document_id=doc_of(question).pk).count()
    answer_delete(viewer=moderator, answer=answer)  # a moderator takes it down
    assert key not in found(member, "xylophone")
    assert key in found(member, "families")  # the question itself is still found
    # Each write logs a change, so the derived indexes (Tantivy, vectors) follow too.
    assert SearchChange.objects.filter(document_id=doc_of(question).pk).count() == changes + 1


def test_the_accepted_answer_comes_first(question, owner, member, moderator):
    answer_create(author=member, question=question, body="Phone them in the evening.")
    later = answer_create(author=moderator, question=question, body="Visit them at home.")
    assert doc_of(question).body.index("Phone") < doc_of(question).body.index("Visit")
    answer_accept(viewer=owner, answer=later)
    assert doc_of(question).body.index("Visit") < doc_of(question).body.index("Phone")


def test_a_page_that_prefetched_the_answers_does_not_leave_the_new_one_out(question, member):
    from learnloop.generation.models import Question

    shown = Question.objects.prefetch_related("answers").get(pk=question.pk)
    assert list(shown.answers.all()) == []
    answer_create(author=member, question=shown, body="A marimba concert.")
    assert ("question", question.pk) in found(member, "marimba")


def test_only_the_author_edits_and_only_they_or_moderators_delete(
    question, owner, member, moderator, outsider
):
    answer = answer_create(author=member, question=question, body="A marimba concert.")
    for someone in (owner, moderator, outsider):
        with pytest.raises(PermissionDenied):
            answer_update(viewer=someone, answer=answer, body="Something else.")
    for someone in (owner, outsider):  # the asker cannot silence an answer either
        with pytest.raises(PermissionDenied):
            answer_delete(viewer=someone, answer=answer)
    assert "marimba" in doc_of(question).body
    answer_delete(viewer=member, answer=answer)
    assert "marimba" not in doc_of(question).body
    with pytest.raises(PermissionDenied):  # a deleted answer is not edited back to life
        answer_update(viewer=member, answer=answer, body="A marimba concert.")


def test_a_rebuild_writes_the_same_text_in_a_fixed_number_of_queries(
    question, owner, member, moderator, group
):
    answer_create(author=member, question=question, body="A marimba concert.")
    gone = answer_create(author=moderator, question=question, body="A xylophone parade.")
    answer_delete(viewer=moderator, answer=gone)
    synced = doc_of(question).body
    for n in range(3):
        other = question_create(author=owner, title=f"Another question {n}", group=group)
        answer_create(author=member, question=other, body=f"Answer {n}.")
    with CaptureQueriesContext(connection) as few:
        documents.documents_for(documents.bulk_queryset("question")[:1])
    with CaptureQueriesContext(connection) as more:
        documents.documents_for(documents.bulk_queryset("question"))
    assert len(more) == len(few)  # answers are prefetched, not read question by question
    rebuild_documents()
    assert doc_of(question).body == synced
    assert "marimba" in synced and "xylophone" not in synced
