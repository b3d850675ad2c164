"""Duplicate suggestions while writing: the create forms of learnings and ideas post the
draft's title and body to /search/similar after a pause; up to three existing items the
writer may see come back with a hint to link instead. The draft is never stored."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learnloop.core.models import AuditEvent
from learnloop.generation.models import Learning
from learnloop.search.models import SearchChange, SearchDocument
from learnloop.search.related import similar_drafts
from tests.core.a11y import problems
from tests.search.factories_search import idea, learning
from tests.search.semantic_support import TOPICS, corpus, fit_now, semantic_env  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("semantic_env")]

DRAFT_TITLE = "Calling families on the first day lifts attendance"


@pytest.fixture
def network(outsider):
    made = {topic: [] for topic in TOPICS}
    for topic, title, body in corpus():
        made[topic].append(learning(outsider, title, body))
    fit_now()
    return made


def post(client, **data):
    return client.post(reverse("search:similar"), data, HTTP_HX_REQUEST="true")


def test_the_create_forms_ask_while_typing(member_client):
    for url, body in (
        (reverse("generation:learning_create"), "#id_body"),
        (reverse("consolidation:idea_create"), "#id_summary"),
    ):
        html = member_client.get(url).content.decode()
        assert f'hx-post="{reverse("search:similar")}"' in html
        assert 'aria-live="polite"' in html
        assert f"input changed delay:600ms from:{body}" in html
        assert 'hx-sync="this:replace"' in html
        assert problems(html) == []


def test_editing_does_not_ask(owner_client, owner):
    mine = learning(owner, "My learning about tutoring", "Tutoring.")
    html = owner_client.get(reverse("generation:learning_edit", args=[mine.pk])).content.decode()
    assert reverse("search:similar") not in html


def test_a_near_copy_is_suggested_with_a_hint(member_client, network):
    original = network["attendance"][0]
    response = post(
        member_client,
        title="Calling the families on the first day lifted attendance",
        body="We phoned every family before school started.",
        type="learning",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert original.title in html
    assert original.get_absolute_url() in html
    assert "add what you saw there as a comment instead" in html
    assert html.count("<li>") <= 3
    assert 'target="_blank"' in html and "(opens in a new tab)" in html


def test_an_idea_like_the_learning_offers_to_add_it_as_evidence(member_client, owner, network):
    plan = idea(owner, DRAFT_TITLE, "Phone families on day one; attendance rises.")
    fit_now()
    html = post(member_client, title=DRAFT_TITLE, body="", type="learning").content.decode()
    assert plan.title in html
    assert "Add as evidence to this idea" in html
    assert f"{plan.get_absolute_url()}#link" in html


def test_a_learning_like_the_idea_offers_to_start_from_it(member_client, network):
    original = network["mentoring"][0]
    html = post(
        member_client, title="Weekly mentor check-ins keep students on track", type="idea"
    ).content.decode()
    assert original.title in html
    assert f"?from_learning={original.pk}" in html


def test_fewer_than_three_words_or_nothing_close_gives_nothing(member_client, network):
    assert post(member_client, title="Attendance calls").content.decode().strip() == ""
    html = post(member_client, title="Quarterly budget spreadsheet reconciliation").content
    assert html.decode().strip() == ""


def test_only_what_the_writer_may_see(member_client, owner, outsider, group, network):
    text = "Compost bins behind the cafeteria feed the garden"
    draft = learning(
        outsider, "Cafeteria compost bins feed the garden", "Compost.", visibility="draft"
    )
    other = learning(owner, text + " beds", "Compost.", group=group, visibility="group")
    fit_now()
    found = {s.title for s in similar_drafts(viewer=outsider, title=text, body="compost")}
    assert draft.title in found and other.title not in found
    html = post(member_client, title=text, body="compost").content.decode()
    assert other.title in html and draft.title not in html


def test_the_draft_is_never_stored(member_client, member, network):
    counts = (
        Learning.objects.count(),
        SearchDocument.objects.count(),
        SearchChange.objects.count(),
        AuditEvent.objects.count(),
    )
    post(member_client, title="A secret draft about phone calls to families", body="Absent.")
    assert counts == (
        Learning.objects.count(),
        SearchDocument.objects.count(),
        SearchChange.objects.count(),
        AuditEvent.objects.count(),
    )


def test_members_only_and_post_only(anon_client, member_client, network):
    assert post(anon_client, title="Calling families on the first day").status_code == 403
    assert member_client.get(reverse("search:similar")).status_code == 405


def test_too_many_requests_are_refused(member_client, settings, network):
    settings.RATELIMIT_ENABLE = True
    codes = [post(member_client, title="one two three").status_code for _ in range(45)]
    assert codes[0] == 200 and codes[-1] == 429


def test_without_a_model_shared_words_decide(member, outsider):
    learning(outsider, "Peer tutoring in algebra raised pass rates", "Tutoring algebra.")
    learning(outsider, "Garden compost", "Beans and tomatoes grow.")
    found = similar_drafts(viewer=member, title="Peer tutoring for algebra pass rates")
    assert [s.title for s in found] == ["Peer tutoring in algebra raised pass rates"]


# API ---------------------------------------------------------------------------------------


def test_api_similar(client, member, network, token_for):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(member)}"}
    response = client.post(
        "/api/v1/search/similar",
        {"title": "Calling the families on the first day lifted attendance", "type": "learning"},
        content_type="application/json",
        **auth,
    )
    items = response.json()["items"]
    assert items[0]["title"] == network["attendance"][0].title
    assert 0.6 <= items[0]["similarity"] <= 1.0
    assert items[0]["hint_url"] == network["attendance"][0].get_absolute_url()
    bad = client.post(
        "/api/v1/search/similar", {"body": "no title"}, content_type="application/json", **auth
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "title"
    anonymous = client.post(
        "/api/v1/search/similar", {"title": "a b c"}, content_type="application/json"
    )
    assert anonymous.status_code == 401
