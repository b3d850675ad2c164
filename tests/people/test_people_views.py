"""The directory and profiles: who may see them, edit them, and what stewards can do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learnloop.core.models import Visibility
from learnloop.people.models import ApiToken, Person
from tests.factories import LearningFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login_on_every_people_page(anon_client, owner, group):
    urls = [
        reverse("people:people"),
        reverse("people:person", args=[owner.username]),
        reverse("people:person_edit", args=[owner.username]),
        reverse("people:groups"),
        reverse("people:group", args=[group.slug]),
        reverse("people:organizations"),
        reverse("people:steward"),
        reverse("people:invitation_create"),
    ]
    for url in urls:
        response = anon_client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_directory_lists_members_with_groups(member_client, owner, group):
    html = member_client.get(reverse("people:people")).content.decode()
    assert "Olu Owner" in html
    assert "Attendance Circle" in html


def test_directory_filters(member_client, organization, other_group):
    PersonFactory(display_name="Ana Data", expertise="attendance data", organization=organization)
    PersonFactory(display_name="Ben Parent", stakeholder_type="parent")
    in_group = PersonFactory(display_name="Cy Reader")
    MembershipFactory(person=in_group, group=other_group)
    url = reverse("people:people")

    html = member_client.get(url, {"q": "attendance"}).content.decode()
    assert "Ana Data" in html
    assert "Ben Parent" not in html

    html = member_client.get(url, {"organization": organization.pk}).content.decode()
    assert "Ana Data" in html
    assert "Ben Parent" not in html

    html = member_client.get(url, {"stakeholder_type": "parent"}).content.decode()
    assert "Ben Parent" in html
    assert "Ana Data" not in html

    html = member_client.get(url, {"group": other_group.pk}).content.decode()
    assert "Cy Reader" in html
    assert "Ana Data" not in html


def test_directory_filter_by_job_role(member_client):
    PersonFactory(display_name="Dee Liaison", job_role="Family liaison")
    PersonFactory(display_name="Eve Teacher", job_role="Teacher")
    html = member_client.get(reverse("people:people"), {"q": "liaison"}).content.decode()
    assert "Dee Liaison" in html
    assert "Eve Teacher" not in html


def test_directory_htmx_returns_fragment(member_client, owner):
    response = member_client.get(reverse("people:people"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Olu Owner" in html
    assert "<html" not in html


def test_directory_hides_deactivated_people(member_client):
    PersonFactory(display_name="Gone Person", is_active=False)
    assert "Gone Person" not in member_client.get(reverse("people:people")).content.decode()


def test_directory_query_count(member_client, group, django_assert_max_num_queries):
    for _ in range(25):
        MembershipFactory(group=group)
    with django_assert_max_num_queries(10):
        response = member_client.get(reverse("people:people"))
    assert response.status_code == 200


def test_profile_shows_role_groups_and_visible_learnings(member_client, owner, group, organization):
    owner.organization = organization
    owner.expertise = "family engagement, attendance"
    owner.save()
    LearningFactory(author=owner, title="Seen by the network", visibility=Visibility.NETWORK)
    LearningFactory(author=owner, title="A private draft", visibility=Visibility.DRAFT)
    html = member_client.get(reverse("people:person", args=["olu"])).content.decode()
    assert "Northside Schools" in html
    assert "family engagement" in html
    assert "Attendance Circle" in html
    assert "Seen by the network" in html
    assert "A private draft" not in html
    assert "API tokens" not in html  # only on one's own profile
    assert "olu@example.org" not in html


def test_profile_query_count(member_client, owner, group, django_assert_max_num_queries):
    LearningFactory.create_batch(10, author=owner, group=group)
    for _ in range(5):
        MembershipFactory(person=owner)
    with django_assert_max_num_queries(9):
        response = member_client.get(reverse("people:person", args=[owner.username]))
    assert response.status_code == 200


def test_own_profile_shows_tokens_and_password_link(owner_client, owner):
    html = owner_client.get(reverse("people:person", args=["olu"])).content.decode()
    assert "API tokens" in html
    assert reverse("password_change") in html
    assert reverse("people:person_edit", args=["olu"]) in html


def test_unknown_and_deactivated_profiles_are_404(member_client, steward_client):
    gone = PersonFactory(username="gone", is_active=False)
    assert member_client.get(reverse("people:person", args=["nobody"])).status_code == 404
    assert member_client.get(reverse("people:person", args=[gone.username])).status_code == 404
    assert steward_client.get(reverse("people:person", args=[gone.username])).status_code == 200


def test_edit_own_profile(owner_client, owner, organization):
    response = owner_client.post(
        reverse("people:person_edit", args=["olu"]),
        {
            "display_name": "Olu O.",
            "email": "olu@new.example.org",
            "job_role": "Counselor",
            "organization": organization.pk,
            "site": "East Middle",
            "stakeholder_type": "partner",
            "expertise": "mentoring",
            "bio": "I work on *belonging*.",
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.display_name == "Olu O."
    assert owner.email == "olu@new.example.org"
    assert owner.organization == organization
    assert owner.stakeholder_type == "partner"
    html = owner_client.get(owner.get_absolute_url()).content.decode()
    assert "<em>belonging</em>" in html


def test_edit_with_taken_email_keeps_input(owner_client, owner, member):
    response = owner_client.post(
        reverse("people:person_edit", args=["olu"]),
        {"display_name": "Typed name", "email": member.email, "stakeholder_type": "staff"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone already uses this email address." in html
    assert "Typed name" in html
    owner.refresh_from_db()
    assert owner.display_name == "Olu Owner"


def test_member_cannot_edit_someone_else(member_client, owner):
    url = reverse("people:person_edit", args=[owner.username])
    assert member_client.get(url).status_code == 403
    response = member_client.post(url, {"display_name": "Hacked", "stakeholder_type": "staff"})
    assert response.status_code == 403
    owner.refresh_from_db()
    assert owner.display_name == "Olu Owner"


def test_steward_edits_anyone(steward_client, owner):
    response = steward_client.post(
        reverse("people:person_edit", args=[owner.username]),
        {"display_name": "Olu Renamed", "email": owner.email, "stakeholder_type": "staff"},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.display_name == "Olu Renamed"


def test_steward_makes_and_unmakes_steward(steward_client, owner):
    url = reverse("people:person_steward", args=[owner.username])
    assert steward_client.post(url, {"steward": "1"}).status_code == 302
    owner.refresh_from_db()
    assert owner.is_steward
    steward_client.post(url, {"steward": "0"})
    owner.refresh_from_db()
    assert not owner.is_steward


def test_last_steward_cannot_step_down(steward_client, steward):
    url = reverse("people:person_steward", args=[steward.username])
    response = steward_client.post(url, {"steward": "0"}, follow=True)
    steward.refresh_from_db()
    assert steward.is_steward
    assert "at least one steward" in response.content.decode()


def test_member_cannot_make_stewards_or_deactivate(member_client, owner):
    assert (
        member_client.post(
            reverse("people:person_steward", args=[owner.username]), {"steward": "1"}
        ).status_code
        == 403
    )
    assert (
        member_client.post(
            reverse("people:person_active", args=[owner.username]), {"active": "0"}
        ).status_code
        == 403
    )
    owner.refresh_from_db()
    assert owner.is_active
    assert not owner.is_steward


def test_steward_deactivates_and_reactivates(steward_client, owner, client):
    url = reverse("people:person_active", args=[owner.username])
    assert steward_client.post(url, {"active": "0", "next": "stewardship"})["Location"] == reverse(
        "people:steward"
    )
    owner.refresh_from_db()
    assert not owner.is_active
    owner.set_password("a-long-password-42")
    owner.save()
    assert not client.login(username="olu", password="a-long-password-42")
    steward_client.post(url, {"active": "1"})
    owner.refresh_from_db()
    assert owner.is_active
    assert client.login(username="olu", password="a-long-password-42")


def test_steward_cannot_deactivate_self(steward_client, steward):
    steward_client.post(reverse("people:person_active", args=[steward.username]), {"active": "0"})
    steward.refresh_from_db()
    assert steward.is_active


def test_token_created_shown_once_and_revoked(owner_client, owner):
    response = owner_client.post(reverse("people:token_create"), {"name": "import script"})
    html = response.content.decode()
    token = ApiToken.objects.get(person=owner)
    raw_start = token.hint
    assert response.status_code == 200
    assert 'data-copy="#raw-token"' in html
    assert raw_start in html
    profile = owner_client.get(owner.get_absolute_url()).content.decode()
    assert "import script" in profile
    assert owner_client.post(reverse("people:token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_created_works_for_the_api(owner_client, client):
    html = owner_client.post(reverse("people:token_create"), {"name": "x"}).content.decode()
    raw = html.split('id="raw-token" type="text" readonly value="')[1].split('"')[0]
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.json()["username"] == "olu"


def test_cannot_revoke_someone_elses_token(member_client, owner, token_for):
    token_for(owner)
    token = ApiToken.objects.get(person=owner)
    assert member_client.post(reverse("people:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_steward_signs_someone_up_and_they_get_a_password_link(
    steward_client, group, organization, mailoutbox, mail_now, client
):
    with mail_now():
        response = steward_client.post(
            reverse("people:person_create"),
            {
                "username": "newbie",
                "email": "newbie@example.org",
                "display_name": "New Bie",
                "job_role": "Teacher",
                "organization": organization.pk,
                "site": "West High",
                "stakeholder_type": "staff",
                "expertise": "math",
                "groups": [group.pk],
            },
        )
    person = Person.objects.get(username="newbie")
    assert response.status_code == 302
    assert not person.has_usable_password()
    assert person.memberships.get().group == group
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["newbie@example.org"]
    link = next(line for line in message.body.splitlines() if "/password-reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "sunny-meadow-4821", "new_password2": "sunny-meadow-4821"}
    )
    assert response.status_code == 302
    assert client.login(username="newbie", password="sunny-meadow-4821")


def test_only_stewards_sign_people_up(member_client):
    url = reverse("people:person_create")
    assert member_client.get(url).status_code == 403
    assert member_client.post(url, {"username": "x", "email": "x@example.org"}).status_code == 403
    assert not Person.objects.filter(username="x").exists()


def test_sign_up_with_taken_username_shows_error(steward_client, owner):
    response = steward_client.post(
        reverse("people:person_create"),
        {"username": "olu", "email": "fresh@example.org", "stakeholder_type": "staff"},
    )
    assert response.status_code == 200
    assert "This username is taken." in response.content.decode()
