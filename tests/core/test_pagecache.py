"""The per-viewer page cache: fast repeat reads, never stale after a write, never shared."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from learnloop.core.models import Visibility
from learnloop.generation.services import learning_create
from tests.factories import LearningFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


def titles_on(client: Client) -> str:
    return client.get(reverse("generation:learnings")).content.decode()


def test_repeat_reads_are_served_from_the_cache(owner_client, owner):
    owner_client.get(reverse("home"))  # the first page sets the CSRF cookie: never cached
    assert "Quiet row" not in titles_on(owner_client)
    LearningFactory(author=owner, title="Quiet row")  # written behind the services' back
    assert "Quiet row" not in titles_on(owner_client)


def test_a_service_write_retires_cached_pages(
    owner_client, owner, django_capture_on_commit_callbacks
):
    titles_on(owner_client)
    with django_capture_on_commit_callbacks(execute=True):
        learning_create(author=owner, title="Fresh insight")
    assert "Fresh insight" in titles_on(owner_client)


def test_any_successful_post_retires_cached_pages(owner_client, owner, member_client):
    learning = LearningFactory(author=owner, title="Calls work")
    page = learning.get_absolute_url()
    assert "First comment" not in owner_client.get(page).content.decode()
    member_client.post(
        reverse("item_comment", args=["learning", learning.pk]), {"body": "First comment"}
    )
    assert "First comment" in owner_client.get(page).content.decode()


def test_pages_are_never_shared_between_viewers(owner_client, outsider_client, owner, group):
    LearningFactory(author=owner, group=group, visibility=Visibility.GROUP, title="Circle only")
    assert "Circle only" in titles_on(owner_client)
    assert "Circle only" not in titles_on(outsider_client)


def test_api_answers_are_cached_per_token(client, owner, outsider, group, token_for):
    LearningFactory(author=owner, group=group, visibility=Visibility.GROUP, title="Circle only")
    owner_token, outsider_token = token_for(owner), token_for(outsider)
    url = "/api/v1/learnings"
    mine = client.get(url, headers={"Authorization": f"Bearer {owner_token}"}).json()
    theirs = client.get(url, headers={"Authorization": f"Bearer {outsider_token}"}).json()
    assert [i["title"] for i in mine["items"]] == ["Circle only"]
    assert theirs["items"] == []


def test_a_response_that_sets_a_cookie_is_not_cached(client):
    first = client.get(reverse("login"))
    other = Client()
    second = other.get(reverse("login"))
    assert "csrftoken" in first.cookies
    assert "csrftoken" in second.cookies
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_a_flash_message_is_shown_once(owner_client):
    owner_client.get(reverse("home"))
    response = owner_client.post(
        reverse("generation:learning_create"),
        {"title": "Posted", "kind": "reflection", "visibility": "network"},
        follow=True,
    )
    assert "Your learning is posted" in response.content.decode()
    again = owner_client.get(response.request["PATH_INFO"])
    assert "Your learning is posted" not in again.content.decode()
    assert "Posted" in again.content.decode()
