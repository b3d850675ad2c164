"""Answers are edited by their author and deleted by the author or the group's moderators
and stewards, on the question page and through the API; a deleted answer leaves the page,
the API and search, and people who cannot see the question learn nothing about it (404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learnloop.core.models import Visibility
from learnloop.generation.models import Answer
from learnloop.generation.services import answer_create, question_create
from learnloop.search import searching
from tests.search.factories_search import isolated_search  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_search")]
API = "/api/v1"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def question(owner, group):
    return question_create(
        author=owner,
        title="How do we reach families who never answer?",
        body="Letters home go unread.",
        group=group,
        visibility=Visibility.GROUP,
    )


@pytest.fixture
def answer(question, member):
    return answer_create(author=member, question=question, body="Try a marimba concert.")


def edit_url(answer: Answer) -> str:
    return reverse("generation:answer_edit", args=[answer.question_id, answer.pk])


def delete_url(answer: Answer) -> str:
    return reverse("generation:answer_delete", args=[answer.question_id, answer.pk])


def api_url(answer: Answer) -> str:
    return f"{API}/questions/{answer.question_id}/answers/{answer.pk}"


def found(viewer, text: str) -> bool:
    results = searching.search(viewer=viewer, text=text).results
    return any(r.item_type == "question" for r in results)


# Editing ------------------------------------------------------------------------------


def test_the_author_edits_on_the_page_and_search_follows(member_client, member, answer):
    page = member_client.get(answer.question.get_absolute_url())
    assert edit_url(answer).encode() in page.content
    form = member_client.get(edit_url(answer))
    assert form.status_code == 200
    assert b"Try a marimba concert." in form.content  # the form starts from the current text
    response = member_client.post(edit_url(answer), {"body": "Try a *xylophone* evening."})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.body == "Try a *xylophone* evening."
    page = member_client.get(answer.question.get_absolute_url())
    assert b"<em>xylophone</em>" in page.content  # rendered as Markdown
    assert found(member, "xylophone")
    assert not found(member, "marimba")


def test_an_empty_body_is_refused_on_the_page(member_client, answer):
    response = member_client.post(edit_url(answer), {"body": "   "})
    assert response.status_code == 200
    answer.refresh_from_db()
    assert answer.body == "Try a marimba concert."


def test_the_author_edits_through_the_api(client, member, answer, token_for):
    response = client.patch(
        api_url(answer),
        {"body": "A xylophone evening."},
        content_type="application/json",
        headers=bearer(token_for(member)),
    )
    assert response.status_code == 200, response.content
    assert response.json()["body"] == "A xylophone evening."
    answer.refresh_from_db()
    assert answer.body == "A xylophone evening."
    assert found(member, "xylophone")


def test_others_cannot_edit(
    owner_client, moderator_client, client, owner, moderator, answer, token_for
):
    page = moderator_client.get(answer.question.get_absolute_url())
    assert edit_url(answer).encode() not in page.content
    # Not even the asker or a moderator may put words in the author's mouth.
    for c in (owner_client, moderator_client):
        assert c.get(edit_url(answer)).status_code == 403
        assert c.post(edit_url(answer), {"body": "Hijacked."}).status_code == 403
    response = client.patch(
        api_url(answer),
        {"body": "Hijacked."},
        content_type="application/json",
        headers=bearer(token_for(moderator)),
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "You may not do this."
    answer.refresh_from_db()
    assert answer.body == "Try a marimba concert."


# Deleting -----------------------------------------------------------------------------


def test_a_moderator_deletes_on_the_page(moderator_client, member_client, answer):
    page = moderator_client.get(answer.question.get_absolute_url())
    assert delete_url(answer).encode() in page.content
    assert b'data-confirm="Delete this answer?"' in page.content  # asks before it acts
    assert moderator_client.get(delete_url(answer)).status_code == 405  # POST only
    response = moderator_client.post(delete_url(answer))
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.deleted_at is not None
    page = member_client.get(answer.question.get_absolute_url())
    assert b"marimba" not in page.content
    assert f'id="answer-{answer.pk}"'.encode() not in page.content
    # Gone means gone: no edit page, no second delete.
    assert member_client.get(edit_url(answer)).status_code == 404
    assert moderator_client.post(delete_url(answer)).status_code == 404


def test_the_author_deletes_their_own(member_client, member, answer):
    assert member_client.post(delete_url(answer)).status_code == 302
    answer.refresh_from_db()
    assert answer.deleted_at is not None
    assert not found(member, "marimba")


def test_a_steward_deletes_through_the_api_and_it_leaves_the_output(
    client, steward, member, answer, token_for
):
    response = client.delete(api_url(answer), headers=bearer(token_for(steward)))
    assert response.status_code == 204, response.content
    answer.refresh_from_db()
    assert answer.deleted_at is not None
    shown = client.get(f"{API}/questions/{answer.question_id}", headers=bearer(token_for(member)))
    assert shown.status_code == 200
    assert shown.json()["answers"] == []
    again = client.delete(api_url(answer), headers=bearer(token_for(steward)))
    assert again.status_code == 404


def test_a_plain_member_cannot_delete_someone_elses_answer(
    owner_client, client, owner, question, member, token_for
):
    theirs = answer_create(author=member, question=question, body="Phone them at night.")
    page = owner_client.get(question.get_absolute_url())
    assert delete_url(theirs).encode() not in page.content
    assert owner_client.post(delete_url(theirs)).status_code == 403
    response = client.delete(api_url(theirs), headers=bearer(token_for(owner)))
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.deleted_at is None


def test_a_delete_without_a_csrf_token_is_refused(csrf_client, owner, question):
    mine = answer_create(author=owner, question=question, body="My own idea.")
    assert csrf_client.post(delete_url(mine)).status_code == 403
    assert csrf_client.post(edit_url(mine), {"body": "Changed."}).status_code == 403
    mine.refresh_from_db()
    assert mine.deleted_at is None
    assert mine.body == "My own idea."


# People who cannot see the question -----------------------------------------------------


def test_someone_who_cannot_see_the_question_gets_404(
    outsider_client, anon_client, client, outsider, answer, token_for
):
    assert outsider_client.get(edit_url(answer)).status_code == 404
    assert outsider_client.post(edit_url(answer), {"body": "x"}).status_code == 404
    assert outsider_client.post(delete_url(answer)).status_code == 404
    for call in (
        lambda h: client.patch(
            api_url(answer), {"body": "x"}, content_type="application/json", headers=h
        ),
        lambda h: client.delete(api_url(answer), headers=h),
    ):
        assert call(bearer(token_for(outsider))).status_code == 404
    # Anonymous visitors are sent to log in on the page, and refused by the API.
    assert anon_client.post(delete_url(answer)).status_code == 302
    assert anon_client.delete(api_url(answer)).status_code == 401
    answer.refresh_from_db()
    assert answer.deleted_at is None
    assert answer.body == "Try a marimba concert."


def test_an_answer_to_another_question_is_not_reachable(
    member_client, member, answer, owner, group
):
    other = question_create(
        author=owner, title="Another question", body="", group=group, visibility=Visibility.GROUP
    )
    wrong = reverse("generation:answer_edit", args=[other.pk, answer.pk])
    assert member_client.get(wrong).status_code == 404
