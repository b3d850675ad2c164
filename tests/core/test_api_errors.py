"""Odd input to the API gets the one error shape, never a 500."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ODD_BODIES = ["not json", "[]", "null", '{"title": 5}', '{"title": "' + "x" * 5000 + '"}', "{"]


@pytest.mark.parametrize("body", ODD_BODIES)
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/learnings",
        "/api/v1/ideas",
        "/api/v1/products",
        "/api/v1/plans",
        "/api/v1/questions",
        "/api/v1/test-cycles",
    ],
)
def test_odd_bodies_get_a_clear_error(client, owner, token_for, path, body):
    response = client.post(
        path,
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(owner)}"},
    )
    assert 400 <= response.status_code < 500
    payload = response.json()
    assert set(payload) == {"detail", "errors"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/learnings/abc",
        "/api/v1/ideas/99999999999999999999",
        "/api/v1/learnings?limit=-5&offset=x",
        "/api/v1/nothing-here",
    ],
)
def test_odd_paths_and_queries(client, owner, token_for, path):
    response = client.get(path, headers={"Authorization": f"Bearer {token_for(owner)}"})
    assert 400 <= response.status_code < 500
