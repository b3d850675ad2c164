"""Knowledge brokers: naming them, their audiences, their queues, recording shares through
them, where a product has travelled, the notification hook, and the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from learnloop.application.forms import PlanForm
from learnloop.consolidation.models import Stage
from learnloop.core.models import AuditEvent, Visibility
from learnloop.notifications.models import Notification, NotificationKind
from learnloop.sharing import broker_selectors, broker_services
from learnloop.sharing.models import Broker, BrokerAudience, Share, Sphere
from learnloop.sharing.services import share_create
from tests.core.a11y import problems
from tests.factories import (
    IdeaFactory,
    MembershipFactory,
    PersonFactory,
    PlanFactory,
    ProductFactory,
    ShareFactory,
)
from tests.sharing.factories_brokers import AudienceFactory, BrokerFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def ready(product, stage=Stage.KNOWLEDGE, **kwargs):
    """Link the product to an idea at `stage` (network-visible unless said otherwise)."""
    idea = IdeaFactory(stage=stage, **kwargs)
    product.ideas.add(idea)
    return idea


@pytest.fixture
def broker(member):
    """The member is a broker reaching one team in the network and one partner."""
    broker = BrokerFactory(person=member)
    AudienceFactory(broker=broker, name="Reading Team", sphere=Sphere.GROUPS)
    AudienceFactory(broker=broker, name="Open Door staff", sphere=Sphere.PARTNERS)
    return broker


@pytest.fixture
def other_broker(outsider):
    broker = BrokerFactory(person=outsider)
    AudienceFactory(broker=broker, name="State family networks", sphere=Sphere.FIELD)
    return broker


def broker_url(person, name="brokers:broker", *args) -> str:
    return reverse(name, args=[person.username, *args])


# Naming and retiring brokers -----------------------------------------------------------------


def test_steward_names_a_broker_with_a_first_audience(steward_client, steward, member):
    response = steward_client.post(
        reverse("brokers:create"),
        {
            "person": member.pk,
            "note": "Sits in the *district* principals' meeting.",
            "audience_name": "District principals",
            "audience_sphere": Sphere.GROUPS,
        },
    )
    broker = Broker.objects.get()
    assert response.status_code == 302
    assert response["Location"] == broker_url(member)
    assert (broker.person, broker.named_by, broker.retired_at) == (member, steward, None)
    assert [(a.name, a.sphere) for a in broker.audiences.all()] == [
        ("District principals", Sphere.GROUPS)
    ]
    assert AuditEvent.objects.filter(verb="named a broker", actor=steward).exists()


def test_naming_page_is_accessible_and_offers_only_people_who_are_not_brokers(
    steward_client, broker, owner
):
    response = steward_client.get(reverse("brokers:create"))
    html = response.content.decode()
    assert problems(html) == []
    assert response.context["form"].fields["person"].queryset.filter(pk=owner.pk).exists()
    assert (
        not response.context["form"].fields["person"].queryset.filter(pk=broker.person_id).exists()
    )


def test_members_cannot_name_brokers(member_client, owner):
    assert member_client.get(reverse("brokers:create")).status_code == 403
    response = member_client.post(reverse("brokers:create"), {"person": owner.pk})
    assert response.status_code == 403
    assert Broker.objects.count() == 0


def test_anonymous_is_sent_to_log_in(anon_client, broker):
    for url in (reverse("brokers:list"), reverse("brokers:me"), broker_url(broker.person)):
        response = anon_client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_naming_someone_who_is_a_broker_already_is_a_form_error(steward, broker):
    with pytest.raises(ValidationError) as info:
        broker_services.broker_name(viewer=steward, person=broker.person)
    assert "broker already" in str(info.value.message_dict["person"])


def test_steward_retires_a_broker_and_names_them_again(steward_client, member_client, broker):
    response = steward_client.post(broker_url(broker.person, "brokers:retire"))
    broker.refresh_from_db()
    assert response.status_code == 302
    assert broker.retired_at is not None
    # Members no longer find the retired broker; stewards still do, to name them again.
    assert member_client.get(broker_url(broker.person)).status_code == 404
    assert steward_client.get(broker_url(broker.person)).status_code == 200
    listed = steward_client.get(reverse("brokers:list") + "?retired=1")
    assert list(listed.context["brokers"]) == [broker]
    steward_client.post(broker_url(broker.person, "brokers:name_again"))
    broker.refresh_from_db()
    assert broker.retired_at is None
    assert broker.audiences.filter(retired_at__isnull=True).count() == 2


def test_members_cannot_retire_or_edit_a_broker(member_client, broker):
    assert member_client.post(broker_url(broker.person, "brokers:retire")).status_code == 403
    edit = member_client.post(broker_url(broker.person, "brokers:edit"), {"note": "mine now"})
    broker.refresh_from_db()
    assert edit.status_code == 403
    assert broker.retired_at is None
    assert broker.note != "mine now"


def test_steward_edits_the_note(steward_client, broker):
    steward_client.post(broker_url(broker.person, "brokers:edit"), {"note": "Now also the board"})
    broker.refresh_from_db()
    assert broker.note == "Now also the board"


def test_broker_list_shows_brokers_audiences_and_figures(member_client, owner, broker):
    product = ProductFactory(author=owner, visibility=Visibility.NETWORK)
    ShareFactory(
        product=product,
        shared_by=broker.person,
        audience="Reading Team",
        sphere=Sphere.GROUPS,
        response="They will try it",
    )
    response = member_client.get(reverse("brokers:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert problems(html) == []
    assert "Mia Member" in html
    assert "Open Door staff" in html
    assert "1 audience reached" in html
    assert "1 response" in html
    assert "Your queue" in html  # the member is the broker


def test_retired_list_is_for_stewards_only(member_client, broker):
    broker.retired_at = timezone.now()
    broker.save()
    response = member_client.get(reverse("brokers:list") + "?retired=1")
    assert response.context["brokers"] == []
    assert response.context["retired"] is False


def test_me_leads_a_broker_to_their_queue_and_others_to_the_list(
    member_client, owner_client, broker
):
    assert member_client.get(reverse("brokers:me"))["Location"] == broker_url(broker.person)
    response = owner_client.get(reverse("brokers:me"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("brokers:list")
    assert "You are not a knowledge broker" in response.content.decode()


def test_unknown_broker_is_404(member_client, owner):
    assert member_client.get(broker_url(owner)).status_code == 404
    assert member_client.get(reverse("brokers:broker", args=["nobody"])).status_code == 404


# Audiences ---------------------------------------------------------------------------------


def test_broker_adds_edits_and_retires_their_own_audience(member_client, broker):
    added = member_client.post(
        broker_url(broker.person, "brokers:audience_create"),
        {"name": "State attendance network", "sphere": Sphere.FIELD, "description": "Quarterly"},
    )
    audience = BrokerAudience.objects.get(name="State attendance network")
    assert added.status_code == 302
    assert audience.sphere == Sphere.FIELD
    member_client.post(
        broker_url(broker.person, "brokers:audience_edit", audience.pk),
        {"name": "State attendance networks", "sphere": Sphere.FIELD},
    )
    audience.refresh_from_db()
    assert audience.name == "State attendance networks"
    member_client.post(broker_url(broker.person, "brokers:audience_retire", audience.pk))
    audience.refresh_from_db()
    assert audience.retired_at is not None
    member_client.post(broker_url(broker.person, "brokers:audience_restore", audience.pk))
    audience.refresh_from_db()
    assert audience.retired_at is None


def test_a_broker_cannot_edit_another_brokers_audiences(member_client, broker, other_broker):
    theirs = other_broker.audiences.get()
    create = member_client.post(
        broker_url(other_broker.person, "brokers:audience_create"), {"name": "x", "sphere": "field"}
    )
    edit = member_client.post(
        broker_url(other_broker.person, "brokers:audience_edit", theirs.pk),
        {"name": "hijacked", "sphere": "field"},
    )
    retire = member_client.post(
        broker_url(other_broker.person, "brokers:audience_retire", theirs.pk)
    )
    # Reaching their audience through one's own broker page is a 404, not a way in.
    sideways = member_client.post(
        broker_url(broker.person, "brokers:audience_edit", theirs.pk),
        {"name": "hijacked", "sphere": "field"},
    )
    theirs.refresh_from_db()
    assert (create.status_code, edit.status_code, retire.status_code) == (403, 403, 403)
    assert sideways.status_code == 404
    assert (theirs.name, theirs.retired_at) == ("State family networks", None)
    assert other_broker.audiences.count() == 1


def test_members_who_are_not_brokers_cannot_add_audiences(owner_client, broker):
    response = owner_client.post(
        broker_url(broker.person, "brokers:audience_create"), {"name": "x", "sphere": "groups"}
    )
    assert response.status_code == 403
    assert broker.audiences.count() == 2


def test_steward_may_edit_any_brokers_audiences(steward_client, broker):
    audience = broker.audiences.get(name="Reading Team")
    steward_client.post(
        broker_url(broker.person, "brokers:audience_edit", audience.pk),
        {"name": "Reading Team", "sphere": Sphere.GROUPS, "description": "Via their coach"},
    )
    audience.refresh_from_db()
    assert audience.description == "Via their coach"


def test_duplicate_audience_name_is_a_form_error(member_client, broker):
    response = member_client.post(
        broker_url(broker.person, "brokers:audience_create"),
        {"name": "reading team", "sphere": Sphere.GROUPS},
    )
    assert response.status_code == 200
    assert "reaches an audience with this name already" in response.content.decode()
    assert broker.audiences.count() == 2


def test_retired_broker_cannot_edit_their_audiences(member, broker):
    broker.retired_at = timezone.now()
    broker.save()
    with pytest.raises(PermissionDenied):
        broker_services.audience_create(viewer=member, broker=broker, name="New")
    assert broker.audiences.count() == 2


# The queue ---------------------------------------------------------------------------------


def test_queue_holds_mature_or_public_products_not_yet_carried_everywhere(
    member, owner, broker, group
):
    knowledge = ProductFactory(author=owner, title="Knowledge guide")
    ready(knowledge, Stage.KNOWLEDGE)
    promising = ProductFactory(author=owner, title="Promising guide")
    ready(promising, Stage.PROMISING)
    emerging = ProductFactory(author=owner, title="Emerging guide")
    ready(emerging, Stage.EMERGING)
    ProductFactory(author=owner, title="Public guide", visibility=Visibility.PUBLIC)
    draft = ProductFactory(
        author=member, title="My draft", visibility=Visibility.DRAFT, published_at=None
    )
    ready(draft)
    deleted = ProductFactory(author=owner, title="Deleted", deleted_at=timezone.now())
    ready(deleted)
    carried = ProductFactory(author=owner, title="Carried everywhere")
    ready(carried)
    for audience in broker.audiences.all():
        ShareFactory(product=carried, broker_audience=audience, audience=audience.name)
    queue = broker_selectors.broker_queue(viewer=member, broker=broker)
    assert {p.title for p in queue} == {"Knowledge guide", "Promising guide", "Public guide"}


def test_queue_order_is_most_mature_then_least_travelled(member, owner, broker):
    travelled = ProductFactory(author=owner, title="Knowledge, shared twice")
    ready(travelled, Stage.KNOWLEDGE)
    ShareFactory.create_batch(2, product=travelled)
    fresh = ProductFactory(author=owner, title="Knowledge, never shared")
    ready(fresh, Stage.KNOWLEDGE)
    scaling = ProductFactory(author=owner, title="Scaling")
    ready(scaling, Stage.SCALING)
    ready(scaling, Stage.EMERGING)
    public = ProductFactory(author=owner, title="Public only", visibility=Visibility.PUBLIC)
    queue = list(broker_selectors.broker_queue(viewer=member, broker=broker))
    assert [p.title for p in queue] == [
        "Scaling",
        "Knowledge, never shared",
        "Knowledge, shared twice",
        "Public only",
    ]
    assert public.pk == queue[-1].pk


def test_queue_lists_the_audiences_each_product_has_not_reached(member_client, owner, broker):
    product = ProductFactory(author=owner, title="Half carried")
    ready(product)
    reading = broker.audiences.get(name="Reading Team")
    ShareFactory(product=product, broker_audience=reading, audience=reading.name)
    response = member_client.get(broker_url(broker.person))
    html = response.content.decode()
    (row,) = response.context["page"].object_list
    assert [a.name for a in row.missing] == ["Open Door staff"]
    assert row.top_stage == Stage.KNOWLEDGE
    assert problems(html) == []
    partner = broker.audiences.get(name="Open Door staff")
    assert f"?audience={partner.pk}" in html


def test_a_broker_with_no_audiences_sees_what_they_have_not_carried(owner, member):
    broker = BrokerFactory(person=member)
    mine = ProductFactory(author=owner, title="Already carried by me")
    ready(mine)
    ShareFactory(product=mine, shared_by=member)
    other = ProductFactory(author=owner, title="Not carried yet")
    ready(other)
    queue = broker_selectors.broker_queue(viewer=member, broker=broker)
    assert [p.title for p in queue] == ["Not carried yet"]


def test_group_products_stay_out_of_queues_of_people_outside_the_group(
    owner, member, outsider, broker, other_broker, group
):
    secret = ProductFactory(
        author=owner, group=group, visibility=Visibility.GROUP, title="Group secret"
    )
    ready(secret, Stage.KNOWLEDGE, visibility=Visibility.NETWORK)
    # The broker is in the group and sees it; the outsider broker does not.
    assert [p.title for p in broker_selectors.broker_queue(viewer=member, broker=broker)] == [
        "Group secret"
    ]
    assert list(broker_selectors.broker_queue(viewer=outsider, broker=other_broker)) == []
    # Looking at someone else's queue never shows what the viewer may not open.
    assert list(broker_selectors.broker_queue(viewer=outsider, broker=broker)) == []


def test_outsider_viewing_a_brokers_page_does_not_see_the_group_product(
    outsider_client, owner, broker, group
):
    secret = ProductFactory(
        author=owner, group=group, visibility=Visibility.GROUP, title="Group secret"
    )
    ready(secret)
    html = outsider_client.get(broker_url(broker.person)).content.decode()
    assert "Group secret" not in html


def test_an_idea_the_broker_may_not_see_does_not_make_a_product_ready(
    member, owner, other_group, broker
):
    product = ProductFactory(author=owner, title="Backed by a hidden idea")
    ready(product, Stage.KNOWLEDGE, visibility=Visibility.GROUP, group=other_group)
    assert list(broker_selectors.broker_queue(viewer=member, broker=broker)) == []


def test_queue_page_query_count_does_not_grow(
    member_client, owner, broker, django_assert_max_num_queries
):
    idea = IdeaFactory(stage=Stage.KNOWLEDGE)
    audience = broker.audiences.first()
    for product in ProductFactory.create_batch(20, author=owner):
        product.ideas.add(idea)
        ShareFactory(product=product, broker_audience=audience, audience=audience.name)
    with django_assert_max_num_queries(15):
        response = member_client.get(broker_url(broker.person))
    assert len(response.context["page"].object_list) == 20


def test_broker_list_query_count_does_not_grow(member_client, owner, django_assert_max_num_queries):
    product = ProductFactory(author=owner)
    for _ in range(8):
        broker = BrokerFactory()
        for audience in AudienceFactory.create_batch(3, broker=broker):
            ShareFactory(
                product=product, broker_audience=audience, audience=audience.name, sphere="groups"
            )
    with django_assert_max_num_queries(12):
        response = member_client.get(reverse("brokers:list"))
    assert len(response.context["brokers"]) == 8


# Recording a share through a broker audience -----------------------------------------------


def share_url(product, query: str = "") -> str:
    return reverse("sharing:share_create", args=[product.pk]) + query


def test_broker_picks_an_audience_and_the_sphere_follows(member_client, owner, broker):
    product = ProductFactory(author=owner, visibility=Visibility.PUBLIC)
    partner = broker.audiences.get(name="Open Door staff")
    page = member_client.get(share_url(product, f"?audience={partner.pk}"))
    assert page.context["form"]["broker_audience"].value() == partner.pk
    assert problems(page.content.decode()) == []
    response = member_client.post(
        share_url(product),
        {"broker_audience": partner.pk, "sphere": Sphere.FIELD, "response": "Keen to try"},
    )
    share = Share.objects.get()
    assert response.status_code == 302
    assert (share.audience, share.sphere, share.broker_audience) == (
        "Open Door staff",
        Sphere.PARTNERS,
        partner,
    )
    assert share.response == "Keen to try"


def test_anyone_may_type_an_audience_with_its_sphere(owner_client, owner):
    product = ProductFactory(author=owner, visibility=Visibility.PUBLIC)
    page = owner_client.get(share_url(product))
    assert "broker_audience" not in page.context["form"].fields
    owner_client.post(share_url(product), {"audience": "County librarians", "sphere": "field"})
    share = Share.objects.get()
    assert (share.audience, share.sphere, share.broker_audience) == (
        "County librarians",
        Sphere.FIELD,
        None,
    )


def test_picking_an_audience_and_typing_another_is_refused(member_client, owner, broker):
    product = ProductFactory(author=owner)
    reading = broker.audiences.get(name="Reading Team")
    response = member_client.post(
        share_url(product), {"broker_audience": reading.pk, "audience": "Someone else"}
    )
    assert response.status_code == 200
    assert "not both" in response.content.decode()
    assert Share.objects.count() == 0


def test_a_member_cannot_use_another_brokers_audience(member, other_broker):
    product = ProductFactory(visibility=Visibility.NETWORK)
    theirs = other_broker.audiences.get()
    with pytest.raises(ValidationError) as info:
        share_create(author=member, product=product, broker_audience=theirs)
    assert "broker_audience" in info.value.message_dict
    assert Share.objects.count() == 0


def test_a_retired_audience_cannot_be_used(member, broker):
    product = ProductFactory(visibility=Visibility.NETWORK)
    audience = broker.audiences.first()
    audience.retired_at = timezone.now()
    audience.save()
    with pytest.raises(ValidationError) as info:
        share_create(author=member, product=product, broker_audience=audience)
    assert "retired" in str(info.value.message_dict["broker_audience"])


def test_sharing_a_network_product_to_partners_warns_about_outsiders(member_client, owner, broker):
    product = ProductFactory(author=owner, visibility=Visibility.NETWORK)
    page = member_client.get(share_url(product)).content.decode()
    assert "This product is not public." in page
    partner = broker.audiences.get(name="Open Door staff")
    response = member_client.post(share_url(product), {"broker_audience": partner.pk}, follow=True)
    assert "outside the network cannot open it" in response.content.decode()


def test_sharing_inside_the_network_does_not_warn(member_client, owner, broker):
    product = ProductFactory(author=owner, visibility=Visibility.NETWORK)
    reading = broker.audiences.get(name="Reading Team")
    response = member_client.post(share_url(product), {"broker_audience": reading.pk}, follow=True)
    assert "outside the network cannot open it" not in response.content.decode()


def test_the_author_hears_where_their_product_travelled(member_client, owner, broker):
    product = ProductFactory(author=owner, visibility=Visibility.NETWORK, title="Call guide")
    member_client.post(share_url(product), {"audience": "Board", "sphere": "partners"})
    note = Notification.objects.get(recipient=owner)
    assert note.kind == NotificationKind.SHARE
    assert "Call guide" in note.title
    assert "Board" in note.title
    assert not Notification.objects.filter(recipient=broker.person).exists()


# Where a product has travelled ---------------------------------------------------------------


def test_product_page_groups_shares_by_sphere_with_plans_started(
    member_client, owner, member, other_group
):
    product = ProductFactory(author=owner, visibility=Visibility.PUBLIC, title="Calls")
    team = ShareFactory(product=product, audience="Reading Team", sphere=Sphere.GROUPS)
    ShareFactory(product=product, audience="Open Door staff", sphere=Sphere.PARTNERS)
    ShareFactory(product=product, audience="Old share")
    PlanFactory(product=product, share=team, title="Reading Team tries calls")
    PlanFactory(
        product=product,
        share=team,
        title="Hidden plan",
        visibility=Visibility.GROUP,
        group=other_group,
    )
    response = member_client.get(product.get_absolute_url())
    html = response.content.decode()
    assert problems(html) == []
    groups = html.index('data-sphere="groups"')
    partners = html.index('data-sphere="partners"')
    unsaid = html.index('data-sphere="unsaid"')
    assert groups < partners < unsaid
    assert "Reading Team tries calls" in html[groups:partners]
    assert "Hidden plan" not in html
    assert "Sphere not said" in html


def test_product_page_query_count_with_travels(member_client, owner, django_assert_max_num_queries):
    product = ProductFactory(author=owner)
    product.ideas.set(IdeaFactory.create_batch(3))
    for sphere in ("groups", "partners", "field", ""):
        share = ShareFactory(product=product, sphere=sphere)
        PlanFactory.create_batch(2, product=product, share=share)
    with django_assert_max_num_queries(20):
        response = member_client.get(product.get_absolute_url())
    assert response.status_code == 200


def test_response_fragment_keeps_the_plans_started(member_client, member, owner):
    product = ProductFactory(author=owner)
    share = ShareFactory(product=product, shared_by=member)
    PlanFactory(product=product, share=share, title="Plan from the share")
    response = member_client.post(
        reverse("sharing:share_response", args=[share.pk]),
        {"response": "Yes"},
        headers={"HX-Request": "true"},
    )
    assert "Plan from the share" in response.content.decode()


def test_plan_form_offers_the_shares_of_its_product(member, owner):
    product = ProductFactory(author=owner)
    share = ShareFactory(product=product, audience="Principals")
    ShareFactory(audience="Another product's share")
    form = PlanForm(
        {"title": "Try it", "visibility": "network", "share": share.pk},
        viewer=member,
        product=product,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["share"] == share
    assert [s.audience for s in form.fields["share"].queryset] == ["Principals"]
    assert "share" not in PlanForm(viewer=member).fields


# Telling brokers what is ready ---------------------------------------------------------------


def test_broker_hears_once_when_a_product_becomes_ready(owner, broker, other_broker, group):
    product = ProductFactory(author=owner, title="New guide")
    idea = IdeaFactory(stage=Stage.TESTING)
    product.ideas.add(idea)
    assert broker_services.broker_queue_changed(product) == []
    idea.stage = Stage.KNOWLEDGE
    idea.save()
    made = broker_services.broker_queues_changed_for_idea(idea, actor=owner)
    assert sorted(n.recipient.username for n in made) == sorted(
        [broker.person.username, other_broker.person.username]
    )
    note = Notification.objects.get(recipient=broker.person)
    assert note.kind == NotificationKind.BROKER
    assert "New guide" in note.title
    assert "Reading Team" in note.body
    assert note.url == product.get_absolute_url()
    assert broker_services.broker_queue_changed(product) == []  # told once


def test_brokers_who_cannot_see_a_product_are_not_told(owner, broker, other_broker, group):
    product = ProductFactory(author=owner, group=group, visibility=Visibility.GROUP)
    ready(product)
    made = broker_services.broker_queue_changed(product)
    assert [n.recipient for n in made] == [broker.person]


def test_retired_brokers_and_drafts_are_not_told(owner, broker):
    draft = ProductFactory(author=owner, visibility=Visibility.DRAFT, published_at=None)
    ready(draft)
    assert broker_services.broker_queue_changed(draft) == []
    broker.retired_at = timezone.now()
    broker.save()
    product = ProductFactory(author=owner)
    ready(product)
    assert broker_services.broker_queue_changed(product) == []


# API ---------------------------------------------------------------------------------------


def test_api_lists_brokers_for_members_only(client, member, broker, token_for):
    listed = client.get(f"{API}/brokers", headers=bearer(token_for(member)))
    assert listed.status_code == 200, listed.content
    (row,) = listed.json()
    assert row["person"]["username"] == member.username
    assert {a["name"] for a in row["audiences"]} == {"Reading Team", "Open Door staff"}
    assert row["spread"]["shares"] == 0
    assert client.get(f"{API}/brokers").status_code == 401


def test_api_steward_names_a_broker_and_members_cannot(client, steward, owner, member, token_for):
    denied = client.post(
        f"{API}/brokers",
        {"username": owner.username},
        content_type="application/json",
        headers=bearer(token_for(member)),
    )
    named = client.post(
        f"{API}/brokers",
        {"username": owner.username, "note": "Talks to the board"},
        content_type="application/json",
        headers=bearer(token_for(steward)),
    )
    unknown = client.post(
        f"{API}/brokers",
        {"username": "nobody"},
        content_type="application/json",
        headers=bearer(token_for(steward)),
    )
    assert denied.status_code == 403
    assert named.status_code == 201, named.content
    assert named.json()["note"] == "Talks to the board"
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "username"


def test_api_audiences_crud_by_the_broker_and_not_by_another(
    client, member, outsider, broker, other_broker, token_for
):
    mine, theirs = bearer(token_for(member)), bearer(token_for(outsider))
    url = f"{API}/brokers/me/audiences"
    created = client.post(
        url, {"name": "Board", "sphere": "partners"}, content_type="application/json", headers=mine
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    item = f"{API}/brokers/{member.username}/audiences/{pk}"
    patched = client.patch(
        item, {"description": "Quarterly"}, content_type="application/json", headers=mine
    )
    hijack = client.patch(item, {"name": "x"}, content_type="application/json", headers=theirs)
    foreign = client.post(
        f"{API}/brokers/{member.username}/audiences",
        {"name": "x"},
        content_type="application/json",
        headers=theirs,
    )
    gone = client.delete(item, headers=mine)
    assert patched.json()["description"] == "Quarterly"
    assert (hijack.status_code, foreign.status_code, gone.status_code) == (403, 403, 204)
    listed = client.get(url, headers=mine).json()
    assert "Board" not in {a["name"] for a in listed}


def test_api_queue_and_share_with_broker_audience(client, member, owner, broker, token_for):
    product = ProductFactory(author=owner, visibility=Visibility.PUBLIC, title="Open guide")
    reading = broker.audiences.get(name="Reading Team")
    headers = bearer(token_for(member))
    queue = client.get(f"{API}/brokers/me/queue", headers=headers).json()
    assert queue["count"] == 1
    assert {a["name"] for a in queue["items"][0]["missing"]} == {"Reading Team", "Open Door staff"}
    created = client.post(
        f"{API}/products/{product.pk}/shares",
        {"broker_audience_id": reading.pk, "response": "Will try"},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    assert (created.json()["audience"], created.json()["sphere"]) == ("Reading Team", "groups")
    queue = client.get(f"{API}/brokers/me/queue", headers=headers).json()
    assert [a["name"] for a in queue["items"][0]["missing"]] == ["Open Door staff"]


def test_api_share_with_another_brokers_audience_is_a_field_error(
    client, member, other_broker, token_for
):
    product = ProductFactory(visibility=Visibility.NETWORK)
    theirs = other_broker.audiences.get()
    response = client.post(
        f"{API}/products/{product.pk}/shares",
        {"broker_audience_id": theirs.pk},
        content_type="application/json",
        headers=bearer(token_for(member)),
    )
    unknown = client.post(
        f"{API}/products/{product.pk}/shares",
        {"broker_audience_id": 99999},
        content_type="application/json",
        headers=bearer(token_for(member)),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "broker_audience"
    assert unknown.json()["errors"][0]["field"] == "broker_audience_id"
    assert Share.objects.count() == 0


def test_api_retire_broker_is_for_stewards(client, steward, member, broker, token_for):
    url = f"{API}/brokers/{member.username}"
    assert client.delete(url, headers=bearer(token_for(member))).status_code == 403
    assert client.delete(url, headers=bearer(token_for(steward))).status_code == 204
    assert client.get(url, headers=bearer(token_for(member))).status_code == 404


def test_api_queue_of_someone_else_hides_what_the_caller_cannot_see(
    client, outsider, owner, broker, group, token_for
):
    secret = ProductFactory(author=owner, group=group, visibility=Visibility.GROUP)
    ready(secret)
    url = f"{API}/brokers/{broker.person.username}/queue"
    assert client.get(url, headers=bearer(token_for(outsider))).json() == {"items": [], "count": 0}


def test_a_member_named_in_a_second_group_still_sees_only_what_they_may(owner, group):
    """Guard for the intersection: a broker who joins the group gets the product."""
    newcomer = PersonFactory()
    broker = BrokerFactory(person=newcomer)
    secret = ProductFactory(author=owner, group=group, visibility=Visibility.GROUP)
    ready(secret)
    assert list(broker_selectors.broker_queue(viewer=newcomer, broker=broker)) == []
    MembershipFactory(person=newcomer, group=group)
    newcomer = type(newcomer).objects.get(pk=newcomer.pk)
    broker = Broker.objects.select_related("person").get(pk=broker.pk)
    assert [p.pk for p in broker_selectors.broker_queue(viewer=newcomer, broker=broker)] == [
        secret.pk
    ]


# Command line ------------------------------------------------------------------------------


def test_cli_lists_brokers_and_prints_a_queue(member, owner, broker):
    from io import StringIO

    from django.core.management import CommandError, call_command

    product = ProductFactory(author=owner, title="Ready guide")
    ready(product)
    listed, queued = StringIO(), StringIO()
    call_command("brokers", "list", stdout=listed)
    call_command("brokers", "queue", member.username, stdout=queued)
    assert "Open Door staff" in listed.getvalue()
    assert "1 broker(s)." in listed.getvalue()
    assert "Ready guide" in queued.getvalue()
    assert "not yet with: Reading Team, Open Door staff" in queued.getvalue()
    with pytest.raises(CommandError):
        call_command("brokers", "queue", owner.username, stdout=StringIO())
