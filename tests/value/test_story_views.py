"""Value story pages: building a thread from existing records, who sees which links,
who may change what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learnloop.core.models import Visibility
from learnloop.value.models import StoryStep, ValueStory
from tests.core.a11y import problems
from tests.factories import LearningFactory, PersonFactory, ProductFactory
from tests.value.conftest import ConveningFactory, OutcomeFactory, StoryFactory, StoryStepFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group_story(owner, group):
    return StoryFactory(author=owner, group=group, visibility=Visibility.GROUP, title="Our thread")


@pytest.fixture
def records(owner, group):
    """One record of each kind the owner can see."""
    return {
        "convening": ConveningFactory(author=owner, title="Spring huddle"),
        "learning": LearningFactory(author=owner, title="Calls beat letters"),
        "product": ProductFactory(author=owner, title="Call script"),
        "outcome": OutcomeFactory(plan__product__author=owner, title="Week-one attendance up"),
    }


def test_member_builds_a_story_from_existing_records(owner_client, owner, group, records):
    response = owner_client.post(
        reverse("value:story_create") + f"?convening={records['convening'].pk}",
        {
            "title": "From a huddle to full classrooms",
            "summary": "How one conversation changed week one.",
            "group": group.pk,
            "visibility": "group",
            "convening": records["convening"].pk,
            "cycle": "immediate",
        },
    )
    story = ValueStory.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("value:step_create", args=[story.pk])
        + f"?convening={records['convening'].pk}&cycle=immediate"
    )
    form_html = owner_client.get(response["Location"]).content.decode()
    assert f'<option value="{records["convening"].pk}" selected>Spring huddle' in form_html
    assert problems(form_html) == []
    steps = [
        ("immediate", {"convening": records["convening"].pk}),
        ("potential", {"learning": records["learning"].pk, "product": records["product"].pk}),
        ("applied", {"outcome": records["outcome"].pk}),
        ("realized", {"indicator": "Attendance 88% → 94%", "measure_slug": "attendance"}),
    ]
    for cycle, links in steps:
        response = owner_client.post(
            reverse("value:step_create", args=[story.pk]),
            {"cycle": cycle, "narrative": f"What happened at {cycle}.", **links},
        )
        assert response.status_code == 302
    assert sorted(StoryStep.objects.values_list("cycle", flat=True)) == [
        "applied",
        "immediate",
        "potential",
        "realized",
    ]
    html = owner_client.get(story.get_absolute_url()).content.decode()
    for title in ("Spring huddle", "Calls beat letters", "Call script", "Week-one attendance up"):
        assert title in html
    assert (
        html.index("Spring huddle")
        < html.index("Calls beat letters")
        < html.index("Week-one attendance up")
    )
    assert "Attendance 88% → 94%" in html
    assert problems(html) == []


def test_add_step_and_another_returns_to_the_form(owner_client, group_story):
    url = reverse("value:step_create", args=[group_story.pk])
    response = owner_client.post(
        url, {"cycle": "immediate", "narrative": "Warm room.", "another": "1"}
    )
    assert response["Location"] == url


def test_step_cannot_link_a_record_the_author_cannot_see(
    owner_client, group_story, outsider, other_group
):
    hidden = LearningFactory(
        author=outsider, group=other_group, visibility=Visibility.GROUP, title="Secret"
    )
    response = owner_client.post(
        reverse("value:step_create", args=[group_story.pk]),
        {"cycle": "potential", "narrative": "Kept this text", "learning": hidden.pk},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert StoryStep.objects.count() == 0
    assert "Kept this text" in html
    assert "Secret" not in html


def test_story_page_never_shows_a_linked_record_the_viewer_may_not_see(
    owner, group, outsider_client, member_client
):
    story = StoryFactory(author=owner, visibility=Visibility.NETWORK, title="Open story")
    hidden_learning = LearningFactory(
        author=owner, group=group, visibility=Visibility.GROUP, title="Circle-only insight"
    )
    hidden_outcome = OutcomeFactory(
        plan__product__author=owner,
        plan__group=group,
        plan__visibility=Visibility.GROUP,
        title="Circle-only outcome",
    )
    StoryStepFactory(
        story=story,
        cycle="potential",
        narrative="We noticed something.",
        learning=hidden_learning,
        outcome=hidden_outcome,
    )
    outsider_html = outsider_client.get(story.get_absolute_url()).content.decode()
    assert "We noticed something." in outsider_html
    assert "Circle-only insight" not in outsider_html
    assert "Circle-only outcome" not in outsider_html
    member_html = member_client.get(story.get_absolute_url()).content.decode()
    assert "Circle-only insight" in member_html
    assert "Circle-only outcome" in member_html


def test_group_story_hidden_from_outsider_and_anonymous(
    group_story, outsider_client, anon_client, member_client
):
    url = group_story.get_absolute_url()
    assert outsider_client.get(url).status_code == 404
    assert anon_client.get(url).status_code == 404
    assert member_client.get(url).status_code == 200
    assert (
        outsider_client.get(reverse("value:step_create", args=[group_story.pk])).status_code == 404
    )
    assert "Our thread" not in outsider_client.get(reverse("value:stories")).content.decode()


def test_public_story_readable_without_login(owner, anon_client):
    story = StoryFactory(author=owner, visibility=Visibility.PUBLIC, title="Told to all")
    StoryStepFactory(story=story, narrative="<script>x()</script> *warm*")
    html = anon_client.get(story.get_absolute_url()).content.decode()
    assert "Told to all" in html
    assert "<script>x()</script>" not in html
    assert "<em>warm</em>" in html
    assert "Add a step" not in html


def test_member_without_rights_cannot_change_story_or_steps(group_story, member_client):
    step = StoryStepFactory(story=group_story)
    urls = [
        reverse("value:story_edit", args=[group_story.pk]),
        reverse("value:step_create", args=[group_story.pk]),
        reverse("value:step_edit", args=[group_story.pk, step.pk]),
    ]
    for url in urls:
        assert member_client.get(url).status_code == 403
        assert (
            member_client.post(
                url, {"title": "x", "cycle": "applied", "narrative": "x"}
            ).status_code
            == 403
        )
    delete = reverse("value:step_delete", args=[group_story.pk, step.pk])
    assert member_client.post(delete).status_code == 403
    assert StoryStep.objects.filter(pk=step.pk).exists()
    group_story.refresh_from_db()
    assert group_story.title == "Our thread"


def test_anonymous_is_sent_to_log_in(anon_client, group_story):
    step = StoryStepFactory(story=group_story)
    for url in (
        reverse("value:story_create"),
        reverse("value:story_edit", args=[group_story.pk]),
        reverse("value:step_create", args=[group_story.pk]),
        reverse("value:step_edit", args=[group_story.pk, step.pk]),
        reverse("value:matrix"),
        reverse("value:matrix_csv"),
    ):
        response = anon_client.get(url)
        assert response.status_code == 302
        assert "/login" in response["Location"]


def test_step_of_another_story_is_not_found(owner_client, owner, group_story):
    other = StoryStepFactory(story=StoryFactory(author=owner))
    url = reverse("value:step_edit", args=[group_story.pk, other.pk])
    assert owner_client.get(url).status_code == 404


def test_owner_edits_and_removes_a_step(owner_client, group_story, records):
    step = StoryStepFactory(story=group_story, cycle="immediate")
    url = reverse("value:step_edit", args=[group_story.pk, step.pk])
    assert problems(owner_client.get(url).content.decode()) == []
    response = owner_client.post(
        url,
        {"cycle": "applied", "narrative": "Teachers call now.", "outcome": records["outcome"].pk},
    )
    step.refresh_from_db()
    assert response.status_code == 302
    assert (step.cycle, step.outcome) == ("applied", records["outcome"])
    delete = reverse("value:step_delete", args=[group_story.pk, step.pk])
    assert owner_client.post(delete).status_code == 302
    assert not StoryStep.objects.filter(pk=step.pk).exists()


def test_moderator_edit_keeps_a_link_they_cannot_see(owner, group, moderator_client):
    story = StoryFactory(author=owner, group=group, visibility=Visibility.GROUP)
    draft = LearningFactory(author=owner, visibility=Visibility.DRAFT, title="Owner's draft")
    step = StoryStepFactory(story=story, cycle="potential", learning=draft)
    url = reverse("value:step_edit", args=[story.pk, step.pk])
    page = moderator_client.get(url).content.decode()
    assert "Owner&#x27;s draft" not in page and "Owner's draft" not in page
    response = moderator_client.post(url, {"cycle": "potential", "narrative": "Clearer words."})
    step.refresh_from_db()
    assert response.status_code == 302
    assert step.narrative == "Clearer words."
    assert step.learning == draft


def test_story_edit_and_soft_delete(owner_client, member_client, group_story, group):
    response = owner_client.post(
        reverse("value:story_edit", args=[group_story.pk]),
        {"title": "Our sharper thread", "summary": "", "group": group.pk, "visibility": "group"},
    )
    assert response.status_code == 302
    group_story.refresh_from_db()
    assert group_story.title == "Our sharper thread"
    delete = reverse("item_delete", args=["story", group_story.pk])
    assert member_client.post(delete).status_code == 403
    assert owner_client.post(delete).status_code == 302
    assert member_client.get(group_story.get_absolute_url()).status_code == 404


def test_convening_page_lists_the_stories_it_is_part_of(owner_client, owner):
    convening = ConveningFactory(author=owner)
    story = StoryFactory(author=owner, title="Born in a huddle")
    StoryStepFactory(story=story, convening=convening)
    html = owner_client.get(convening.get_absolute_url()).content.decode()
    assert "Born in a huddle" in html


def test_list_filters_by_cycle_and_is_accessible(owner_client, owner):
    applied = StoryFactory(author=owner, title="Reached practice")
    StoryStepFactory(story=applied, cycle="applied")
    StoryFactory(author=owner, title="Only a start")
    response = owner_client.get(reverse("value:stories"), {"cycle": "applied"})
    html = response.content.decode()
    assert "Reached practice" in html
    assert "Only a start" not in html
    assert problems(owner_client.get(reverse("value:stories")).content.decode()) == []
    assert problems(owner_client.get(reverse("value:story_create")).content.decode()) == []


def test_list_query_count_does_not_grow(owner_client, owner, django_assert_max_num_queries):
    for _i in range(20):
        story = StoryFactory(author=PersonFactory())
        StoryStepFactory(story=story, cycle="immediate")
        StoryStepFactory(story=story, cycle="applied")
    with django_assert_max_num_queries(12):
        response = owner_client.get(reverse("value:stories"))
    assert response.status_code == 200
    assert response.content.decode().count("Applied value") >= 20


def test_detail_query_count_does_not_grow(owner_client, owner, django_assert_max_num_queries):
    story = StoryFactory(author=owner)
    for _i in range(10):
        StoryStepFactory(
            story=story,
            cycle="potential",
            convening=ConveningFactory(author=owner),
            learning=LearningFactory(author=owner),
            outcome=OutcomeFactory(plan__product__author=owner),
        )
    with django_assert_max_num_queries(16):
        response = owner_client.get(story.get_absolute_url())
    assert response.status_code == 200
