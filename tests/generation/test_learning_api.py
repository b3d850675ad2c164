from __future__ import annotations

import pytest

from learnloop.core.models import Visibility
from learnloop.generation.models import Learning
from tests.factories import LearningFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_create_with_token(client, owner, group, token_for):
    response = client.post(
        f"{API}/learnings",
        {
            "title": "From a script",
            "kind": "data",
            "group_id": group.pk,
            "visibility": "group",
            "tags": ["Data"],
        },
        content_type="application/json",
        headers=bearer(token_for(owner)),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "From a script"
    assert body["tags"] == ["data"]
    assert body["group"]["slug"] == "attendance-circle"


def test_bad_input_names_the_field(client, owner, token_for):
    response = client.post(
        f"{API}/learnings",
        {"title": "", "kind": "nonsense"},
        content_type="application/json",
        headers=bearer(token_for(owner)),
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"title", "kind"} <= fields
    assert Learning.objects.count() == 0


def test_rule_errors_share_the_shape(client, owner, token_for):
    response = client.post(
        f"{API}/learnings",
        {"title": "x", "visibility": "group"},
        content_type="application/json",
        headers=bearer(token_for(owner)),
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "group", "message": "Choose the group that may see this."}
    ]


def test_unknown_group_id_is_a_field_error(client, owner, token_for):
    response = client.post(
        f"{API}/learnings",
        {"title": "x", "group_id": 999999},
        content_type="application/json",
        headers=bearer(token_for(owner)),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "group_id"


def test_invalid_token_is_401_not_anonymous(client):
    response = client.get(f"{API}/learnings", headers=bearer("ll_nope"))
    assert response.status_code == 401


def test_anonymous_lists_public_only(client, owner):
    LearningFactory(author=owner, visibility=Visibility.PUBLIC, title="Open")
    LearningFactory(author=owner, visibility=Visibility.NETWORK, title="Members")
    titles = [item["title"] for item in client.get(f"{API}/learnings").json()["items"]]
    assert titles == ["Open"]


def test_anonymous_cannot_write(client):
    response = client.post(f"{API}/learnings", {"title": "x"}, content_type="application/json")
    assert response.status_code == 401


def test_outsider_gets_404_for_group_item(client, owner, outsider, group, token_for):
    learning = LearningFactory(author=owner, group=group, visibility=Visibility.GROUP)
    response = client.get(f"{API}/learnings/{learning.pk}", headers=bearer(token_for(outsider)))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}


def test_member_cannot_patch_or_delete_others(client, owner, member, token_for):
    learning = LearningFactory(author=owner)
    token = token_for(member)
    patch = client.patch(
        f"{API}/learnings/{learning.pk}",
        {"title": "mine now"},
        content_type="application/json",
        headers=bearer(token),
    )
    delete = client.delete(f"{API}/learnings/{learning.pk}", headers=bearer(token))
    assert (patch.status_code, delete.status_code) == (403, 403)


def test_owner_patches_and_deletes(client, owner, token_for):
    learning = LearningFactory(author=owner)
    token = token_for(owner)
    patch = client.patch(
        f"{API}/learnings/{learning.pk}",
        {"title": "Better"},
        content_type="application/json",
        headers=bearer(token),
    )
    assert patch.json()["title"] == "Better"
    assert client.delete(f"{API}/learnings/{learning.pk}", headers=bearer(token)).status_code == 204
    assert client.get(f"{API}/learnings/{learning.pk}", headers=bearer(token)).status_code == 404


def test_session_write_requires_csrf(csrf_client):
    response = csrf_client.post(f"{API}/learnings", {"title": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert Learning.objects.count() == 0


def test_session_write_with_csrf_token_succeeds(csrf_client):
    csrf_client.get("/learnings/new")  # sets the CSRF cookie, as a browser page would
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(
        f"{API}/learnings",
        {"title": "From the browser"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201


def test_pagination_and_filters(client, owner, token_for):
    LearningFactory.create_batch(5, author=owner, kind="data")
    LearningFactory.create_batch(2, author=owner, kind="story")
    body = client.get(
        f"{API}/learnings", {"kind": "data", "limit": 2}, headers=bearer(token_for(owner))
    ).json()
    assert body["count"] == 5
    assert len(body["items"]) == 2


def test_list_query_count(client, owner, token_for, django_assert_max_num_queries):
    LearningFactory.create_batch(40, author=owner)
    token = token_for(owner)
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}/learnings", headers=bearer(token))
    assert len(response.json()["items"]) == 40


def test_openapi_schema(client):
    schema = client.get(f"{API}/openapi.json").json()
    assert "/api/v1/learnings" in schema["paths"]
