"""GET /api/v1/search: results, total, facets, mode and message; odd text gives 200 with a
message, a bad filter 422 with the usual error shape, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import OrganizationFactory
from tests.search.factories_search import doc_of, idea, isolated_search, learning  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_search")]

URL = "/api/v1/search"


@pytest.fixture
def library(owner, member, group):
    org = OrganizationFactory(name="North District", slug="north")
    owner.organization = org
    owner.save()
    return {
        "calls": learning(owner, "Calling families", "Attendance rose.", kind="observation"),
        "public": learning(owner, "Greetings at the door", "Attendance.", visibility="public"),
        "group": learning(
            member, "Home visits", "Attendance at home.", visibility="group", group=group
        ),
        "idea": idea(owner, "Personal calls raise attendance", "Calls work."),
        "org": org,
    }


def test_the_answer_has_results_total_facets_mode_and_message(member_client, library, group):
    body = member_client.get(URL, {"q": "attendance"}).json()
    assert set(body) == {
        "query", "results", "total", "page", "per_page", "pages", "facets", "mode", "engine",
        "message",
    }  # fmt: skip
    assert (body["total"], body["page"], body["pages"], body["message"]) == (4, 1, 1, "")
    assert body["mode"] in ("lexical", "fused")
    hit = next(r for r in body["results"] if r["item_type"] == "idea")
    assert hit["title_html"] == "Personal calls raise <mark>attendance</mark>"
    assert hit["url"] == f"/ideas/{library['idea'].pk}/"
    assert (hit["stage"], hit["stage_label"]) == ("emerging", "Emerging")
    assert hit["author"]["name"] == "Olu Owner"
    assert hit["organization"] == {"id": library["org"].pk, "name": "North District"}
    visits = next(r for r in body["results"] if r["title"] == "Home visits")
    assert visits["group"] == {"id": group.pk, "name": group.name}
    types = {f["value"]: f["count"] for f in body["facets"]["item_type"]}
    assert types == {"learning": 3, "idea": 1}
    assert body["facets"]["group_id"] == [{"value": str(group.pk), "label": group.name, "count": 1}]


def test_filters(member_client, library, group, member):
    def titles(**params):
        body = member_client.get(URL, {"q": "attendance calls", **params}).json()
        return {r["title"] for r in body["results"]}

    assert titles(type=["idea", "learning"], kind="observation") == {"Calling families"}
    assert titles(stage="emerging") == {"Personal calls raise attendance"}
    assert titles(group=group.pk) == {"Home visits"}
    assert titles(organization=library["org"].pk) == {
        "Calling families", "Greetings at the door", "Personal calls raise attendance",
    }  # fmt: skip
    assert titles(author=member.pk) == titles(author="mia") == {"Home visits"}
    assert titles(since="2999-01-01") == set()
    assert len(titles(until="2999-01-01")) == 4


def test_visitors_get_public_items_and_no_people(anon_client, library, owner):
    body = anon_client.get(URL, {"q": "attendance"}).json()
    assert [r["title"] for r in body["results"]] == ["Greetings at the door"]
    assert body["results"][0]["url"] == f"/public/learnings/{library['public'].pk}/"
    assert "group_id" not in body["facets"]
    assert anon_client.get(URL, {"q": owner.name, "type": "person"}).json()["results"] == []


def test_a_token_works(library, owner, token_for):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(owner)}")
    assert client.get(URL, {"q": "attendance"}).json()["total"] == 4
    bad = Client(HTTP_AUTHORIZATION="Bearer nope").get(URL, {"q": "attendance"})
    assert bad.status_code == 401


@pytest.mark.parametrize(
    "text", ["***", '"', "AND OR NOT", "x:y c++ (", "\x00", "-only", "ü" * 5000]
)
def test_odd_text_answers_with_a_message(member_client, library, text):
    response = member_client.get(URL, {"q": text})
    assert response.status_code == 200
    body = response.json()
    assert body["results"] == [] or body["total"] >= len(body["results"])
    assert body["message"] or body["results"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"type": "nope"}, "type.0"),
        ({"stage": "ripe"}, "stage.0"),
        ({"page": 0}, "page"),
        ({"page": 10_000}, "page"),
        ({"per_page": 1000}, "per_page"),
        ({"since": "yesterday"}, "since"),
        ({"since": "2025-02-01", "until": "2025-01-01"}, "until"),
        ({"group": "abc"}, "group.0"),
        ({"mode": "psychic"}, "mode"),
        ({"q": "word " * 3000}, "q"),
    ],
)
def test_bad_filters_give_422_naming_the_field(member_client, params, field):
    response = member_client.get(URL, {"q": "attendance", **params})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The request has invalid fields."
    assert field in [e["field"] for e in body["errors"]]


def test_pages(member_client, owner):
    for n in range(7):
        learning(owner, f"Attendance note {n}", "attendance")
    first = member_client.get(URL, {"q": "attendance", "per_page": 3}).json()
    third = member_client.get(URL, {"q": "attendance", "per_page": 3, "page": 3}).json()
    assert (first["total"], first["pages"], len(first["results"])) == (7, 3, 3)
    assert len(third["results"]) == 1


def test_the_api_costs_a_fixed_number_of_queries(
    member_client, owner, group, django_assert_max_num_queries
):
    for n in range(20):
        learning(owner, f"Attendance note {n}", "attendance", visibility="group", group=group)
    member_client.get(URL, {"q": "attendance"})
    with django_assert_max_num_queries(10):
        body = member_client.get(URL, {"q": "attendance"}).json()
    assert len(body["results"]) == 20
