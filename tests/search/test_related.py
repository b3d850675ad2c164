"""Related items on learning and idea pages (and in the API): up to six items the viewer may
see, with their type, stage and why they are there; never the item itself, never the
items already linked to it as evidence, never anything the viewer may not see."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from learnloop.core.models import Visibility
from learnloop.core.services import item_soft_delete
from learnloop.search import semantic_tasks
from learnloop.search.related import related_items
from tests.core.a11y import problems
from tests.factories import EvidenceFactory
from tests.search.factories_search import idea, learning
from tests.search.semantic_support import TOPICS, corpus, fit_now, semantic_env  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("semantic_env")]


@pytest.fixture
def network(outsider):
    made = {topic: [] for topic in TOPICS}
    for topic, title, body in corpus():
        made[topic].append(learning(outsider, title, body, visibility=Visibility.PUBLIC))
    fit_now()
    return made


def panel(html: str) -> str:
    return html.split('id="related"', 1)[1].split("</section>", 1)[0]


def titles(found) -> set[str]:
    return {s.title for s in found}


def related_url(item, item_type: str = "learning") -> str:
    return reverse("search:related", args=[item_type, item.pk])


def test_item_pages_hold_a_placeholder_that_htmx_fills(member_client, owner, network):
    target = network["tutoring"][0]
    plan = idea(owner, "Tutoring in algebra", "Peer tutors.")
    for item, item_type in ((target, "learning"), (plan, "idea")):
        html = member_client.get(item.get_absolute_url()).content.decode()
        slot = panel(html)
        assert f'hx-get="{related_url(item, item_type)}"' in slot
        assert 'hx-trigger="load"' in slot
        assert f'<a href="{related_url(item, item_type)}">Show related items</a>' in slot
        assert problems(html) == []


def test_learning_panel_shows_related_learnings_with_type_and_why(member_client, network):
    target = network["tutoring"][0]
    response = member_client.get(related_url(target), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<h1" not in html
    shown = panel(html)
    for other in network["tutoring"][1:]:
        assert other.title in shown
    assert target.title not in shown
    assert len(re.findall(r"<li>", shown)) <= 6
    assert "Learning</span>" in shown
    assert "why: similar words, similar topic" in shown


def test_without_javascript_the_panel_is_a_page(member_client, network):
    target = network["tutoring"][0]
    html = member_client.get(related_url(target)).content.decode()
    assert f"Related to “{target.title}”" in html
    assert network["tutoring"][1].title in panel(html)
    assert problems(html) == []


def test_related_items_come_closest_first_and_only_when_close(member, network):
    # The other garden learnings, and nothing from topics that share no word or meaning.
    found = related_items(viewer=member, item_type="learning", item=network["gardening"][0])
    assert [s.title for s in found] == [x.title for x in network["gardening"][1:]]


def test_idea_page_leaves_out_its_evidence_and_shows_stages(member_client, owner, network):
    plan = idea(owner, "Call families early to lift attendance", "Phone calls home, absence.")
    linked = network["attendance"][0]
    EvidenceFactory(idea=plan, learning=linked)
    other = idea(owner, "Families answer phone calls about absence", "Calls, attendance.")
    other.stage = "testing"
    other.save(update_fields=["stage"])
    from tests.search.factories_search import indexed

    indexed(other)
    semantic_tasks.refresh()
    html = member_client.get(related_url(plan, "idea"), HTTP_HX_REQUEST="true").content.decode()
    shown = panel(html)
    assert linked.title not in shown
    assert network["attendance"][1].title in shown
    assert 'class="badge stage stage-testing"' in shown and "Testing" in shown
    assert "Idea</span>" in shown


def test_a_learning_page_leaves_out_the_ideas_it_is_evidence_for(member, owner, network):
    target = network["mentoring"][0]
    plan = idea(owner, "Mentors meet students weekly about goals", "Mentoring goals.")
    semantic_tasks.refresh()
    assert plan.title in titles(related_items(viewer=member, item_type="learning", item=target))
    EvidenceFactory(idea=plan, learning=target)
    assert plan.title not in titles(related_items(viewer=member, item_type="learning", item=target))


def test_nothing_the_viewer_may_not_see(owner, member, outsider, steward, group, network):
    text = "Mentors meet students weekly about goals and grades"
    hidden = {
        "draft": learning(owner, text + " (draft)", "Mentoring.", visibility=Visibility.DRAFT),
        "group": learning(
            owner, text + " (group)", "Mentoring.", group=group, visibility=Visibility.GROUP
        ),
        "network": learning(owner, text + " (network)", "Mentoring."),
        "deleted": learning(owner, text + " (deleted)", "Mentoring."),
    }
    item_soft_delete(viewer=owner, item=hidden["deleted"])
    semantic_tasks.refresh()
    target = network["mentoring"][0]

    def seen(viewer) -> set[str]:
        return titles(related_items(viewer=viewer, item_type="learning", item=target))

    label = {k: v.title for k, v in hidden.items()}
    assert {label["draft"], label["group"], label["network"]} <= seen(owner)
    assert label["draft"] not in seen(member) and label["group"] in seen(member)
    assert label["draft"] not in seen(outsider) and label["group"] not in seen(outsider)
    assert label["network"] in seen(outsider)
    assert label["group"] in seen(steward) and label["draft"] not in seen(steward)
    anonymous = seen(AnonymousUser())
    assert not anonymous & set(label.values())
    for viewer in (owner, member, outsider, steward):
        assert label["deleted"] not in seen(viewer)


def test_a_visibility_change_is_followed_at_once(owner, outsider, network):
    target = network["gardening"][0]
    moved = learning(owner, "Garden beds and compost need water", "Tomatoes and beans.")
    semantic_tasks.refresh()
    assert moved.title in titles(related_items(viewer=outsider, item_type="learning", item=target))
    moved.visibility = Visibility.DRAFT
    moved.save(update_fields=["visibility"])
    from learnloop.search.services import document_sync

    document_sync(item=moved)
    assert moved.title not in titles(
        related_items(viewer=outsider, item_type="learning", item=target)
    )


def test_without_a_model_related_items_come_from_words(member, outsider):
    a = learning(outsider, "Peer tutoring in algebra", "Tutoring algebra after school.")
    b = learning(outsider, "Algebra tutoring sessions", "Short tutoring sessions work.")
    learning(outsider, "Garden compost", "Beans and tomatoes.")
    found = related_items(viewer=member, item_type="learning", item=a)
    assert [s.title for s in found] == [b.title]
    assert found[0].reasons == ["similar words"]


def test_the_panel_costs_a_fixed_number_of_queries(member, outsider, network):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    target = network["gardening"][0]

    def count() -> tuple[int, int]:
        related_items(viewer=member, item_type="learning", item=target)  # loads the index
        cache.clear()
        with CaptureQueriesContext(connection) as fresh:
            found = related_items(viewer=member, item_type="learning", item=target)
        with CaptureQueriesContext(connection) as cached:
            assert related_items(viewer=member, item_type="learning", item=target) == found
        return len(fresh), len(cached)

    small = count()
    for n in range(30):
        learning(outsider, f"Garden note {n}: compost and beans", "Garden beds, tomatoes.")
    semantic_tasks.refresh()
    # The lexical engine's own statements (about 7 for SQLite's FTS5) plus 4 of ours; a
    # cached panel costs its item, the model's state, the evidence links and one re-check.
    assert count() == small
    assert small[0] <= 14 and small[1] == 4


def test_deleted_items_show_no_panel(steward_client, owner, network):
    target = network["attendance"][1]
    item_soft_delete(viewer=target.author, item=target)
    html = steward_client.get(target.get_absolute_url()).content.decode()
    assert 'id="related"' not in html
    fragment = steward_client.get(related_url(target), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and 'id="related"' not in fragment.content.decode()


def test_the_panel_is_404_for_what_the_viewer_may_not_see(
    outsider_client, anon_client, owner, group, network
):
    draft = learning(owner, "A private draft about tutoring", visibility=Visibility.DRAFT)
    grouped = learning(owner, "A group note on tutoring", group=group, visibility="group")
    for item in (draft, grouped):
        assert outsider_client.get(related_url(item)).status_code == 404
        assert anon_client.get(related_url(item)).status_code == 404
    assert (
        outsider_client.get(reverse("search:related", args=["person", owner.pk])).status_code == 404
    )
    assert (
        outsider_client.get(reverse("search:related", args=["learning", 999999])).status_code == 404
    )
    public = network["tutoring"][0]
    assert anon_client.get(related_url(public), HTTP_HX_REQUEST="true").status_code == 200


# API ---------------------------------------------------------------------------------------


def test_api_related(client, member, network, token_for):
    target = network["tutoring"][0]
    url = f"/api/v1/search/related/learning/{target.pk}"
    body = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token_for(member)}").json()
    assert {i["title"] for i in body["items"][:2]} == {x.title for x in network["tutoring"][1:3]}
    first = body["items"][0]
    assert set(first) == {"type", "id", "title", "url", "kind", "stage", "reasons"}
    assert first["type"] == "learning" and first["url"] == f"/learnings/{first['id']}/"
    anonymous = client.get(url).json()  # a public learning: visitors may read it
    assert {i["id"] for i in anonymous["items"]} <= {
        x.pk for items in network.values() for x in items
    }


def test_api_related_is_404_for_what_the_caller_may_not_see(
    client, owner, outsider, group, token_for
):
    draft = learning(owner, "A private draft about tutoring", visibility=Visibility.DRAFT)
    grouped = learning(owner, "A group note on tutoring", group=group, visibility="group")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(outsider)}"}
    for item in (draft, grouped):
        assert client.get(f"/api/v1/search/related/learning/{item.pk}", **auth).status_code == 404
        assert client.get(f"/api/v1/search/related/learning/{item.pk}").status_code == 404
    assert client.get("/api/v1/search/related/learning/999999", **auth).status_code == 404
    assert client.get(f"/api/v1/search/related/person/{owner.pk}", **auth).status_code == 404
    mine = {"HTTP_AUTHORIZATION": f"Bearer {token_for(owner)}"}
    assert client.get(f"/api/v1/search/related/learning/{draft.pk}", **mine).status_code == 200
