"""Reads for follows. What a person follows is theirs to see (and the digest's to use)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from learnloop.community.models import Follow
from learnloop.core import access
from learnloop.people.models import Group, GroupKind


def follow_list(*, person: Any) -> QuerySet[Follow]:
    """The groups and spaces a person follows, newest first."""
    if not access.is_member(person):
        return Follow.objects.none()
    return (
        Follow.objects.filter(person=person)
        .select_related("group", "group__organization")
        .annotate(
            member_count=Count("group__memberships", distinct=True),
            linked_count=Count("group__linked_groups", distinct=True),
        )
        .order_by("group__name")
    )


def followed_group_ids(person: Any) -> set[int]:
    """Ids of the groups whose work a person follows: the groups they follow, and for a
    followed creation space the space itself and every group linked to it. Members only;
    loaded once per request and kept on the person object."""
    if not access.is_member(person):
        return set()
    cached = getattr(person, "_ll_followed", None)
    if cached is None:
        direct = Follow.objects.filter(person=person).values_list("group_id", flat=True)
        linked = Group.clusters.through.objects.filter(
            to_group__followers__person=person, to_group__kind=GroupKind.CLUSTER
        ).values_list("from_group_id", flat=True)
        cached = set(direct.order_by().union(linked.order_by()))
        person._ll_followed = cached
    return set(cached)


def is_following(person: Any, group_id: int) -> bool:
    if not access.is_member(person):
        return False
    return Follow.objects.filter(person=person, group_id=group_id).exists()


def follower_count(group: Any) -> int:
    return Follow.objects.filter(group=group).count()
