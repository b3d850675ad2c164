"""The public site, its Atom feed and its API: nothing that is not public may show."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learnloop.consolidation.models import StageChange
from learnloop.core.models import Visibility
from tests.factories import (
    EvidenceFactory,
    IdeaFactory,
    LearningFactory,
    ProductFactory,
    ShareFactory,
)

pytestmark = pytest.mark.django_db
API = "/api/v1"
ATOM = "{http://www.w3.org/2005/Atom}"
SECRETS = ("Network guide", "Group-only guide", "Draft guide", "Deleted guide", "Hidden idea")


@pytest.fixture
def world(owner, group, steward):
    """One public product on public and non-public ideas, and non-public everything else."""
    public_idea = IdeaFactory(
        title="Open idea", stage="testing", visibility=Visibility.PUBLIC, summary="Try calls."
    )
    hidden_idea = IdeaFactory(title="Hidden idea", stage="knowledge", visibility=Visibility.NETWORK)
    product = ProductFactory(
        author=owner, title="Open guide", visibility=Visibility.PUBLIC, summary="Call families."
    )
    product.ideas.set([public_idea, hidden_idea])
    ShareFactory(product=product, audience="Confidential board meeting")
    ProductFactory(author=owner, title="Network guide", visibility=Visibility.NETWORK)
    ProductFactory(author=owner, group=group, title="Group-only guide", visibility=Visibility.GROUP)
    ProductFactory(
        author=owner, title="Draft guide", visibility=Visibility.DRAFT, published_at=None
    )
    ProductFactory(
        author=owner,
        title="Deleted guide",
        visibility=Visibility.PUBLIC,
        deleted_at=timezone.now(),
        deleted_by=steward,
    )
    EvidenceFactory(
        idea=public_idea,
        learning=LearningFactory(author=owner, title="Public proof", visibility=Visibility.PUBLIC),
    )
    EvidenceFactory(
        idea=public_idea,
        learning=LearningFactory(
            author=owner, title="Group-only proof", group=group, visibility=Visibility.GROUP
        ),
    )
    EvidenceFactory(
        idea=public_idea,
        relation="contradicts",
        learning=LearningFactory(
            author=owner, title="Network doubt", visibility=Visibility.NETWORK
        ),
    )
    StageChange.objects.create(
        idea=public_idea,
        from_stage="emerging",
        to_stage="testing",
        reason="Group-only proof made us move it",
        decided_by=steward,
    )
    return {"idea": public_idea, "hidden_idea": hidden_idea, "product": product}


def assert_no_secrets(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def test_public_index_lists_public_products_and_ideas_with_stages(anon_client, world):
    response = anon_client.get(reverse("sharing:public"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Open guide" in html
    assert "Open idea" in html
    assert "stage-testing" in html
    assert_no_secrets(html)
    assert "Confidential board meeting" not in html


def test_public_product_page(anon_client, world):
    response = anon_client.get(reverse("sharing:public_product", args=[world["product"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Open guide" in html
    assert "Open idea" in html
    assert "stage-testing" in html
    assert_no_secrets(html)
    assert "Confidential board meeting" not in html
    assert "Add a comment" not in html
    assert 'name="body"' not in html


@pytest.mark.parametrize("visibility", ["draft", "group", "network"])
def test_public_product_page_404_unless_public(anon_client, owner, group, visibility):
    product = ProductFactory(author=owner, group=group, visibility=visibility)
    url = reverse("sharing:public_product", args=[product.pk])
    assert anon_client.get(url).status_code == 404


def test_public_product_page_404_when_deleted(anon_client, steward_client, owner, steward):
    product = ProductFactory(
        author=owner, visibility=Visibility.PUBLIC, deleted_at=timezone.now(), deleted_by=steward
    )
    url = reverse("sharing:public_product", args=[product.pk])
    assert anon_client.get(url).status_code == 404
    assert steward_client.get(url).status_code == 404


def test_public_idea_page_shows_only_public_evidence_and_counts(anon_client, world):
    response = anon_client.get(reverse("sharing:public_idea", args=[world["idea"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Public proof" in html
    assert "Group-only proof" not in html
    assert "Network doubt" not in html
    assert "Published learnings: 1 in support, 0 against, 0 giving context." in html
    assert "Emerging → Testing" in html
    assert "made us move it" not in html
    assert "Open guide" in html
    assert 'name="body"' not in html
    assert_no_secrets(html)


def test_public_idea_page_404_unless_public(anon_client, world):
    url = reverse("sharing:public_idea", args=[world["hidden_idea"].pk])
    assert anon_client.get(url).status_code == 404


def test_public_idea_list(anon_client, world):
    html = anon_client.get(reverse("sharing:public_ideas")).content.decode()
    assert "Open idea" in html
    assert "1 public learning supports it" in html
    assert_no_secrets(html)


def test_member_sees_the_same_public_site(owner_client, world):
    html = owner_client.get(reverse("sharing:public")).content.decode()
    assert "Network guide" not in html
    assert "Draft guide" not in html


def test_public_index_query_count(anon_client, owner, django_assert_max_num_queries):
    ideas = IdeaFactory.create_batch(3, visibility=Visibility.PUBLIC)
    for product in ProductFactory.create_batch(20, author=owner, visibility=Visibility.PUBLIC):
        product.ideas.set(ideas)
    with django_assert_max_num_queries(8):
        response = anon_client.get(reverse("sharing:public"))
    assert len(response.context["page"]) == 20


def test_atom_feed_parses_and_holds_public_items_only(anon_client, world):
    response = anon_client.get(reverse("sharing:atom"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    entries = {e.findtext(f"{ATOM}title"): e for e in root.findall(f"{ATOM}entry")}
    # Every kind of public item, and nothing else (see tests/sharing/test_feeds.py).
    assert set(entries) == {"Open guide", "Open idea", "Public proof"}
    summary = entries["Open guide"].findtext(f"{ATOM}summary")
    assert "Open idea (stage: Testing)" in summary
    link = entries["Open guide"].find(f"{ATOM}link").get("href")
    assert link.endswith(reverse("sharing:public_product", args=[world["product"].pk]))
    assert_no_secrets(response.content.decode())


def test_atom_feed_newest_fifty_by_published_at(anon_client, owner):
    now = timezone.now()
    for i in range(55):
        ProductFactory(
            author=owner,
            title=f"P{i:02d}",
            visibility=Visibility.PUBLIC,
            published_at=now - timedelta(hours=i),
        )
    root = ET.fromstring(anon_client.get(reverse("sharing:atom")).content)  # noqa: S314 (our own response)
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert len(titles) == 50
    assert titles[:2] == ["P00", "P01"]
    assert "P54" not in titles


def test_atom_feed_query_count(anon_client, owner, django_assert_max_num_queries):
    ideas = IdeaFactory.create_batch(2, visibility=Visibility.PUBLIC)
    for product in ProductFactory.create_batch(20, author=owner, visibility=Visibility.PUBLIC):
        product.ideas.set(ideas)
    # A fixed number whatever the number of entries: one or three per kind of item (the
    # feed holds every kind), and two for the credits of all entries together.
    with django_assert_max_num_queries(14):
        assert anon_client.get(reverse("sharing:atom")).status_code == 200


def test_public_api(client, world, owner, token_for):
    products = client.get(f"{API}/public/products").json()
    ideas = client.get(f"{API}/public/ideas").json()
    assert [p["title"] for p in products["items"]] == ["Open guide"]
    assert [i["title"] for i in products["items"][0]["ideas"]] == ["Open idea"]
    assert [i["title"] for i in ideas["items"]] == ["Open idea"]
    assert (ideas["items"][0]["public_supports"], ideas["items"][0]["public_contradicts"]) == (
        1,
        0,
    )
    as_member = client.get(f"{API}/public/products", headers=bearer(token_for(owner))).json()
    assert as_member["count"] == 1
    everything = str(products) + str(ideas)
    assert_no_secrets(everything)
    assert "Confidential board meeting" not in everything


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_public_api_query_count(client, owner, django_assert_max_num_queries):
    ideas = IdeaFactory.create_batch(3, visibility=Visibility.PUBLIC)
    for product in ProductFactory.create_batch(20, author=owner, visibility=Visibility.PUBLIC):
        product.ideas.set(ideas)
    with django_assert_max_num_queries(5):
        assert len(client.get(f"{API}/public/products").json()["items"]) == 20
    with django_assert_max_num_queries(3):
        assert len(client.get(f"{API}/public/ideas").json()["items"]) == 3
