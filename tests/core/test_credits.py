"""Credit goes to everyone who contributed to an item, through what the reader may weigh:
inside the network every live contribution but private drafts, on public pages only what is
public. Names only, never the items they contributed through."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from learnloop.consolidation.models import Review, StandardsVersion
from learnloop.core.credits import contributors, contributors_for, credits, credits_for
from learnloop.core.models import Visibility
from learnloop.core.services import revision_record
from learnloop.generation.models import Answer
from tests.factories import (
    EvidenceFactory,
    IdeaFactory,
    LearningFactory,
    PersonFactory,
    ProductFactory,
    QuestionFactory,
    TestCycleFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db):
    names = ["ada", "ben", "cai", "dee", "eli", "fay", "gus"]
    return {n: PersonFactory(username=n, display_name=n.title()) for n in names}


def names(people) -> list[str]:
    return [p.username for p in people]


def review(idea, person):
    version = StandardsVersion.objects.first() or StandardsVersion.objects.create(
        number=1, proposed_by=person, status="adopted"
    )
    return Review.objects.create(idea=idea, reviewer=person, version=version)


def test_author_first_then_editors(cast):
    learning = LearningFactory(author=cast["ada"], visibility="network")
    revision_record(item=learning, author=cast["ada"], summary="Posted")
    learning.title = "Changed"
    revision_record(item=learning, author=cast["ben"], summary="Edited")
    assert names(contributors(learning)) == ["ada", "ben"]
    found = credits(learning)
    assert found[0].roles == ["author", "edited"]
    assert found[1].role_labels == ["edited it"]


def test_a_learning_from_a_test_cycle_credits_the_cycle_author(cast):
    cycle = TestCycleFactory(author=cast["ben"], visibility="public")
    learning = LearningFactory(author=cast["ada"], test_cycle=cycle, visibility="public")
    assert names(contributors(learning)) == ["ada", "ben"]
    assert credits(learning)[1].roles == ["cycle"]


def test_a_private_cycle_is_not_credited_on_public_pages(cast):
    cycle = TestCycleFactory(author=cast["ben"], visibility="network")
    learning = LearningFactory(author=cast["ada"], test_cycle=cycle, visibility="public")
    assert names(contributors(learning)) == ["ada", "ben"]
    assert names(contributors(learning, public=True)) == ["ada"]


def test_an_idea_credits_evidence_authors_and_reviewers(cast):
    idea = IdeaFactory(author=cast["ada"], visibility="public")
    EvidenceFactory(idea=idea, learning=LearningFactory(author=cast["ben"], visibility="public"))
    EvidenceFactory(idea=idea, learning=LearningFactory(author=cast["cai"], visibility="group"))
    EvidenceFactory(idea=idea, learning=LearningFactory(author=cast["dee"], visibility="draft"))
    EvidenceFactory(
        idea=idea,
        learning=LearningFactory(
            author=cast["eli"], visibility="public", deleted_at=timezone.now()
        ),
    )
    review(idea, cast["fay"])
    inside = {c.person.username: c.roles for c in credits(idea)}
    assert inside == {
        "ada": ["author"],
        "ben": ["evidence"],
        "cai": ["evidence"],
        "fay": ["reviewed"],
    }
    public = {c.person.username: c.roles for c in credits(idea, public=True)}
    assert public == {"ada": ["author"], "ben": ["evidence"], "fay": ["reviewed"]}


def test_a_product_credits_the_people_of_its_ideas(cast):
    open_idea = IdeaFactory(author=cast["ben"], visibility="public")
    EvidenceFactory(
        idea=open_idea, learning=LearningFactory(author=cast["cai"], visibility="public")
    )
    inside_idea = IdeaFactory(author=cast["dee"], visibility="network")
    EvidenceFactory(
        idea=inside_idea, learning=LearningFactory(author=cast["eli"], visibility="public")
    )
    draft_idea = IdeaFactory(author=cast["gus"], visibility="draft")
    product = ProductFactory(author=cast["ada"], visibility="public")
    product.ideas.set([open_idea, inside_idea, draft_idea])
    review(inside_idea, cast["fay"])
    inside = {c.person.username: c.roles for c in credits(product)}
    assert inside == {
        "ada": ["author"],
        "ben": ["ideas"],
        "cai": ["ideas"],
        "dee": ["ideas"],
        "eli": ["ideas"],
        "fay": ["ideas"],
    }
    assert names(contributors(product, public=True)) == ["ada", "ben", "cai"]


def test_a_question_credits_those_who_answered(cast):
    question = QuestionFactory(author=cast["ada"], visibility="public")
    Answer.objects.create(question=question, author=cast["ben"], body="Call them.")
    Answer.objects.create(
        question=question, author=cast["cai"], body="Gone.", deleted_at=timezone.now()
    )
    assert names(contributors(question)) == ["ada", "ben"]
    assert credits(question)[1].role_labels == ["answered"]


def test_one_person_in_many_roles_is_listed_once(cast):
    idea = IdeaFactory(author=cast["ada"], visibility="network")
    EvidenceFactory(idea=idea, learning=LearningFactory(author=cast["ada"], visibility="network"))
    review(idea, cast["ada"])
    found = credits(idea)
    assert len(found) == 1
    assert found[0].roles == ["author", "evidence", "reviewed"]


def test_credits_hold_people_only(cast):
    idea = IdeaFactory(author=cast["ada"])
    EvidenceFactory(
        idea=idea, learning=LearningFactory(author=cast["ben"], title="Secret learning")
    )
    for credit in credits(idea):
        assert type(credit.person).__name__ == "Person"
        assert "Secret learning" not in str(vars(credit))


def test_bulk_credits_take_a_fixed_number_of_queries(cast, django_assert_num_queries):
    ideas = [IdeaFactory(author=cast["ben"], visibility="public") for _ in range(3)]
    products = []
    for i in range(12):
        product = ProductFactory(author=cast[list(cast)[i % 7]], visibility="public")
        product.ideas.set(ideas)
        products.append(product)
    for idea in ideas:
        EvidenceFactory(idea=idea, learning=LearningFactory(author=cast["cai"]))
    learnings = [LearningFactory(author=cast["dee"]) for _ in range(5)]
    questions = [QuestionFactory(author=cast["eli"]) for _ in range(5)]
    items = [*products, *ideas, *learnings, *questions]
    with django_assert_num_queries(3):
        found = credits_for(items)
    assert len(found) == len(items)
    assert names(contributors_for(products)[("capture.KnowledgeProduct", products[1].pk)]) == [
        "ben",
        "cai",
    ]


def test_nothing_to_credit_costs_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert credits_for([]) == {}


def test_item_pages_show_contributors(member_client, owner, member):
    idea = IdeaFactory(author=owner, visibility=Visibility.NETWORK)
    EvidenceFactory(idea=idea, learning=LearningFactory(author=member, visibility="network"))
    html = member_client.get(idea.get_absolute_url()).content.decode()
    assert "Contributors" in html
    assert "gave evidence" in html
    assert member.get_absolute_url() in html


def test_visitors_on_inside_pages_get_public_credits(anon_client, owner, member):
    idea = IdeaFactory(author=owner, visibility=Visibility.PUBLIC)
    EvidenceFactory(idea=idea, learning=LearningFactory(author=member, visibility="network"))
    html = anon_client.get(idea.get_absolute_url()).content.decode()
    assert "Contributors" in html
    assert member.name not in html


@pytest.mark.parametrize("kind", ["learning", "product", "question"])
def test_every_detail_page_has_the_credits(owner_client, owner, kind):
    item = {
        "learning": lambda: LearningFactory(author=owner),
        "product": lambda: ProductFactory(author=owner),
        "question": lambda: QuestionFactory(author=owner),
    }[kind]()
    html = owner_client.get(item.get_absolute_url()).content.decode()
    assert "Contributors" in html
    assert "wrote it" in html


def test_public_product_page_credits(anon_client, owner, member):
    idea = IdeaFactory(author=member, visibility="public")
    product = ProductFactory(author=owner, visibility="public")
    product.ideas.set([idea])
    html = anon_client.get(reverse("sharing:public_product", args=[product.pk])).content.decode()
    assert "Contributors" in html
    assert member.name in html
    assert "worked on its ideas" in html
