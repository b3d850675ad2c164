"""The value matrix: counts per cycle, the reading of where value stops, CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from learnloop.core.models import Visibility
from learnloop.value.selectors import read_flow, value_matrix
from tests.core.a11y import problems
from tests.value.conftest import StoryFactory, StoryStepFactory

pytestmark = pytest.mark.django_db


def _story(author, cycles, **kw):
    story = StoryFactory(author=author, **kw)
    for cycle in cycles:
        StoryStepFactory(story=story, cycle=cycle)
    return story


@pytest.fixture
def stories(owner, group, outsider, other_group):
    for _i in range(4):
        _story(owner, ["immediate", "potential"], group=group)
    _story(owner, ["immediate", "potential", "applied"], group=group)
    story = _story(owner, ["immediate"], group=group)
    StoryStepFactory(story=story, cycle="immediate", indicator="9 of 10 would come again")
    _story(
        outsider,
        ["immediate", "potential", "applied", "realized", "reframing"],
        group=other_group,
        visibility=Visibility.GROUP,
    )


def test_counts_per_cycle_for_a_group(owner, group, stories):
    m = value_matrix(viewer=owner, group=group)
    counts = {c.cycle: (c.stories, c.steps, c.indicators) for c in m.columns}
    assert counts == {
        "immediate": (6, 7, 1),
        "potential": (5, 5, 0),
        "applied": (1, 1, 0),
        "realized": (0, 0, 0),
        "reframing": (0, 0, 0),
    }
    assert m.story_count == 6
    assert m.stop == ("potential", "applied")
    assert m.headline == "Much potential value, little applied."
    assert "5 stories reach potential value, 1 reach applied value" in m.reading


def test_network_matrix_counts_only_what_the_viewer_may_see(owner, outsider, stories):
    assert value_matrix(viewer=owner).columns[3].stories == 0
    assert value_matrix(viewer=outsider).columns[3].stories == 1
    assert value_matrix(viewer=outsider).story_count == 7


def test_reading_rule():
    assert read_flow({})[2] is None
    assert read_flow({"immediate": 4, "potential": 1})[2] == ("immediate", "potential")
    assert read_flow({"immediate": 4, "potential": 2, "applied": 1, "realized": 1})[2] is None
    assert read_flow({"potential": 3, "applied": 3, "realized": 1})[2] == ("applied", "realized")


def test_matrix_page_and_csv(owner_client, group, stories):
    response = owner_client.get(reverse("value:matrix"), {"group": group.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Much potential value, little applied." in html
    assert "fewer than half" in html  # the rule is stated on the page
    assert "<svg" in html and "<title" in html
    assert problems(html) == []
    csv_response = owner_client.get(reverse("value:matrix_csv"), {"group": group.pk})
    body = csv_response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == ["Cycle of value", "Stories", "Steps", "Indicators", "Links"]
    assert rows[1] == ["Immediate value", "6", "7", "1", "0"]
    assert 'filename="value-matrix-attendance-circle.csv"' in csv_response["Content-Disposition"]


def test_unknown_group_is_not_found(owner_client):
    assert owner_client.get(reverse("value:matrix"), {"group": 999999}).status_code == 404


def test_matrix_query_count(owner_client, stories, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        assert owner_client.get(reverse("value:matrix")).status_code == 200
