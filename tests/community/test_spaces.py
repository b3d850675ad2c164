"""Creation spaces: the linked groups' approaches and results side by side, posing a
question to the space, and who sees what (a group-only record of group X is shown to
members of X and stewards, never to the rest of the space or its followers)."""

# The space fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F811

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from learnloop.consolidation.models import Stage
from learnloop.core.models import Visibility
from learnloop.generation.models import Question
from learnloop.measures.models import DataPoint, Measure
from learnloop.people.models import GroupKind
from tests.community.factories_spaces import (  # noqa: F401
    FollowFactory,
    far_group,
    space,
    stranger,
    stranger_client,
)
from tests.core.a11y import problems
from tests.factories import (
    GroupFactory,
    IdeaFactory,
    LearningFactory,
    MembershipFactory,
    PersonFactory,
    TestCycleFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(owner, outsider, group, other_group, steward):
    """Each group's ideas, cycles and learnings: open ones and group-only ones."""
    moved = timezone.now() - timedelta(days=12)
    return {
        "open_idea": IdeaFactory(
            author=owner,
            group=group,
            title="Welcome calls before day one",
            stage=Stage.PROMISING,
            stage_changed_at=moved,
        ),
        "testing_idea": IdeaFactory(
            author=outsider, group=other_group, title="Reading buddies", stage=Stage.TESTING
        ),
        "secret_idea": IdeaFactory(
            author=outsider,
            group=other_group,
            title="Reading team only hunch",
            visibility=Visibility.GROUP,
            stage=Stage.EMERGING,
        ),
        "draft_idea": IdeaFactory(
            author=outsider,
            group=other_group,
            title="Outsider private draft",
            visibility=Visibility.DRAFT,
        ),
        "cycle": TestCycleFactory(
            author=owner, group=group, title="Text families on Sunday", status="running"
        ),
        "secret_cycle": TestCycleFactory(
            author=outsider,
            group=other_group,
            title="Reading team only cycle",
            visibility=Visibility.GROUP,
        ),
        "learning": LearningFactory(author=outsider, group=other_group, title="Buddies read more"),
        "secret_learning": LearningFactory(
            author=outsider,
            group=other_group,
            title="Reading team only learning",
            visibility=Visibility.GROUP,
        ),
    }


# The list of spaces ---------------------------------------------------------------------


def test_space_list_shows_each_space_with_its_groups(owner_client, space, stranger, far_group):
    FollowFactory(person=stranger, group=space)
    GroupFactory(
        name="Old Space", slug="old-space", kind=GroupKind.CLUSTER, archived_at=timezone.now()
    )
    html = owner_client.get(reverse("spaces:list")).content.decode()
    assert "Freshman Success Space" in html
    assert "2 groups" in html
    assert "1 follower" in html
    assert "You take part" in html
    assert "Attendance Circle · Reading Team" in html
    assert "Old Space" not in html
    assert problems(html) == []


def test_space_list_query_count_does_not_grow(
    owner_client, owner, space, django_assert_max_num_queries
):
    url = reverse("spaces:list")
    with django_assert_max_num_queries(12) as before:
        owner_client.get(url)
    for n in range(4):
        more = GroupFactory(name=f"Space {n}", slug=f"space-{n}", kind=GroupKind.CLUSTER)
        for k in range(3):
            linked = GroupFactory(name=f"Linked {n}-{k}", slug=f"linked-{n}-{k}")
            linked.clusters.add(more)
            MembershipFactory(group=linked)
    with django_assert_max_num_queries(len(before.captured_queries)):
        html = owner_client.get(url).content.decode()
    assert html.count("3 groups") == 4


def test_space_list_and_page_need_a_login(anon_client, space):
    for url in (reverse("spaces:list"), reverse("spaces:space", args=[space.slug])):
        response = anon_client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_group_that_is_not_a_space_has_no_space_page(owner_client, group, space):
    assert owner_client.get(reverse("spaces:space", args=[group.slug])).status_code == 404
    assert owner_client.get(reverse("spaces:space", args=["no-such-space"])).status_code == 404


# Side by side ---------------------------------------------------------------------------


def test_space_page_puts_each_groups_work_side_by_side(owner_client, space, work):
    html = owner_client.get(reverse("spaces:space", args=[space.slug])).content.decode()
    attendance = html.index('id="group-attendance-circle"')
    reading = html.index('id="group-reading-team"')
    assert attendance < html.index("Welcome calls before day one") < reading
    assert reading < html.index("Reading buddies")
    assert "Promising 1" in html
    assert "Testing 1" in html
    assert "Text families on Sunday" in html
    assert "Running" in html
    assert "Buddies read more" in html
    assert problems(html) == []


def test_group_only_work_is_shown_to_that_group_only(
    space, work, owner_client, outsider_client, steward_client, stranger_client
):
    secret = ("Reading team only hunch", "Reading team only cycle", "Reading team only learning")
    url = reverse("spaces:space", args=[space.slug])
    in_other_group = outsider_client.get(url).content.decode()
    for title in secret:
        assert title in in_other_group
    assert "Outsider private draft" in in_other_group
    for client in (owner_client, stranger_client):
        html = client.get(url).content.decode()
        for title in (*secret, "Outsider private draft"):
            assert title not in html
        # Not counted either: the reading team shows one idea, not three.
        assert "1 idea, by stage" in html
    steward_html = steward_client.get(url).content.decode()
    assert "Reading team only hunch" in steward_html
    assert "Outsider private draft" not in steward_html


def test_compare_narrows_to_the_chosen_groups(owner_client, space, work):
    url = reverse("spaces:space", args=[space.slug]) + "?group=reading-team"
    html = owner_client.get(url).content.decode()
    assert 'id="group-reading-team"' in html
    assert 'id="group-attendance-circle"' not in html
    assert "Show every group" in html


def test_space_shows_shared_measures_line_by_group(owner_client, owner, space, group, other_group):
    measure = Measure.objects.create(
        name="Ninth-grade attendance", slug="attendance", unit="%", created_by=owner
    )
    for i, (a, b) in enumerate([(88, 80), (90, 82), (91, 85)]):
        period = date(2025, 1 + i, 1)
        DataPoint.objects.create(
            measure=measure, period=period, value=Decimal(a), group=group, reported_by=owner
        )
        DataPoint.objects.create(
            measure=measure,
            period=period,
            value=Decimal(b),
            group=other_group,
            site="North",
            reported_by=owner,
        )
        DataPoint.objects.create(
            measure=measure,
            period=period,
            value=Decimal(b + 4),
            group=other_group,
            site="South",
            reported_by=owner,
        )
    html = owner_client.get(reverse("spaces:space", args=[space.slug])).content.decode()
    assert "Shared measures, group by group" in html
    assert "One line for each of 2 groups." in html
    # The reading team's two sites combine (mean) into one line: 87 in March.
    assert '<th scope="row">2025-03</th><td>91</td><td>87</td>' in html
    assert "91 in 2025-03 %" in html
    assert problems(html) == []


def test_space_page_query_count_does_not_grow(
    owner_client, owner, space, work, django_assert_max_num_queries
):
    url = reverse("spaces:space", args=[space.slug])
    owner_client.get(url)
    with django_assert_max_num_queries(30) as before:
        owner_client.get(url)
    for n in range(3):
        extra = GroupFactory(name=f"Extra {n}", slug=f"extra-{n}")
        extra.clusters.add(space)
        for _ in range(4):
            IdeaFactory(author=owner, group=extra)
            TestCycleFactory(author=owner, group=extra)
            LearningFactory(author=owner, group=extra)
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = owner_client.get(url)
    assert response.content.decode().count('class="card space-col"') == 5


# Posing a question ----------------------------------------------------------------------


def test_member_poses_a_question_to_the_space(
    owner_client, owner, space, outsider_client, stranger_client
):
    response = owner_client.post(
        reverse("spaces:ask", args=[space.slug]),
        {
            "title": "How do you get families to answer?",
            "body": "Calls go to voicemail.",
            "tags": "family engagement",
            "audience": "space",
        },
    )
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url() + "#suggest"
    assert (question.group, question.visibility, question.author) == (space, "group", owner)
    assert outsider_client.get(question.get_absolute_url()).status_code == 200
    assert stranger_client.get(question.get_absolute_url()).status_code == 404
    space_html = owner_client.get(reverse("spaces:space", args=[space.slug])).content.decode()
    assert "How do you get families to answer?" in space_html
    assert "No answer yet" in space_html


def test_member_poses_a_question_to_the_whole_network(owner_client, space, stranger_client):
    owner_client.post(
        reverse("spaces:ask", args=[space.slug]),
        {"title": "Who has tried Saturday school?", "audience": "network"},
    )
    question = Question.objects.get()
    assert (question.group, question.visibility) == (None, "network")
    assert stranger_client.get(question.get_absolute_url()).status_code == 200


def test_someone_outside_the_space_cannot_pose_to_it(stranger_client, space):
    html = stranger_client.get(reverse("spaces:space", args=[space.slug])).content.decode()
    assert "Pose a question" not in html
    response = stranger_client.post(
        reverse("spaces:ask", args=[space.slug]), {"title": "Let me in?", "audience": "space"}
    )
    assert response.status_code == 200
    assert "You can only post to groups you belong to." in response.content.decode()
    assert "Let me in?" in response.content.decode()
    assert not Question.objects.exists()


def test_an_empty_question_gets_a_form_error(owner_client, space):
    response = owner_client.post(reverse("spaces:ask", args=[space.slug]), {"title": ""})
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert problems(response.content.decode()) == []


# API ---------------------------------------------------------------------------------------


def test_api_lists_spaces_and_gives_the_side_by_side_data(
    client, owner, outsider, space, work, token_for
):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(owner)}"}
    spaces = client.get("/api/v1/spaces", **auth).json()
    assert [s["slug"] for s in spaces] == ["freshman-success"]
    assert spaces[0]["is_mine"] is True
    assert [g["slug"] for g in spaces[0]["groups"]] == ["attendance-circle", "reading-team"]
    detail = client.get(f"/api/v1/spaces/{space.slug}", **auth).json()
    columns = {c["group"]["slug"]: c for c in detail["columns"]}
    reading = columns["reading-team"]
    titles = [i["title"] for s in reading["stages"] for i in s["ideas"]]
    assert titles == ["Reading buddies"]
    assert reading["idea_count"] == 1
    assert [c["title"] for c in columns["attendance-circle"]["test_cycles"]] == [
        "Text families on Sunday"
    ]
    assert [x["title"] for x in reading["learnings"]] == ["Buddies read more"]
    outsider_view = client.get(
        f"/api/v1/spaces/{space.slug}", HTTP_AUTHORIZATION=f"Bearer {token_for(outsider)}"
    ).json()
    columns = {c["group"]["slug"]: c for c in outsider_view["columns"]}
    assert columns["reading-team"]["idea_count"] == 3


def test_api_spaces_need_a_member(client, space, group):
    assert client.get("/api/v1/spaces").status_code == 401
    assert client.get(f"/api/v1/spaces/{space.slug}").status_code == 401


def test_api_space_is_404_for_a_group_that_is_not_a_space(client, owner, group, token_for):
    response = client.get(
        f"/api/v1/spaces/{group.slug}", HTTP_AUTHORIZATION=f"Bearer {token_for(owner)}"
    )
    assert response.status_code == 404


def test_membership_of_a_linked_group_makes_you_part_of_the_space(space, db):
    person = PersonFactory()
    late = GroupFactory(name="Late group", slug="late-group")
    MembershipFactory(person=person, group=late)
    from learnloop.core import access

    assert not access.is_group_member(person, space.pk)
    late.clusters.add(space)
    access.forget_memberships(person)
    assert access.is_group_member(person, space.pk)
