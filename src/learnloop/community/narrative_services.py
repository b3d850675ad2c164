"""Writes for opportunity narratives.

Who may publish: stewards for the whole network; for a creation space, stewards and the
moderators of the space itself or of any group linked to it. Who may change a narrative
afterwards is what `access` says for every shared item: its author, a moderator of its
space, and stewards. A narrative links only records its editor may see; links to records
the editor cannot see (made by someone else) are kept untouched when they edit it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from learnloop.community.models import Narrative
from learnloop.core import access
from learnloop.core.models import Visibility
from learnloop.core.publication import publication_check, publication_record
from learnloop.core.services import (
    audit,
    item_touch,
    revision_record,
    tags_from_text,
    validate_visibility,
)
from learnloop.people.models import Group, GroupKind, Membership, Role

NARRATIVE_FIELDS = ("title", "opportunity", "call_to_act", "group", "visibility")


def publishable_spaces(viewer: Any) -> Any:
    """The creation spaces the viewer may publish a narrative for."""
    spaces = Group.objects.filter(kind=GroupKind.CLUSTER, archived_at__isnull=True)
    if access.is_steward(viewer):
        return spaces.order_by("name")
    if not access.is_member(viewer):
        return spaces.none()
    moderated = Membership.objects.filter(person=viewer, role=Role.MODERATOR)
    return (
        spaces.filter(
            Q(pk__in=moderated.values("group_id"))
            | Q(linked_groups__in=moderated.values("group_id"))
        )
        .distinct()
        .order_by("name")
    )


def can_publish(viewer: Any, scope: Group | None) -> bool:
    """May the viewer publish for `scope` (a creation space, or None for the network)?"""
    if access.is_steward(viewer):
        return scope is None or scope.kind == GroupKind.CLUSTER
    if scope is None or not access.is_member(viewer):
        return False
    return publishable_spaces(viewer).filter(pk=scope.pk).exists()


def may_publish_somewhere(viewer: Any) -> bool:
    return access.is_steward(viewer) or publishable_spaces(viewer).exists()


def _check_scope(viewer: Any, scope: Group | None) -> None:
    if scope is not None and scope.kind != GroupKind.CLUSTER:
        raise ValidationError(
            {"group": _("A narrative belongs to the whole network or to a creation space.")}
        )
    if scope is not None and scope.archived_at is not None:
        raise ValidationError({"group": _("This space is archived.")})
    if not can_publish(viewer, scope):
        if scope is None:
            raise ValidationError(
                {"group": _("Only stewards publish for the whole network: choose a space.")}
            )
        raise ValidationError(
            {"group": _("Only stewards and the moderators of this space's groups publish for it.")}
        )


def _check_links(
    *,
    viewer: Any,
    scope: Group | None,
    groups: Iterable[Group],
    questions: Iterable[Any],
    ideas: Iterable[Any],
) -> None:
    groups = list(groups)
    if scope is not None:
        allowed = set(scope.linked_groups.values_list("pk", flat=True))
        outside = [g.name for g in groups if g.pk not in allowed]
        if outside:
            raise ValidationError(
                {
                    "groups": _("Not linked to this space: %(names)s.")
                    % {"names": ", ".join(sorted(outside))}
                }
            )
    if any(g.kind == GroupKind.CLUSTER for g in groups):
        raise ValidationError({"groups": _("Link the groups themselves, not a space.")})
    for name, items in (("questions", questions), ("ideas", ideas)):
        for item in items:
            if item.deleted_at is not None or not access.can_view(viewer, item):
                raise ValidationError({name: _("You can only link records you can see.")})


def _kept_hidden(viewer: Any, current: Iterable[Any]) -> list[Any]:
    """Linked records the editor cannot see: an edit must not drop them unseen."""
    return [item for item in current if not access.can_view(viewer, item)]


def _tell_moderators(*, narrative: Narrative, groups: Iterable[Group], actor: Any) -> None:
    """Moderators of the groups a published narrative names hear about it once."""
    from learnloop.notifications.models import NotificationKind
    from learnloop.notifications.services import notify
    from learnloop.people.models import Person

    if narrative.visibility == Visibility.DRAFT or narrative.deleted_at is not None:
        return
    ids = [g.pk for g in groups]
    if not ids:
        return
    moderators = Person.objects.filter(
        is_active=True, memberships__group_id__in=ids, memberships__role=Role.MODERATOR
    ).distinct()
    recipients = [p for p in moderators if access.can_view(p, narrative)]
    notify(
        recipients=recipients,
        kind=NotificationKind.SYSTEM,
        title=_("Your group is named in an opportunity narrative: %(title)s")
        % {"title": narrative.title},
        url=narrative.get_absolute_url(),
        body=narrative.call_to_act,
        actor=actor,
        target=narrative,
    )


@transaction.atomic
def narrative_create(
    *,
    author: Any,
    title: str,
    opportunity: str,
    call_to_act: str,
    group: Group | None = None,
    visibility: str = Visibility.NETWORK,
    tags: str | Iterable[str] = (),
    groups: Iterable[Group] = (),
    questions: Iterable[Any] = (),
    ideas: Iterable[Any] = (),
    guidelines_confirmed: bool = False,
) -> Narrative:
    access.require_member(author)
    if not may_publish_somewhere(author):
        raise PermissionDenied
    _check_scope(author, group)
    validate_visibility(visibility=visibility, group=group, author=author)
    ticked = publication_check(
        actor=author, item_or_none=None, visibility=visibility, confirmed=guidelines_confirmed
    )
    groups, questions, ideas = list(groups), list(questions), list(ideas)
    _check_links(viewer=author, scope=group, groups=groups, questions=questions, ideas=ideas)
    narrative = Narrative(
        author=author,
        title=(title or "").strip(),
        opportunity=(opportunity or "").strip(),
        call_to_act=(call_to_act or "").strip(),
        group=group,
        visibility=visibility,
    )
    narrative.full_clean(exclude=["author", "group", "deleted_by"])
    narrative.save()
    narrative.tags.set(tags_from_text(tags))
    narrative.groups.set(groups)
    narrative.questions.set(questions)
    narrative.ideas.set(ideas)
    publication_record(actor=author, item=narrative, ticked=ticked)
    revision_record(item=narrative, author=author, summary=_("Published"))
    audit(author, "published an opportunity narrative", narrative)
    _tell_moderators(narrative=narrative, groups=groups, actor=author)
    return narrative


@transaction.atomic
def narrative_update(
    *,
    viewer: Any,
    narrative: Narrative,
    tags: str | Iterable[str] | None = None,
    groups: Iterable[Group] | None = None,
    questions: Iterable[Any] | None = None,
    ideas: Iterable[Any] | None = None,
    guidelines_confirmed: bool = False,
    **fields: Any,
) -> Narrative:
    if not access.can_change(viewer, narrative) or narrative.deleted_at is not None:
        raise PermissionDenied
    unknown = set(fields) - set(NARRATIVE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    ticked = publication_check(
        actor=viewer,
        item_or_none=narrative,
        visibility=fields.get("visibility") or narrative.visibility,
        confirmed=guidelines_confirmed,
    )
    was_draft = narrative.visibility == Visibility.DRAFT
    before_groups = set(narrative.groups.values_list("pk", flat=True))
    if "group" in fields and fields["group"] != narrative.group:
        _check_scope(viewer, fields["group"])
    for name, value in fields.items():
        if name in ("title", "opportunity", "call_to_act"):
            value = (value or "").strip()
        setattr(narrative, name, value)
    validate_visibility(
        visibility=narrative.visibility, group=narrative.group, author=narrative.author
    )
    new_groups = list(groups) if groups is not None else list(narrative.groups.all())
    asked_questions = list(questions) if questions is not None else []
    asked_ideas = list(ideas) if ideas is not None else []
    _check_links(
        viewer=viewer,
        scope=narrative.group,
        groups=new_groups,
        questions=asked_questions,
        ideas=asked_ideas,
    )
    new_questions = (
        asked_questions + _kept_hidden(viewer, narrative.questions.all())
        if questions is not None
        else list(narrative.questions.all())
    )
    new_ideas = (
        asked_ideas + _kept_hidden(viewer, narrative.ideas.all())
        if ideas is not None
        else list(narrative.ideas.all())
    )
    item_touch(narrative, list(fields))
    if tags is not None:
        narrative.tags.set(tags_from_text(tags))
    narrative.groups.set(new_groups)
    narrative.questions.set(new_questions)
    narrative.ideas.set(new_ideas)
    publication_record(actor=viewer, item=narrative, ticked=ticked)
    revision_record(item=narrative, author=viewer, summary=_("Edited"))
    audit(viewer, "edited", narrative)
    if was_draft:
        _tell_moderators(narrative=narrative, groups=new_groups, actor=viewer)
    else:
        added = [g for g in new_groups if g.pk not in before_groups]
        _tell_moderators(narrative=narrative, groups=added, actor=viewer)
    return narrative
