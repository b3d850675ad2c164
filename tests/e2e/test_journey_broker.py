"""Issue 5 journey: a steward names a knowledge broker with an audience they reach; the
broker opens their queue, records a share of a public product to that audience with the
response that came back; the product page shows where it has travelled."""

from __future__ import annotations

import pytest

from learnloop.core.models import Visibility
from learnloop.people.services import person_create
from learnloop.sharing.models import Broker, Share, Sphere
from tests.e2e.conftest import log_in
from tests.factories import ProductFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Journey-passphrase-9"


def test_steward_names_a_broker_who_carries_a_product_to_their_audience(page, browser, live_server):
    person_create(
        username="stella",
        email="stella@example.org",
        password=PASSWORD,
        display_name="Stella Steward",
        is_steward=True,
    )
    bea = person_create(
        username="bea",
        email="bea@example.org",
        password=PASSWORD,
        display_name="Bea Bridge",
        job_role="Teen librarian",
    )
    product = ProductFactory(
        title="Good-news calls in week one",
        visibility=Visibility.PUBLIC,
        summary="Call every family with good news before any problem call.",
    )

    # The steward names Bea, with the first audience she reaches.
    log_in(page, "stella", PASSWORD)
    page.goto("/brokers/")
    page.get_by_role("link", name="Name a broker").click()
    page.wait_for_url("**/brokers/new")
    page.get_by_label("Member").select_option(label="Bea Bridge (Teen librarian)")
    page.get_by_label("Note").fill("Meets the county's librarians every month.")
    page.get_by_label("An audience they reach").fill("County librarians")
    page.get_by_label("Where that audience lies").select_option(Sphere.FIELD)
    with page.expect_navigation():
        page.get_by_role("button", name="Name broker").click()
    assert page.url.endswith("/brokers/bea/")
    broker = Broker.objects.get(person=bea)
    assert [a.name for a in broker.audiences.all()] == ["County librarians"]

    # Bea opens her queue: the public product waits for her audience.
    bea_page = browser.new_context(base_url=live_server.url).new_page()
    bea_page.set_default_timeout(15000)
    log_in(bea_page, "bea", PASSWORD)
    bea_page.goto("/brokers/me/")
    bea_page.wait_for_url("**/brokers/bea/")
    queue = bea_page.locator("#queue")
    assert "Good-news calls in week one" in queue.inner_text()
    with bea_page.expect_navigation():
        queue.get_by_role("link", name="County librarians").click()
    assert bea_page.get_by_label("One of your audiences").input_value() == str(
        broker.audiences.get().pk
    )
    bea_page.get_by_label("Response so far").fill("Three libraries will add it to family night.")
    with bea_page.expect_navigation():
        bea_page.get_by_role("button", name="Record share").click()
    share = Share.objects.get(product=product)
    assert (share.audience, share.sphere, share.shared_by) == (
        "County librarians",
        Sphere.FIELD,
        bea,
    )

    # The product page shows where it has travelled, by sphere, with the response.
    travelled = bea_page.locator("#shares")
    assert travelled.get_by_role("heading", name="The wider field").is_visible()
    assert "County librarians" in travelled.inner_text()
    assert "Three libraries will add it to family night." in travelled.inner_text()

    # And the queue no longer holds it.
    bea_page.goto("/brokers/me/")
    assert "Good-news calls in week one" not in bea_page.locator("#queue").inner_text()
    bea_page.context.close()
    assert page.csp_errors == []  # type: ignore[attr-defined]
