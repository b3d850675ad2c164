"""Recording shares and their responses, on the page and through the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learnloop.sharing.models import Share
from tests.factories import ShareFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def share_url(product) -> str:
    return reverse("sharing:share_create", args=[product.pk])


def test_any_member_who_sees_the_product_records_a_share(
    member_client, member, group_product, huddle
):
    response = member_client.post(
        share_url(group_product),
        {"audience": "Grade 9 team", "channel": huddle.pk, "note": "Showed the steps"},
    )
    share = Share.objects.get()
    assert response.status_code == 302
    assert response["Location"] == group_product.get_absolute_url() + "#shares"
    assert (share.shared_by, share.channel, share.audience) == (member, huddle, "Grade 9 team")
    assert timezone.now() - share.shared_at < timedelta(minutes=1)
    page = member_client.get(group_product.get_absolute_url()).content.decode()
    assert "Grade 9 team" in page
    assert "Monday huddle" in page


def test_past_date_is_kept(member_client, network_product):
    day = timezone.localdate() - timedelta(days=10)
    member_client.post(share_url(network_product), {"audience": "Board", "shared_at": day})
    assert timezone.localdate(Share.objects.get().shared_at) == day


def test_future_date_is_refused_and_input_kept(member_client, network_product):
    day = timezone.localdate() + timedelta(days=3)
    response = member_client.post(
        share_url(network_product),
        {"audience": "Board", "shared_at": day, "note": "A note worth keeping"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert Share.objects.count() == 0
    assert "cannot be dated in the future" in html
    assert "A note worth keeping" in html


def test_audience_is_required(member_client, network_product):
    response = member_client.post(share_url(network_product), {"audience": "  "})
    assert response.status_code == 200
    assert Share.objects.count() == 0


def test_outsider_gets_404_recording_a_share_of_a_group_product(outsider_client, group_product):
    assert outsider_client.get(share_url(group_product)).status_code == 404
    assert outsider_client.post(share_url(group_product), {"audience": "x"}).status_code == 404
    assert Share.objects.count() == 0


def test_anonymous_cannot_record_a_share(anon_client, public_product):
    response = anon_client.post(share_url(public_product), {"audience": "x"})
    assert response.status_code == 302
    assert Share.objects.count() == 0


def test_warning_when_a_non_public_product_may_go_beyond_the_network(
    member_client, network_product, public_product, newsletter
):
    page = member_client.get(network_product.get_absolute_url()).content.decode()
    assert "This product is not public." in page
    assert "District newsletter (reaches beyond the network)" in page
    public_page = member_client.get(public_product.get_absolute_url()).content.decode()
    assert "This product is not public." not in public_page
    response = member_client.post(
        share_url(network_product), {"audience": "Parents", "channel": newsletter.pk}, follow=True
    )
    assert Share.objects.count() == 1
    assert "outside the network cannot open it" in response.content.decode()


def test_no_warning_without_outside_channels(member_client, network_product, huddle):
    page = member_client.get(network_product.get_absolute_url()).content.decode()
    assert "This product is not public." not in page


def test_sharer_adds_the_response_later(member_client, member, network_product):
    share = ShareFactory(product=network_product, shared_by=member)
    url = reverse("sharing:share_response", args=[share.pk])
    response = member_client.post(url, {"response": "Two principals want to try it"})
    share.refresh_from_db()
    assert response.status_code == 302
    assert share.response == "Two principals want to try it"


def test_response_by_htmx_returns_the_share_fragment(member_client, member, network_product):
    share = ShareFactory(product=network_product, shared_by=member)
    url = reverse("sharing:share_response", args=[share.pk])
    response = member_client.post(url, {"response": "Keen"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert f'id="share-{share.pk}"' in html
    assert "Keen" in html
    assert "<html" not in html


def test_steward_may_record_a_response(steward_client, member, network_product):
    share = ShareFactory(product=network_product, shared_by=member)
    steward_client.post(reverse("sharing:share_response", args=[share.pk]), {"response": "ok"})
    share.refresh_from_db()
    assert share.response == "ok"


def test_other_member_gets_403_on_response(owner_client, member, network_product):
    """Even the product's author: the response belongs to whoever carried it."""
    share = ShareFactory(product=network_product, shared_by=member)
    response = owner_client.post(
        reverse("sharing:share_response", args=[share.pk]), {"response": "hijack"}
    )
    share.refresh_from_db()
    assert response.status_code == 403
    assert share.response == ""


def test_outsider_gets_404_on_response_to_group_product_share(
    outsider_client, member, group_product
):
    share = ShareFactory(product=group_product, shared_by=member)
    url = reverse("sharing:share_response", args=[share.pk])
    assert outsider_client.post(url, {"response": "x"}).status_code == 404


# API -----------------------------------------------------------------------------------


def test_api_records_and_lists_shares(client, member, network_product, newsletter, token_for):
    token = token_for(member)
    created = client.post(
        f"{API}/products/{network_product.pk}/shares",
        {"audience": "Parents' council", "channel_id": newsletter.pk},
        content_type="application/json",
        headers=bearer(token),
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["channel"]["name"] == "District newsletter"
    assert "not public" in body["warning"]
    listed = client.get(f"{API}/products/{network_product.pk}/shares", headers=bearer(token))
    assert [s["audience"] for s in listed.json()["items"]] == ["Parents' council"]


def test_api_future_share_and_unknown_channel_are_field_errors(
    client, member, network_product, token_for
):
    token = token_for(member)
    url = f"{API}/products/{network_product.pk}/shares"
    future = (timezone.now() + timedelta(days=2)).isoformat()
    late = client.post(
        url,
        {"audience": "x", "shared_at": future},
        content_type="application/json",
        headers=bearer(token),
    )
    unknown = client.post(
        url,
        {"audience": "x", "channel_id": 99999},
        content_type="application/json",
        headers=bearer(token),
    )
    assert late.status_code == 422
    assert late.json()["errors"][0]["field"] == "shared_at"
    assert unknown.json()["errors"][0]["field"] == "channel_id"
    assert Share.objects.count() == 0


def test_api_outsider_gets_404_on_group_product_shares(client, outsider, group_product, token_for):
    token = token_for(outsider)
    url = f"{API}/products/{group_product.pk}/shares"
    assert client.get(url, headers=bearer(token)).status_code == 404
    posted = client.post(
        url, {"audience": "x"}, content_type="application/json", headers=bearer(token)
    )
    assert posted.status_code == 404


def test_api_anonymous_cannot_list_shares(client, public_product):
    ShareFactory(product=public_product)
    assert client.get(f"{API}/products/{public_product.pk}/shares").status_code == 401


def test_api_patch_response(client, member, owner, network_product, token_for):
    share = ShareFactory(product=network_product, shared_by=member)
    url = f"{API}/shares/{share.pk}"
    denied = client.patch(
        url, {"response": "x"}, content_type="application/json", headers=bearer(token_for(owner))
    )
    done = client.patch(
        url,
        {"response": "Adopted in two schools"},
        content_type="application/json",
        headers=bearer(token_for(member)),
    )
    assert denied.status_code == 403
    assert done.json()["response"] == "Adopted in two schools"


def test_api_share_list_query_count(
    client, member, network_product, huddle, token_for, django_assert_max_num_queries
):
    ShareFactory.create_batch(20, product=network_product, channel=huddle)
    token = token_for(member)
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}/products/{network_product.pk}/shares", headers=bearer(token))
    assert len(response.json()["items"]) == 20
