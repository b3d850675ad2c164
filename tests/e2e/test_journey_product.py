"""Journey 3: a knowledge product is published, shared with an audience, taken into an
adoption plan, and the outcome recorded there becomes a new learning linked to the idea."""

from __future__ import annotations

import pytest

from learnloop.application.models import AdoptionPlan, Outcome
from learnloop.capture.models import KnowledgeProduct
from learnloop.consolidation.models import Evidence
from learnloop.consolidation.services import idea_create
from learnloop.people.models import Role
from learnloop.people.services import person_create
from learnloop.sharing.models import Channel, Share
from tests.e2e.conftest import log_in
from tests.factories import GroupFactory, MembershipFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_product_published_shared_adopted_and_outcome_closes_the_loop(page, browser, live_server):
    group = GroupFactory(name="Family Partnership Team", slug="family-team")
    lena = person_create(
        username="lena",
        email="lena@example.org",
        password="Journey-passphrase-4",
        display_name="Lena Lead",
        site="Westside Elementary",
    )
    MembershipFactory(person=lena, group=group, role=Role.MODERATOR)
    idea = idea_create(
        author=lena,
        title="Home visits before school starts build trust",
        summary="Teachers visit each family in August.",
        group=group,
        visibility="public",
    )
    Channel.objects.create(name="Principals' monthly meeting", kind="meeting")

    log_in(page, "lena", "Journey-passphrase-4")
    page.goto(f"/products/new?idea={idea.pk}")
    page.locator("#id_title").fill("How to run August home visits")
    page.get_by_label("Kind of product").select_option("how_to")
    page.get_by_label("Made for").select_option("staff")
    page.get_by_label("Who exactly").fill("Kindergarten teachers")
    page.get_by_label("What it asks of them").fill("Visit every family once before the first day.")
    page.get_by_label("Time it takes").fill("Two afternoons per teacher")
    page.get_by_label("Who can see it").select_option("public")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/products/*/")
    product = KnowledgeProduct.objects.get(title="How to run August home visits")
    assert product.published_at is not None
    assert list(product.ideas.all()) == [idea]

    # Anyone can read it on the public site, stage shown, without logging in.
    visitor = browser.new_context(base_url=live_server.url).new_page()
    visitor.goto(f"/public/products/{product.pk}/")
    assert "How to run August home visits" in visitor.content()
    assert "Emerging" in visitor.content()
    visitor.context.close()

    # Record a share.
    page.get_by_label("Who did you share it with?").fill("Elementary principals")
    page.get_by_label("Channel").select_option(label="Principals' monthly meeting")
    with page.expect_navigation():
        page.get_by_role("button", name="Record share").click()
    share = Share.objects.get(product=product)
    assert share.audience == "Elementary principals"
    assert "Elementary principals" in page.content()

    # Take it into an adoption plan with one stakeholder.
    page.goto(product.get_absolute_url())
    page.get_by_role("link", name="Start an adoption plan").click()
    page.get_by_label("Name of the plan").fill("Home visits at Westside")
    page.get_by_role("button", name="Start the plan").click()
    page.wait_for_url("**/adoption/*/")
    plan = AdoptionPlan.objects.get(title="Home visits at Westside")
    page.get_by_role("link", name="Add a stakeholder").click()
    page.get_by_label("Or name them").fill("Westside kindergarten teachers")
    page.get_by_label("The action, in their terms").fill("Visit each family in August.")
    page.get_by_label("What blocks them").fill("Summer contracts end in June.")
    page.get_by_label("Where they are now").select_option("trying")
    page.get_by_role("button", name="Add stakeholder").click()
    page.wait_for_url(f"**/adoption/{plan.pk}/#step-*")
    assert "Westside kindergarten teachers" in page.content()

    # The outcome becomes a learning, linked back to the idea.
    page.get_by_role("link", name="Record an outcome").click()
    page.get_by_label("The outcome, in a line").fill("Attendance in week one rose at Westside")
    page.get_by_label("What happened").fill("Families we visited came on day one.")
    with page.expect_navigation():
        page.get_by_role("button", name="Record outcome").click()
    outcome = Outcome.objects.get(plan=plan)
    learning = outcome.learning
    assert learning.title == "Attendance in week one rose at Westside"
    assert Evidence.objects.filter(idea=idea, learning=learning, relation="supports").exists()
    page.goto(idea.get_absolute_url())
    assert "Attendance in week one rose at Westside" in page.content()
    assert page.csp_errors == []
