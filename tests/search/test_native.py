"""The database's own full-text engine (FTS5 on SQLite, tsvector on PostgreSQL): the index
exists, ranks by the words, finds stems, phrases and prefixes, filters and counts within
the viewer's scope, and takes a long text by its telling words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from learnloop.search import ddl
from learnloop.search.engine import FACETS, Filters, Scope
from learnloop.search.native import NativeEngine
from learnloop.search.query import parse
from learnloop.search.services import document_sync
from tests.factories import OrganizationFactory
from tests.search.factories_search import (  # noqa: F401
    doc_of,
    idea,
    isolated_search,
    learning,
    product,
    question,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_search")]


@pytest.fixture
def engine():
    return NativeEngine()


@pytest.fixture
def library(owner, member, group):
    """A small network's worth of writing about attendance and tutoring."""
    org = OrganizationFactory(name="North District", slug="north")
    owner.organization = org
    owner.save()
    old = timezone.now() - dt.timedelta(days=40)
    return {
        "calls": learning(
            owner,
            "Calling families on day one",
            "We called every family before the first day; attendance rose in the first month.",
            kind="observation",
        ),
        "tutor": learning(
            member,
            "Peer tutoring in ninth grade",
            "Ninth-grade students met a tutor twice a week and passed algebra.",
            kind="test_result",
            created_at=old,
        ),
        "visits": learning(
            member,
            "Home visits",
            "A counselor visited families at home. Family engagement grew; calls were "
            "returned more often.",
            visibility="group",
            group=group,
        ),
        "idea": idea(
            owner, "Personal calls raise attendance", "Calls to families on the first day work."
        ),
        "question": question(member, "How do we reach families without a phone?"),
        "product": product(owner, "Attendance calling guide", "A script for the first calls."),
    }


def ids(hits):
    return [int(i) for i in hits.doc_ids]


def run(engine, viewer, text, **filters):
    return engine.search(
        parse(text), Scope.for_viewer(viewer), Filters(**filters), limit=20, facets=True
    )


def test_the_index_is_there_and_creating_it_again_is_harmless():
    assert ddl.is_ready(connection)
    assert ddl.ensure(connection) == []
    assert ddl.is_ready(connection)


DROP_INDEX = {
    "sqlite": [
        f"DROP TRIGGER {ddl.TABLE}_fts_ai",
        f"DROP TRIGGER {ddl.TABLE}_fts_ad",
        f"DROP TRIGGER {ddl.TABLE}_fts_au",
        f"DROP TABLE {ddl.VOCAB}",
        f"DROP TABLE {ddl.FTS}",
    ],
    "postgresql": [f"ALTER TABLE {ddl.TABLE} DROP COLUMN tsv"],
}


def test_an_upgrade_creates_the_index_over_existing_documents(engine, library, member):
    with connection.cursor() as cursor:
        for statement in DROP_INDEX[connection.vendor]:
            cursor.execute(statement)
    assert not ddl.is_ready(connection)
    assert ddl.ensure(connection)
    assert ddl.is_ready(connection)
    assert ids(run(engine, member, "algebra")) == [doc_of(library["tutor"]).pk]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5's own consistency check")
def test_the_fts5_index_agrees_with_the_documents(library, owner, steward):
    from learnloop.core.services import item_restore, item_soft_delete

    for item in library.values():
        item.title = f"{item.title} (edited)"
        document_sync(item=item)
    item_soft_delete(viewer=owner, item=library["calls"])
    item_restore(viewer=steward, item=library["calls"])
    library["idea"].delete()
    from learnloop.search.services import rebuild_documents

    rebuild_documents()
    with connection.cursor() as cursor:
        check = f"INSERT INTO {ddl.FTS}({ddl.FTS}, rank) VALUES ('integrity-check', 1)"  # noqa: S608
        cursor.execute(check)


def test_words_are_or_ed_and_titles_weigh_more(engine, library, member):
    hits = run(engine, member, "calls families")
    found = ids(hits)
    # Every document with either word, the ones with the words in the title first.
    assert set(found) == {
        doc_of(library[k]).pk for k in ("calls", "visits", "idea", "question", "product")
    }
    assert found[0] in {doc_of(library["calls"]).pk, doc_of(library["idea"]).pk}
    assert hits.total == 5
    assert hits.scores == sorted(hits.scores, reverse=True)


def test_stemming_phrases_prefixes_and_exclusions(engine, library, member):
    assert ids(run(engine, member, "tutors")) == [doc_of(library["tutor"]).pk]
    assert ids(run(engine, member, '"family engagement"')) == [doc_of(library["visits"]).pk]
    assert ids(run(engine, member, '"engagement family"')) == []
    assert set(ids(run(engine, member, "attend*"))) == {
        doc_of(library[k]).pk for k in ("calls", "idea", "product")
    }
    found = set(ids(run(engine, member, "calls -attendance")))
    assert found == {doc_of(library[k]).pk for k in ("visits",)}


def test_accents_are_folded(engine, owner, member):
    doc = doc_of(learning(owner, "Café naïve", "Ångström"))
    assert ids(run(engine, member, "cafe naive angstrom")) == [doc.pk]


def test_visibility_is_applied_before_ranking(engine, library, outsider, member):
    visits = doc_of(library["visits"]).pk
    assert visits in ids(run(engine, member, "visits"))
    hits = run(engine, outsider, "visits families")
    assert visits not in ids(hits)
    assert hits.total == len(ids(hits))
    assert "group_id" not in hits.facets or not hits.facets["group_id"]


def test_filters_and_facets(engine, library, member, group):
    hits = run(engine, member, "calls families attendance")
    assert set(hits.facets) == set(FACETS)
    assert hits.facets["item_type"] == {"learning": 2, "idea": 1, "question": 1, "product": 1}
    assert hits.facets["kind"]["observation"] == 1
    assert hits.facets["stage"] == {"emerging": 1}
    assert hits.facets["group_id"] == {str(group.pk): 1}
    org = library["calls"].author.organization_id
    assert hits.facets["organization_id"][str(org)] == 3

    def only(**f):
        return set(ids(run(engine, member, "calls families attendance tutor", **f)))

    assert only(item_types=("idea", "product")) == {
        doc_of(library["idea"]).pk,
        doc_of(library["product"]).pk,
    }
    assert only(kinds=("observation",)) == {doc_of(library["calls"]).pk}
    assert only(stages=("emerging",)) == {doc_of(library["idea"]).pk}
    assert only(group_ids=(group.pk,)) == {doc_of(library["visits"]).pk}
    assert only(author_ids=(member.pk,)) == {
        doc_of(library[k]).pk for k in ("tutor", "visits", "question")
    }
    assert len(only(organization_ids=(org,))) == 3
    recent = timezone.localdate() - dt.timedelta(days=10)
    assert doc_of(library["tutor"]).pk not in only(since=recent)
    assert only(until=recent) == {doc_of(library["tutor"]).pk}
    calls = doc_of(library["calls"]).pk
    assert calls not in only(exclude_ids=(calls,))


def test_pages_and_exact_totals(engine, owner, member):
    for n in range(7):
        learning(owner, f"Attendance note {n}", "attendance")
    scope, query = Scope.for_viewer(member), parse("attendance")
    first = engine.search(query, scope, Filters(), limit=3)
    second = engine.search(query, scope, Filters(), limit=3, offset=3)
    last = engine.search(query, scope, Filters(), limit=3, offset=6)
    assert (first.total, second.total, last.total) == (7, 7, 7)
    assert not set(first.doc_ids) & set(second.doc_ids)
    assert len(last.doc_ids) == 1
    past = engine.search(query, scope, Filters(), limit=3, offset=30)
    assert (past.doc_ids, past.total) == ([], 7)


def test_a_long_text_keeps_its_telling_words(engine, owner, member):
    target = doc_of(learning(owner, "Algebra tutoring", "Tutors met students for algebra."))
    for n in range(30):
        learning(owner, f"Note {n}", "the students and the school and the week")
    text = ("the students and the school " * 200) + " algebra tutors"
    words = engine._sqlite_key_words(text) if connection.vendor == "sqlite" else None
    if words is not None:
        assert {"algebra", "tutors"} <= set(words)
        assert len(words) <= 8
    hits = engine.search_text(text, Scope.for_viewer(member), Filters(), limit=5)
    assert ids(hits)[0] == target.pk


def test_a_long_text_respects_scope_and_exclusions(engine, owner, outsider, member, group):
    mine = doc_of(learning(owner, "Algebra tutoring", "Tutors for algebra.", visibility="draft"))
    shared = doc_of(
        learning(owner, "Algebra tutors", "Tutors for algebra.", visibility="group", group=group)
    )
    text = "algebra tutors tutoring"
    assert ids(engine.search_text(text, Scope.for_viewer(outsider), Filters(), limit=5)) == []
    assert ids(engine.search_text(text, Scope.for_viewer(member), Filters(), limit=5)) == [
        shared.pk
    ]
    own = engine.search_text(
        text, Scope.for_viewer(owner), Filters(exclude_ids=(mine.pk,)), limit=5
    )
    assert ids(own) == [shared.pk]


def test_snippets_mark_the_matched_words(engine, library):
    doc = doc_of(library["visits"])
    found = engine.snippets([doc.pk], parse("families engagement"))
    title, body = found[doc.pk]
    assert title == "Home visits"
    assert "\ue000families\ue001" in body
    assert "\ue000engagement\ue001" in body.lower()
    assert engine.snippets([doc.pk], parse("algebra")) == {}


def test_matching_and_within(engine, library, member):
    calls, tutor = doc_of(library["calls"]).pk, doc_of(library["tutor"]).pk
    assert engine.matching([calls, tutor], ["tutor"]) == {tutor}
    hits = engine.search(
        parse("attendance tutor"), Scope.for_viewer(member), Filters(), limit=5, within=[tutor]
    )
    assert (ids(hits), hits.total) == ([tutor], 1)


def test_edits_are_searchable_at_once(engine, library, member):
    item = library["tutor"]
    item.title = "Peer mentoring in ninth grade"
    item.body = "Mentors met students."
    document_sync(item=item)
    assert ids(run(engine, member, "tutor")) == []
    assert ids(run(engine, member, "mentors")) == [doc_of(item).pk]


def test_rebuild_keeps_everything_findable(engine, library, member):
    seen = []
    assert engine.rebuild(lambda d, t: seen.append((d, t))) == 6
    assert seen == [(0, 6), (6, 6)]
    assert ids(run(engine, member, "algebra")) == [doc_of(library["tutor"]).pk]
