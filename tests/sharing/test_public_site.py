"""The public knowledge site: every kind of public item, browsable by topic and by stage,
with its maturity and its credits; nothing that is not public, not even in counts and topic
lists. (The first public pages are also covered in test_public.py.)"""

from __future__ import annotations

import pytest
from django.urls import reverse

from learnloop.core.models import Visibility
from tests.core.a11y import problems
from tests.factories import (
    IdeaFactory,
    LearningFactory,
    ProductFactory,
    QuestionFactory,
)
from tests.sharing import public_world
from tests.sharing.public_world import HIDDEN_LEVELS, assert_no_secrets

pytestmark = pytest.mark.django_db
world = public_world.world  # the shared fixture

LISTS = [
    "sharing:public",
    "sharing:public_products",
    "sharing:public_ideas",
    "sharing:public_stages",
    "sharing:public_learnings",
    "sharing:public_questions",
    "sharing:public_narratives",
    "sharing:public_topics",
]


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert problems(html) == [], url
    return html


@pytest.mark.parametrize("name", LISTS)
def test_every_list_page_is_open_accessible_and_leaks_nothing(anon_client, world, name):
    assert_no_secrets(page(anon_client, reverse(name)))


@pytest.mark.parametrize("kind", ["product", "idea", "learning", "question", "narrative"])
def test_every_public_item_has_its_page(anon_client, world, kind):
    html = page(anon_client, reverse(f"sharing:public_{kind}", args=[world[kind].pk]))
    assert world[kind].title in html
    assert "Contributors" in html
    assert_no_secrets(html)
    assert 'name="body"' not in html


@pytest.mark.parametrize("level", HIDDEN_LEVELS)
@pytest.mark.parametrize("position", [0, 1, 2, 3, 4])
def test_no_page_for_what_is_not_public(anon_client, steward_client, world, level, position):
    kinds = ["idea", "learning", "question", "product", "narrative"]
    item = world["hidden"][HIDDEN_LEVELS.index(level) * 5 + position]
    url = reverse(f"sharing:public_{kinds[position]}", args=[item.pk])
    assert anon_client.get(url).status_code == 404
    # A steward previewing the public site sees what the world sees.
    assert steward_client.get(url).status_code == 404


def test_lists_show_each_kind_with_its_maturity(anon_client, world):
    ideas = page(anon_client, reverse("sharing:public_ideas"))
    assert "Open idea" in ideas
    assert "stage-testing" in ideas
    learnings = page(anon_client, reverse("sharing:public_learnings"))
    assert "Open learning" in learnings
    assert "A single learning, not yet tested knowledge" in learnings
    questions = page(anon_client, reverse("sharing:public_questions"))
    assert "Open question · 1 answer" in questions
    products = page(anon_client, reverse("sharing:public_products"))
    assert "Open guide" in products
    assert "stage-testing" in products
    narratives = page(anon_client, reverse("sharing:public_narratives"))
    assert "An opportunity and a call to act" in narratives


def test_credits_on_public_pages_come_from_public_work_only(anon_client, world):
    html = page(anon_client, reverse("sharing:public_idea", args=[world["idea"].pk]))
    assert "Eve Evidence" in html  # public evidence
    assert "Rex Reviewer" in html  # reviewed the idea itself
    question = page(anon_client, reverse("sharing:public_question", args=[world["question"].pk]))
    assert "Ann Answerer" in question
    products = page(anon_client, reverse("sharing:public_products"))
    assert "Eve Evidence" in products  # through the product's public idea
    assert_no_secrets(html + question + products)


def test_a_product_on_unpublished_ideas_says_so(anon_client, owner):
    product = ProductFactory(author=owner, visibility="public", title="Lonely guide")
    product.ideas.set([IdeaFactory(visibility="network")])
    html = page(anon_client, reverse("sharing:public_product", args=[product.pk]))
    assert "Stage not published" in html
    assert "not published" in html


# Topics -------------------------------------------------------------------------------------


def test_topics_list_counts_public_items_only(anon_client, world):
    html = page(anon_client, reverse("sharing:public_topics"))
    assert "open topic" in html
    assert_no_secrets(html)
    response = anon_client.get(reverse("sharing:public_topics"))
    [topic] = response.context["topics"]
    assert topic.counts == {"product": 1, "idea": 1, "learning": 1, "question": 1, "narrative": 1}


def test_a_topic_used_only_inside_has_no_page(anon_client, world):
    url = reverse("sharing:public_topic", args=[world["secret_tag"].slug])
    assert anon_client.get(url).status_code == 404
    assert anon_client.get(reverse("sharing:public_topic", args=["no-such"])).status_code == 404


def test_a_topic_page_gathers_every_kind(anon_client, world):
    html = page(anon_client, reverse("sharing:public_topic", args=[world["open_tag"].slug]))
    for kind in ("product", "idea", "learning", "question", "narrative"):
        assert world[kind].title in html
    assert "5 public items on this topic." in html
    assert_no_secrets(html)
    assert 'rel="alternate"' in html
    assert reverse("sharing:topic_atom", args=[world["open_tag"].slug]) in html


def test_lists_filter_by_topic(anon_client, world, owner):
    LearningFactory(author=owner, visibility="public", title="Untagged learning")
    url = reverse("sharing:public_learnings") + f"?topic={world['open_tag'].slug}"
    html = page(anon_client, url)
    assert "Open learning" in html
    assert "Untagged learning" not in html
    hidden = page(anon_client, reverse("sharing:public_learnings") + "?topic=secret-topic")
    assert_no_secrets(hidden.replace('value="secret-topic"', ""))
    assert "No public learnings yet." in hidden


# Stages --------------------------------------------------------------------------------------


def test_the_stages_page_explains_and_counts_public_work(anon_client, world, owner):
    IdeaFactory(author=owner, visibility="network", stage="knowledge")
    html = page(anon_client, reverse("sharing:public_stages"))
    assert "Being tried in practice" in html
    assert "A single learning, not yet tested knowledge" in html
    summary = {
        s.stage: (s.ideas, s.products)
        for s in anon_client.get(reverse("sharing:public_stages")).context["stage_summary"]
    }
    assert summary["testing"] == (1, 1)
    assert summary["knowledge"] == (0, 0)


def test_products_by_the_stage_of_their_ideas(anon_client, world, owner):
    knowledge = IdeaFactory(author=owner, visibility="public", stage="knowledge")
    firm = ProductFactory(author=owner, visibility="public", title="Firm guide")
    firm.ideas.set([knowledge])
    quietly = ProductFactory(author=owner, visibility="public", title="Quiet guide")
    quietly.ideas.set([IdeaFactory(visibility="network", stage="knowledge")])
    html = page(anon_client, reverse("sharing:public_products") + "?stage=knowledge")
    assert "Firm guide" in html
    assert "Open guide" not in html
    assert "Quiet guide" not in html  # its knowledge idea is not public


def test_ideas_by_stage(anon_client, world, owner):
    IdeaFactory(author=owner, visibility="public", stage="knowledge", title="Firm idea")
    html = page(anon_client, reverse("sharing:public_ideas") + "?stage=testing")
    assert "Open idea" in html
    assert "Firm idea" not in html
    assert "Being tried in practice" in html


def test_unknown_filter_values_are_ignored(anon_client, world):
    html = page(anon_client, reverse("sharing:public_ideas") + "?stage=nonsense&kind=x&page=x")
    assert "Open idea" in html


# Groups --------------------------------------------------------------------------------------


def test_a_group_with_public_work_has_a_public_page(anon_client, world, group):
    html = page(anon_client, reverse("sharing:public_group", args=[group.slug]))
    assert group.name in html
    for kind in ("product", "idea", "learning", "question", "narrative"):
        assert world[kind].title in html
    assert reverse("sharing:group_atom", args=[group.slug]) in html
    assert_no_secrets(html)


def test_a_group_without_public_work_stays_unnamed(anon_client, world, other_group):
    assert (
        anon_client.get(reverse("sharing:public_group", args=[other_group.slug])).status_code == 404
    )
    url = reverse("sharing:public_learnings") + f"?group={other_group.slug}"
    assert anon_client.get(url).status_code == 404


def test_lists_filter_by_group(anon_client, world, group, owner):
    LearningFactory(author=owner, visibility="public", title="Networkwide learning")
    html = page(anon_client, reverse("sharing:public_learnings") + f"?group={group.slug}")
    assert "Open learning" in html
    assert "Networkwide learning" not in html
    assert f"Only what {group.name} has made public." in html


# Pagination and cost -------------------------------------------------------------------------


def test_lists_page(anon_client, owner):
    LearningFactory.create_batch(25, author=owner, visibility=Visibility.PUBLIC)
    first = anon_client.get(reverse("sharing:public_learnings"))
    second = anon_client.get(reverse("sharing:public_learnings") + "?page=2")
    assert len(first.context["page"]) == 20
    assert len(second.context["page"]) == 5
    assert 'rel="next"' in first.content.decode()


@pytest.mark.parametrize(
    "name, make",
    [
        ("sharing:public_products", lambda o: ProductFactory(author=o, visibility="public")),
        ("sharing:public_ideas", lambda o: IdeaFactory(author=o, visibility="public")),
        ("sharing:public_learnings", lambda o: LearningFactory(author=o, visibility="public")),
        ("sharing:public_questions", lambda o: QuestionFactory(author=o, visibility="public")),
    ],
)
def test_list_query_count_does_not_grow(
    anon_client, owner, name, make, django_assert_max_num_queries
):
    ideas = IdeaFactory.create_batch(2, visibility=Visibility.PUBLIC)
    for _ in range(20):
        item = make(owner)
        if hasattr(item, "ideas"):
            item.ideas.set(ideas)
    with django_assert_max_num_queries(10):
        response = anon_client.get(reverse(name))
    assert len(response.context["page"]) >= 20  # the ideas list also holds the two ideas


def test_topic_page_query_count(anon_client, world, owner, django_assert_max_num_queries):
    for _ in range(10):
        LearningFactory(author=owner, visibility="public").tags.add(world["open_tag"])
    with django_assert_max_num_queries(16):
        assert (
            anon_client.get(
                reverse("sharing:public_topic", args=[world["open_tag"].slug])
            ).status_code
            == 200
        )


def test_members_see_the_same_public_site(owner_client, world):
    html = owner_client.get(reverse("sharing:public_learnings")).content.decode()
    assert_no_secrets(html)
