"""The semantic layer's models and vector search: the SVD model stored without pickle and
encoded directly, vectors kept current in the background, and a search that sees exactly
what the scope and filters allow."""

from __future__ import annotations

import io
from datetime import timedelta

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import timezone

from learnloop.core.models import Visibility
from learnloop.core.services import item_soft_delete
from learnloop.search import embedders, semantic, semantic_tasks
from learnloop.search.engine import Filters, Scope
from learnloop.search.models import SearchVector, SemanticModel
from learnloop.search.services import document_sync
from tests.search.factories_search import doc_of, idea, learning
from tests.search.semantic_support import TOPICS, corpus, fit_now, semantic_env  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("semantic_env")]

TEXTS = [f"{t}\n{b}" for _topic, t, b in corpus()]


@pytest.fixture
def network(owner, outsider):
    """The corpus as network learnings by the outsider, with a fitted model."""
    made = {topic: [] for topic in TOPICS}
    for topic, title, body in corpus():
        made[topic].append(learning(outsider, title, body))
    fit_now()
    return made


def ids_of(items) -> set[int]:
    return {doc_of(i).pk for i in items}


# The SVD model ---------------------------------------------------------------------------


def test_svd_payload_is_plain_arrays_and_round_trips():
    model = embedders.SvdEmbedder.fit(TEXTS)
    payload = model.to_payload()
    with np.load(io.BytesIO(payload), allow_pickle=False) as archive:
        assert sorted(archive.files) == ["components_t", "idf", "meta", "terms"]
        assert all(archive[name].dtype != object for name in archive.files)
    again = embedders.SvdEmbedder.from_payload(payload)
    queries = ["families answer phone calls", "tomatoes in the garden"]
    assert np.allclose(model.encode(queries), again.encode(queries), atol=1e-6)


def test_query_vector_is_tfidf_row_times_components():
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    options = embedders._vectorizer_options(len(TEXTS))
    vectorizer = TfidfVectorizer(**options)
    matrix = vectorizer.fit_transform(TEXTS)
    model = embedders.SvdEmbedder.fit(TEXTS)
    svd = TruncatedSVD(model.dim, algorithm="randomized", n_iter=5, random_state=0).fit(matrix)
    queries = ["mentors talk about goals", "calling families about absence"]
    expected = svd.transform(vectorizer.transform(queries))
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    # Stored as float16: equal to three decimals, and the same direction.
    assert np.allclose(model.encode(queries), expected, atol=5e-3)
    many = queries * 10  # the batch path (more than 16 texts) gives the same rows
    assert np.allclose(model.encode(many)[:2], model.encode(queries), atol=1e-5)


def test_small_corpora_use_fewer_dimensions_and_tiny_ones_none():
    model = embedders.SvdEmbedder.fit(TEXTS)
    assert model.dim == len(TEXTS) // 2 < embedders.MAX_DIM
    assert embedders.SvdEmbedder.fit(TEXTS[:2]) is None
    assert embedders.SvdEmbedder.fit(["the and of", "a an the", "of to in"]) is None


def test_unknown_words_give_a_zero_vector():
    model = embedders.SvdEmbedder.fit(TEXTS)
    assert not np.any(model.encode(["zzyzx qwpfj"])[0])


def test_vectors_are_float16_bytes():
    vector = embedders.normalise(np.arange(1, 9, dtype=np.float32))
    data = semantic.vector_to_bytes(vector)
    assert len(data) == 8 * 2
    assert np.allclose(semantic.bytes_to_vector(data), vector, atol=1e-3)


# Background work ---------------------------------------------------------------------------


def test_refresh_fits_embeds_every_document_and_completes(outsider):
    for _topic, title, body in corpus():
        learning(outsider, title, body)
    assert not semantic.semantic_ready() and not semantic.probably_ready()
    report = semantic_tasks.refresh()
    model = SemanticModel.objects.get()
    assert report["fitted"] == "no model yet"
    assert report["embedded"] == len(TEXTS)
    assert model.complete and model.name == "svd" and model.documents == len(TEXTS)
    vectors = SearchVector.objects.filter(model=model)
    assert vectors.count() == len(TEXTS)
    assert {len(bytes(v.vector)) for v in vectors} == {model.dim * 2}
    assert semantic.semantic_ready() and semantic.probably_ready()
    assert semantic_tasks.refresh()["fitted"] == ""  # nothing due a second time


def test_no_model_below_five_documents(outsider):
    for _topic, title, body in corpus()[:4]:
        learning(outsider, title, body)
    assert semantic_tasks.refresh()["fitted"] == ""
    assert not SemanticModel.objects.exists()
    assert semantic.semantic_search("phone calls", Scope.for_viewer(outsider)).doc_ids == []


def test_refit_when_the_corpus_grew_by_a_fifth(network, outsider):
    model = SemanticModel.objects.get()
    assert semantic_tasks.fit_reason(model, model.documents) == ""
    assert semantic_tasks.fit_reason(model, int(model.documents * 1.2)) == ""
    assert semantic_tasks.fit_reason(model, int(model.documents * 1.2) + 1) != ""


def test_refit_after_a_week_only_if_documents_changed(network, outsider):
    model = SemanticModel.objects.get()
    SemanticModel.objects.filter(pk=model.pk).update(fitted_at=timezone.now() - timedelta(days=8))
    model.refresh_from_db()
    from learnloop.search.models import SearchChange

    SearchChange.objects.all().delete()
    assert semantic_tasks.fit_reason(model, model.documents) == ""
    learning(outsider, "A new learning about garden compost", "Compost and beans.")
    assert (
        semantic_tasks.fit_reason(model, model.documents) == "a week passed and documents changed"
    )


def test_a_new_version_serves_only_once_complete(network, outsider):
    old = SemanticModel.objects.get()
    new = semantic_tasks.fit_svd()
    assert new.version == old.version + 1 and not new.complete
    assert semantic.active_model() == old  # queries keep the complete one
    semantic_tasks.embed_missing(new)
    assert semantic_tasks.complete_if_done(new)
    assert semantic.active_model() == new
    assert not SemanticModel.objects.filter(pk=old.pk).exists()  # and its vectors went


def test_new_and_edited_documents_get_vectors_after_commit(
    network, outsider, django_capture_on_commit_callbacks
):
    # search.services calls the hook once per transaction, after commit.
    fresh = learning(outsider, "Families water the garden beds", "Tomatoes, beans, water.")
    doc = doc_of(fresh)
    with django_capture_on_commit_callbacks(execute=True):
        semantic_tasks.schedule_embed()
    first = SearchVector.objects.get(document=doc)
    fresh.title = "Mentors and students set goals together"
    fresh.body = "Weekly mentor meetings about goals."
    fresh.save()
    document_sync(item=fresh)
    with django_capture_on_commit_callbacks(execute=True):
        semantic_tasks.schedule_embed()
    second = SearchVector.objects.get(document=doc)
    assert second.pk != first.pk  # a new row: readers see it by its id
    scope = Scope.for_viewer(outsider)
    top = semantic.semantic_search("mentor goals weekly", scope, Filters(), 3).doc_ids
    assert doc.pk in top


@pytest.fixture
def lock_held_elsewhere():
    """The embedding lock, held by "another process": a second database session on
    PostgreSQL (advisory locks are per session), another open file on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        other = connection.copy()
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [semantic_tasks.LOCK_KEY])
        yield
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [semantic_tasks.LOCK_KEY])
        other.close()
    else:
        with semantic_tasks.exclusive() as got:
            assert got
            yield


def test_a_busy_lock_makes_the_round_give_way(outsider, lock_held_elsewhere):
    for _topic, title, body in corpus():
        learning(outsider, title, body)
    assert semantic_tasks.refresh()["busy"] is True
    assert not SemanticModel.objects.exists()


def test_the_periodic_task_fits_and_embeds(outsider):
    for _topic, title, body in corpus():
        learning(outsider, title, body)
    result = semantic_tasks.semantic_refresh.enqueue()
    assert result.return_value["fitted"] == "no model yet"
    assert SemanticModel.objects.get().complete


def test_embed_command_reports_and_refits(outsider, capsys):
    for _topic, title, body in corpus():
        learning(outsider, title, body)
    call_command("search_embed")
    out = capsys.readouterr().out
    assert "Fitted a new model: no model yet." in out
    assert f"Vectors computed: {len(TEXTS)} new" in out
    call_command("search_embed", "--refit")
    shown = capsys.readouterr()
    assert "svd v2" in shown.out
    assert "fitting the model" in shown.err and "embedding (svd): 100%" in shown.err
    assert list(SemanticModel.objects.values_list("version", flat=True)) == [2]


# Search ------------------------------------------------------------------------------------


def test_finds_the_learnings_on_the_topic_of_a_query(network, outsider):
    # Each attendance learning shares a word or two with the query ("family" as
    # "families", "absent", "phoned"), none shares them all; all four come first.
    hits = semantic.semantic_search(
        "a family phoned when their child was absent", Scope.for_viewer(outsider), Filters(), 4
    )
    assert set(hits.doc_ids) == ids_of(network["attendance"])
    assert hits.scores == sorted(hits.scores, reverse=True)


def test_search_by_a_stored_vector(network, outsider):
    doc = doc_of(network["gardening"][0])
    vector = semantic.document_vector(doc)
    hits = semantic.semantic_search(
        vector, Scope.for_viewer(outsider), Filters(exclude_ids=(doc.pk,)), 2
    )
    assert set(hits.doc_ids) <= ids_of(network["gardening"][1:])


def test_scope_decides_exactly_what_is_found(
    network, owner, member, outsider, steward, group, other_group
):
    text = "School garden compost, tomatoes and beans"
    draft = learning(owner, text, "Garden notes.", visibility=Visibility.DRAFT)
    grouped = learning(owner, text, "Garden notes.", group=group, visibility=Visibility.GROUP)
    public = learning(owner, text, "Garden notes.", visibility=Visibility.PUBLIC)
    gone = learning(owner, text, "Garden notes.")
    item_soft_delete(viewer=owner, item=gone)
    semantic_tasks.refresh()

    def found(viewer) -> set[int]:
        return set(semantic.semantic_search(text, Scope.for_viewer(viewer), Filters(), 50).doc_ids)

    mine = ids_of([draft, grouped, public])
    assert ids_of([draft, grouped, public]) <= found(owner)
    assert found(member) & mine == ids_of([grouped, public])
    assert found(outsider) & mine == ids_of([public])
    assert found(steward) & mine == ids_of([grouped, public])
    from django.contrib.auth.models import AnonymousUser

    assert found(AnonymousUser()) == ids_of([public])
    assert doc_of(gone).pk not in found(owner) | found(steward)


def test_a_visibility_change_applies_at_once(network, owner, outsider):
    item = learning(owner, "Garden beds need water on Saturdays", "Tomatoes.")
    semantic_tasks.refresh()
    scope = Scope.for_viewer(outsider)
    doc = doc_of(item)
    assert doc.pk in semantic.semantic_search("garden water", scope, Filters(), 50).doc_ids
    item.visibility = Visibility.DRAFT
    item.save(update_fields=["visibility"])
    document_sync(item=item)  # no new vector, only the change log: the index follows it
    assert doc.pk not in semantic.semantic_search("garden water", scope, Filters(), 50).doc_ids


def test_filters(network, owner, outsider, group):
    grouped = learning(owner, "Garden compost in the group", "Beans.", group=group, kind="data")
    plan = idea(owner, "Grow the garden with compost", "Compost feeds the beds.")
    semantic_tasks.refresh()
    scope = Scope.for_viewer(owner)
    text = "garden compost"

    def found(**kw) -> set[int]:
        return set(semantic.semantic_search(text, scope, Filters(**kw), 50).doc_ids)

    assert found(item_types=("idea",)) == ids_of([plan])
    assert found(kinds=("data",)) == ids_of([grouped])
    assert found(group_ids=(group.pk,)) == ids_of([grouped])
    assert found(author_ids=(owner.pk,)) == ids_of([grouped, plan])
    assert found(organization_ids=(999999,)) == set()
    today = timezone.localdate()
    assert found(since=today + timedelta(days=1)) == set()
    assert ids_of([grouped, plan]) <= found(until=today)
    assert doc_of(plan).pk not in found(exclude_ids=(doc_of(plan).pk,))
    assert found(item_types=("nothing",)) == set()


def test_no_model_means_no_semantic_answer(owner):
    assert semantic.semantic_search("anything at all", Scope.for_viewer(owner)).doc_ids == []
    assert semantic.active_model() is None


def test_an_unreadable_model_is_treated_as_absent_and_fitted_again(network, outsider):
    from learnloop.search import searching

    broken = SemanticModel.objects.get(complete=True)
    SemanticModel.objects.filter(pk=broken.pk).update(payload=b"not a model")
    semantic.reset()
    query = "a family phoned when their child was absent"
    assert semantic.semantic_search(query, Scope.for_viewer(outsider)).doc_ids == []
    assert not semantic.semantic_ready()
    result = searching.search(viewer=outsider, text="family phoned", mode="fused")
    assert result.mode == "lexical" and result.results  # answered by words, no error
    report = semantic_tasks.refresh()
    assert report["fitted"] == "the stored model cannot be read"
    assert semantic.semantic_ready()
    hits = semantic.semantic_search(query, Scope.for_viewer(outsider), Filters(), 4)
    assert set(hits.doc_ids) == ids_of(network["attendance"])


def test_sentence_embeddings_when_the_extra_is_installed(outsider):
    pytest.importorskip("sentence_transformers")
    if not embedders.minilm_available():
        pytest.skip("the MiniLM model package is not installed")
    vectors = embedders.MiniLmEmbedder().encode(["Families answer phone calls"], query=True)
    assert vectors.shape == (1, 384)
    assert abs(float(np.linalg.norm(vectors[0])) - 1.0) < 1e-4
