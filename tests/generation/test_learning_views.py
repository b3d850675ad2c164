"""Learning pages: who may see and change them, and what posting does."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learnloop.core.models import Attachment, Revision, Visibility
from learnloop.generation.models import Learning
from tests.factories import LearningFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group_learning(owner, group):
    return LearningFactory(
        author=owner, group=group, visibility=Visibility.GROUP, title="Group-only insight"
    )


def test_member_posts_learning_with_tags_link_and_file(owner_client, owner, group):
    upload = SimpleUploadedFile("attendance.csv", b"week,rate\n1,0.91\n", content_type="text/csv")
    response = owner_client.post(
        reverse("generation:learning_create"),
        {
            "title": "Day-one calls lift attendance",
            "kind": "test_result",
            "body": "We called **every** family.",
            "group": group.pk,
            "visibility": "group",
            "tags": "attendance, Family Engagement, attendance",
            "links": "https://example.org/sheet",
            "uploads": [upload],
        },
    )
    learning = Learning.objects.get()
    assert response.status_code == 302
    assert response["Location"] == learning.get_absolute_url()
    assert learning.site == owner.site
    assert learning.tag_names == ["attendance", "family engagement"]
    assert sorted(a.label for a in Attachment.objects.all()) == [
        "attendance.csv",
        "https://example.org/sheet",
    ]
    assert Revision.objects.filter(object_id=learning.pk).count() == 1


def test_bad_input_keeps_what_was_typed(owner_client):
    response = owner_client.post(
        reverse("generation:learning_create"),
        {
            "title": "",
            "body": "Long reflection that must not be lost",
            "kind": "reflection",
            "visibility": "group",
            "links": "not a url",
        },
    )
    assert response.status_code == 200
    assert Learning.objects.count() == 0
    html = response.content.decode()
    assert "Long reflection that must not be lost" in html
    assert "Choose the group that may see this." in html
    assert "is not a web address" in html


def test_cannot_post_into_a_group_one_is_not_in(outsider_client, group):
    response = outsider_client.post(
        reverse("generation:learning_create"),
        {"title": "x", "kind": "reflection", "visibility": "network", "group": group.pk},
    )
    assert response.status_code == 200
    assert Learning.objects.count() == 0


def test_group_learning_hidden_from_outsider_and_anonymous(
    group_learning, outsider_client, anon_client, member_client
):
    url = group_learning.get_absolute_url()
    assert outsider_client.get(url).status_code == 404
    assert anon_client.get(url).status_code == 404
    assert member_client.get(url).status_code == 200
    assert (
        "Group-only insight"
        not in outsider_client.get(reverse("generation:learnings")).content.decode()
    )


def test_draft_is_seen_by_its_author_only(owner, owner_client, member_client, steward_client):
    draft = LearningFactory(author=owner, visibility=Visibility.DRAFT)
    assert owner_client.get(draft.get_absolute_url()).status_code == 200
    assert member_client.get(draft.get_absolute_url()).status_code == 404
    assert steward_client.get(draft.get_absolute_url()).status_code == 404


def test_public_learning_is_readable_without_login(owner, anon_client):
    learning = LearningFactory(
        author=owner, visibility=Visibility.PUBLIC, body="<script>alert(1)</script> *ok*"
    )
    response = anon_client.get(learning.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert "<em>ok</em>" in html


def test_member_without_rights_cannot_edit(group_learning, member_client):
    url = reverse("generation:learning_edit", args=[group_learning.pk])
    assert member_client.get(url).status_code == 403
    assert (
        member_client.post(
            url, {"title": "hijack", "kind": "data", "visibility": "network"}
        ).status_code
        == 403
    )
    group_learning.refresh_from_db()
    assert group_learning.title == "Group-only insight"


def test_edit_keeps_revision_history(owner_client, owner, group):
    from learnloop.generation.services import learning_create

    group_learning = learning_create(
        author=owner, title="Group-only insight", group=group, visibility="group"
    )
    url = reverse("generation:learning_edit", args=[group_learning.pk])
    response = owner_client.post(
        url,
        {
            "title": "Sharper insight",
            "kind": "observation",
            "body": "new",
            "group": group.pk,
            "visibility": "group",
            "tags": "",
        },
    )
    assert response.status_code == 302
    history = owner_client.get(reverse("item_history", args=["learning", group_learning.pk]))
    html = history.content.decode()
    assert "Sharper insight" in html
    assert "Group-only insight" in html  # the earlier title is kept
    assert Revision.objects.filter(object_id=group_learning.pk).count() == 2


def test_group_moderator_may_edit(group_learning, moderator_client):
    url = reverse("generation:learning_edit", args=[group_learning.pk])
    assert moderator_client.get(url).status_code == 200


def test_soft_delete_and_steward_restore(
    owner_client, steward_client, member_client, group_learning
):
    delete_url = reverse("item_delete", args=["learning", group_learning.pk])
    assert member_client.post(delete_url).status_code == 403
    assert owner_client.post(delete_url).status_code == 302
    assert owner_client.get(group_learning.get_absolute_url()).status_code == 404
    trash = steward_client.get(reverse("trash")).content.decode()
    assert "Group-only insight" in trash
    assert member_client.get(reverse("trash")).status_code == 403
    restore = reverse("item_restore", args=["learning", group_learning.pk])
    assert owner_client.post(restore).status_code in (403, 404)
    assert steward_client.post(restore).status_code == 302
    assert owner_client.get(group_learning.get_absolute_url()).status_code == 200


def test_comments(member_client, group_learning, outsider_client):
    url = reverse("item_comment", args=["learning", group_learning.pk])
    assert member_client.post(url, {"body": "Did it hold in week two?"}).status_code == 302
    assert (
        "Did it hold in week two?"
        in member_client.get(group_learning.get_absolute_url()).content.decode()
    )
    assert outsider_client.post(url, {"body": "sneaky"}).status_code == 404


def test_comment_by_htmx_returns_fragment(member_client, group_learning):
    url = reverse("item_comment", args=["learning", group_learning.pk])
    response = member_client.post(url, {"body": "htmx comment"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "htmx comment" in html
    assert "<html" not in html


def test_list_filters_by_kind_and_tag(owner_client, owner):
    LearningFactory(author=owner, kind="data", title="A data point")
    LearningFactory(author=owner, kind="story", title="A story")
    html = owner_client.get(reverse("generation:learnings"), {"kind": "data"}).content.decode()
    assert "A data point" in html
    assert "A story" not in html


def test_list_query_count_does_not_grow(owner_client, owner, django_assert_max_num_queries):
    LearningFactory.create_batch(30, author=owner)
    with django_assert_max_num_queries(12):
        response = owner_client.get(reverse("generation:learnings"))
    assert response.status_code == 200


def test_attachment_download_respects_visibility(
    owner_client, outsider_client, group_learning, owner
):
    from learnloop.core.services import attachment_add

    upload = SimpleUploadedFile("notes.txt", b"secret notes")
    attachment = attachment_add(author=owner, target=group_learning, file=upload)
    url = reverse("attachment", args=[attachment.pk])
    assert outsider_client.get(url).status_code == 404
    response = owner_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"secret notes"
