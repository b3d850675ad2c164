"""The one place that decides who may see and change what.

Every view, API handler and selector asks here. Rules:

* anonymous visitors see public items only;
* members see public and network items, group items of groups they belong to (and of the
  clusters, or creation spaces, those groups are linked to), and their own items of any
  visibility (drafts included);
* stewards see everything but other people's private drafts;
* deleted items are seen by stewards only (to restore them);
* an item may be changed by its author, by a moderator of its group, and by stewards.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import CharField, Model, Q, QuerySet, Value
from django.http import Http404

from learnloop.core.models import SharedItem, Visibility

Viewer = Any  # a Person or AnonymousUser
T = TypeVar("T", bound=Model)


def is_member(viewer: Viewer) -> bool:
    return bool(viewer is not None and viewer.is_authenticated and viewer.is_active)


def is_steward(viewer: Viewer) -> bool:
    return is_member(viewer) and bool(viewer.is_steward or viewer.is_superuser)


def _memberships(viewer: Viewer) -> dict[int, str]:
    """group id → role, loaded once per request and kept on the viewer object."""
    if not is_member(viewer):
        return {}
    cached = getattr(viewer, "_ll_memberships", None)
    if cached is None:
        # A cluster is a creation space: everyone in one of its linked groups takes part in
        # it as a member, without a membership row of their own. One query for both.
        membership = viewer.memberships.model
        through = membership.group.field.related_model.clusters.through
        spaces = through.objects.filter(from_group__memberships__person=viewer).order_by()
        spaces = spaces.values_list("to_group_id", Value("member", output_field=CharField()))
        cached = {}
        mine = viewer.memberships.order_by().values_list("group_id", "role")
        for group_id, role in mine.union(spaces, all=True):
            if cached.get(group_id) != "moderator":
                cached[group_id] = role
        viewer._ll_memberships = cached
    return cached


def forget_memberships(viewer: Viewer) -> None:
    if hasattr(viewer, "_ll_memberships"):
        del viewer._ll_memberships


def group_ids(viewer: Viewer) -> set[int]:
    return set(_memberships(viewer))


def is_group_member(viewer: Viewer, group_id: int | None) -> bool:
    return group_id is not None and group_id in _memberships(viewer)


def is_group_moderator(viewer: Viewer, group_id: int | None) -> bool:
    return group_id is not None and _memberships(viewer).get(group_id) == "moderator"


def visible_q(viewer: Viewer, prefix: str = "") -> Q:
    """A filter for SharedItem rows the viewer may see; `prefix` reaches a related item."""

    def f(**kw: Any) -> Q:
        return Q(**{prefix + k: v for k, v in kw.items()})

    alive = f(deleted_at__isnull=True)
    if not is_member(viewer):
        return alive & f(visibility=Visibility.PUBLIC)
    seen = f(visibility__in=[Visibility.PUBLIC, Visibility.NETWORK]) | f(author_id=viewer.pk)
    if is_steward(viewer):
        seen |= f(visibility=Visibility.GROUP)
    else:
        seen |= f(visibility=Visibility.GROUP, group_id__in=sorted(group_ids(viewer)))
    return alive & seen


def visible(viewer: Viewer, queryset: QuerySet[T]) -> QuerySet[T]:
    return queryset.filter(visible_q(viewer))


def can_view(viewer: Viewer, item: SharedItem) -> bool:
    if item.deleted_at is not None:
        return is_steward(viewer)
    if item.visibility == Visibility.PUBLIC:
        return True
    if not is_member(viewer):
        return False
    if item.author_id == viewer.pk or item.visibility == Visibility.NETWORK:
        return True
    if item.visibility == Visibility.GROUP:
        return is_steward(viewer) or is_group_member(viewer, item.group_id)
    return False  # someone else's private draft


def can_change(viewer: Viewer, item: SharedItem) -> bool:
    if not can_view(viewer, item) or not is_member(viewer):
        return False
    return (
        item.author_id == viewer.pk
        or is_steward(viewer)
        or (item.visibility != Visibility.DRAFT and is_group_moderator(viewer, item.group_id))
    )


def can_contribute(viewer: Viewer, item: SharedItem) -> bool:
    """Comment, endorse, answer, link evidence: any member who can see a live item."""
    return is_member(viewer) and item.deleted_at is None and can_view(viewer, item)


def can_moderate_group(viewer: Viewer, group_id: int | None) -> bool:
    return is_steward(viewer) or is_group_moderator(viewer, group_id)


def get_for(viewer: Viewer, queryset: QuerySet[T], pk: Any, *, write: bool = False) -> T:
    """Fetch an item by a user-supplied id: 404 if the viewer may not see it, 403 if they
    may see it but not change it."""
    try:
        obj = queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    assert isinstance(obj, SharedItem)
    if not can_view(viewer, obj):
        raise Http404
    if write and not can_change(viewer, obj):
        raise PermissionDenied
    return obj


def require_member(viewer: Viewer) -> None:
    if not is_member(viewer):
        raise PermissionDenied


def require_steward(viewer: Viewer) -> None:
    if not is_steward(viewer):
        raise PermissionDenied


def anonymous() -> AnonymousUser:
    return AnonymousUser()
