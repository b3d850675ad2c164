"""Rules the services keep, whoever calls them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from learnloop.core.models import AuditEvent
from learnloop.people import services
from learnloop.people.models import GroupKind, Invitation, Membership, Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_person_update_rejects_fields_outside_the_profile(owner):
    with pytest.raises(ValidationError) as exc:
        services.person_update(viewer=owner, person=owner, is_steward=True)
    assert "is_steward" in exc.value.message_dict
    owner.refresh_from_db()
    assert not owner.is_steward


def test_person_update_by_someone_else_is_denied(member, owner):
    with pytest.raises(PermissionDenied):
        services.person_update(viewer=member, person=owner, job_role="x")


def test_person_update_records_audit(owner):
    services.person_update(viewer=owner, person=owner, job_role="Coach")
    event = AuditEvent.objects.get(verb="updated a profile")
    assert event.data == {"fields": ["job_role"]}


def test_cluster_with_linked_groups_keeps_its_kind(steward, group, cluster):
    group.clusters.add(cluster)
    with pytest.raises(ValidationError) as exc:
        services.group_update(viewer=steward, group=cluster, kind=GroupKind.TEAM)
    assert "kind" in exc.value.message_dict


def test_group_slug_is_made_unique(steward):
    first = services.group_create(viewer=steward, name="Readers!")
    second = services.group_create(viewer=steward, name="Readers?")
    assert (first.slug, second.slug) == ("readers", "readers-2")


def test_chosen_slug_that_is_taken_is_an_error(steward, group):
    with pytest.raises(ValidationError) as exc:
        services.group_create(viewer=steward, name="Another", slug=group.slug)
    assert "slug" in exc.value.message_dict


def test_cannot_add_deactivated_person(steward, group):
    gone = PersonFactory(is_active=False)
    with pytest.raises(ValidationError):
        services.membership_set(viewer=steward, person=gone, group=group)
    assert not Membership.objects.filter(person=gone).exists()


def test_removing_someone_not_in_group_is_an_error(steward, outsider, group):
    with pytest.raises(ValidationError):
        services.membership_remove(viewer=steward, person=outsider, group=group)


def test_accepting_an_unusable_invitation_creates_nothing(steward):
    invitation = Invitation.objects.create(email="x@example.org", invited_by=steward)
    services.invitation_revoke(viewer=steward, invitation=invitation)
    with pytest.raises(ValidationError):
        services.invitation_accept(
            invitation=invitation, username="x", password="sunny-meadow-4821"
        )
    assert not Person.objects.filter(username="x").exists()


def test_accepted_invitation_cannot_be_revoked(steward):
    invitation = Invitation.objects.create(email="x@example.org", invited_by=steward)
    services.invitation_accept(invitation=invitation, username="x", password="sunny-meadow-4821")
    invitation.refresh_from_db()
    with pytest.raises(ValidationError):
        services.invitation_revoke(viewer=steward, invitation=invitation)


def test_invitation_into_archived_group_is_refused(steward, group):
    services.group_archive(viewer=steward, group=group)
    with pytest.raises(ValidationError) as exc:
        services.invitation_create(viewer=steward, email="x@example.org", group=group)
    assert "group" in exc.value.message_dict
