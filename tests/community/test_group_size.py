"""Size advice for impact groups: said plainly outside 5 to 15 people, never a rule."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from learnloop.community.groups import LARGE, SMALL, adding_advice, group_size_advice
from learnloop.people.models import GroupKind, Role
from learnloop.people.services import membership_set
from tests.core.a11y import problems
from tests.factories import GroupFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _with_members(n: int, kind: str = GroupKind.IMPACT):
    group = GroupFactory(kind=kind)
    for _ in range(n):
        MembershipFactory(group=group)
    return group


@pytest.mark.parametrize(
    ("n", "level"), [(0, SMALL), (4, SMALL), (5, None), (15, None), (16, LARGE), (21, LARGE)]
)
def test_advice_only_outside_five_to_fifteen(n, level):
    advice = group_size_advice(_with_members(n))
    assert (advice.level if advice else None) == level


def test_large_group_is_told_it_could_split_in_two():
    advice = group_size_advice(_with_members(18))
    assert advice.count == 18
    assert "split into two groups of about 9" in advice.message


def test_small_group_is_told_to_invite_more_voices():
    advice = group_size_advice(_with_members(3))
    assert "This one has 3" in advice.message
    assert "more voices" in advice.message


@pytest.mark.parametrize("kind", [GroupKind.TEAM, GroupKind.CLUSTER])
def test_teams_and_clusters_get_no_advice(kind):
    assert group_size_advice(_with_members(2, kind)) is None
    assert group_size_advice(_with_members(30, kind)) is None
    assert adding_advice(_with_members(15, kind)) == ""


def test_advice_uses_the_annotated_count_without_a_query(django_assert_num_queries):
    group = _with_members(2)
    group.member_count = 20
    with django_assert_num_queries(0):
        advice = group_size_advice(group)
    assert advice.level == LARGE


def test_adding_advice_at_the_edges():
    assert "makes 16 people" in adding_advice(_with_members(15))
    assert adding_advice(_with_members(10)) == ""
    assert "2 more would bring" in adding_advice(_with_members(3))


def test_group_page_says_so_and_never_blocks(moderator_client, moderator, group):
    # The group has one member (the moderator): small, said plainly on the page.
    url = reverse("people:group", args=[group.slug])
    html = moderator_client.get(url).content.decode()
    assert "Small for an impact group" in html
    assert "This one has 1" in html
    assert "4 more would bring the group" in html  # by the "add a member" form
    assert problems(html) == []
    # Adding people past fifteen is never refused.
    for _ in range(15):
        membership_set(viewer=moderator, person=PersonFactory(), group=group, role=Role.MEMBER)
    newcomer = PersonFactory(username="newcomer")
    response = moderator_client.post(
        reverse("people:group_member_add", args=[group.slug]),
        {"person": newcomer.pk, "role": "member"},
    )
    assert response.status_code == 302
    assert group.memberships.count() == 17
    html = moderator_client.get(url).content.decode()
    assert "Large enough to split in two" in html
    assert "This one has 17" in html
    assert "Adding someone makes 18 people" in html


def test_in_range_group_page_has_no_advice(member_client, group):
    for _ in range(7):
        MembershipFactory(group=group)
    html = member_client.get(reverse("people:group", args=[group.slug])).content.decode()
    assert "work best with" not in html
    assert "size-advice" not in html


def test_compact_badge_for_lists():
    from learnloop.people.selectors import group_list

    big = _with_members(16)
    person = PersonFactory()
    MembershipFactory(person=person, group=big)
    listed = next(g for g in group_list(viewer=person) if g.pk == big.pk)
    request = RequestFactory().get("/")
    request.user = person
    html = Template('{% include "community/_size_advice.html" with group=g compact=True %}').render(
        Context({"g": listed, "request": request})
    )
    assert 'class="badge size-advice size-large"' in html
    assert "Large enough to split in two" in html
