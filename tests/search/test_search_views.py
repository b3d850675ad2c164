"""The search page and the suggestions under the header's search box."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from learnloop.people.models import Organization
from learnloop.search import searching
from tests.core.a11y import problems
from tests.factories import OrganizationFactory
from tests.search.factories_search import (  # noqa: F401
    doc_of,
    idea,
    isolated_search,
    learning,
    product,
    question,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_search")]


@pytest.fixture
def library(owner, member, group):
    org = OrganizationFactory(name="North District", slug="north")
    owner.organization = org
    owner.save()
    return {
        "calls": learning(
            owner,
            "Calling families on day one",
            "Families answered; attendance rose.",
            kind="observation",
        ),
        "public": learning(
            owner,
            "Greeting students at the door",
            "Attendance rose with greetings.",
            visibility="public",
        ),
        "group": learning(
            member, "Home visits", "Families at home; attendance.", visibility="group", group=group
        ),
        "idea": idea(owner, "Personal calls raise attendance", "Calls to families work."),
        "org": org,
    }


def results_of(html: str) -> str:
    """The result list as text (titles carry <mark> tags around matched words)."""
    found = html.split('class="list search-results"', 1)[1].split("</ol>", 1)[0]
    return re.sub(r"</?mark>", "", found)


def test_the_page_before_searching(anon_client):
    response = anon_client.get("/search/")
    html = response.content.decode()
    assert response.status_code == 200
    assert problems(html) == []
    assert "search-results" not in html
    assert 'name="q"' in html


def test_results_with_highlights_badges_and_facets(member_client, library):
    response = member_client.get("/search/", {"q": "attendance calls"})
    html = response.content.decode()
    assert problems(html) == []
    found = html.split('class="list search-results"', 1)[1]
    assert "<mark>attendance</mark>" in found.lower()
    assert 'class="badge stage stage-emerging"' in found
    assert "by Olu Owner" in found
    assert "North District" in html  # a facet and a filter choice
    assert re.search(r'<option value="idea">Idea \(1\)</option>', html)
    assert re.search(r'<option value="learning">Learning \(3\)</option>', html)
    assert 'href="?q=attendance+calls&amp;type=idea"' in html
    assert "4 results" in html


def test_filters_narrow_the_results(member_client, library, group):
    html = member_client.get("/search/", {"q": "attendance", "type": "idea"}).content.decode()
    assert "Personal calls raise attendance" in results_of(html)
    assert "Home visits" not in results_of(html)
    html = member_client.get("/search/", {"q": "attendance", "group": group.pk}).content.decode()
    assert "Home visits" in results_of(html)
    assert "Calling families" not in results_of(html)
    html = member_client.get(
        "/search/", {"q": "attendance", "organization": library["org"].pk, "kind": "observation"}
    ).content.decode()
    assert "Calling" in results_of(html) and "Greeting" not in results_of(html)
    html = member_client.get("/search/", {"q": "attendance", "author": "mia"}).content.decode()
    assert "Home visits" in results_of(html) and "Calling" not in results_of(html)
    html = member_client.get("/search/", {"q": "attendance", "author": "nobody"}).content.decode()
    assert "search-results" not in html
    assert "Nothing matches these words and filters" in html


def test_filters_alone_list_the_newest(member_client, library):
    html = member_client.get("/search/", {"type": "learning"}).content.decode()
    assert "newest first" in html
    assert "3 results" in html


def test_bad_filter_values_are_shown_and_left_out(member_client, library):
    response = member_client.get(
        "/search/", {"q": "attendance", "since": "last tuesday", "page": "two", "group": "x"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid date." in html
    assert "4 results" in html
    html = member_client.get(
        "/search/", {"q": "attendance", "since": "2025-02-01", "until": "2025-01-01"}
    ).content.decode()
    assert "The end date is before the start date." in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("***", "Type a word to search."),
        ('"" () : -', "Type a word to search."),
        ("-attendance", "Add a word to look for, not only words to leave out."),
        ("zzzzqqq", "Nothing matches. Try other words, or fewer of them."),
        ('AND OR NOT NEAR( "unterminated x:y c++', "Nothing matches."),
    ],
)
def test_odd_input_gives_a_clear_message(member_client, library, text, message):
    response = member_client.get("/search/", {"q": text})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_pages(member_client, owner):
    for n in range(25):
        learning(owner, f"Attendance note {n}", "attendance")
    html = member_client.get("/search/", {"q": "attendance"}).content.decode()
    assert "1\u201320 of 25 results" in html
    assert 'href="?q=attendance&amp;page=2" rel="next"' in html
    html = member_client.get("/search/", {"q": "attendance", "page": 2}).content.decode()
    assert "21\u201325 of 25 results" in html
    assert 'rel="prev"' in html
    html = member_client.get("/search/", {"q": "attendance", "page": 9}).content.decode()
    assert "There are no more results" in html


def test_visitors_see_public_items_on_the_public_site(anon_client, library):
    html = anon_client.get("/search/", {"q": "attendance"}).content.decode()
    found = results_of(html)
    assert "Greeting students" in found
    assert f"/public/learnings/{library['public'].pk}/" in found
    assert "Calling families" not in found and "Home visits" not in html
    assert 'name="group"' not in html and 'name="author"' not in html
    assert "North District" not in html


def test_people_are_found_by_members_only(member_client, anon_client, owner):
    owner.bio = "Attendance lead"
    owner.save()
    from learnloop.search.services import document_sync

    document_sync(item=owner)
    html = member_client.get("/search/", {"q": "attendance lead"}).content.decode()
    assert f'href="/people/{owner.username}/"' in results_of(html)
    html = anon_client.get("/search/", {"q": "attendance lead", "type": "person"}).content.decode()
    assert "search-results" not in html


def test_the_page_costs_a_fixed_number_of_queries(
    member_client, owner, group, django_assert_max_num_queries
):
    for n in range(20):
        learning(owner, f"Attendance note {n}", "attendance", visibility="group", group=group)
        idea(owner, f"Attendance idea {n}", "attendance")
    member_client.get("/search/", {"q": "attendance"})  # warm the session
    with django_assert_max_num_queries(13):
        response = member_client.get("/search/", {"q": "attendance", "type": "learning"})
    assert "1\u201320 of 20 results" in response.content.decode()


def test_only_get(member_client):
    assert member_client.post("/search/", {"q": "x"}).status_code == 405


# Suggestions while typing -------------------------------------------------------------------


def test_suggestions_while_typing(member_client, library):
    html = member_client.get("/search/suggest", {"q": "atten"}, HTTP_HX_REQUEST="true")
    text = re.sub(r"</?mark>", "", html.content.decode())
    assert text.count("<li>") <= 6
    assert "Personal calls raise attendance" in text
    assert "Home visits" in text
    assert 'href="/search/?q=atten"' in text
    assert "<h1" not in text  # a fragment


def test_suggestions_for_long_words_typed_halfway(member_client, owner):
    learning(owner, "Zephyrine greetings", "A zephyrine morning.")
    learning(owner, "Organizational habits", "How organization helps.")
    assert (
        "Zephyrine greetings"
        in member_client.get("/search/suggest", {"q": "zephy"}).content.decode()
    )
    assert (
        "Organizational habits"
        in member_client.get("/search/suggest", {"q": "organizat"}).content.decode()
    )


def test_suggestions_respect_visibility(anon_client, library):
    text = anon_client.get("/search/suggest", {"q": "atten"}).content.decode()
    assert "Greeting students at the door" in text
    assert "Home visits" not in text and "Personal calls" not in text


def test_no_suggestions_for_nothing(member_client, library):
    assert member_client.get("/search/suggest", {"q": "  "}).content.decode().strip() == ""
    assert member_client.get("/search/suggest", {"q": "***"}).content.decode().strip() == ""


def test_suggest_costs_a_fixed_number_of_queries(
    member_client, library, django_assert_max_num_queries
):
    member_client.get("/search/suggest", {"q": "atten"})
    with django_assert_max_num_queries(8):
        member_client.get("/search/suggest", {"q": "atten"})


def test_every_page_has_the_search_box(member_client, anon_client):
    for client, path in ((member_client, "/"), (anon_client, "/public/")):
        html = client.get(path).content.decode()
        box = html.split('class="site-search"', 1)[1].split("</form>", 1)[0]
        assert 'action="/search/"' in box
        assert '<label for="site-q"' in box
        assert 'hx-get="/search/suggest"' in box
        assert 'aria-live="polite"' in box


def test_search_facade_for_a_visitor_never_names_groups(library):
    result = searching.search(viewer=AnonymousUser(), text="attendance")
    assert "group_id" not in result.facets and "organization_id" not in result.facets
    assert all(r.group_name == "" and r.organization_name == "" for r in result.results)
    assert Organization.objects.exists()
