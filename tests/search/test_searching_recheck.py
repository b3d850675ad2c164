"""The facade's check of engine answers against the database (`visible_documents`, and the
count of semantic matches): rows are chosen by id and the permission rule is evaluated on
each by the database. It must agree with `core.access.visible_q` for every viewer, with
filters, for a member of no group, and for documents with no author or group."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from learnloop.core import access
from learnloop.search import searching
from learnloop.search.engine import Filters
from learnloop.search.models import SearchDocument
from tests.factories import PersonFactory
from tests.search import test_visibility as visibility
from tests.search.factories_search import isolated_search  # noqa: F401

EXPECTED, viewer_for = visibility.EXPECTED, visibility.viewer_for
cast_docs = visibility.cast_docs  # one document per visibility case (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_search")]


def rule_ids(viewer, filters: Filters) -> set[int]:
    qs = SearchDocument.objects.filter(access.visible_q(viewer), searching.filters_q(filters))
    return set(qs.values_list("pk", flat=True))


FILTERS = [
    Filters(),
    Filters(item_types=("person",)),
    Filters(item_types=("learning",), exclude_ids=()),
    Filters(author_ids=(10**9,)),  # nobody: nothing passes
]


@pytest.mark.parametrize("who", [*EXPECTED, "no_groups"])
@pytest.mark.parametrize("filters", FILTERS)
def test_the_recheck_agrees_with_the_permission_rule(request, who, filters, cast_docs):
    viewer = PersonFactory(username="nogroups") if who == "no_groups" else viewer_for(request, who)
    orphan = SearchDocument.objects.create(  # no author, no group: NULLs in the rule
        item_type="learning", item_id=99_999, title="Orphan", body="", visibility="network"
    )
    every = list(SearchDocument.objects.order_by("-pk").values_list("pk", flat=True))
    every = [*every[1:], orphan.pk, 10**9]  # another order than the table's, and a gone id
    allowed = rule_ids(viewer, filters)
    shown = searching.visible_documents(viewer, every, filters)
    assert [d.pk for d in shown] == [i for i in every if i in allowed]  # order kept
    total, facets = searching._counted(viewer, every, filters)
    assert total == len(allowed)
    assert sum(facets["item_type"].values()) == len(allowed)


def test_an_anonymous_visitor_sees_public_documents_only(cast_docs):
    every = list(SearchDocument.objects.values_list("pk", flat=True))
    shown = searching.visible_documents(AnonymousUser(), every)
    assert {d.pk for d in shown} == {cast_docs["public"]}
