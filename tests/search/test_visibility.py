"""Nothing a viewer may not see appears in search: not in results, counts, facets, snippets
or suggestions; not after a visibility change or a delete; not even when an engine (or the
semantic layer) answers with ids it should not have."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from learnloop.core import access
from learnloop.core.services import item_restore, item_soft_delete
from learnloop.generation.services import learning_update
from learnloop.people.models import GroupKind
from learnloop.search import searching
from learnloop.search.engine import Filters, Hits, Scope
from learnloop.search.models import SearchDocument
from learnloop.search.native import NativeEngine, scope_q
from learnloop.search.services import document_sync
from tests.factories import GroupFactory
from tests.search.factories_search import doc_of, isolated_search, learning  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_search")]

WORD = "zephyrine"  # every document has it, so a search for it finds all a viewer may see

EXPECTED = {
    "anonymous": {"public"},
    "owner": {"public", "network", "draft", "group", "cluster", "person_owner"},
    "member": {"public", "network", "group", "cluster", "person_owner"},
    "moderator": {"public", "network", "group", "cluster", "person_owner"},
    "outsider": {"public", "network", "other_group", "person_owner"},
    "steward": {"public", "network", "group", "other_group", "cluster", "person_owner"},
}


@pytest.fixture
def cast_docs(group, other_group, owner, member, moderator, outsider, steward):
    cluster = GroupFactory(name="Freshman Cluster", slug="freshman-cluster", kind=GroupKind.CLUSTER)
    group.clusters.add(cluster)
    made = {
        "public": learning(owner, f"Public {WORD}", "Open to all.", visibility="public"),
        "network": learning(owner, f"Network {WORD}", "For members."),
        "draft": learning(
            owner, f"Draft {WORD}", f"A {SECRETS['draft']} draft.", visibility="draft"
        ),
        "group": learning(owner, f"Group {WORD}", "Circle only.", visibility="group", group=group),
        "other_group": learning(
            outsider,
            f"Reading {WORD}",
            f"A {SECRETS['other_group']} team note.",
            visibility="group",
            group=other_group,
        ),
        "cluster": learning(
            owner, f"Cluster {WORD}", "Space note.", visibility="group", group=cluster
        ),
        "deleted": learning(owner, f"Deleted {WORD}", f"A {SECRETS['deleted']} mistake."),
    }
    item_soft_delete(viewer=owner, item=made["deleted"])
    owner.bio = f"I write about {WORD}."
    owner.save()
    made["person_owner"] = owner
    document_sync(item=owner)
    return {name: doc_of(item).pk for name, item in made.items()}


VIEWERS = list(EXPECTED)
# A word only in each hidden item's text: it must never show to those who may not see it.
SECRETS = {"draft": "quokka", "other_group": "narwhal", "deleted": "axolotl"}


def hidden_words(who: str) -> list[str]:
    return [word for name, word in SECRETS.items() if name not in EXPECTED[who]]


def viewer_for(request, who):
    return AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)


@pytest.mark.parametrize("who", VIEWERS)
def test_the_scope_is_the_one_permission_rule(request, who, cast_docs):
    viewer = viewer_for(request, who)
    rule = set(SearchDocument.objects.filter(access.visible_q(viewer)).values_list("pk", flat=True))
    scope = set(
        SearchDocument.objects.filter(scope_q(Scope.for_viewer(viewer))).values_list(
            "pk", flat=True
        )
    )
    assert scope == rule == {cast_docs[name] for name in EXPECTED[who]}


@pytest.mark.parametrize("who", VIEWERS)
def test_results_counts_and_facets_hold_only_what_the_viewer_may_see(request, who, cast_docs):
    viewer = viewer_for(request, who)
    expected = {cast_docs[name] for name in EXPECTED[who]}
    result = searching.search(viewer=viewer, text=WORD, mode="lexical", per_page=50)
    assert {r.document_id for r in result.results} == expected
    assert result.total == len(expected)
    assert sum(v.count for v in result.facets["item_type"]) == len(expected)
    for values in result.facets.values():
        assert all(v.count <= len(expected) for v in values)
    shown = " ".join(f"{r.title_html} {r.snippet}" for r in result.results)
    assert not [word for word in hidden_words(who) if word in shown]
    allowed_titles = set(
        SearchDocument.objects.filter(pk__in=expected).values_list("title", flat=True)
    )
    suggested = {s.title for s in searching.suggest(viewer=viewer, text=WORD[:5], limit=20)}
    assert suggested <= allowed_titles
    assert len(suggested) == min(len(allowed_titles), 20)


@pytest.mark.parametrize("who", ["anonymous", "member", "outsider"])
def test_the_page_and_the_api_show_nothing_hidden(request, who, cast_docs):
    client = Client()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    page = client.get("/search/", {"q": WORD}).content.decode()
    api = client.get("/api/v1/search", {"q": WORD, "per_page": 50}).content.decode()
    item_ids = dict(SearchDocument.objects.values_list("pk", "item_id"))

    def link(name: str) -> str:
        return f"learnings/{item_ids[cast_docs[name]]}/"

    for text in (page, api):
        assert not [word for word in hidden_words(who) if word in text]
        for hidden in ("draft", "deleted", "other_group"):
            assert (link(hidden) in text) == (hidden in EXPECTED[who])
        assert (link("group") in text) == (who == "member")
        assert link("public") in text


def test_a_visibility_change_or_a_delete_shows_at_once(owner, member, steward, cast_docs):
    item = SearchDocument.objects.get(pk=cast_docs["network"])
    from learnloop.generation.models import Learning

    learning_obj = Learning.objects.get(pk=item.item_id)

    def found() -> set[int]:
        result = searching.search(viewer=member, text=WORD, per_page=50)
        assert result.total == len(result.results)
        return {r.document_id for r in result.results}

    assert item.pk in found()
    learning_update(viewer=owner, learning=learning_obj, visibility="draft")
    assert item.pk not in found()
    learning_update(viewer=owner, learning=learning_obj, visibility="network")
    assert item.pk in found()
    item_soft_delete(viewer=owner, item=learning_obj)
    assert item.pk not in found()
    assert item.pk not in {
        r.document_id for r in searching.search(viewer=steward, text=WORD, per_page=50).results
    }
    item_restore(viewer=steward, item=learning_obj)
    assert item.pk in found()


class LeakyEngine:
    """An engine that answers with every document, visible or not (a stale index)."""

    name = "leaky"

    def __init__(self, pending: list[int] | None = None) -> None:
        self.pending = pending or []

    def search(self, query, scope, filters, *, limit, offset=0, facets=False):
        ids = list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True))
        ids = [i for i in ids if i not in self.pending]
        return Hits(doc_ids=ids[offset : offset + limit], total=len(ids), pending_ids=self.pending)


def test_the_database_checks_every_id_an_engine_returns(monkeypatch, member, cast_docs):
    monkeypatch.setattr(searching, "lexical_engine", lambda: LeakyEngine())
    result = searching.search(viewer=member, text=WORD, mode="lexical", per_page=50)
    assert {r.document_id for r in result.results} == {
        cast_docs[name] for name in EXPECTED["member"]
    }


def test_pending_documents_are_counted_only_when_visible_and_matching(
    monkeypatch, member, cast_docs
):
    hidden, shown = cast_docs["other_group"], cast_docs["group"]
    engine = LeakyEngine(pending=[hidden, shown])
    # The leaky engine stands for an index behind the database: its own answer is what
    # it says; the pending documents are judged by the database.
    hits, _name = searching._lexical(
        engine, searching.parse(WORD), Scope.for_viewer(member), Filters(), limit=50
    )
    assert shown in hits.doc_ids
    assert hidden not in hits.doc_ids


def test_the_semantic_layer_cannot_add_a_hidden_item(monkeypatch, member, cast_docs):
    every = list(SearchDocument.objects.order_by("pk").values_list("pk", flat=True))

    class Layer:
        @staticmethod
        def prepare():
            return SimpleNamespace(name="svd")

        @staticmethod
        def semantic_search(text, scope, filters, limit, state=None):
            return Hits(doc_ids=every, total=len(every))

        @staticmethod
        def fuse(lists):
            seen: list[int] = []
            for ranked in lists:
                seen += [i for i in ranked if i not in seen]
            return seen

    monkeypatch.setattr(searching, "semantic_layer", lambda: Layer)
    allowed = {cast_docs[name] for name in EXPECTED["member"]}
    for mode in ("semantic", "fused", "auto"):
        result = searching.search(viewer=member, text=WORD, mode=mode, per_page=50)
        assert result.mode in ("semantic", "fused")
        assert {r.document_id for r in result.results} == allowed
        assert result.total == len(allowed)
    result = searching.search(viewer=member, text=f"{WORD} -circle", mode="semantic")
    assert cast_docs["group"] not in {r.document_id for r in result.results}


def test_native_engine_counts_match_its_results(member, cast_docs):
    hits = NativeEngine().search(
        searching.parse(WORD), Scope.for_viewer(member), Filters(), limit=50, facets=True
    )
    assert hits.total == len(hits.doc_ids) == len(EXPECTED["member"])
