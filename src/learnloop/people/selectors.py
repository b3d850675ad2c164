"""Reads for people and structure. Groups, organizations and member profiles are visible to
every member; anonymous visitors see none of them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.people.models import Group, Organization, Person


def group_list(
    *, viewer: Any, kind: str | None = None, include_archived: bool = False
) -> QuerySet[Group]:
    if not access.is_member(viewer):
        return Group.objects.none()
    qs = Group.objects.all()
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    return (
        qs.select_related("organization")
        .annotate(member_count=Count("memberships"))
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


def person_list(
    *,
    viewer: Any,
    q: str | None = None,
    organization: int | None = None,
    stakeholder_type: str | None = None,
    group: int | None = None,
) -> QuerySet[Person]:
    if not access.is_member(viewer):
        return Person.objects.none()
    qs = Person.objects.filter(is_active=True)
    if q:
        from django.db.models import Q

        qs = qs.filter(
            Q(display_name__icontains=q)
            | Q(username__icontains=q)
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
    return qs.select_related("organization").order_by("display_name", "username")


def organization_list(*, viewer: Any) -> QuerySet[Organization]:
    if not access.is_member(viewer):
        return Organization.objects.none()
    return Organization.objects.annotate(people_count=Count("people", distinct=True)).order_by(
        "name"
    )
