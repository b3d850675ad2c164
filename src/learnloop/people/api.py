"""API for people and structure. Members only: every read here uses MEMBER_AUTH, so an
anonymous call gets 401."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from learnloop.core import access
from learnloop.core.api_support import MEMBER_AUTH, Pagination, member
from learnloop.core.schemas import GroupRef, PersonRef
from learnloop.people import selectors, services
from learnloop.people.models import (
    Cadence,
    Group,
    GroupKind,
    Organization,
    Role,
    StakeholderType,
)

router = Router()


# Schemas --------------------------------------------------------------------------------


class OrganizationRef(Schema):
    id: int
    slug: str
    name: str


class MembershipOut(Schema):
    group: GroupRef
    role: Role


class PersonOut(Schema):
    id: int
    username: str
    name: str
    display_name: str
    job_role: str
    organization: OrganizationRef | None = None
    site: str
    stakeholder_type: StakeholderType
    expertise: list[str]
    bio: str
    is_steward: bool
    is_active: bool
    groups: list[MembershipOut]
    url: str

    @staticmethod
    def resolve_expertise(obj: Any) -> list[str]:
        return obj.expertise_list

    @staticmethod
    def resolve_groups(obj: Any) -> list[Any]:
        return list(obj.memberships.all())

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class PersonPrivateOut(PersonOut):
    """What the person themself (and stewards) see: includes the email address."""

    email: str


class PersonPatch(Schema):
    display_name: str | None = Field(None, max_length=150)
    email: str | None = Field(None, max_length=254)
    job_role: str | None = Field(None, max_length=150)
    organization_id: int | None = None
    site: str | None = Field(None, max_length=150)
    stakeholder_type: StakeholderType | None = None
    expertise: str | None = Field(None, max_length=500)
    bio: str | None = Field(None, max_length=5000)


class PersonIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    email: str = Field(..., min_length=3, max_length=254)
    display_name: str = Field("", max_length=150)
    job_role: str = Field("", max_length=150)
    organization_id: int | None = None
    site: str = Field("", max_length=150)
    stakeholder_type: StakeholderType = StakeholderType.STAFF
    expertise: str = Field("", max_length=500)
    group_ids: list[int] = []


class OrganizationOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    website: str
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class OrganizationIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    slug: str = Field("", max_length=200)
    description: str = ""
    website: str = Field("", max_length=200)


class OrganizationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    slug: str | None = Field(None, max_length=200)
    description: str | None = None
    website: str | None = Field(None, max_length=200)


class GroupOut(Schema):
    id: int
    slug: str
    name: str
    kind: GroupKind
    purpose: str
    cadence: Cadence
    organization: OrganizationRef | None = None
    archived: bool
    member_count: int = 0
    url: str

    @staticmethod
    def resolve_archived(obj: Any) -> bool:
        return obj.archived_at is not None

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class MemberOut(Schema):
    person: PersonRef
    role: Role
    joined_at: datetime


class GroupDetailOut(GroupOut):
    members: list[MemberOut]
    clusters: list[GroupRef]
    linked_groups: list[GroupRef]

    @staticmethod
    def resolve_members(obj: Any) -> list[Any]:
        return selectors.group_members(obj)

    @staticmethod
    def resolve_clusters(obj: Any) -> list[Any]:
        return selectors.group_clusters(obj)

    @staticmethod
    def resolve_linked_groups(obj: Any) -> list[Any]:
        return selectors.cluster_groups(obj)


class GroupIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    slug: str = Field("", max_length=200)
    kind: GroupKind = GroupKind.IMPACT
    purpose: str = Field("", max_length=5000)
    cadence: Cadence = Cadence.FORTNIGHTLY
    organization_id: int | None = None
    cluster_ids: list[int] = []


class GroupPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    slug: str | None = Field(None, max_length=200)
    kind: GroupKind | None = None
    purpose: str | None = Field(None, max_length=5000)
    cadence: Cadence | None = None
    organization_id: int | None = None
    cluster_ids: list[int] | None = None
    archived: bool | None = None


class MemberIn(Schema):
    username: str
    role: Role = Role.MEMBER


class InvitationIn(Schema):
    email: str = Field(..., min_length=3, max_length=254)
    group_id: int | None = None
    role: Role = Role.MEMBER
    message: str = Field("", max_length=2000)


class InvitationOut(Schema):
    id: int
    email: str
    group: GroupRef | None = None
    role: Role
    message: str
    invited_by: PersonRef
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None = None
    revoked_at: datetime | None = None
    usable: bool

    @staticmethod
    def resolve_usable(obj: Any) -> bool:
        return obj.is_usable


class InvitationCreatedOut(InvitationOut):
    link: str

    @staticmethod
    def resolve_link(obj: Any) -> str:
        return services.invitation_link(obj)


class TokenOut(Schema):
    id: int
    name: str
    hint: str
    created_at: datetime
    last_used_at: datetime | None = None


class TokenCreatedOut(TokenOut):
    token: str = Field(..., description="The token itself. Shown once; store it safely.")


class TokenIn(Schema):
    name: str = Field("", max_length=100)


# Helpers --------------------------------------------------------------------------------


def _organization(organization_id: int | None, field: str = "organization_id") -> Any:
    if organization_id is None:
        return None
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError({field: _("There is no organization with this id.")})
    return organization


def _clusters(ids: list[int]) -> list[Group]:
    clusters = list(Group.objects.filter(pk__in=ids))
    if len(clusters) != len(set(ids)):
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError({"cluster_ids": _("One of these ids is not a group.")})
    return clusters


def _groups(ids: list[int]) -> list[Group]:
    groups = list(Group.objects.filter(pk__in=ids, archived_at__isnull=True))
    if len(groups) != len(set(ids)):
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError({"group_ids": _("One of these ids is not an open group.")})
    return groups


# People ---------------------------------------------------------------------------------


@router.get("/me", response=PersonPrivateOut, auth=MEMBER_AUTH)
def me(request: HttpRequest) -> Any:
    person = member(request)
    return selectors.get_person_for(person, person.username)


@router.get("/people", response=list[PersonOut], auth=MEMBER_AUTH)
@paginate(Pagination)
def list_people(
    request: HttpRequest,
    q: str | None = None,
    organization: int | None = None,
    stakeholder_type: str | None = None,
    group: int | None = None,
) -> Any:
    return selectors.person_list(
        viewer=member(request),
        q=q,
        organization=organization,
        stakeholder_type=stakeholder_type,
        group=group,
    )


@router.post("/people", response={201: PersonPrivateOut}, auth=MEMBER_AUTH)
def create_person(request: HttpRequest, payload: PersonIn) -> Any:
    """Stewards sign someone up; they get an email with a link to choose a password."""
    steward = member(request)
    access.require_steward(steward)
    data = payload.dict()
    groups = _groups(data.pop("group_ids"))
    data["organization"] = _organization(data.pop("organization_id"))
    person = services.steward_create_person(viewer=steward, groups=groups, **data)
    return Status(201, selectors.get_person_for(steward, person.username))


@router.get("/people/{username}", response=PersonOut, auth=MEMBER_AUTH)
def get_person(request: HttpRequest, username: str) -> Any:
    return selectors.get_person_for(member(request), username)


@router.patch("/people/{username}", response=PersonPrivateOut, auth=MEMBER_AUTH)
def update_person(request: HttpRequest, username: str, payload: PersonPatch) -> Any:
    viewer = member(request)
    person = selectors.get_person_for(viewer, username, write=True)
    data = payload.dict(exclude_unset=True)
    if "organization_id" in data:
        data["organization"] = _organization(data.pop("organization_id"))
    services.person_update(viewer=viewer, person=person, **data)
    return selectors.get_person_for(viewer, username)


# Organizations --------------------------------------------------------------------------


@router.get("/organizations", response=list[OrganizationOut], auth=MEMBER_AUTH)
@paginate(Pagination)
def list_organizations(request: HttpRequest) -> Any:
    return selectors.organization_list(viewer=member(request))


@router.get("/organizations/{slug}", response=OrganizationOut, auth=MEMBER_AUTH)
def get_organization(request: HttpRequest, slug: str) -> Any:
    return selectors.get_organization_for(member(request), slug)


@router.post("/organizations", response={201: OrganizationOut}, auth=MEMBER_AUTH)
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Any:
    return Status(201, services.organization_create(viewer=member(request), **payload.dict()))


@router.patch("/organizations/{slug}", response=OrganizationOut, auth=MEMBER_AUTH)
def update_organization(request: HttpRequest, slug: str, payload: OrganizationPatch) -> Any:
    viewer = member(request)
    organization = selectors.get_organization_for(viewer, slug)
    return services.organization_update(
        viewer=viewer, organization=organization, **payload.dict(exclude_unset=True)
    )


# Groups ---------------------------------------------------------------------------------


@router.get("/groups", response=list[GroupOut], auth=MEMBER_AUTH)
@paginate(Pagination)
def list_groups(
    request: HttpRequest, kind: str | None = None, q: str | None = None, archived: bool = False
) -> Any:
    return selectors.group_list(viewer=member(request), kind=kind, q=q, include_archived=archived)


@router.get("/groups/{slug}", response=GroupDetailOut, auth=MEMBER_AUTH)
def get_group(request: HttpRequest, slug: str) -> Any:
    return selectors.get_group_for(member(request), slug)


@router.post("/groups", response={201: GroupDetailOut}, auth=MEMBER_AUTH)
def create_group(request: HttpRequest, payload: GroupIn) -> Any:
    viewer = member(request)
    access.require_steward(viewer)
    data = payload.dict()
    data["organization"] = _organization(data.pop("organization_id"))
    data["clusters"] = _clusters(data.pop("cluster_ids"))
    group = services.group_create(viewer=viewer, **data)
    return Status(201, selectors.get_group_for(viewer, group.slug))


@router.patch("/groups/{slug}", response=GroupDetailOut, auth=MEMBER_AUTH)
def update_group(request: HttpRequest, slug: str, payload: GroupPatch) -> Any:
    viewer = member(request)
    group = selectors.get_group_for(viewer, slug)
    access.require_steward(viewer)
    data = payload.dict(exclude_unset=True)
    archived = data.pop("archived", None)
    if "organization_id" in data:
        data["organization"] = _organization(data.pop("organization_id"))
    cluster_ids = data.pop("cluster_ids", None)
    clusters = _clusters(cluster_ids) if cluster_ids is not None else None
    group = services.group_update(viewer=viewer, group=group, clusters=clusters, **data)
    if archived is not None:
        services.group_archive(viewer=viewer, group=group, archive=archived)
    return selectors.get_group_for(viewer, group.slug)


@router.post("/groups/{slug}/members", response={201: MemberOut}, auth=MEMBER_AUTH)
def add_member(request: HttpRequest, slug: str, payload: MemberIn) -> Any:
    viewer = member(request)
    group = selectors.get_group_for(viewer, slug, manage=True)
    person = selectors.person_by_username(payload.username)
    membership = services.membership_set(
        viewer=viewer, person=person, group=group, role=payload.role
    )
    return Status(201, membership)


@router.delete("/groups/{slug}/members/{username}", response={204: None}, auth=MEMBER_AUTH)
def remove_member(request: HttpRequest, slug: str, username: str) -> Any:
    """Stewards and the group's moderators remove anyone; a member may remove themself."""
    viewer = member(request)
    group = selectors.get_group_for(viewer, slug, manage=username != viewer.username)
    person = selectors.get_group_member(group, username)
    services.membership_remove(viewer=viewer, person=person, group=group)
    return Status(204, None)


# Invitations ----------------------------------------------------------------------------


@router.post("/invitations", response={201: InvitationCreatedOut}, auth=MEMBER_AUTH)
def create_invitation(request: HttpRequest, payload: InvitationIn) -> Any:
    viewer = member(request)
    group = selectors.get_group_or_none(payload.group_id)
    invitation = services.invitation_create(
        viewer=viewer,
        email=payload.email,
        group=group,
        role=payload.role,
        message=payload.message,
    )
    return Status(201, invitation)


@router.get("/invitations", response=list[InvitationOut], auth=MEMBER_AUTH)
@paginate(Pagination)
def list_invitations(request: HttpRequest, pending: bool = False) -> Any:
    viewer = member(request)
    access.require_steward(viewer)
    return selectors.invitation_list(viewer=viewer, pending_only=pending)


@router.delete("/invitations/{pk}", response={204: None}, auth=MEMBER_AUTH)
def revoke_invitation(request: HttpRequest, pk: int) -> Any:
    viewer = member(request)
    invitation = selectors.get_invitation_for(viewer, pk)
    services.invitation_revoke(viewer=viewer, invitation=invitation)
    return Status(204, None)


# Tokens ---------------------------------------------------------------------------------


@router.get("/tokens", response=list[TokenOut], auth=MEMBER_AUTH)
def list_tokens(request: HttpRequest) -> Any:
    return selectors.token_list(member(request))


@router.post("/tokens", response={201: TokenCreatedOut}, auth=MEMBER_AUTH)
def create_token(request: HttpRequest, payload: TokenIn) -> Any:
    token, raw = services.token_create(person=member(request), name=payload.name)
    token.token = raw  # type: ignore[attr-defined]
    return Status(201, token)


@router.delete("/tokens/{pk}", response={204: None}, auth=MEMBER_AUTH)
def revoke_token(request: HttpRequest, pk: int) -> Any:
    viewer = member(request)
    services.token_revoke(viewer=viewer, token=selectors.get_token_for(viewer, pk))
    return Status(204, None)
