"""Reads for people and structure. Groups, organizations and member profiles are visible to
every member; anonymous visitors see none of them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.people.models import (
    ApiToken,
    Group,
    GroupKind,
    Invitation,
    Membership,
    Organization,
    Person,
    Role,
)

# An impact group works best with about this many people; outside it we say so, gently.
IMPACT_GROUP_SIZE = (5, 15)


def _memberships_prefetch() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.select_related("group").order_by("group__name"),
    )


# Groups --------------------------------------------------------------------------------


def group_list(
    *,
    viewer: Any,
    kind: str | None = None,
    include_archived: bool = False,
    q: str | None = None,
) -> QuerySet[Group]:
    if not access.is_member(viewer):
        return Group.objects.none()
    qs = Group.objects.all()
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(purpose__icontains=q))
    return (
        qs.select_related("organization")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )


def get_group_or_none(group_id: int | None) -> Group | None:
    """Resolve a group id given in a request body; an unknown id is a field error."""
    if group_id is None:
        return None
    group = Group.objects.filter(pk=group_id).first()
    if group is None:
        raise ValidationError({"group_id": _("There is no group with this id.")})
    return group


def get_group_for(viewer: Any, slug: str, *, manage: bool = False) -> Group:
    """A group by its slug: 404 for anyone but members; with `manage`, 403 for anyone who
    may not manage its members (stewards and the group's moderators may)."""
    if not access.is_member(viewer):
        raise Http404
    group = (
        Group.objects.select_related("organization")
        .annotate(member_count=Count("memberships", distinct=True))
        .filter(slug=slug)
        .first()
    )
    if group is None:
        raise Http404
    if manage and not access.can_moderate_group(viewer, group.pk):
        raise PermissionDenied
    return group


def group_members(group: Group) -> list[Membership]:
    """Moderators first, then members, by name."""
    return list(
        Membership.objects.filter(group=group)
        .select_related("person", "person__organization")
        .order_by("-role", "person__display_name", "person__username")
    )


def get_group_member(group: Group, username: str) -> Person:
    """A member of the group by username; 404 if they are not in it."""
    membership = (
        Membership.objects.select_related("person")
        .filter(group=group, person__username=username)
        .first()
    )
    if membership is None:
        raise Http404
    return membership.person


def group_clusters(group: Group) -> list[Group]:
    return list(group.clusters.filter(archived_at__isnull=True).order_by("name"))


def cluster_groups(group: Group) -> list[Group]:
    """The groups a cluster links (empty for any other kind of group)."""
    if group.kind != GroupKind.CLUSTER:
        return []
    return list(
        group.linked_groups.filter(archived_at__isnull=True)
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )


def addable_people(group: Group) -> QuerySet[Person]:
    """Active people who are not yet in the group (for the "add a member" picker)."""
    return (
        Person.objects.filter(is_active=True)
        .exclude(memberships__group=group)
        .order_by("display_name", "username")
    )


def cluster_choices(*, exclude: Group | None = None) -> QuerySet[Group]:
    qs = Group.objects.filter(kind=GroupKind.CLUSTER, archived_at__isnull=True)
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("name")


def moderated_groups(viewer: Any) -> QuerySet[Group]:
    """Groups the viewer may invite people into: all for stewards, else those they moderate."""
    if not access.is_member(viewer):
        return Group.objects.none()
    qs = Group.objects.filter(archived_at__isnull=True)
    if not access.is_steward(viewer):
        qs = qs.filter(memberships__person=viewer, memberships__role=Role.MODERATOR)
    return qs.order_by("name")


# People --------------------------------------------------------------------------------


def person_list(
    *,
    viewer: Any,
    q: str | None = None,
    organization: int | None = None,
    stakeholder_type: str | None = None,
    group: int | None = None,
    include_inactive: bool = False,
) -> QuerySet[Person]:
    if not access.is_member(viewer):
        return Person.objects.none()
    qs = Person.objects.all()
    if not (include_inactive and access.is_steward(viewer)):
        qs = qs.filter(is_active=True)
    if q:
        qs = qs.filter(
            Q(display_name__icontains=q)
            | Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(job_role__icontains=q)
            | Q(expertise__icontains=q)
            | Q(site__icontains=q)
        )
    if organization:
        qs = qs.filter(organization_id=organization)
    if stakeholder_type:
        qs = qs.filter(stakeholder_type=stakeholder_type)
    if group:
        qs = qs.filter(memberships__group_id=group)
    return (
        qs.select_related("organization")
        .prefetch_related(_memberships_prefetch())
        .order_by("display_name", "username")
        .distinct()
    )


def get_person_for(viewer: Any, username: str, *, write: bool = False) -> Person:
    """A profile by username: 404 for anonymous visitors (and for deactivated people, except
    to stewards); with `write`, 403 unless it is the viewer's own profile or a steward's."""
    if not access.is_member(viewer):
        raise Http404
    person = (
        Person.objects.select_related("organization")
        .prefetch_related(_memberships_prefetch())
        .filter(username=username)
        .first()
    )
    if person is None or (not person.is_active and not access.is_steward(viewer)):
        raise Http404
    if write and not (person.pk == viewer.pk or access.is_steward(viewer)):
        raise PermissionDenied
    return person


def person_by_username(username: str, *, field: str = "username") -> Person:
    """Resolve a username given in a request body; an unknown one is a field error."""
    person = Person.objects.filter(username=username, is_active=True).first()
    if person is None:
        raise ValidationError({field: _("There is no active member with this username.")})
    return person


def token_list(person: Person) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(person=person, revoked_at__isnull=True).order_by("-created_at")


def get_token_for(viewer: Any, pk: Any) -> ApiToken:
    """Only one's own live tokens are found; anything else is 404."""
    if not access.is_member(viewer):
        raise Http404
    token = token_list(viewer).filter(pk=pk).first() if str(pk).isdigit() else None
    if token is None:
        raise Http404
    return token


# Organizations -------------------------------------------------------------------------


def organization_list(*, viewer: Any) -> QuerySet[Organization]:
    if not access.is_member(viewer):
        return Organization.objects.none()
    return Organization.objects.annotate(
        people_count=Count("people", filter=Q(people__is_active=True), distinct=True),
        group_count=Count("groups", filter=Q(groups__archived_at__isnull=True), distinct=True),
    ).order_by("name")


def get_organization_for(viewer: Any, slug: str) -> Organization:
    if not access.is_member(viewer):
        raise Http404
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise Http404
    return organization


def organization_people(organization: Organization) -> QuerySet[Person]:
    return (
        Person.objects.filter(organization=organization, is_active=True)
        .select_related("organization")
        .order_by("display_name", "username")
    )


def organization_groups(organization: Organization) -> QuerySet[Group]:
    return (
        Group.objects.filter(organization=organization, archived_at__isnull=True)
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )


# Invitations ---------------------------------------------------------------------------


def invitation_list(*, viewer: Any, pending_only: bool = False) -> QuerySet[Invitation]:
    """Stewards see every invitation; others none."""
    if not access.is_steward(viewer):
        return Invitation.objects.none()
    qs = Invitation.objects.all()
    if pending_only:
        qs = qs.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
    return qs.select_related("group", "invited_by", "accepted_by").order_by("-created_at")


def get_invitation_for(viewer: Any, pk: Any) -> Invitation:
    """An invitation by id, for managing it: 404 unless the viewer is a steward or sent it."""
    if not access.is_member(viewer) or not str(pk).isdigit():
        raise Http404
    invitation = Invitation.objects.select_related("group").filter(pk=pk).first()
    if invitation is None:
        raise Http404
    if not (access.is_steward(viewer) or invitation.invited_by_id == viewer.pk):
        raise Http404
    return invitation


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation behind a join link, usable or not (the page explains which)."""
    return (
        Invitation.objects.select_related("group", "invited_by").filter(token=token).first()
        if token
        else None
    )


# Stewardship ---------------------------------------------------------------------------


def network_counts() -> dict[str, int]:
    now = timezone.now()
    people = Person.objects.aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        inactive=Count("pk", filter=Q(is_active=False)),
        stewards=Count("pk", filter=Q(is_active=True, is_steward=True)),
    )
    groups = Group.objects.aggregate(
        active=Count("pk", filter=Q(archived_at__isnull=True)),
        archived=Count("pk", filter=Q(archived_at__isnull=False)),
    )
    return {
        "people": people["active"],
        "inactive": people["inactive"],
        "stewards": people["stewards"],
        "groups": groups["active"],
        "archived_groups": groups["archived"],
        "organizations": Organization.objects.count(),
        "pending_invitations": Invitation.objects.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).count(),
    }
