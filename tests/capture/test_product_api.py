"""The products API: same rules as the pages, as JSON."""

from __future__ import annotations

import pytest

from learnloop.capture.models import KnowledgeProduct
from learnloop.core.models import Revision, Visibility
from tests.factories import IdeaFactory, ProductFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_create_with_token(client, owner, group, network_idea, token_for):
    response = client.post(
        f"{API}/products",
        {
            "title": "Change package: attendance",
            "kind": "change_package",
            "actions": "Adopt the three changes.",
            "audience": "partner",
            "idea_ids": [network_idea.pk],
            "group_id": group.pk,
            "visibility": "group",
            "tags": ["Attendance"],
        },
        content_type="application/json",
        headers=bearer(token_for(owner)),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "change_package"
    assert body["ideas"] == [
        {
            "id": network_idea.pk,
            "title": "Call families on day one",
            "stage": "promising",
            "stage_label": "Promising",
            "url": network_idea.get_absolute_url(),
        }
    ]
    assert body["tags"] == ["attendance"]
    assert body["published_at"] is not None


def test_media_without_link_is_a_field_error(client, owner, token_for):
    response = client.post(
        f"{API}/products",
        {"title": "Audio pitch", "kind": "media", "actions": "Listen."},
        content_type="application/json",
        headers=bearer(token_for(owner)),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "media_url"
    assert KnowledgeProduct.objects.count() == 0


def test_invisible_idea_is_a_field_error(client, owner, hidden_idea, token_for):
    response = client.post(
        f"{API}/products",
        {"title": "x", "actions": "y", "idea_ids": [hidden_idea.pk]},
        content_type="application/json",
        headers=bearer(token_for(owner)),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "idea_ids"


def test_missing_fields_are_named(client, owner, token_for):
    response = client.post(
        f"{API}/products",
        {"title": "", "kind": "poster"},
        content_type="application/json",
        headers=bearer(token_for(owner)),
    )
    assert response.status_code == 422
    assert {"title", "kind", "actions"} <= {e["field"] for e in response.json()["errors"]}


def test_anonymous_cannot_write(client):
    response = client.post(
        f"{API}/products", {"title": "x", "actions": "y"}, content_type="application/json"
    )
    assert response.status_code == 401


def test_outsider_gets_404_for_group_product(client, outsider, group_product, token_for):
    response = client.get(f"{API}/products/{group_product.pk}", headers=bearer(token_for(outsider)))
    assert response.status_code == 404


def test_anonymous_reads_public_product_only(client, network_product, public_product):
    assert client.get(f"{API}/products/{network_product.pk}").status_code == 404
    assert client.get(f"{API}/products/{public_product.pk}").status_code == 200
    titles = [p["title"] for p in client.get(f"{API}/products").json()["items"]]
    assert titles == ["Open guide"]


def test_public_product_shows_anonymous_only_public_ideas(client, owner, network_idea):
    public_idea = IdeaFactory(visibility=Visibility.PUBLIC, title="Open idea")
    product = ProductFactory(author=owner, visibility=Visibility.PUBLIC)
    product.ideas.set([public_idea, network_idea])
    body = client.get(f"{API}/products/{product.pk}").json()
    assert [i["title"] for i in body["ideas"]] == ["Open idea"]


def test_member_cannot_patch_or_delete_others(client, member, network_product, token_for):
    token = token_for(member)
    patch = client.patch(
        f"{API}/products/{network_product.pk}",
        {"title": "mine now"},
        content_type="application/json",
        headers=bearer(token),
    )
    delete = client.delete(f"{API}/products/{network_product.pk}", headers=bearer(token))
    assert (patch.status_code, delete.status_code) == (403, 403)


def test_owner_patches_publishes_and_deletes(client, owner, network_idea, token_for):
    from learnloop.capture.services import product_create

    product = product_create(author=owner, title="Draft", actions="Do it", visibility="draft")
    token = token_for(owner)
    patch = client.patch(
        f"{API}/products/{product.pk}",
        {"title": "Ready", "visibility": "public", "idea_ids": [network_idea.pk]},
        content_type="application/json",
        headers=bearer(token),
    )
    body = patch.json()
    assert patch.status_code == 200, patch.content
    assert body["title"] == "Ready"
    assert body["published_at"] is not None
    assert [i["id"] for i in body["ideas"]] == [network_idea.pk]
    assert Revision.objects.filter(object_id=product.pk).count() == 2
    assert client.delete(f"{API}/products/{product.pk}", headers=bearer(token)).status_code == 204
    assert client.get(f"{API}/products/{product.pk}", headers=bearer(token)).status_code == 404


def test_list_filters(client, owner, token_for):
    ProductFactory.create_batch(3, author=owner, kind="story")
    ProductFactory.create_batch(2, author=owner, kind="report", audience="funder")
    token = token_for(owner)
    stories = client.get(f"{API}/products", {"kind": "story"}, headers=bearer(token)).json()
    funders = client.get(f"{API}/products", {"audience": "funder"}, headers=bearer(token)).json()
    assert (stories["count"], funders["count"]) == (3, 2)


def test_list_query_count(client, owner, token_for, django_assert_max_num_queries):
    ideas = IdeaFactory.create_batch(3)
    for product in ProductFactory.create_batch(30, author=owner):
        product.ideas.set(ideas)
    token = token_for(owner)
    with django_assert_max_num_queries(9):
        response = client.get(f"{API}/products", headers=bearer(token))
    assert len(response.json()["items"]) == 30
