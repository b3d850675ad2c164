"""Knowledge product pages: creating, editing, who may see them, and what they show."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learnloop.capture.models import KnowledgeProduct
from learnloop.core.models import Attachment, AuditEvent, Revision, Visibility
from tests.factories import (
    ChannelFactory,
    IdeaFactory,
    PlanFactory,
    ProductFactory,
    ShareFactory,
)

pytestmark = pytest.mark.django_db

CREATE = "capture:product_create"


def product_data(**overrides):
    data = {
        "title": "Day-one calls: a how-to",
        "kind": "how_to",
        "summary": "Call every family in week one.",
        "body": "## Steps\n\n1. Get the list\n2. Call",
        "audience": "staff",
        "audience_detail": "ninth-grade advisers",
        "actions": "Call five families this week.",
        "resources_time": "2 hours a week",
        "resources_people": "one adviser",
        "resources_money": "none",
        "visibility": "network",
        "tags": "attendance, Families",
    }
    data.update(overrides)
    return data


def test_member_creates_product_drawing_on_ideas(owner_client, owner, network_idea, group):
    response = owner_client.post(
        reverse(CREATE),
        product_data(ideas=[network_idea.pk], group=group.pk, visibility="group"),
    )
    product = KnowledgeProduct.objects.get()
    assert response.status_code == 302
    assert response["Location"] == product.get_absolute_url()
    assert product.idea_ids == [network_idea.pk]
    assert product.tag_names == ["attendance", "families"]
    assert product.resources_time == "2 hours a week"
    assert product.published_at is not None
    assert Revision.objects.filter(object_id=product.pk).count() == 1


def test_draft_is_not_published_until_it_leaves_draft(owner_client, owner):
    owner_client.post(reverse(CREATE), product_data(visibility="draft"))
    product = KnowledgeProduct.objects.get()
    assert product.published_at is None
    owner_client.post(
        reverse("capture:product_edit", args=[product.pk]), product_data(visibility="public")
    )
    product.refresh_from_db()
    assert product.published_at is not None
    assert AuditEvent.objects.filter(verb="published", object_id=product.pk).exists()
    public_html = owner_client.get(reverse("sharing:public")).content.decode()
    assert "Day-one calls: a how-to" in public_html


def test_media_product_needs_a_link_or_file(owner_client):
    response = owner_client.post(
        reverse(CREATE), product_data(kind="media", body="Transcript that must not be lost")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert KnowledgeProduct.objects.count() == 0
    assert "needs its recording" in html
    assert "Transcript that must not be lost" in html


def test_media_product_with_uploaded_file_attaches_it(owner_client):
    upload = SimpleUploadedFile("pitch.mp3", b"ID3 fake audio", content_type="audio/mpeg")
    response = owner_client.post(reverse(CREATE), product_data(kind="media", media_file=upload))
    product = KnowledgeProduct.objects.get()
    assert response.status_code == 302
    attachment = Attachment.objects.get(object_id=product.pk)
    assert attachment.is_file
    assert attachment.size == len(b"ID3 fake audio")


def test_media_product_with_link(owner_client):
    owner_client.post(
        reverse(CREATE), product_data(kind="media", media_url="https://example.org/pitch.mp4")
    )
    assert KnowledgeProduct.objects.get().media_url == "https://example.org/pitch.mp4"


def test_form_offers_only_ideas_the_viewer_can_see(owner_client, network_idea, hidden_idea):
    html = owner_client.get(reverse(CREATE)).content.decode()
    assert "Call families on day one — Promising" in html
    assert "Reading team secret sauce" not in html


def test_cannot_draw_on_an_idea_one_cannot_see(owner_client, hidden_idea):
    response = owner_client.post(reverse(CREATE), product_data(ideas=[hidden_idea.pk]))
    assert response.status_code == 200
    assert KnowledgeProduct.objects.count() == 0


def test_bad_input_keeps_what_was_typed(owner_client):
    response = owner_client.post(
        reverse(CREATE),
        product_data(title="", actions="", body="A long careful write-up", visibility="group"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "A long careful write-up" in html
    assert "Choose the group that may see this." in html


def test_anonymous_is_sent_to_login_to_create(anon_client):
    response = anon_client.get(reverse(CREATE))
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_group_product_hidden_from_outsider_and_anonymous(
    group_product, outsider_client, anon_client, member_client
):
    url = group_product.get_absolute_url()
    assert outsider_client.get(url).status_code == 404
    assert anon_client.get(url).status_code == 404
    assert member_client.get(url).status_code == 200
    listing = outsider_client.get(reverse("capture:products")).content.decode()
    assert "Group-only guide" not in listing


def test_anonymous_404_on_network_product_200_on_public(
    anon_client, network_product, public_product
):
    assert anon_client.get(network_product.get_absolute_url()).status_code == 404
    assert anon_client.get(public_product.get_absolute_url()).status_code == 200


def test_member_without_rights_gets_403_on_edit(group_product, member_client):
    url = reverse("capture:product_edit", args=[group_product.pk])
    assert member_client.get(url).status_code == 403
    assert member_client.post(url, product_data(title="hijack")).status_code == 403
    group_product.refresh_from_db()
    assert group_product.title == "Group-only guide"


def test_outsider_gets_404_on_edit(group_product, outsider_client):
    url = reverse("capture:product_edit", args=[group_product.pk])
    assert outsider_client.get(url).status_code == 404


def test_moderator_edit_keeps_links_to_ideas_they_cannot_see(
    owner, group, moderator_client, hidden_idea, network_idea
):
    product = ProductFactory(author=owner, group=group, visibility=Visibility.GROUP)
    product.ideas.set([hidden_idea, network_idea])
    response = moderator_client.post(
        reverse("capture:product_edit", args=[product.pk]),
        product_data(group=group.pk, visibility="group", ideas=[]),
    )
    assert response.status_code == 302
    assert product.idea_ids == [hidden_idea.pk]


def test_edit_keeps_revisions(owner_client, owner):
    owner_client.post(reverse(CREATE), product_data(title="First title"))
    product = KnowledgeProduct.objects.get()
    owner_client.post(
        reverse("capture:product_edit", args=[product.pk]), product_data(title="Second title")
    )
    history = owner_client.get(reverse("item_history", args=["product", product.pk]))
    html = history.content.decode()
    assert "First title" in html
    assert "Second title" in html
    assert Revision.objects.filter(object_id=product.pk).count() == 2


def test_soft_delete_through_generic_urls(
    owner_client, member_client, steward_client, group_product
):
    url = reverse("item_delete", args=["product", group_product.pk])
    assert member_client.post(url).status_code == 403
    assert owner_client.post(url).status_code == 302
    assert owner_client.get(group_product.get_absolute_url()).status_code == 404
    restore = reverse("item_restore", args=["product", group_product.pk])
    assert steward_client.post(restore).status_code == 302
    assert owner_client.get(group_product.get_absolute_url()).status_code == 200


def test_detail_shows_ideas_with_stages_and_care_notes(
    member_client, owner, network_idea, emerging_idea, returned_idea, hidden_idea
):
    product = ProductFactory(author=owner)
    product.ideas.set([network_idea, emerging_idea, returned_idea, hidden_idea])
    html = member_client.get(product.get_absolute_url()).content.decode()
    assert 'class="badge stage stage-promising"' in html
    assert 'class="badge stage stage-emerging"' in html
    assert "Handle with care." in html
    assert "Returned idea." in html
    assert "Reading team secret sauce" not in html


def test_detail_without_early_ideas_has_no_care_note(member_client, owner, network_idea):
    product = ProductFactory(author=owner)
    product.ideas.set([network_idea])
    html = member_client.get(product.get_absolute_url()).content.decode()
    assert "Handle with care." not in html


def test_detail_shows_shares_plans_and_start_plan_link(member_client, owner, member):
    product = ProductFactory(author=owner)
    channel = ChannelFactory(name="Principals' bulletin")
    ShareFactory(product=product, channel=channel, audience="All principals", response="Keen")
    PlanFactory(product=product, title="Adopt in North High")
    PlanFactory(product=product, title="Hidden draft plan", visibility=Visibility.DRAFT)
    html = member_client.get(product.get_absolute_url()).content.decode()
    assert "All principals" in html
    assert "Principals&#x27; bulletin" in html
    assert "Keen" in html
    assert "Adopt in North High" in html
    assert "Hidden draft plan" not in html
    assert f"/adoption/new?product={product.pk}" in html
    assert f"/adoption/new?product={product.pk}&amp;share=" in html
    assert "Record a share" in html


def test_anonymous_on_public_product_sees_no_shares(anon_client, public_product):
    ShareFactory(product=public_product, audience="Board of the district")
    html = anon_client.get(public_product.get_absolute_url()).content.decode()
    assert "Board of the district" not in html
    assert "Record a share" not in html


def test_list_filters(owner_client, owner, group):
    ProductFactory(author=owner, kind="story", audience="parent", title="A story for parents")
    ProductFactory(author=owner, kind="report", audience="funder", title="Report for funders")
    ProductFactory(author=owner, group=group, title="Group thing", summary="about buses")
    url = reverse("capture:products")

    def titles(**params):
        return [p.title for p in owner_client.get(url, params).context["page"]]

    assert titles(kind="story") == ["A story for parents"]
    assert titles(audience="funder") == ["Report for funders"]
    assert titles(group=group.pk) == ["Group thing"]
    assert titles(q="buses") == ["Group thing"]


def test_list_by_htmx_returns_rows_only(owner_client, network_product):
    response = owner_client.get(reverse("capture:products"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Network guide" in html
    assert "<html" not in html


def test_list_shows_kind_audience_visibility_and_idea_stages(
    member_client, owner, network_idea, hidden_idea
):
    product = ProductFactory(author=owner, kind="pitch", audience="funder", title="Pitch")
    product.ideas.set([network_idea, hidden_idea])
    html = member_client.get(reverse("capture:products")).content.decode()
    assert "Elevator pitch" in html
    assert "for Funder" in html
    assert "vis-network" in html
    assert "Call families on day one" in html
    assert "stage-promising" in html
    assert "Reading team secret sauce" not in html


def test_list_query_count_does_not_grow(owner_client, owner, django_assert_max_num_queries):
    ideas = IdeaFactory.create_batch(3)
    for product in ProductFactory.create_batch(25, author=owner):
        product.ideas.set(ideas)
        product.tags.set([])
    with django_assert_max_num_queries(10):
        response = owner_client.get(reverse("capture:products"))
    assert response.status_code == 200
    assert len(response.context["page"]) == 25


def test_detail_query_count(member_client, owner, django_assert_max_num_queries):
    product = ProductFactory(author=owner)
    product.ideas.set(IdeaFactory.create_batch(4))
    ShareFactory.create_batch(5, product=product, channel=ChannelFactory())
    PlanFactory.create_batch(3, product=product)
    with django_assert_max_num_queries(20):
        response = member_client.get(product.get_absolute_url())
    assert response.status_code == 200
