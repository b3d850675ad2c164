"""Review pages: the form, the side-by-side table on the idea page, who may do what."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learnloop.consolidation import review_services
from learnloop.consolidation.models import Review
from tests.consolidation.test_review_services import adopt_standards, scores_for
from tests.core.a11y import problems
from tests.factories import EvidenceFactory, LearningFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _post_data(version, verdict="meets", **overrides):
    data = {"version": version.pk, "summary": "Holds up well.", "missing": "A rural site."}
    for c in version.criteria.all():
        data[f"score_{c.pk}_verdict"] = verdict
        data[f"score_{c.pk}_justification"] = f"Seen in practice for {c.title}."
    data.update(overrides)
    return data


def test_member_reviews_an_idea(network_idea, owner, member, member_client):
    version = adopt_standards(owner)
    evidence = EvidenceFactory(idea=network_idea, learning=LearningFactory(author=owner))
    url = reverse("reviews:create", args=[network_idea.pk])
    page = member_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Tried in three contexts" in html
    assert evidence.learning.title in html
    assert problems(html) == []
    first = version.criteria.first()
    response = member_client.post(
        url, _post_data(version, **{f"score_{first.pk}_evidence": [evidence.pk]})
    )
    assert response.status_code == 302
    assert response["Location"] == network_idea.get_absolute_url() + "#reviews"
    review = Review.objects.get()
    assert (review.reviewer, review.version, review.missing) == (member, version, "A rural site.")
    assert list(review.scores.get(criterion=first).evidence.all()) == [evidence]


def test_missing_reason_is_shown_by_criterion_and_nothing_typed_is_lost(
    network_idea, owner, member_client
):
    version = adopt_standards(owner)
    second = list(version.criteria.all())[1]
    response = member_client.post(
        reverse("reviews:create", args=[network_idea.pk]),
        _post_data(
            version,
            summary="A long overall view that must survive",
            **{f"score_{second.pk}_justification": ""},
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "“Reaches the families it is meant for”: say briefly why" in html
    assert "A long overall view that must survive" in html
    assert Review.objects.count() == 0


def test_form_refuses_evidence_the_reviewer_cannot_see(
    network_idea, owner, outsider_client, group_learning
):
    version = adopt_standards(owner)
    hidden = EvidenceFactory(idea=network_idea, learning=group_learning)
    first = version.criteria.first()
    url = reverse("reviews:create", args=[network_idea.pk])
    assert "Group-only learning" not in outsider_client.get(url).content.decode()
    response = outsider_client.post(
        url, _post_data(version, **{f"score_{first.pk}_evidence": [hidden.pk]})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Link only evidence listed on this idea." in html
    assert "Group-only learning" not in html
    assert Review.objects.count() == 0


def test_second_visit_edits_ones_review(network_idea, owner, member, member_client):
    version = adopt_standards(owner)
    review_services.review_submit(
        reviewer=member, idea=network_idea, scores=scores_for(version, "partly"), missing="Old"
    )
    url = reverse("reviews:create", args=[network_idea.pk])
    assert "Saving replaces your earlier verdicts" in member_client.get(url).content.decode()
    member_client.post(url, _post_data(version, "meets"))
    review = Review.objects.get()
    assert review.missing == "A rural site."
    assert {s.verdict for s in review.scores.all()} == {"meets"}


def test_without_standards_the_page_says_so(network_idea, member_client):
    html = member_client.get(reverse("reviews:create", args=[network_idea.pk])).content.decode()
    assert "has not adopted any standards yet" in html
    assert 'href="/standards/"' in html
    idea_html = member_client.get(network_idea.get_absolute_url()).content.decode()
    assert "has not adopted standards yet" in idea_html


def test_who_may_open_the_review_form(group_idea, owner, anon_client, outsider_client):
    adopt_standards(owner)
    url = reverse("reviews:create", args=[group_idea.pk])
    anonymous = anon_client.get(url)
    assert anonymous.status_code == 302
    assert reverse("login") in anonymous["Location"]
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(url, {}).status_code == 404


def test_idea_page_shows_verdicts_side_by_side(
    network_idea, owner, member, moderator, member_client
):
    old = adopt_standards(owner, number=1)
    review_services.review_submit(reviewer=owner, idea=network_idea, scores=scores_for(old))
    version = adopt_standards(owner, number=2)
    review_services.review_submit(
        reviewer=member, idea=network_idea, scores=scores_for(version), missing="A rural site"
    )
    review_services.review_submit(
        reviewer=moderator, idea=network_idea, scores=scores_for(version, "not_met")
    )
    html = member_client.get(network_idea.get_absolute_url()).content.decode()
    assert '<table class="stack">' in html
    assert f'data-label="{member.name}"' in html
    assert f'data-label="{moderator.name}"' in html
    assert "1 of 2 says “Meets it”; 1 of 2 says “Does not meet it yet”" in html
    assert "A rural site" in html
    assert "How this was computed" in html
    assert "Reviews against earlier standards" in html
    assert "Version 1, “Standards 1”: 1 review" in html
    assert "Update your review" in html
    assert problems(html) == []


def test_review_button_is_for_members_who_see_it(public_idea, owner, anon_client):
    adopt_standards(owner)
    html = anon_client.get(public_idea.get_absolute_url()).content.decode()
    assert "Reviews against the standards" in html
    assert reverse("reviews:create", args=[public_idea.pk]) not in html


def test_idea_page_queries_do_not_grow_with_reviews(network_idea, owner, member_client):
    version = adopt_standards(owner)
    evidence = EvidenceFactory(idea=network_idea, learning=LearningFactory(author=owner))

    def review_by_new_people(n):
        for _ in range(n):
            review_services.review_submit(
                reviewer=PersonFactory(),
                idea=network_idea,
                scores=scores_for(version, evidence_ids=[evidence.pk]),
                missing="More sites",
            )

    review_by_new_people(2)
    with CaptureQueriesContext(connection) as few:
        member_client.get(network_idea.get_absolute_url())
    review_by_new_people(10)
    with CaptureQueriesContext(connection) as many:
        response = member_client.get(network_idea.get_absolute_url())
    assert response.content.decode().count('<td data-label="Together">') == 3
    assert len(many) == len(few), (len(few), len(many))


def test_review_page_and_its_permissions(
    group_idea,
    owner,
    member,
    moderator,
    member_client,
    moderator_client,
    outsider_client,
    anon_client,
    steward_client,
):
    version = adopt_standards(owner)
    review = review_services.review_submit(
        reviewer=moderator, idea=group_idea, scores=scores_for(version), summary="Holds."
    )
    url = reverse("reviews:review", args=[review.pk])
    delete = reverse("reviews:delete", args=[review.pk])
    page = member_client.get(url)
    assert page.status_code == 200
    assert problems(page.content.decode()) == []
    assert outsider_client.get(url).status_code == 404
    assert anon_client.get(url).status_code == 404
    assert outsider_client.post(delete).status_code == 404
    assert member_client.post(delete).status_code == 403
    assert Review.objects.count() == 1
    assert moderator_client.post(delete).status_code == 302
    assert Review.objects.count() == 0


def test_steward_may_withdraw_any_review(network_idea, owner, member, steward_client):
    version = adopt_standards(owner)
    review = review_services.review_submit(
        reviewer=member, idea=network_idea, scores=scores_for(version)
    )
    assert steward_client.post(reverse("reviews:delete", args=[review.pk])).status_code == 302
    assert Review.objects.count() == 0
