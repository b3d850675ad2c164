"""Idea pages: who may see and change them, and what each page shows and does."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learnloop.consolidation import services
from learnloop.consolidation.models import Endorsement, Evidence, Idea, StageChange
from learnloop.core.models import Revision, Visibility
from tests.factories import (
    EvidenceFactory,
    IdeaFactory,
    LearningFactory,
    PersonFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db

IDEAS = reverse("consolidation:ideas")


# The list ------------------------------------------------------------------------------


def test_list_shows_stage_and_counts(
    owner_client, owner, network_idea, learning_here, learning_there, member
):
    services.evidence_link(viewer=owner, idea=network_idea, learning=learning_here)
    services.evidence_link(viewer=owner, idea=network_idea, learning=learning_there)
    services.evidence_link(
        viewer=owner,
        idea=network_idea,
        learning=LearningFactory(author=owner, site="North High"),
        relation="contradicts",
    )
    services.idea_endorse(person=member, idea=network_idea)
    html = owner_client.get(IDEAS).content.decode()
    assert 'class="badge stage stage-emerging"' in html
    assert "2 support" in html
    assert "1 contradicts" in html
    assert "from 3 contexts" in html  # North High alone, Attendance Circle+North, Reading+South
    assert "1 endorsement" in html


def test_list_filters_by_stage_group_tag_and_text(owner_client, owner, group):
    services.idea_create(
        author=owner, title="Tagged in group", summary="s", group=group, tags="attendance"
    )
    IdeaFactory(author=owner, title="Promising one", stage="promising")
    IdeaFactory(author=owner, title="Mentions mentoring", summary="Peer mentoring helps")

    def titles(**params: str) -> str:
        return owner_client.get(IDEAS, params).content.decode()

    assert "Promising one" in titles(stage="promising")
    assert "Tagged in group" not in titles(stage="promising")
    assert "Tagged in group" in titles(group=str(group.pk))
    assert "Promising one" not in titles(group=str(group.pk))
    assert "Tagged in group" in titles(tag="attendance")
    assert "Mentions mentoring" not in titles(tag="attendance")
    assert "Mentions mentoring" in titles(q="mentoring")
    assert "Promising one" not in titles(q="mentoring")


def test_list_htmx_returns_rows_only(owner_client, network_idea):
    response = owner_client.get(IDEAS, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Greet students by name" in html
    assert "<html" not in html


def test_list_hides_what_the_viewer_may_not_see(
    outsider_client, anon_client, group_idea, network_idea, public_idea
):
    outsider = outsider_client.get(IDEAS).content.decode()
    anon = anon_client.get(IDEAS).content.decode()
    assert "Call families on day one" not in outsider
    assert "Greet students by name" in outsider
    assert "Greet students by name" not in anon
    assert "Open idea for all" in anon


def test_list_counts_only_evidence_the_viewer_may_see(
    outsider_client, owner, network_idea, group_learning
):
    services.evidence_link(viewer=owner, idea=network_idea, learning=group_learning)
    assert "0 support" in outsider_client.get(IDEAS).content.decode()


def test_list_query_count_does_not_grow(owner_client, owner, django_assert_max_num_queries):
    for idea in IdeaFactory.create_batch(25, author=owner):
        EvidenceFactory.create_batch(2, idea=idea, learning__author=owner)
        Endorsement.objects.create(idea=idea, person=owner)
    with django_assert_max_num_queries(10):
        response = owner_client.get(IDEAS)
    assert response.status_code == 200
    assert response.content.decode().count("2 support") == 25


# Create and edit -----------------------------------------------------------------------


def test_member_shares_an_idea(owner_client, owner, group):
    response = owner_client.post(
        reverse("consolidation:idea_create"),
        {
            "title": "Call families",
            "summary": "Calls **work**.",
            "group": group.pk,
            "visibility": "group",
            "tags": "attendance",
        },
    )
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == idea.get_absolute_url()
    assert (idea.stage, idea.tag_names) == ("emerging", ["attendance"])
    assert StageChange.objects.get(idea=idea).from_stage == ""


def test_create_from_a_learning_links_it(member_client, learning_here, group):
    url = reverse("consolidation:idea_create") + f"?from_learning={learning_here.pk}"
    page = member_client.get(url).content.decode()
    assert "Calls worked at North" in page
    response = member_client.post(
        url, {"title": "Calls", "summary": "s", "group": group.pk, "visibility": "network"}
    )
    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert (evidence.learning, evidence.relation) == (learning_here, "supports")
    assert (evidence.context_group, evidence.context_site) == (group, "North High")


def test_create_from_a_learning_one_cannot_see_is_404(outsider_client, group_learning):
    url = reverse("consolidation:idea_create") + f"?from_learning={group_learning.pk}"
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(url, {"title": "x", "summary": "y"}).status_code == 404
    assert not Idea.objects.exists()


def test_bad_input_keeps_what_was_typed(owner_client):
    response = owner_client.post(
        reverse("consolidation:idea_create"),
        {"title": "", "summary": "A long careful summary", "visibility": "group"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "A long careful summary" in html
    assert "Choose the group that may see this." in html
    assert not Idea.objects.exists()


def test_anonymous_is_sent_to_log_in(anon_client):
    response = anon_client.get(reverse("consolidation:idea_create"))
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_member_without_rights_cannot_edit(member_client, group_idea):
    url = reverse("consolidation:idea_edit", args=[group_idea.pk])
    assert member_client.get(url).status_code == 403
    response = member_client.post(url, {"title": "hijack", "summary": "x", "visibility": "network"})
    group_idea.refresh_from_db()
    assert response.status_code == 403
    assert group_idea.title == "Call families on day one"


def test_outsider_gets_404_on_edit(outsider_client, group_idea):
    url = reverse("consolidation:idea_edit", args=[group_idea.pk])
    assert outsider_client.get(url).status_code == 404


def test_edit_keeps_history_and_cannot_touch_the_stage(owner_client, owner, group):
    idea = services.idea_create(author=owner, title="First words", summary="s", group=group)
    url = reverse("consolidation:idea_edit", args=[idea.pk])
    response = owner_client.post(
        url,
        {
            "title": "Better words",
            "summary": "s2",
            "group": group.pk,
            "visibility": "network",
            "stage": "knowledge",
        },
    )
    idea.refresh_from_db()
    history = owner_client.get(reverse("item_history", args=["idea", idea.pk])).content.decode()
    assert response.status_code == 302
    assert (idea.title, idea.stage) == ("Better words", "emerging")
    assert "First words" in history
    assert "Better words" in history
    assert Revision.objects.filter(object_id=idea.pk).count() == 2


def test_moderator_may_edit(moderator_client, group_idea):
    url = reverse("consolidation:idea_edit", args=[group_idea.pk])
    assert moderator_client.get(url).status_code == 200


def test_soft_delete(owner_client, member_client, group_idea):
    url = reverse("item_delete", args=["idea", group_idea.pk])
    assert member_client.post(url).status_code == 403
    assert owner_client.post(url).status_code == 302
    assert owner_client.get(group_idea.get_absolute_url()).status_code == 404


# The idea page -------------------------------------------------------------------------


def test_group_idea_hidden_from_outsider_and_anonymous(
    outsider_client, anon_client, member_client, group_idea
):
    url = group_idea.get_absolute_url()
    assert outsider_client.get(url).status_code == 404
    assert anon_client.get(url).status_code == 404
    assert member_client.get(url).status_code == 200


def test_anonymous_sees_public_idea_not_network_idea(anon_client, public_idea, network_idea):
    assert anon_client.get(public_idea.get_absolute_url()).status_code == 200
    assert anon_client.get(network_idea.get_absolute_url()).status_code == 404


def test_idea_page_shows_ladder_evidence_and_summary(
    member_client, owner, network_idea, learning_here, learning_there
):
    services.evidence_link(
        viewer=owner, idea=network_idea, learning=learning_here, note="Same week, same result"
    )
    services.evidence_link(
        viewer=owner, idea=network_idea, learning=learning_there, relation="contradicts"
    )
    html = member_client.get(network_idea.get_absolute_url()).content.decode()
    assert 'class="current" aria-current="step"' in html
    assert network_idea.stage_help in html
    assert "Calls worked at North" in html
    assert "Same week, same result" in html
    assert "Attendance Circle · North High" in html
    assert "1 learning supports it" in html
    assert "1 contradicts it" in html
    assert "Together they come from 2 distinct contexts" in html
    assert "How we count" in html


def test_idea_page_shows_stage_history_with_snapshot(
    member_client, moderator, owner, network_idea, learning_here
):
    services.evidence_link(viewer=owner, idea=network_idea, learning=learning_here)
    services.idea_change_stage(
        viewer=moderator, idea=network_idea, to_stage="testing", reason="Worth a real try"
    )
    html = member_client.get(network_idea.get_absolute_url()).content.decode()
    assert "Worth a real try" in html
    assert "Mo Moderator" in html
    assert "Evidence at that time: 1 supporting, 0 contradicting, 0 context" in html


def test_snapshot_hides_titles_the_viewer_may_not_see(
    outsider_client, moderator, owner, network_idea, group_learning
):
    services.evidence_link(viewer=owner, idea=network_idea, learning=group_learning)
    services.idea_change_stage(
        viewer=moderator, idea=network_idea, to_stage="testing", reason="Try"
    )
    html = outsider_client.get(network_idea.get_absolute_url()).content.decode()
    assert "Group-only learning" not in html
    assert "a learning you cannot see" in html


def test_history_reads_a_flat_snapshot_too(member_client, moderator, network_idea, learning_here):
    StageChange.objects.create(
        idea=network_idea,
        from_stage="emerging",
        to_stage="testing",
        reason="Imported decision",
        decided_by=moderator,
        evidence_snapshot={
            "supports": 3,
            "contradicts": 1,
            "context": 0,
            "learning_ids": [learning_here.pk],
        },
    )
    html = member_client.get(network_idea.get_absolute_url()).content.decode()
    assert "Evidence at that time: 3 supporting, 1 contradicting, 0 context" in html
    assert "Calls worked at North" in html


def test_returned_reason_is_shown_prominently(member_client, moderator, network_idea):
    services.idea_change_stage(
        viewer=moderator,
        idea=network_idea,
        to_stage="returned",
        reason="Did not hold in May",
        override=True,
    )
    html = member_client.get(network_idea.get_absolute_url()).content.decode()
    assert "Why it was returned" in html
    assert html.index("Why it was returned") < html.index("The idea</h2>")


def test_products_shown_only_when_visible(outsider_client, owner, group, network_idea):
    seen = ProductFactory(author=owner, title="Family call script")
    hidden = ProductFactory(
        author=owner, group=group, visibility=Visibility.GROUP, title="Internal playbook"
    )
    seen.ideas.add(network_idea)
    hidden.ideas.add(network_idea)
    html = outsider_client.get(network_idea.get_absolute_url()).content.decode()
    assert "Family call script" in html
    assert "Internal playbook" not in html


def test_idea_page_query_count(owner_client, owner, network_idea, django_assert_max_num_queries):
    for _ in range(10):
        EvidenceFactory(idea=network_idea, learning=LearningFactory(author=PersonFactory()))
        Endorsement.objects.create(idea=network_idea, person=PersonFactory())
    with django_assert_max_num_queries(25):
        response = owner_client.get(network_idea.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "idea"),
        ("get", "idea_edit"),
        ("get", "idea_stage"),
        ("get", "idea_find"),
        ("post", "evidence_add"),
        ("post", "endorse"),
        ("post", "withdraw"),
    ],
)
def test_outsider_gets_404_everywhere_on_a_group_idea(outsider_client, group_idea, method, name):
    url = reverse(f"consolidation:{name}", args=[group_idea.pk])
    assert getattr(outsider_client, method)(url).status_code == 404


def test_outsider_cannot_remove_evidence_of_a_group_idea(
    outsider_client, owner, group_idea, learning_here
):
    evidence = services.evidence_link(viewer=owner, idea=group_idea, learning=learning_here)
    url = reverse("consolidation:evidence_remove", args=[group_idea.pk, evidence.pk])
    assert outsider_client.post(url).status_code == 404
    assert Evidence.objects.count() == 1


def test_find_without_htmx_goes_to_the_idea_page(member_client, network_idea):
    response = member_client.get(
        reverse("consolidation:idea_find", args=[network_idea.pk]), {"find": "a&b"}
    )
    assert response["Location"] == f"{network_idea.get_absolute_url()}?find=a%26b#link"


# Stage decisions -----------------------------------------------------------------------


def test_stage_page_permissions(member_client, outsider_client, group_idea):
    url = reverse("consolidation:idea_stage", args=[group_idea.pk])
    assert outsider_client.get(url).status_code == 404
    assert member_client.get(url).status_code == 403
    assert member_client.post(url, {"to_stage": "testing", "reason": "x"}).status_code == 403


def test_author_is_offered_only_testing(owner_client, network_idea):
    url = reverse("consolidation:idea_stage", args=[network_idea.pk])
    html = owner_client.get(url).content.decode()
    assert '<option value="testing"' in html
    assert '<option value="knowledge"' not in html
    response = owner_client.post(url, {"to_stage": "knowledge", "reason": "Sure"})
    network_idea.refresh_from_db()
    assert response.status_code == 200
    assert network_idea.stage == "emerging"


def test_moderator_decides_from_the_page(moderator_client, network_idea):
    url = reverse("consolidation:idea_stage", args=[network_idea.pk])
    response = moderator_client.post(
        url, {"to_stage": "knowledge", "reason": "Meets standards", "override": "on"}
    )
    network_idea.refresh_from_db()
    assert response.status_code == 302
    assert network_idea.stage == "knowledge"
    assert network_idea.stage_changes.get(to_stage="knowledge").override


def test_missing_reason_re_renders_the_form(moderator_client, network_idea):
    url = reverse("consolidation:idea_stage", args=[network_idea.pk])
    response = moderator_client.post(url, {"to_stage": "returned", "reason": "", "override": "on"})
    html = response.content.decode()
    network_idea.refresh_from_db()
    assert response.status_code == 200
    assert "Say why it goes back" in html
    assert '<option value="returned" selected>' in html
    assert network_idea.stage == "emerging"


# Evidence ------------------------------------------------------------------------------


def test_link_from_the_learning_page(member_client, member, network_idea, learning_there):
    url = reverse("consolidation:link_learning", args=[learning_there.pk])
    assert "Greet students by name" in member_client.get(url).content.decode()
    response = member_client.post(
        url, {"idea": network_idea.pk, "relation": "contradicts", "note": "Not at South"}
    )
    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert (evidence.idea, evidence.relation, evidence.added_by) == (
        network_idea,
        "contradicts",
        member,
    )
    assert evidence.context_site == "South Middle"


def test_link_page_for_a_learning_one_cannot_see_is_404(outsider_client, group_learning):
    url = reverse("consolidation:link_learning", args=[group_learning.pk])
    assert outsider_client.get(url).status_code == 404


def test_link_page_does_not_offer_ideas_one_cannot_see(
    outsider_client, outsider, group_idea, learning_there
):
    url = reverse("consolidation:link_learning", args=[learning_there.pk])
    assert "Call families on day one" not in outsider_client.get(url).content.decode()
    response = outsider_client.post(url, {"idea": group_idea.pk, "relation": "supports"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Evidence.objects.exists()


def test_find_and_link_from_the_idea_page(member_client, network_idea, learning_there):
    page = member_client.get(network_idea.get_absolute_url(), {"find": "South"}).content.decode()
    fragment = member_client.get(
        reverse("consolidation:idea_find", args=[network_idea.pk]),
        {"find": "South"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "Calls worked at South" in page
    assert "Calls worked at South" in fragment
    assert "<html" not in fragment
    response = member_client.post(
        reverse("consolidation:evidence_add", args=[network_idea.pk]),
        {"learning_id": learning_there.pk, "relation": "supports", "note": ""},
    )
    assert response.status_code == 302
    assert Evidence.objects.get().learning == learning_there


def test_find_does_not_show_hidden_learnings(outsider_client, network_idea, group_learning):
    html = outsider_client.get(
        network_idea.get_absolute_url(), {"find": "Group-only"}
    ).content.decode()
    assert 'href="/learnings/' + str(group_learning.pk) not in html


def test_duplicate_link_is_a_clear_error_not_a_500(
    member_client, owner, network_idea, learning_here
):
    services.evidence_link(viewer=owner, idea=network_idea, learning=learning_here)
    response = member_client.post(
        reverse("consolidation:evidence_add", args=[network_idea.pk]),
        {"learning_id": learning_here.pk, "relation": "supports", "note": "typed note"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This learning is already linked to this idea." in html
    assert "typed note" in html
    assert Evidence.objects.count() == 1


def test_linking_a_hidden_learning_is_404(outsider_client, network_idea, group_learning):
    response = outsider_client.post(
        reverse("consolidation:evidence_add", args=[network_idea.pk]),
        {"learning_id": group_learning.pk, "relation": "supports"},
    )
    assert response.status_code == 404
    assert not Evidence.objects.exists()


def test_outsider_cannot_link_to_a_group_idea(outsider_client, group_idea, learning_there):
    response = outsider_client.post(
        reverse("consolidation:evidence_add", args=[group_idea.pk]),
        {"learning_id": learning_there.pk, "relation": "supports"},
    )
    assert response.status_code == 404


def test_remove_link_permissions(member_client, owner_client, owner, network_idea, learning_here):
    evidence = services.evidence_link(viewer=owner, idea=network_idea, learning=learning_here)
    url = reverse("consolidation:evidence_remove", args=[network_idea.pk, evidence.pk])
    assert member_client.post(url).status_code == 403
    assert owner_client.post(url).status_code == 302
    assert not Evidence.objects.exists()


# Endorsements --------------------------------------------------------------------------


def test_endorse_and_withdraw_with_htmx(member_client, member, network_idea):
    endorse = reverse("consolidation:endorse", args=[network_idea.pk])
    withdraw = reverse("consolidation:withdraw", args=[network_idea.pk])
    html = member_client.post(
        endorse, {"note": "Works in my class"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "Works in my class" in html
    assert "Withdraw my endorsement" in html
    assert "<html" not in html
    assert Endorsement.objects.get().person == member
    html = member_client.post(withdraw, headers={"HX-Request": "true"}).content.decode()
    assert "No one has endorsed it yet." in html
    assert not Endorsement.objects.exists()


def test_endorse_without_htmx_redirects(member_client, network_idea):
    response = member_client.post(reverse("consolidation:endorse", args=[network_idea.pk]))
    assert response.status_code == 302
    assert Endorsement.objects.count() == 1


def test_outsider_cannot_endorse_group_idea(outsider_client, group_idea):
    response = outsider_client.post(reverse("consolidation:endorse", args=[group_idea.pk]))
    assert response.status_code == 404
    assert not Endorsement.objects.exists()


def test_comment_on_an_idea(member_client, group_idea, outsider_client):
    url = reverse("item_comment", args=["idea", group_idea.pk])
    assert member_client.post(url, {"body": "Tried it too"}).status_code == 302
    assert "Tried it too" in member_client.get(group_idea.get_absolute_url()).content.decode()
    assert outsider_client.post(url, {"body": "sneaky"}).status_code == 404


def test_long_evidence_lists_show_the_newest_and_count_all(client, db):
    from learnloop.consolidation.selectors import EVIDENCE_SHOWN
    from tests.factories import EvidenceFactory, IdeaFactory, PersonFactory

    person = PersonFactory()
    idea = IdeaFactory(author=person)
    for _ in range(EVIDENCE_SHOWN + 5):
        EvidenceFactory(idea=idea, learning__author=person, added_by=person)
    client.force_login(person)
    html = client.get(idea.get_absolute_url()).content.decode()
    assert f"Show all {EVIDENCE_SHOWN + 5}" in html
    assert html.count("Remove link") == EVIDENCE_SHOWN
    everything = client.get(idea.get_absolute_url() + "?all=supports").content.decode()
    assert everything.count("Remove link") == EVIDENCE_SHOWN + 5
