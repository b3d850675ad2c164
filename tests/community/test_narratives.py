"""Opportunity narratives: who may publish (stewards for the network, stewards and the
moderators of a space's groups for a space), the progress of linked ideas, questions and
groups shown only as far as the viewer may see, and the shared item actions."""

# The space fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from learnloop.community.models import Narrative
from learnloop.community.narrative_services import (
    can_publish,
    narrative_create,
    narrative_update,
)
from learnloop.consolidation.models import Stage, StageChange
from learnloop.core.models import Revision, Visibility
from learnloop.generation.models import Answer
from learnloop.notifications.models import Notification
from tests.community.factories_spaces import (  # noqa: F401
    NarrativeFactory,
    client_for,
    far_group,
    space,
    stranger,
    stranger_client,
)
from tests.core.a11y import problems
from tests.factories import IdeaFactory, LearningFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(owner, outsider, group, other_group):
    """Records a narrative may link: open ones and one group-only idea of the reading team."""
    moved = timezone.now() - timedelta(days=20)
    return {
        "idea": IdeaFactory(
            author=owner,
            group=group,
            title="Welcome calls",
            stage=Stage.PROMISING,
            stage_changed_at=moved,
        ),
        "idea2": IdeaFactory(
            author=outsider, group=other_group, title="Reading buddies", stage=Stage.TESTING
        ),
        "hidden_idea": IdeaFactory(
            author=outsider,
            group=other_group,
            title="Reading team only idea",
            visibility=Visibility.GROUP,
        ),
        "answered": QuestionFactory(author=owner, title="Who calls families?"),
        "open": QuestionFactory(author=outsider, title="What do buddies read?"),
    }


@pytest.fixture
def narrative(steward, space, group, other_group, linked):
    n = narrative_create(
        author=steward,
        title="Every ninth grader known by name",
        opportunity="Students who feel *known* come back.",
        call_to_act="Each group: try one welcome routine this month.",
        group=space,
        visibility=Visibility.NETWORK,
        tags="belonging, attendance",
        groups=[group, other_group],
        questions=[linked["answered"], linked["open"]],
        ideas=[linked["idea"], linked["idea2"], linked["hidden_idea"]],
    )
    Answer.objects.create(
        question=linked["answered"], author=linked["idea2"].author, body="We do.", accepted=True
    )
    return n


# Who may publish -----------------------------------------------------------------------------


def test_who_may_publish(steward, moderator, member, stranger, space):
    assert can_publish(steward, None)
    assert can_publish(steward, space)
    assert can_publish(moderator, space)  # moderates a group linked to the space
    assert not can_publish(moderator, None)
    assert not can_publish(member, space)
    assert not can_publish(stranger, space)


def test_moderator_publishes_for_their_space(
    moderator_client, moderator, space, group, linked, django_capture_on_commit_callbacks
):
    html = moderator_client.get(reverse("spaces:narrative_create")).content.decode()
    assert problems(html) == []
    assert "— the whole network —" not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            reverse("spaces:narrative_create"),
            {
                "title": "Belonging in week one",
                "opportunity": "First weeks decide the year.",
                "call_to_act": "Try a welcome routine.",
                "group": space.pk,
                "visibility": "group",
                "tags": "belonging",
                "groups": [group.pk],
                "questions": [linked["open"].pk],
                "ideas": [linked["idea"].pk],
            },
        )
    narrative = Narrative.objects.get()
    assert response.status_code == 302
    assert response["Location"] == narrative.get_absolute_url()
    assert (narrative.author, narrative.group, narrative.visibility) == (moderator, space, "group")
    assert narrative.idea_ids == [linked["idea"].pk]
    assert narrative.tag_names == ["belonging"]
    assert Revision.objects.filter(object_id=narrative.pk, number=1).exists()


def test_member_may_not_publish(member_client, member, space):
    assert member_client.get(reverse("spaces:narrative_create")).status_code == 403
    assert member_client.post(reverse("spaces:narrative_create"), {}).status_code == 403
    with pytest.raises(PermissionDenied):
        narrative_create(author=member, title="t", opportunity="o", call_to_act="c", group=space)


def test_moderator_may_not_publish_for_the_network(moderator, space):
    with pytest.raises(ValidationError) as exc:
        narrative_create(author=moderator, title="t", opportunity="o", call_to_act="c")
    assert exc.value.message_dict["group"] == [
        "Only stewards publish for the whole network: choose a space."
    ]


def test_a_narrative_belongs_to_a_space_not_a_group(steward, group):
    with pytest.raises(ValidationError) as exc:
        narrative_create(author=steward, title="t", opportunity="o", call_to_act="c", group=group)
    assert "group" in exc.value.message_dict


def test_links_are_checked(steward, moderator, space, far_group, linked, outsider, other_group):
    with pytest.raises(ValidationError) as exc:
        narrative_create(
            author=steward,
            title="t",
            opportunity="o",
            call_to_act="c",
            group=space,
            groups=[far_group],
        )
    assert exc.value.message_dict["groups"] == ["Not linked to this space: Funders Table."]
    with pytest.raises(ValidationError) as exc:
        narrative_create(
            author=moderator,
            title="t",
            opportunity="o",
            call_to_act="c",
            group=space,
            ideas=[linked["hidden_idea"]],
        )
    assert exc.value.message_dict["ideas"] == ["You can only link records you can see."]


def test_missing_text_is_a_form_error_and_keeps_the_input(steward_client, space):
    response = steward_client.post(
        reverse("spaces:narrative_create"),
        {"title": "Kept title", "opportunity": "", "call_to_act": "", "visibility": "network"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kept title" in html
    assert html.count('class="errorlist"') == 2
    assert not Narrative.objects.exists()


def test_moderators_of_linked_groups_hear_about_it(moderator, narrative):
    note = Notification.objects.get(recipient=moderator)
    assert note.url == narrative.get_absolute_url()
    assert note.kind == "system"


# The page and its progress -------------------------------------------------------------------


def test_page_shows_the_progress_of_what_works_on_it(owner_client, narrative, linked):
    StageChange.objects.create(
        idea=linked["idea"],
        from_stage=Stage.TESTING,
        to_stage=Stage.PROMISING,
        reason="Two schools.",
        decided_by=narrative.author,
    )
    LearningFactory(author=linked["idea2"].author, group=linked["idea2"].group)
    html = owner_client.get(narrative.get_absolute_url()).content.decode()
    assert "Every ninth grader known by name" in html
    assert "<em>known</em>" in html
    # Ideas by stage, highest first, with the date each last moved.
    assert html.index("Welcome calls") < html.index("Reading buddies")
    moved = linked["idea"].stage_changed_at
    assert f"last moved {moved.day} {moved:%b %Y}" in html
    assert "1 / 2" in html  # questions answered
    assert "Accepted answer" in html
    assert "No answer yet" in html
    assert "2</strong>ideas working on it" in html
    assert problems(html) == []


def test_hidden_linked_records_are_neither_shown_nor_counted(
    owner_client, outsider_client, narrative
):
    owner_html = owner_client.get(narrative.get_absolute_url()).content.decode()
    assert "Reading team only idea" not in owner_html
    assert "2</strong>ideas working on it" in owner_html
    outsider_html = outsider_client.get(narrative.get_absolute_url()).content.decode()
    assert "Reading team only idea" in outsider_html
    assert "3</strong>ideas working on it" in outsider_html


def test_group_activity_counts_only_visible_records(owner, narrative, outsider, other_group):
    from learnloop.community.narrative_selectors import narrative_progress

    LearningFactory(author=outsider, group=other_group)
    LearningFactory(author=outsider, group=other_group, visibility=Visibility.GROUP)
    progress = narrative_progress(viewer=owner, narrative=narrative)
    reading = next(a for a in progress.groups if a.group == other_group)
    assert reading.learnings == 1
    assert reading.ideas == 1
    outsider_view = narrative_progress(viewer=outsider, narrative=narrative)
    assert next(a for a in outsider_view.groups if a.group == other_group).learnings == 2


def test_who_may_see_a_narrative(steward, space, stranger_client, outsider_client, anon_client):
    in_space = NarrativeFactory(author=steward, group=space, visibility=Visibility.GROUP)
    assert outsider_client.get(in_space.get_absolute_url()).status_code == 200
    assert stranger_client.get(in_space.get_absolute_url()).status_code == 404
    network = NarrativeFactory(author=steward)
    assert anon_client.get(network.get_absolute_url()).status_code == 404
    public = NarrativeFactory(
        author=steward, group=space, visibility=Visibility.PUBLIC, title="Open to all"
    )
    html = anon_client.get(public.get_absolute_url()).content.decode()
    assert "Open to all" in html
    assert space.name not in html
    assert problems(html) == []


def test_public_page_shows_visitors_only_public_links(anon_client, steward, space, group, linked):
    public_idea = IdeaFactory(author=steward, visibility=Visibility.PUBLIC, title="Public idea")
    n = narrative_create(
        author=steward,
        title="Open narrative",
        opportunity="o",
        call_to_act="c",
        group=space,
        visibility=Visibility.PUBLIC,
        groups=[group],
        ideas=[public_idea, linked["idea"]],
    )
    html = anon_client.get(n.get_absolute_url()).content.decode()
    assert "Public idea" in html
    assert "Welcome calls" not in html
    assert "Attendance Circle" not in html
    assert "Groups working on it" not in html


# Editing, history, delete --------------------------------------------------------------------


def test_edit_keeps_links_the_editor_cannot_see(moderator, narrative, linked, space):
    # The space's author (a steward) linked a group-only idea the moderator cannot see.
    narrative.author = moderator
    narrative.save()
    narrative_update(
        viewer=moderator,
        narrative=narrative,
        title="Renamed",
        ideas=[linked["idea"]],
        questions=[],
    )
    narrative.refresh_from_db()
    assert narrative.title == "Renamed"
    assert set(narrative.idea_ids) == {linked["idea"].pk, linked["hidden_idea"].pk}
    assert narrative.question_ids == []


def test_edit_page_for_author_only(steward_client, owner_client, narrative, linked):
    url = reverse("spaces:narrative_edit", args=[narrative.pk])
    assert owner_client.get(url).status_code == 403
    html = steward_client.get(url).content.decode()
    assert problems(html) == []
    response = steward_client.post(
        url,
        {
            "title": "Every ninth grader known",
            "opportunity": narrative.opportunity,
            "call_to_act": "Updated call.",
            "group": narrative.group_id,
            "visibility": "network",
            "tags": "belonging",
            "groups": [g.pk for g in narrative.groups.all()],
            "questions": [linked["open"].pk],
            "ideas": [linked["idea"].pk],
        },
    )
    assert response.status_code == 302
    narrative.refresh_from_db()
    assert narrative.call_to_act == "Updated call."
    assert narrative.question_ids == [linked["open"].pk]
    history = steward_client.get(reverse("item_history", args=["narrative", narrative.pk]))
    assert "Updated call." in history.content.decode()


def test_soft_delete_and_restore(steward_client, owner_client, narrative):
    response = steward_client.post(reverse("item_delete", args=["narrative", narrative.pk]))
    assert response.status_code == 302
    narrative.refresh_from_db()
    assert narrative.deleted_at is not None
    assert owner_client.get(narrative.get_absolute_url()).status_code == 404
    assert "Every ninth grader" in steward_client.get(reverse("trash")).content.decode()
    steward_client.post(reverse("item_restore", args=["narrative", narrative.pk]))
    narrative.refresh_from_db()
    assert narrative.deleted_at is None


def test_owner_may_not_delete_someone_elses_narrative(owner_client, narrative):
    response = owner_client.post(reverse("item_delete", args=["narrative", narrative.pk]))
    assert response.status_code == 403


def test_members_comment_on_a_narrative(owner_client, narrative):
    owner_client.post(
        reverse("item_comment", args=["narrative", narrative.pk]), {"body": "We are in."}
    )
    assert "We are in." in owner_client.get(narrative.get_absolute_url()).content.decode()


# The list ------------------------------------------------------------------------------------


def test_list_filters_and_counts(
    owner_client, steward, space, narrative, django_assert_max_num_queries
):
    NarrativeFactory(author=steward, title="Network-wide one")
    NarrativeFactory(author=steward, title="Draft one", visibility=Visibility.DRAFT)
    for n in range(5):
        NarrativeFactory(author=steward, title=f"More {n}", group=space)
    with django_assert_max_num_queries(12):
        html = owner_client.get(reverse("spaces:narratives")).content.decode()
    assert "Network-wide one" in html
    assert "Draft one" not in html
    assert "2 ideas · 2 questions · 2 groups" in html
    assert problems(html) == []
    network_only = owner_client.get(reverse("spaces:narratives") + "?scope=network")
    assert "Every ninth grader" not in network_only.content.decode()
    in_space = owner_client.get(reverse("spaces:narratives") + f"?space={space.pk}")
    assert "Network-wide one" not in in_space.content.decode()


def test_list_for_visitors_shows_public_ones(anon_client, steward):
    NarrativeFactory(author=steward, title="Public one", visibility=Visibility.PUBLIC)
    NarrativeFactory(author=steward, title="Members one")
    html = anon_client.get(reverse("spaces:narratives")).content.decode()
    assert "Public one" in html
    assert "Members one" not in html
    assert problems(html) == []


# API -----------------------------------------------------------------------------------------


def test_api_crud(client, steward, owner, space, group, linked, token_for):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(steward)}"}
    response = client.post(
        "/api/v1/narratives",
        {
            "title": "From the API",
            "opportunity": "o",
            "call_to_act": "c",
            "group_id": space.pk,
            "group_ids": [group.pk],
            "idea_ids": [linked["idea"].pk],
            "question_ids": [linked["open"].pk],
            "tags": ["belonging"],
        },
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["progress"]["idea_count"] == 1
    assert body["progress"]["ideas_by_stage"]["promising"][0]["title"] == "Welcome calls"
    assert body["group_ids"] == [group.pk]
    pk = body["id"]
    patched = client.patch(
        f"/api/v1/narratives/{pk}",
        {"call_to_act": "Act now", "idea_ids": []},
        content_type="application/json",
        **auth,
    )
    assert patched.json()["call_to_act"] == "Act now"
    assert patched.json()["idea_ids"] == []
    listed = client.get("/api/v1/narratives", HTTP_AUTHORIZATION=f"Bearer {token_for(owner)}")
    assert [n["title"] for n in listed.json()["items"]] == ["From the API"]
    owner_delete = client.delete(
        f"/api/v1/narratives/{pk}", HTTP_AUTHORIZATION=f"Bearer {token_for(owner)}"
    )
    assert owner_delete.status_code == 403
    assert client.delete(f"/api/v1/narratives/{pk}", **auth).status_code == 204


def test_api_errors_name_the_fields(client, moderator, space, far_group, linked, token_for):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(moderator)}"}

    def post(extra):
        return client.post(
            "/api/v1/narratives",
            {"title": "t", "opportunity": "o", "call_to_act": "c", **extra},
            content_type="application/json",
            **auth,
        )

    network = post({})
    assert network.status_code == 422
    assert network.json()["errors"][0]["field"] == "group_id"
    outside = post({"group_id": space.pk, "group_ids": [far_group.pk]})
    assert outside.json()["errors"][0]["field"] == "group_ids"
    hidden = post({"group_id": space.pk, "idea_ids": [linked["hidden_idea"].pk]})
    assert hidden.json()["errors"] == [
        {"field": "idea_ids", "message": "You can only link records you can see."}
    ]
    unknown = post({"group_id": space.pk, "idea_ids": [999999]})
    assert unknown.json()["errors"] == hidden.json()["errors"]


def test_api_read_permissions(client, steward, space, stranger, token_for):
    in_space = NarrativeFactory(author=steward, group=space, visibility=Visibility.GROUP)
    response = client.get(
        f"/api/v1/narratives/{in_space.pk}", HTTP_AUTHORIZATION=f"Bearer {token_for(stranger)}"
    )
    assert response.status_code == 404
    public = NarrativeFactory(author=steward, group=space, visibility=Visibility.PUBLIC)
    anonymous = client.get(f"/api/v1/narratives/{public.pk}").json()
    assert anonymous["group"] is None
    assert anonymous["progress"]["groups"] == []
    assert client.post("/api/v1/narratives", {}, content_type="application/json").status_code == 401


def test_api_member_may_not_publish(client, member, space, token_for):
    response = client.post(
        "/api/v1/narratives",
        {"title": "t", "opportunity": "o", "call_to_act": "c", "group_id": space.pk},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_for(member)}",
    )
    assert response.status_code == 403
    assert client_for(member).get(reverse("spaces:narratives")).status_code == 200


def test_going_public_asks_for_the_voice_guidelines(steward, space):
    from learnloop.sharing.models import PublicationCheck, VoiceGuideline

    VoiceGuideline.objects.create(text="Name no student.", position=1)
    kwargs = {
        "author": steward,
        "title": "Open call",
        "opportunity": "o",
        "call_to_act": "c",
        "group": space,
        "visibility": Visibility.PUBLIC,
    }
    with pytest.raises(ValidationError) as exc:
        narrative_create(**kwargs)
    assert "guidelines_confirmed" in exc.value.message_dict
    narrative = narrative_create(**kwargs, guidelines_confirmed=True)
    check = PublicationCheck.objects.get(object_id=narrative.pk)
    assert check.guidelines == ["Name no student."]
    hidden = NarrativeFactory(author=steward, group=space, visibility=Visibility.NETWORK)
    with pytest.raises(ValidationError):
        narrative_update(viewer=steward, narrative=hidden, visibility=Visibility.PUBLIC)
