"""Atom feeds of the public site, of a topic and of a group: every kind of public item, each
with its stage as a category and an <author> per contributor; nothing that is not public."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.factories import LearningFactory
from tests.sharing import public_world
from tests.sharing.public_world import assert_no_secrets

pytestmark = pytest.mark.django_db
world = public_world.world  # the shared fixture
ATOM = "{http://www.w3.org/2005/Atom}"
OPEN = {
    "Open guide",
    "Open idea",
    "Open learning",
    "Open question",
    "Open opportunity",
    "Second open learning",
}


def entries(client, url: str) -> dict[str, ET.Element]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert_no_secrets(response.content.decode())
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    return {e.findtext(f"{ATOM}title"): e for e in root.findall(f"{ATOM}entry")}


def authors(entry: ET.Element) -> list[str]:
    return [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")]


def categories(entry: ET.Element) -> dict[str, str]:
    return {c.get("term"): c.get("label") for c in entry.findall(f"{ATOM}category")}


def test_site_feed_holds_every_kind_of_public_item(anon_client, world):
    found = entries(anon_client, reverse("sharing:atom"))
    assert set(found) == OPEN


def test_each_entry_carries_its_stage(anon_client, world):
    found = entries(anon_client, reverse("sharing:atom"))
    assert categories(found["Open idea"])["testing"] == "Stage: Testing"
    assert categories(found["Open guide"])["testing"] == "Stage: Testing"
    assert categories(found["Open learning"])["single-learning"] == (
        "A single learning, not yet tested knowledge"
    )
    assert "open-question" in categories(found["Open question"])
    assert "call-to-act" in categories(found["Open opportunity"])
    stage = next(
        c for c in found["Open idea"].findall(f"{ATOM}category") if c.get("term") == "testing"
    )
    assert stage.get("scheme").endswith(reverse("sharing:public_stages"))
    assert categories(found["Open learning"])["open-topic"] == "open topic"


def test_each_entry_credits_every_public_contributor(anon_client, world, owner):
    found = entries(anon_client, reverse("sharing:atom"))
    assert authors(found["Open idea"]) == [owner.name, "Eve Evidence", "Rex Reviewer"]
    assert authors(found["Open question"]) == [owner.name, "Ann Answerer"]
    assert set(authors(found["Open guide"])) == {owner.name, "Eve Evidence", "Rex Reviewer"}
    assert "Contributors:" in found["Open guide"].findtext(f"{ATOM}summary")


def test_entries_link_to_public_pages(anon_client, world):
    found = entries(anon_client, reverse("sharing:atom"))
    for kind, title in (
        ("learning", "Open learning"),
        ("question", "Open question"),
        ("narrative", "Open opportunity"),
    ):
        href = found[title].find(f"{ATOM}link").get("href")
        assert href.endswith(reverse(f"sharing:public_{kind}", args=[world[kind].pk]))


def test_topic_feed(anon_client, world, owner):
    LearningFactory(author=owner, visibility="public", title="Off-topic learning")
    found = entries(anon_client, reverse("sharing:topic_atom", args=[world["open_tag"].slug]))
    assert set(found) == OPEN - {"Second open learning"}


def test_topic_feed_404_for_a_topic_only_used_inside(anon_client, world):
    url = reverse("sharing:topic_atom", args=[world["secret_tag"].slug])
    assert anon_client.get(url).status_code == 404


def test_group_feed(anon_client, world, group, owner):
    LearningFactory(author=owner, visibility="public", title="Networkwide learning")
    found = entries(anon_client, reverse("sharing:group_atom", args=[group.slug]))
    assert set(found) == OPEN - {"Second open learning"}
    root = ET.fromstring(  # noqa: S314 (our own response)
        anon_client.get(reverse("sharing:group_atom", args=[group.slug])).content
    )
    assert group.name in root.findtext(f"{ATOM}title")


def test_group_feed_404_without_public_work(anon_client, world, other_group):
    url = reverse("sharing:group_atom", args=[other_group.slug])
    assert anon_client.get(url).status_code == 404
    assert anon_client.get(reverse("sharing:group_atom", args=["nope"])).status_code == 404


def test_pages_link_their_feeds(anon_client, world, group):
    index = anon_client.get(reverse("sharing:public")).content.decode()
    assert 'rel="alternate" type="application/atom+xml"' in index
    assert reverse("sharing:atom") in index
    topic = anon_client.get(reverse("sharing:public_topic", args=[world["open_tag"].slug]))
    assert reverse("sharing:topic_atom", args=[world["open_tag"].slug]) in topic.content.decode()
    group_page = anon_client.get(reverse("sharing:public_group", args=[group.slug]))
    assert reverse("sharing:group_atom", args=[group.slug]) in group_page.content.decode()


@pytest.mark.parametrize("name", ["sharing:atom", "sharing:topic_atom", "sharing:group_atom"])
def test_feed_query_count_does_not_grow(
    anon_client, world, group, owner, name, django_assert_max_num_queries
):
    for _ in range(30):
        learning = LearningFactory(author=owner, group=group, visibility="public")
        learning.tags.add(world["open_tag"])
    args = {
        "sharing:atom": [],
        "sharing:topic_atom": [world["open_tag"].slug],
        "sharing:group_atom": [group.slug],
    }[name]
    with django_assert_max_num_queries(20):
        assert anon_client.get(reverse(name, args=args)).status_code == 200
