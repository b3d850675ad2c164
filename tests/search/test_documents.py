"""Search documents stay in step with every write that changes an indexed item, inside the
same transaction, and can be rebuilt in bulk."""

from __future__ import annotations

import pytest
from django.db import transaction

from learnloop.capture.services import product_create, product_update
from learnloop.consolidation.services import idea_change_stage, idea_create, idea_update
from learnloop.core.services import item_restore, item_soft_delete
from learnloop.generation.services import (
    learning_create,
    learning_update,
    question_create,
    question_update,
)
from learnloop.people.services import person_create, person_set_active, person_update
from learnloop.search import documents, services
from learnloop.search.documents import document_for, plain_text
from learnloop.search.models import SearchChange, SearchDocument
from tests.factories import (
    IdeaFactory,
    LearningFactory,
    OrganizationFactory,
    PersonFactory,
    ProductFactory,
    TestCycleFactory,
)
from tests.search.factories_search import doc_of, isolated_search  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_search")]


def changes_for(doc: SearchDocument) -> list[SearchChange]:
    return list(SearchChange.objects.filter(document_id=doc.pk).order_by("id"))


# Plain text -------------------------------------------------------------------------------


def test_plain_text_keeps_words_and_drops_markup():
    md = (
        "# Calling *families*\n\n"
        "We **called** [every family](https://example.org/x) before day one.\n\n"
        "![a chart of attendance](/media/chart.png)\n\n"
        "> quoted\n- a list item\n1. numbered\n\n"
        "```\ncode_block()\n```\n"
        "<script>alert(1)</script> &amp; `inline` | a | b |\n|---|---|\n"
    )
    text = plain_text(md)
    assert text.startswith("Calling families We called every family before day one.")
    assert "a chart of attendance" in text
    assert "https://" not in text and "chart.png" not in text
    assert "<script>" not in text and "*" not in text and "#" not in text
    assert "& inline" in text
    assert "quoted a list item numbered" in text


def test_marks_used_for_snippets_never_come_from_the_text():
    assert plain_text("a\ue000b\ue001c\x07d") == "a b c d"


# One document per item --------------------------------------------------------------------


def test_a_learning_document(owner, group):
    org = OrganizationFactory(name="North District", slug="north")
    owner.organization = org
    owner.save()
    item = learning_create(
        author=owner,
        title="Calling families",
        body="We *called* every family.",
        kind="observation",
        group=group,
        visibility="group",
        tags="attendance, families",
        site="East Middle",
    )
    doc = doc_of(item)
    assert (doc.title, doc.kind, doc.stage) == ("Calling families", "observation", "")
    assert doc.body == "We called every family. attendance, families"
    assert (doc.author_id, doc.group_id, doc.organization_id) == (owner.pk, group.pk, org.pk)
    assert (doc.visibility, doc.site, doc.deleted_at) == ("group", "East Middle", None)
    assert doc.created_at == item.created_at
    assert [c.deleted for c in changes_for(doc)] == [False]


def test_an_idea_a_question_and_a_product(owner):
    idea = idea_create(author=owner, title="Personal calls", summary="Calls **work**.")
    assert (doc_of(idea).stage, doc_of(idea).body) == ("emerging", "Calls work.")
    question = question_create(author=owner, title="Who calls?", body="Asking _you_.")
    assert (doc_of(question).title, doc_of(question).body) == ("Who calls?", "Asking you.")
    product = product_create(
        author=owner,
        title="Calling guide",
        actions="Call every family.",
        summary="One page.",
        body="## Steps",
        kind="how_to",
        audience_detail="ninth-grade teachers",
        ideas=[idea],
    )
    doc = doc_of(product)
    assert (doc.kind, doc.stage) == ("how_to", "emerging")
    assert doc.body == "One page. Steps Call every family. ninth-grade teachers"


def test_a_product_takes_the_furthest_stage_of_ideas_its_readers_may_see(owner):
    network_idea = IdeaFactory(author=owner, stage="promising", visibility="network")
    draft_idea = IdeaFactory(author=owner, stage="scaling", visibility="draft")
    product = ProductFactory(author=owner, visibility="network")
    product.ideas.set([network_idea, draft_idea])
    assert document_for(product)["stage"] == "promising"
    product.visibility = "public"  # visitors may not see the network idea
    assert document_for(product)["stage"] == ""


def test_a_person_is_found_by_profile_fields_only(db):
    org = OrganizationFactory(name="Harbor Schools", slug="harbor")
    person = person_create(
        username="ana",
        email="ana.secret@example.org",
        display_name="Ana Díaz",
        job_role="Counselor",
        organization=org,
        site="Harbor High",
        expertise="attendance data, family engagement",
        bio="I run *home visits*.",
        stakeholder_type="staff",
    )
    doc = doc_of(person)
    assert doc.title == "Ana Díaz"
    assert doc.body == (
        "Counselor Harbor Schools Harbor High attendance data, family engagement I run home visits."
    )
    assert "secret" not in doc.body and "ana" not in doc.body.split()
    assert (doc.visibility, doc.author_id, doc.group_id) == ("network", person.pk, None)
    assert (doc.kind, doc.organization_id) == ("staff", org.pk)


def test_items_that_are_not_searched_are_ignored(owner):
    cycle = TestCycleFactory(author=owner)
    assert services.document_sync(item=cycle) is None
    assert not SearchDocument.objects.exists()


# In step with the services -----------------------------------------------------------------


def test_edits_visibility_and_group_changes_follow(owner, group):
    item = learning_create(author=owner, title="Calling families", visibility="draft")
    learning_update(viewer=owner, learning=item, title="Calling every family")
    assert doc_of(item).title == "Calling every family"
    learning_update(viewer=owner, learning=item, visibility="group", group=group)
    doc = doc_of(item)
    assert (doc.visibility, doc.group_id) == ("group", group.pk)
    assert len(changes_for(doc)) == 3


def test_delete_and_restore(owner, steward):
    item = learning_create(author=owner, title="Calling families")
    item_soft_delete(viewer=owner, item=item)
    doc = doc_of(item)
    assert doc.deleted_at == item.deleted_at
    assert changes_for(doc)[-1].deleted
    item_restore(viewer=steward, item=item)
    assert doc_of(item).deleted_at is None
    assert not changes_for(doc)[-1].deleted


def test_stage_changes_reach_the_idea_and_its_products(owner):
    idea = idea_create(author=owner, title="Personal calls", summary="Calls work.")
    product = product_create(author=owner, title="Guide", actions="Call.", ideas=[idea])
    idea_change_stage(viewer=owner, idea=idea, to_stage="testing", reason="We are trying it.")
    assert doc_of(idea).stage == "testing"
    assert doc_of(product).stage == "testing"
    idea_update(viewer=owner, idea=idea, title="Personal phone calls")
    assert doc_of(idea).title == "Personal phone calls"
    product_update(viewer=owner, product=product, title="Calling guide")
    assert doc_of(product).title == "Calling guide"


def test_question_edits_follow(owner):
    question = question_create(author=owner, title="Who calls?")
    question_update(viewer=owner, question=question, body="The counselor or the teacher?")
    assert doc_of(question).body == "The counselor or the teacher?"


def test_profile_edits_and_deactivation(owner, steward):
    item = learning_create(author=owner, title="Calling families")
    org = OrganizationFactory(name="Harbor Schools", slug="harbor")
    person_update(viewer=owner, person=owner, job_role="Attendance lead", organization=org)
    assert "Attendance lead" in doc_of(owner).body
    # Every document of theirs now carries the new organization.
    assert doc_of(item).organization_id == org.pk
    assert changes_for(doc_of(item))[-1].document_id == doc_of(item).pk
    person_set_active(viewer=steward, person=owner, active=False)
    assert not SearchDocument.objects.filter(item_type="person", item_id=owner.pk).exists()
    assert doc_of(item).deleted_at is None  # their contributions stay searchable
    person_set_active(viewer=steward, person=owner, active=True)
    assert doc_of(owner).title == owner.name


def test_nothing_is_indexed_when_the_write_rolls_back(owner):
    with pytest.raises(RuntimeError), transaction.atomic():
        learning_create(author=owner, title="Never saved")
        raise RuntimeError
    assert not SearchDocument.objects.exists()
    assert not SearchChange.objects.exists()


def test_one_sync_costs_a_few_queries(owner, django_assert_max_num_queries):
    item = LearningFactory(author=owner, title="Calling families")
    with django_assert_max_num_queries(4):  # tags, upsert, change row (+ savepoint-free)
        services.document_sync(item=item)


def test_derived_indexes_are_woken_once_per_transaction(
    owner, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(services, "_derived_hooks", lambda: (lambda: calls.append(1),))
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for n in range(3):
            learning_create(author=owner, title=f"Learning {n}")
    assert len(callbacks) >= 1
    assert calls == [1]


# In bulk -------------------------------------------------------------------------------------


def test_bulk_sync_costs_the_same_for_many_items(owner, django_assert_max_num_queries):
    LearningFactory.create_batch(30, author=owner)
    items = list(documents.bulk_queryset("learning"))
    with django_assert_max_num_queries(3):
        assert services.documents_sync_bulk(items) == 30
    assert SearchDocument.objects.filter(item_type="learning").count() == 30


def test_rebuild_writes_every_document_and_drops_the_stale_ones(owner, steward):
    LearningFactory.create_batch(5, author=owner)
    IdeaFactory(author=owner)
    gone = PersonFactory(is_active=False)
    SearchDocument.objects.create(
        item_type="learning",
        item_id=999_999,
        title="A learning that was removed",
        visibility="network",
    )
    SearchDocument.objects.create(
        item_type="person", item_id=gone.pk, title=gone.name, visibility="network"
    )
    seen = []
    written = services.rebuild_documents(batch=2, progress=lambda d, t: seen.append((d, t)))
    people = 2  # owner and steward; the inactive person is left out
    assert written == 5 + 1 + people
    assert SearchDocument.objects.count() == 5 + 1 + people
    assert not SearchDocument.objects.filter(item_id=999_999).exists()
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1]
    assert not SearchChange.objects.exists()  # engines rebuild from the documents instead
