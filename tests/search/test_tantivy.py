"""The Tantivy engine: BM25 with visibility and filters compiled into the query, kept in step
with SearchChange. Documents are created as SearchDocument rows directly (with their
SearchChange rows, as `document_sync` writes them), so the engine is tested on its own."""

from __future__ import annotations

import datetime as dt
import random
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from learnloop.core import access
from learnloop.core.models import Visibility
from learnloop.people.models import GroupKind
from learnloop.search import tantivy_engine as te
from learnloop.search import tantivy_schema as ts
from learnloop.search.engine import Filters, ParsedQuery, Scope
from learnloop.search.models import SearchChange, SearchDocument
from learnloop.search.query import parse
from learnloop.search.tasks import apply_search_changes, prune_search_changes
from tests.factories import GroupFactory, OrganizationFactory, PersonFactory

ALL = Filters()


@pytest.fixture
def engine(settings, tmp_path, db):
    """An engine whose index lives in this test's own data directory."""
    settings.DATA_DIR = tmp_path
    eng = te.get_engine()
    assert eng.root.is_relative_to(tmp_path)
    return eng


def make_doc(
    title: str,
    body: str = "",
    *,
    visibility: str = Visibility.PUBLIC,
    author=None,
    group=None,
    item_type: str = "learning",
    kind: str = "",
    stage: str = "",
    organization=None,
    created=None,
    deleted: bool = False,
) -> SearchDocument:
    doc = SearchDocument.objects.create(
        item_type=item_type,
        item_id=SearchDocument.objects.count() + 1000,
        title=title,
        body=body,
        kind=kind,
        stage=stage,
        author_id=author.pk if author else None,
        group_id=group.pk if group else None,
        organization_id=organization.pk if organization else None,
        visibility=visibility,
        deleted_at=timezone.now() if deleted else None,
        created_at=created or timezone.now(),
    )
    SearchChange.objects.create(document_id=doc.pk)
    return doc


def change(doc: SearchDocument, **fields) -> None:
    """Edit a document as a service would: the row and a change, in one go."""
    for name, value in fields.items():
        setattr(doc, name, value)
    doc.save()
    SearchChange.objects.create(document_id=doc.pk, deleted=doc.deleted_at is not None)


def q(*terms: str, phrases=(), prefixes=(), excluded=()) -> ParsedQuery:
    return ParsedQuery(
        raw=" ".join(terms),
        terms=tuple(terms),
        phrases=tuple(tuple(p.split()) for p in phrases),
        prefixes=tuple(prefixes),
        excluded=tuple(excluded),
    )


def ids(hits) -> set[int]:
    return set(hits.doc_ids)


def everyone(engine, viewer, query=None, filters=ALL, facets=True):
    return engine.search(
        query or q("attendance"), Scope.for_viewer(viewer), filters, limit=100, facets=facets
    )


# --- visibility ---------------------------------------------------------------------------


@pytest.fixture
def cast_docs(group, other_group, owner, member, moderator, outsider, steward):
    """One document of each visibility case, every one about attendance."""
    cluster = GroupFactory(name="Attendance Cluster", slug="attendance-cluster")
    cluster.kind = GroupKind.CLUSTER
    cluster.save()
    group.clusters.add(cluster)
    text = "Attendance calls to families"
    return {
        "draft": make_doc(text, visibility=Visibility.DRAFT, author=owner, group=group),
        "group": make_doc(text, visibility=Visibility.GROUP, author=owner, group=group),
        "other_group": make_doc(
            text, visibility=Visibility.GROUP, author=outsider, group=other_group
        ),
        "cluster": make_doc(text, visibility=Visibility.GROUP, author=steward, group=cluster),
        "network": make_doc(text, visibility=Visibility.NETWORK, author=outsider),
        "public": make_doc(text, visibility=Visibility.PUBLIC, author=member),
        "outsider_draft": make_doc(text, visibility=Visibility.DRAFT, author=outsider),
        "deleted": make_doc(text, visibility=Visibility.PUBLIC, author=member, deleted=True),
        "person": make_doc(
            "Pat Attendance", item_type="person", visibility=Visibility.NETWORK, author=steward
        ),
    }


VIEWERS = ["anonymous", "owner", "member", "moderator", "outsider", "steward"]
EXPECTED = {
    "anonymous": {"public"},
    "owner": {"draft", "group", "cluster", "network", "public", "person"},
    "member": {"group", "cluster", "network", "public", "person"},
    "moderator": {"group", "cluster", "network", "public", "person"},
    "outsider": {"other_group", "network", "public", "outsider_draft", "person"},
    "steward": {"group", "other_group", "cluster", "network", "public", "person"},
}


@pytest.mark.parametrize("who", VIEWERS)
def test_results_counts_and_facets_are_exactly_what_the_viewer_may_see(
    request, engine, cast_docs, who
):
    viewer = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    engine.rebuild()
    hits = everyone(engine, viewer)
    expected = {cast_docs[name].pk for name in EXPECTED[who]}
    # The one permission rule agrees with the table above …
    rule = SearchDocument.objects.filter(access.visible_q(viewer)).values_list("pk", flat=True)
    assert set(rule) == expected
    # … and the index answers exactly that, in results, the count and every facet.
    assert ids(hits) == expected
    assert hits.total == len(expected)
    assert sum(hits.facets["item_type"].values()) == len(expected)
    assert sum(hits.facets["group_id"].values()) == len(
        [n for n in EXPECTED[who] if cast_docs[n].group_id]
    )
    assert hits.pending_ids == []


def test_deleted_documents_are_removed_from_the_index(engine, cast_docs, steward):
    engine.rebuild()
    assert engine._reader().index.searcher().num_docs == len(cast_docs) - 1
    change(cast_docs["public"], deleted_at=timezone.now())
    assert engine.apply_changes() == 1
    assert engine._reader().index.searcher().num_docs == len(cast_docs) - 2
    assert cast_docs["public"].pk not in ids(everyone(engine, steward))


def test_a_visibility_change_is_respected_by_the_very_next_search(engine, cast_docs, outsider):
    engine.rebuild()
    assert cast_docs["network"].pk not in ids(everyone(engine, AnonymousUser(), facets=False))
    change(cast_docs["public"], visibility=Visibility.DRAFT)
    change(cast_docs["network"], visibility=Visibility.PUBLIC)
    hits = everyone(engine, AnonymousUser())
    assert ids(hits) == {cast_docs["network"].pk}
    assert hits.total == 1
    assert hits.facets["item_type"] == {"learning": 1}


def test_while_someone_else_is_applying_pending_documents_are_left_out(engine, cast_docs, member):
    """The writer lock is busy (another process is indexing): the search neither waits nor
    answers from the stale index; the changed documents are left out and handed back for
    the facade's database check."""
    engine.rebuild()
    change(cast_docs["public"], visibility=Visibility.DRAFT)  # now member's own draft
    change(cast_docs["group"], title="Something else entirely")
    with te.file_lock(engine.root / ".apply.lock", blocking=False) as got:
        assert got
        hits = everyone(engine, AnonymousUser())
        member_hits = everyone(engine, member)
    assert ids(hits) == set()
    assert hits.total == 0
    assert hits.facets["item_type"] == {}
    assert hits.pending_ids == sorted([cast_docs["public"].pk, cast_docs["group"].pk])
    assert cast_docs["group"].pk not in ids(member_hits)
    assert member_hits.total == 3  # cluster, network, person
    # Once the lock is free, the next search catches up by itself.
    assert ids(everyone(engine, member)) == {
        cast_docs[n].pk for n in ("cluster", "network", "public", "person")
    }


def test_changes_inside_an_open_transaction_are_never_indexed(engine, cast_docs):
    engine.rebuild()
    with transaction.atomic():
        change(cast_docs["outsider_draft"], visibility=Visibility.PUBLIC)
        assert engine.apply_changes() == 0  # may still roll back
        hits = everyone(engine, AnonymousUser())
        assert hits.pending_ids == [cast_docs["outsider_draft"].pk]
        assert ids(hits) == {cast_docs["public"].pk}
    assert engine.apply_changes() == 1
    assert ids(everyone(engine, AnonymousUser())) == {
        cast_docs["public"].pk,
        cast_docs["outsider_draft"].pk,
    }


def test_visibility_query_matches_visible_q_for_the_cast(
    engine, cast_docs, owner, member, outsider, steward
):
    engine.rebuild()
    searcher = engine._reader().index.searcher()
    for viewer in (AnonymousUser(), owner, member, outsider, steward):
        result = searcher.search(te.visibility_query(Scope.for_viewer(viewer)), limit=100)
        got = set(searcher.fast_field_values("doc_id", [a for _, a in result.hits]))
        rule = SearchDocument.objects.filter(access.visible_q(viewer)).values_list("pk", flat=True)
        assert got == set(rule)


# --- text, filters and facets ----------------------------------------------------------------


@pytest.fixture
def library(owner, member, group):
    org = OrganizationFactory(name="North District", slug="north")
    old = timezone.now() - dt.timedelta(days=40)
    return {
        "calls": make_doc(
            "Calling families on day one",
            "We called every family before the first day; attendance rose.",
            author=owner,
            group=group,
            kind="observation",
            organization=org,
        ),
        "tickets": make_doc(
            "Exit tickets in ninth-grade math",
            "Exit tickets showed who was lost; running short reviews helped.",
            author=member,
            kind="result",
            created=old,
        ),
        "idea": make_doc(
            "Mentors for students who miss school",
            "Mentoring runs weekly. Families are called when a student misses a day.",
            author=owner,
            item_type="idea",
            stage="testing",
            organization=org,
        ),
        "reading": make_doc(
            "Reading circles",
            "Students read aloud together in small circles.",
            author=member,
            kind="reflection",
        ),
    }


def search(engine, query, filters=ALL, **kw):
    return engine.search(query, Scope(anonymous=True), filters, limit=10, facets=True, **kw)


def test_words_are_stemmed_folded_and_or_ed(engine, library):
    engine.rebuild()
    # "running" finds "runs" and "running"; "Famílies" finds "families"; any word matches.
    assert ids(search(engine, q("running"))) == {library["tickets"].pk, library["idea"].pk}
    assert ids(search(engine, q("Famílies"))) == {library["calls"].pk, library["idea"].pk}
    hits = search(engine, q("circles", "mentors"))
    assert ids(hits) == {library["reading"].pk, library["idea"].pk}
    assert hits.total == 2
    assert hits.scores == sorted(hits.scores, reverse=True)


def test_a_title_match_ranks_above_a_body_match(engine, library):
    engine.rebuild()
    hits = search(engine, q("families"))
    assert hits.doc_ids[0] == library["calls"].pk  # in the title, not only in the body


def test_phrases_prefixes_and_exclusions(engine, library):
    engine.rebuild()
    # A phrase matches as a whole, in order ("day one", not "one ... day").
    assert ids(search(engine, q(phrases=["day one"]))) == {library["calls"].pk}
    assert ids(search(engine, q(phrases=["one day"]))) == set()
    # Among other words, it is one more alternative.
    hits = search(engine, q("reading", phrases=["exit tickets", "tickets reading"]))
    assert ids(hits) == {library["reading"].pk, library["tickets"].pk}
    # Stop words leave a gap, as in the text: "families on day" is "famili _ day".
    assert ids(search(engine, q(phrases=["families on day"]))) == {library["calls"].pk}
    assert ids(search(engine, q(phrases=["families day"]))) == set()
    # A word joined by punctuation comes as a phrase.
    assert ids(search(engine, q(phrases=["ninth grade"]))) == {library["tickets"].pk}
    # Prefixes: folded and unstemmed ("mentor*" finds mentoring), or stemmed ("studies*").
    assert ids(search(engine, q(prefixes=["mentor"]))) == {library["idea"].pk}
    assert ids(search(engine, q(prefixes=["studies"]))) == set()
    assert ids(search(engine, q(prefixes=["stud"]))) == {library["idea"].pk, library["reading"].pk}
    # Exclusions.
    assert ids(search(engine, q("families", excluded=["mentors"]))) == {library["calls"].pk}
    # Only stop words: nothing to look for, an empty answer rather than an error.
    empty = search(engine, q("the", "of"))
    assert (empty.doc_ids, empty.total) == ([], 0)


def test_filters_apply_before_ranking_and_facets_count_the_same_matches(
    engine, library, owner, group
):
    engine.rebuild()
    words = q("families", "students", "tickets", "reading")
    assert search(engine, words).total == 4
    org = library["calls"].organization_id
    cases = [
        (Filters(item_types=("idea",)), {"idea"}),
        (Filters(kinds=("observation", "result")), {"calls", "tickets"}),
        (Filters(stages=("testing",)), {"idea"}),
        (Filters(group_ids=(group.pk,)), {"calls"}),
        (Filters(organization_ids=(org,)), {"calls", "idea"}),
        (Filters(author_ids=(owner.pk,)), {"calls", "idea"}),
        (Filters(since=timezone.localdate() - dt.timedelta(days=1)), {"calls", "idea", "reading"}),
        (Filters(until=timezone.localdate() - dt.timedelta(days=30)), {"tickets"}),
        (Filters(exclude_ids=(library["calls"].pk,)), {"tickets", "idea", "reading"}),
    ]
    for filters, names in cases:
        hits = search(engine, words, filters)
        assert ids(hits) == {library[n].pk for n in names}, filters
        assert hits.total == len(names)
        assert sum(hits.facets["item_type"].values()) == len(names)
    hits = search(engine, words)
    assert hits.facets["item_type"] == {"learning": 3, "idea": 1}
    assert hits.facets["kind"] == {"observation": 1, "result": 1, "reflection": 1}
    assert hits.facets["stage"] == {"testing": 1}
    assert hits.facets["organization_id"] == {str(org): 2}
    assert hits.facets["group_id"] == {str(group.pk): 1}


def test_pages_and_the_total_cover_every_match(engine, member):
    for n in range(25):
        make_doc(f"Attendance note {n}", "attendance " * (n % 5 + 1), author=member)
    engine.rebuild()
    first = engine.search(q("attendance"), Scope(anonymous=True), ALL, limit=10)
    second = engine.search(q("attendance"), Scope(anonymous=True), ALL, limit=10, offset=10)
    last = engine.search(q("attendance"), Scope(anonymous=True), ALL, limit=10, offset=20)
    assert (first.total, second.total, last.total) == (25, 25, 25)
    assert len(set(first.doc_ids) | set(second.doc_ids) | set(last.doc_ids)) == 25
    assert len(last.doc_ids) == 5


def test_a_long_text_keeps_only_its_rarest_terms(engine, member):
    """Word wN is in N documents. A text with w1 … w14 queries the 12 rarest (w1 … w12),
    so a document that has only w13 or w14 is not found, whatever the text's length."""
    words = [f"zq{chr(97 + n)}word" for n in range(14)]
    only = {}
    for n, word in enumerate(words, start=1):
        only[word] = make_doc(f"Only {word}", word, author=member)
        for k in range(n - 1):
            make_doc(f"Filler {word} {k}", f"{word} filler", author=member)
    engine.rebuild()
    text = " ".join(words) + " " + "and the of " * 500
    hits = engine.search_text(text, Scope(anonymous=True), ALL, limit=500)
    found = ids(hits)
    assert only[words[0]].pk in found and only[words[11]].pk in found
    assert only[words[12]].pk not in found and only[words[13]].pk not in found
    assert hits.doc_ids[0] == only[words[0]].pk  # the rarest word weighs most


def test_related_text_skips_words_only_the_item_itself_has(engine, member):
    item = make_doc("Quokka counting", "quokka walking club attendance", author=member)
    other = make_doc("Walking club", "a walking club before school", author=member)
    make_doc("Unrelated", "attendance", author=member)
    engine.rebuild()
    related = engine.search_text(
        item.title + " " + item.body,
        Scope(anonymous=True),
        Filters(exclude_ids=(item.pk,)),
        limit=5,
    )
    assert related.doc_ids[0] == other.pk
    assert item.pk not in related.doc_ids


def test_search_text_respects_visibility(engine, cast_docs, outsider):
    engine.rebuild()
    hits = engine.search_text(
        "attendance calls to families, again and again", Scope.for_viewer(outsider), ALL, limit=50
    )
    assert ids(hits) == {cast_docs[n].pk for n in EXPECTED["outsider"]}


ODD = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.sampled_from(list("\"*-()^:~|&!'\\ <>ORANDNOT+{}[]é日")), max_size=80),
)


@pytest.fixture
def indexed_library(engine, library):
    engine.rebuild()
    return library


@hsettings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=ODD)
def test_any_text_gives_an_answer(engine, indexed_library, member, text):
    """Whatever the parser lets through (any Unicode, stray syntax) builds a valid query."""
    scope = Scope.for_viewer(member)
    hits = engine.search(parse(text), scope, ALL, limit=5, facets=True)
    assert hits.total >= len(hits.doc_ids)
    assert set(hits.doc_ids) <= {d.pk for d in indexed_library.values()}
    related = engine.search_text(text, scope, ALL, limit=5)
    assert len(related.doc_ids) <= 5


# --- keeping in step ---------------------------------------------------------------------------


def test_apply_changes_is_idempotent(engine, member):
    a = make_doc("Attendance one", author=member)
    engine.rebuild()
    b = make_doc("Attendance two", author=member)
    change(a, title="Attendance one, edited")
    assert engine.apply_changes() == 2
    assert engine.apply_changes() == 0
    # Applying the same changes again (a crash before the watermark was saved) changes nothing.
    gen = engine.current_generation()
    state = te.IndexState.load(gen)
    state.watermark, state.gaps = 0, []
    state.save(gen)
    assert engine.apply_changes() == SearchChange.objects.count()
    searcher = engine._reader().index.searcher()
    assert searcher.num_docs == 2
    assert ids(engine.search(q("edited"), Scope(anonymous=True), ALL, limit=5)) == {a.pk}
    assert ids(engine.search(q("two"), Scope(anonymous=True), ALL, limit=5)) == {b.pk}


def test_a_busy_lock_makes_apply_return_at_once(engine, member):
    engine.rebuild()
    make_doc("Attendance", author=member)
    with te.file_lock(engine.root / ".apply.lock", blocking=False):
        started = time.monotonic()
        assert engine.apply_changes() == 0
        assert time.monotonic() - started < 1
    assert engine.apply_changes() == 1


def test_a_late_commit_below_the_watermark_is_still_applied(engine, member):
    """On PostgreSQL a transaction can take id 11, commit after id 12 and be read after the
    index moved past 12. The hole is remembered and read again."""
    engine.rebuild()
    first = make_doc("Attendance early", author=member)
    late_doc = SearchDocument.objects.create(
        item_type="learning", item_id=99, title="Attendance late", visibility="public"
    )
    newest = SearchChange.objects.latest("id").pk
    SearchChange.objects.create(id=newest + 2, document_id=first.pk)
    assert engine.apply_changes() == 2
    state = te.IndexState.load(engine.current_generation())
    assert state.watermark == newest + 2
    # (On PostgreSQL, ids taken by earlier, rolled-back tests are gaps too.)
    assert [g[:2] for g in state.gaps if g[1] > newest] == [[newest + 1, newest + 1]]
    SearchChange.objects.create(id=newest + 1, document_id=late_doc.pk)  # commits late
    assert engine.pending_document_ids() == [late_doc.pk]
    assert engine.apply_changes() == 1
    assert engine.pending_document_ids() == []
    assert late_doc.pk in ids(engine.search(q("late"), Scope(anonymous=True), ALL, limit=5))
    assert [g for g in te.IndexState.load(engine.current_generation()).gaps if g[1] > newest] == []


def test_gaps_are_tracked_and_forgotten():
    state = te.IndexState(watermark=10)
    state.advance([11, 12, 15, 16, 20], now=1000.0)
    assert state.watermark == 20
    assert state.gaps == [[13, 14, 1000.0], [17, 19, 1000.0]]
    state.advance([13, 18], now=1001.0)
    assert state.gaps == [[14, 14, 1000.0], [17, 17, 1000.0], [19, 19, 1000.0]]
    state.advance([21], now=1000.0 + te.GAP_SECONDS + 1)
    assert state.gaps == []
    assert state.watermark == 21


def test_another_process_applying_is_seen_by_this_reader(engine, member):
    make_doc("Attendance", author=member)
    engine.rebuild()
    assert everyone(engine, AnonymousUser()).total == 1
    elsewhere = te.TantivyEngine(engine.root)  # stands for another worker process
    make_doc("Attendance again", author=member)
    assert elsewhere.apply_changes() == 1
    assert engine.pending_document_ids() == []  # the state file moved: reader reloaded
    assert everyone(engine, AnonymousUser()).total == 2


def test_a_forked_worker_opens_its_own_reader(engine, member, monkeypatch):
    """gunicorn forks workers: Tantivy's objects (and threads) must not cross a fork."""
    make_doc("Attendance", author=member)
    engine.rebuild()
    parent = engine._reader()
    monkeypatch.setattr(te.os, "getpid", lambda: parent.pid + 1)
    child = engine._reader()
    assert child is not parent and child.index is not parent.index
    assert everyone(engine, AnonymousUser()).total == 1


def test_schedule_apply_applies_once_after_commit(
    engine, member, django_capture_on_commit_callbacks
):
    engine.rebuild()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for n in range(3):
            make_doc(f"Attendance {n}", author=member)
            te.schedule_apply()
    assert len(callbacks) == 1
    assert engine.pending_document_ids() == []
    assert everyone(engine, AnonymousUser(), facets=False).total == 3


def test_schedule_apply_does_nothing_when_the_engine_is_off(engine, settings, member):
    settings.SEARCH_ENGINE = "native"
    engine.rebuild()
    make_doc("Attendance", author=member)
    with transaction.atomic():
        te.schedule_apply()
        assert transaction.get_connection().run_on_commit == []


# --- building and rebuilding ---------------------------------------------------------------------


def test_no_index_means_not_ready(engine, member):
    make_doc("Attendance", author=member)
    assert not engine.ready()
    assert engine.apply_changes() == 0
    with pytest.raises(te.IndexNotReady):
        everyone(engine, AnonymousUser())
    assert engine.needs_rebuild() == "no index yet"


def test_rebuild_swaps_in_a_fresh_generation(engine, member):
    for n in range(7):
        make_doc(f"Attendance {n}", author=member)
    make_doc("Gone", author=member, deleted=True)
    seen = []
    assert engine.rebuild(progress=lambda done, total: seen.append((done, total))) == 7
    assert seen[-1] == (7, 7)
    first = engine.current_generation()
    assert engine.ready()
    make_doc("Attendance 8", author=member)
    assert engine.rebuild() == 8
    second = engine.current_generation()
    assert second != first
    assert everyone(engine, AnonymousUser()).total == 8
    engine.rebuild()
    generations = sorted(p.name for p in engine.root.glob("gen-*"))
    assert generations == sorted([second.name, engine.current_generation().name])
    state = te.IndexState.load(engine.current_generation())
    assert state.watermark == SearchChange.objects.latest("id").pk
    assert state.documents == 8


def test_an_index_from_a_restored_database_is_rebuilt(engine, member):
    make_doc("Attendance", author=member)
    engine.rebuild()
    assert engine.needs_rebuild() is None
    gen = engine.current_generation()
    state = te.IndexState.load(gen)
    state.watermark += 50  # the index saw changes this database never had
    state.save(gen)
    assert "restored" in engine.needs_rebuild()
    assert not engine.ready()
    assert apply_search_changes.call() == 1  # the periodic task rebuilds
    assert engine.ready()


def test_an_index_from_another_database_with_the_same_ids_is_rebuilt(engine, member):
    make_doc("Attendance", author=member)
    make_doc("Attendance two", author=member)
    engine.rebuild()
    newest = SearchChange.objects.latest("id")
    SearchChange.objects.filter(pk=newest.pk).update(
        created_at=newest.created_at - dt.timedelta(hours=1)
    )
    assert engine.needs_rebuild() == "the index was built from another database"
    SearchChange.objects.filter(pk=newest.pk).delete()
    assert engine.needs_rebuild() == "the database's changes went back (restored?)"
    # Ids move on past the old watermark, but the change it names is not there.
    SearchChange.objects.create(id=newest.pk + 5, document_id=newest.document_id)
    assert engine.needs_rebuild() == "the database does not have the change the index saw last"


def test_an_index_that_missed_pruned_changes_is_rebuilt(engine, member):
    doc = make_doc("Attendance", author=member)
    engine.rebuild()
    change(doc, title="Attendance edited")
    change(doc, title="Attendance edited twice")
    SearchChange.objects.filter(pk__lt=SearchChange.objects.latest("id").pk).delete()
    assert engine.needs_rebuild() == "changes were pruned before this index applied them"


def test_another_schema_version_is_rebuilt(engine, member, monkeypatch):
    make_doc("Attendance", author=member)
    engine.rebuild()
    monkeypatch.setattr(ts, "SCHEMA_VERSION", ts.SCHEMA_VERSION + 1)
    engine._reader_ = None
    assert not engine.ready()
    assert engine.needs_rebuild() == "built by another version"


def test_the_periodic_task_builds_applies_and_repairs_drift(engine, member):
    old = timezone.now() - dt.timedelta(days=2)
    make_doc("Attendance", author=member, created=old)
    assert apply_search_changes.call() == 1  # builds the missing index
    make_doc("Attendance two", author=member, created=old)
    assert apply_search_changes.call() == 1  # applies the change
    # A document written without a change row (a bug, a manual edit) is found by the count.
    SearchDocument.objects.create(
        item_type="learning", item_id=5, title="Attendance", visibility="public", created_at=old
    )
    assert engine.check_drift() == 1
    assert apply_search_changes.call() == 3  # rebuilt
    assert engine.check_drift() == 0


def test_the_periodic_task_does_nothing_when_the_engine_is_off(engine, settings, member):
    settings.SEARCH_ENGINE = "native"
    make_doc("Attendance", author=member)
    assert apply_search_changes.call() == 0
    assert engine.current_generation() is None


def test_prune_keeps_recent_changes_and_the_newest(engine, member):
    doc = make_doc("Attendance", author=member)
    for _ in range(3):
        change(doc, title="Attendance edited")
    SearchChange.objects.update(created_at=timezone.now() - dt.timedelta(days=30))
    newest = SearchChange.objects.latest("id").pk
    assert prune_search_changes.call() == 3
    assert list(SearchChange.objects.values_list("id", flat=True)) == [newest]
    change(doc, title="Attendance edited again")
    recent = SearchChange.objects.latest("id").pk
    assert prune_search_changes.call() == 1
    assert list(SearchChange.objects.values_list("id", flat=True)) == [recent]


def test_status_reports_the_index(engine, member):
    make_doc("Attendance", author=member)
    assert engine.status()["ready"] is False
    engine.rebuild()
    status = engine.status()
    assert status["ready"] is True
    assert status["documents"] == 1
    assert status["pending"] == 0
    assert status["size_bytes"] > 0


def test_each_database_gets_its_own_index(engine, monkeypatch):
    first = te.index_root()
    monkeypatch.setitem(connections["default"].settings_dict, "NAME", "another-database")
    assert te.index_root() != first
    assert te.get_engine() is not engine


# --- ranking parity ------------------------------------------------------------------------------

COMMON = "school students teachers week day class work time group notes"
TOPICS = [
    "attendance absences calls families morning bus breakfast tardy chronic outreach",
    "reading literacy circles books phonics fluency library vocabulary comprehension aloud",
    "math fractions algebra tickets exit problems equations geometry practice quizzes",
    "mentors advisory counselor belonging relationships check trust coaching caring adults",
    "homework feedback rubrics revision drafts writing journal grading comments portfolio",
    "parents conferences newsletter translation meetings community volunteers surveys home visits",
]


@pytest.fixture
def corpus(member):
    """Documents about one or two of a few topics, in words drawn with a Zipf-like skew:
    the top results of a topical query are clear, as in a real network's learnings."""
    rng = random.Random(6)
    topics = [t.split() for t in TOPICS]
    weights = [1 / (rank + 1) for rank in range(10)]
    docs = []
    for n in range(90):
        mine = rng.sample(topics, rng.choice([1, 1, 2]))
        words = [w for t in mine for w in rng.choices(t, weights, k=rng.randint(6, 30))]
        words += rng.choices(COMMON.split(), k=rng.randint(5, 30))
        rng.shuffle(words)
        title = " ".join(rng.sample(mine[0], 3))
        docs.append(make_doc(f"{title} {n}", " ".join(words), author=member))
    queries = [" ".join(rng.sample(rng.choice(topics), rng.randint(1, 4))) for _ in range(24)]
    return docs, queries


def test_ranking_agrees_with_standard_bm25(engine, corpus, monkeypatch):
    """Flat BM25 (no title boost) against bm25s's Lucene BM25 with the same analysis and
    k1=1.2, b=0.75. Tantivy stores document lengths in one byte, so ties may break
    differently: compare the overlap of the top 5, not the order."""
    bm25s = pytest.importorskip("bm25s")
    monkeypatch.setattr(te, "TITLE_BOOST", 0.0)
    docs, queries = corpus
    engine.rebuild()
    reference = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
    reference.index([ts.analyze(d.title) + ts.analyze(d.body) for d in docs], show_progress=False)
    overlaps = []
    for text in queries:
        top, _ = reference.retrieve([ts.analyze(text)], k=5, show_progress=False)
        expected = {docs[i].pk for i in top[0]}
        got = engine.search(q(*text.split()), Scope(anonymous=True), ALL, limit=5).doc_ids
        overlaps.append(len(expected & set(got)) / 5)
    assert sum(overlaps) / len(overlaps) >= 0.9


def test_top_results_overlap_with_the_native_engine(engine, corpus):
    native = pytest.importorskip("learnloop.search.native")
    _docs, queries = corpus
    engine.rebuild()
    other = native.NativeEngine()
    overlaps = []
    for text in queries:
        query = q(*text.split())
        a = engine.search(query, Scope(anonymous=True), ALL, limit=10).doc_ids
        b = other.search(query, Scope(anonymous=True), ALL, limit=10).doc_ids
        overlaps.append(len(set(a) & set(b)) / max(1, min(10, len(a), len(b))))
    # SQLite's bm25() weighs the title as its own column; PostgreSQL ranks with ts_rank_cd.
    assert sum(overlaps) / len(overlaps) >= 0.7


@pytest.mark.django_db(transaction=True)
def test_a_server_applies_in_a_background_thread(settings, tmp_path, monkeypatch):
    """Outside tests, a commit (or a search that finds changes pending) wakes one thread of
    the process, which applies the changes; the write itself never waits for the index."""
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(te, "IDLE_SECONDS", 0.2)
    engine = te.get_engine()
    author = PersonFactory()
    make_doc("Attendance", author=author)
    engine.rebuild()
    settings.TESTING = False
    make_doc("Attendance again", author=author)
    te.schedule_apply()  # outside a transaction: as after a commit
    deadline = time.monotonic() + 20
    while engine.pending_document_ids() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert engine.pending_document_ids() == []
    assert te._applier._thread is not None and te._applier._thread.is_alive()
    settings.TESTING = True
    assert everyone(engine, AnonymousUser()).total == 2
    time.sleep(0.5)  # the idle thread closes its database connection


def test_with_facets_the_total_comes_from_the_same_pass_and_matches_the_count(
    engine, member, group
):
    """The facet aggregation counts the matches (no separate count pass): across several
    segments and for each viewer it must equal the exact count, and the facets add up."""
    for n in range(30):
        make_doc(
            f"Attendance note {n}",
            "attendance " * (n % 4 + 1),
            author=member,
            visibility=(Visibility.PUBLIC, Visibility.NETWORK, Visibility.GROUP)[n % 3],
            group=group,
        )
    engine.rebuild()
    for n in range(7):  # each apply commits a segment of its own
        make_doc(f"Late attendance {n}", "attendance", visibility=Visibility.PUBLIC)
        engine.apply_changes()
    assert engine._reader().index.searcher().num_segments > 1
    for scope in (Scope(anonymous=True), Scope.for_viewer(member), Scope(False, steward=True)):
        counted = engine.search(q("attendance"), scope, ALL, limit=5)
        faceted = engine.search(q("attendance"), scope, ALL, limit=5, facets=True)
        assert faceted.total == counted.total > 5
        assert sum(faceted.facets["item_type"].values()) == faceted.total
        assert faceted.doc_ids == counted.doc_ids  # the same page, ranked the same
    nothing = engine.search(q("zebra"), Scope(anonymous=True), ALL, limit=5, facets=True)
    assert (nothing.total, nothing.doc_ids) == (0, [])


def test_pages_with_facets_are_the_pages_without(engine, member, outsider, group, other_group):
    """With facets, the page is ranked without a count and the total comes from the
    aggregation: pages (documents, order, scores) and totals must be those of a search
    without facets, for each viewer, filter and page, across segments."""
    rng = random.Random(5)
    kinds = ("observation", "reflection", "")
    for n in range(160):
        visibility = rng.choice(
            [Visibility.PUBLIC] + [Visibility.NETWORK] * 3 + [Visibility.GROUP] * 2
        )
        make_doc(
            f"Note {n} " + "attendance " * rng.randint(0, 3),
            "attendance families " * rng.randint(1, 4) + "tickets " * rng.randint(0, 2),
            visibility=visibility,
            author=rng.choice([member, outsider]),
            group=rng.choice([group, other_group]),
            kind=rng.choice(kinds),
        )
    engine.rebuild()
    for n in range(3):  # another segment, and a document only one viewer can see
        make_doc(f"Late attendance {n}", "attendance", visibility=Visibility.PUBLIC)
    engine.apply_changes()
    scopes = [Scope(anonymous=True), Scope.for_viewer(member), Scope.for_viewer(outsider)]
    queries = [q("attendance"), q("tickets", "families"), q("attendance", excluded=["tickets"])]
    filters = [ALL, Filters(kinds=("observation",)), Filters(group_ids=(other_group.pk,))]
    for scope in scopes:
        for words in queries:
            for f in filters:
                for offset, limit in ((0, 20), (20, 20), (0, 100), (150, 20)):
                    ranked = engine.search(words, scope, f, limit=limit, offset=offset)
                    paged = engine.search(words, scope, f, limit=limit, offset=offset, facets=True)
                    assert paged.doc_ids == ranked.doc_ids, (scope, words, f, offset)
                    assert paged.scores == ranked.scores
                    assert paged.total == ranked.total
