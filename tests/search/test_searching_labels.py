"""The labels the search page puts on results and facets: translated once per language,
and in the language active when the page is built."""

from __future__ import annotations

from collections.abc import Iterator
from unittest import mock

import pytest
from django.utils import translation

from learnloop.search import searching
from learnloop.search.engine import Filters
from tests.search.factories_search import idea, isolated_search, learning  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_search")]

FAKE = "x-labels"  # a language no catalog exists for: its labels come from `fake_gettext`


def fake_gettext(message: str) -> str:
    return f"«{message}»" if translation.get_language() == FAKE else message


@pytest.fixture
def translated() -> Iterator[mock.MagicMock]:
    """Every gettext call translates into FAKE when it is active (and counts the calls)."""
    searching._labels.cache_clear()
    real = translation._trans.gettext  # the seam lazy labels go through
    with mock.patch.object(
        translation._trans,
        "gettext",
        side_effect=lambda m: fake_gettext(real(m)),
        create=True,
    ) as spy:
        yield spy
    searching._labels.cache_clear()


def test_labels_follow_the_active_language(translated):
    with translation.override("en"):
        assert searching.kind_label("learning", "observation") == "Observation"
        assert searching.type_label("idea") == "Idea"
        assert searching.stage_label("testing")[0] == "Testing"
    with translation.override(FAKE):
        assert searching.kind_label("learning", "observation") == "«Observation»"
        assert searching.kind_label("", "observation") == "«Observation»"  # a facet value
        assert searching.type_label("idea") == "«Idea»"
        label, help_text = searching.stage_label("testing")
        assert label == "«Testing»"
        assert help_text.startswith("«") and help_text.endswith("»")
    with translation.override("en"):  # switching back gives English again, not the cache
        assert searching.kind_label("learning", "observation") == "Observation"


def test_labels_are_translated_once_per_language_not_per_row(translated):
    with translation.override(FAKE):
        searching.kind_label("learning", "observation")
        calls = translated.call_count
        assert calls > 0
        for _ in range(50):
            searching.kind_label("learning", "observation")
            searching.type_label("learning")
            searching.stage_label("testing")
        assert translated.call_count == calls


def test_unknown_values_keep_their_own_name():
    assert searching.kind_label("learning", "no-such-kind") == "no-such-kind"
    assert searching.kind_label("idea", "") == ""
    assert searching.stage_label("no-such-stage") == ("", "")
    assert searching.type_label("no-such-type") == "no-such-type"


def test_a_search_page_labels_results_and_facets_in_the_active_language(translated, owner, member):
    learning(owner, "Calling families", "Families answered.", kind="observation")
    idea(owner, "Calls to families raise attendance", "Families.", stage="testing")
    with translation.override("en"):
        english = searching.search(viewer=member, text="families", filters=Filters())
    with translation.override(FAKE):
        fake = searching.search(viewer=member, text="families", filters=Filters())
    assert {r.kind_label for r in english.results} >= {"Observation"}
    assert {r.kind_label for r in fake.results} >= {"«Observation»"}
    assert {r.type_label for r in fake.results} == {"«Learning»", "«Idea»"}
    assert {v.label for v in fake.facets["item_type"]} == {"«Learning»", "«Idea»"}
    assert {v.label for v in english.facets["stage"]} == {"Testing"}
    assert {v.label for v in fake.facets["stage"]} == {"«Testing»"}


@pytest.mark.parametrize("item_type", ["learning", "idea", "question", "product"])
@pytest.mark.parametrize("member", [True, False])
def test_result_urls_are_what_reverse_gives(item_type, member):
    """Result URLs are built from a route reversed once; they must equal `reverse` for any
    id, and follow a change of script prefix (a site served under a sub-path)."""
    from django.urls import reverse, set_script_prefix

    name = searching._URLS[item_type][0 if member else 1]
    for item_id in (1, 7, 42, 918273645, 10**9 + 7):
        assert searching.item_url(item_type, item_id, member=member) == reverse(
            name, args=[item_id]
        )
    set_script_prefix("/network/")
    try:
        url = searching.item_url(item_type, 5, member=member)
        assert url.startswith("/network/")
        assert url == reverse(name, args=[5])
    finally:
        set_script_prefix("/")


def test_group_and_organization_names_of_page_and_facets_come_in_one_query_each(
    steward, owner, outsider, group, other_group
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    learning(owner, "Calling families", "Families.", visibility="group", group=group)
    learning(outsider, "Reading with families", "Families.", visibility="group", group=other_group)
    with CaptureQueriesContext(connection) as ctx:
        result = searching.search(viewer=steward, text="families", per_page=1)
    assert len(result.results) == 1  # one group on the page, both in the facet
    labels = {v.value: v.label for v in result.facets["group_id"]}
    assert labels == {str(group.pk): group.name, str(other_group.pk): other_group.name}
    group_queries = [q for q in ctx.captured_queries if 'FROM "people_group"' in q["sql"]]
    assert len(group_queries) == 1
