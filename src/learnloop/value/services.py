"""Writes for value: convenings, value stories and their steps, calendar tokens."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.core.models import Visibility
from learnloop.core.publication import publication_check, publication_record
from learnloop.core.services import audit, item_touch, revision_record, validate_visibility
from learnloop.value.models import (
    CalendarToken,
    Convening,
    ConveningKind,
    StoryStep,
    ValueCycle,
    ValueStory,
)

CONVENING_FIELDS = (
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "place",
    "link",
    "other_participants",
    "notes",
    "outputs",
    "group",
    "visibility",
    "agenda",
)


def _check_times(convening: Convening) -> None:
    if convening.ends_at is not None and convening.ends_at < convening.starts_at:
        raise ValidationError({"ends_at": _("It cannot end before it starts.")})


def _participants(participants: Iterable[Any]) -> list[Any]:
    people = list(participants)
    for person in people:
        if not access.is_member(person):
            raise ValidationError(
                {"participants": _("Only active members can be listed as participants.")}
            )
    return people


@transaction.atomic
def convening_create(
    *,
    author: Any,
    title: str,
    starts_at: Any,
    kind: str = ConveningKind.MEETING,
    ends_at: Any = None,
    place: str = "",
    link: str = "",
    group: Any = None,
    visibility: str = Visibility.NETWORK,
    participants: Iterable[Any] = (),
    other_participants: int = 0,
    notes: str = "",
    outputs: str = "",
    agenda: list[dict[str, Any]] | None = None,
    guidelines_confirmed: bool = False,
) -> Convening:
    access.require_member(author)
    validate_visibility(visibility=visibility, group=group, author=author)
    ticked = publication_check(
        actor=author, item_or_none=None, visibility=visibility, confirmed=guidelines_confirmed
    )
    convening = Convening(
        author=author,
        title=(title or "").strip(),
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=(place or "").strip(),
        link=(link or "").strip(),
        group=group,
        visibility=visibility,
        other_participants=other_participants or 0,
        notes=notes or "",
        outputs=outputs or "",
        agenda=list(agenda or []),
    )
    convening.full_clean(exclude=["author", "group", "deleted_by"])
    _check_times(convening)
    convening.save()
    convening.participants.set(_participants(participants))
    revision_record(item=convening, author=author, summary=_("Planned"))
    audit(author, "planned a convening", convening)
    publication_record(actor=author, item=convening, ticked=ticked)
    return convening


@transaction.atomic
def convening_update(
    *,
    viewer: Any,
    convening: Convening,
    participants: Iterable[Any] | None = None,
    guidelines_confirmed: bool = False,
    **fields: Any,
) -> Convening:
    if not access.can_change(viewer, convening):
        raise PermissionDenied
    return convening_record(
        viewer=viewer,
        convening=convening,
        participants=participants,
        guidelines_confirmed=guidelines_confirmed,
        **fields,
    )


@transaction.atomic
def convening_record(
    *,
    viewer: Any,
    convening: Convening,
    participants: Iterable[Any] | None = None,
    verb: str = "edited",
    guidelines_confirmed: bool = False,
    **fields: Any,
) -> Convening:
    """The write behind `convening_update`, for callers that have already decided the viewer
    may make this change (the members of a group running their meeting: see
    `community.meeting_services`)."""
    unknown = set(fields) - set(CONVENING_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    ticked = publication_check(
        actor=viewer,
        item_or_none=convening,
        visibility=fields.get("visibility") or convening.visibility,
        confirmed=guidelines_confirmed,
    )
    for name, value in fields.items():
        if name in ("title", "place", "link") and value is not None:
            value = value.strip()
        if name in ("notes", "outputs") and value is None:
            value = ""
        setattr(convening, name, value)
    validate_visibility(
        visibility=convening.visibility, group=convening.group, author=convening.author
    )
    _check_times(convening)
    item_touch(convening, list(fields))
    if participants is not None:
        convening.participants.set(_participants(participants))
    revision_record(item=convening, author=viewer, summary=_("Edited"))
    audit(viewer, verb, convening)
    publication_record(actor=viewer, item=convening, ticked=ticked)
    return convening


# Stories -----------------------------------------------------------------------------

STORY_FIELDS = ("title", "summary", "group", "visibility")
STEP_FIELDS = (
    "cycle",
    "narrative",
    "indicator",
    "convening",
    "learning",
    "product",
    "outcome",
    "measure_slug",
)


def _require_visible_links(viewer: Any, links: Mapping[str, Any]) -> None:
    """A step may only link records its writer can see; anything else is not found."""
    for name in ("convening", "learning", "product"):
        record = links.get(name)
        if record is not None and not access.can_view(viewer, record):
            raise Http404
    outcome = links.get("outcome")
    if outcome is not None and not access.can_view(viewer, outcome.plan):
        raise Http404


def _clean_step(step: StoryStep) -> None:
    if step.cycle not in ValueCycle.values:
        raise ValidationError({"cycle": _("Choose a cycle of value.")})
    step.narrative = (step.narrative or "").strip()
    step.indicator = (step.indicator or "").strip()
    step.measure_slug = (step.measure_slug or "").strip()
    if not step.narrative:
        raise ValidationError({"narrative": _("Tell what happened at this step.")})
    step.full_clean(exclude=["story", "convening", "learning", "product", "outcome", "added_by"])


@transaction.atomic
def story_create(
    *,
    author: Any,
    title: str,
    summary: str = "",
    group: Any = None,
    visibility: str = Visibility.NETWORK,
    steps: Iterable[Mapping[str, Any]] = (),
    guidelines_confirmed: bool = False,
) -> ValueStory:
    access.require_member(author)
    validate_visibility(visibility=visibility, group=group, author=author)
    ticked = publication_check(
        actor=author, item_or_none=None, visibility=visibility, confirmed=guidelines_confirmed
    )
    story = ValueStory(
        author=author,
        title=(title or "").strip(),
        summary=summary or "",
        group=group,
        visibility=visibility,
    )
    story.full_clean(exclude=["author", "group", "deleted_by"])
    story.save()
    for index, data in enumerate(steps):
        try:
            _step_add(viewer=author, story=story, **data)
        except ValidationError as exc:
            raise ValidationError(
                {f"steps.{index}.{k}": v for k, v in exc.message_dict.items()}
            ) from None
    revision_record(item=story, author=author, summary=_("Told"))
    audit(author, "told a value story", story)
    publication_record(actor=author, item=story, ticked=ticked)
    return story


@transaction.atomic
def story_update(
    *, viewer: Any, story: ValueStory, guidelines_confirmed: bool = False, **fields: Any
) -> ValueStory:
    if not access.can_change(viewer, story):
        raise PermissionDenied
    ticked = publication_check(
        actor=viewer,
        item_or_none=story,
        visibility=fields.get("visibility") or story.visibility,
        confirmed=guidelines_confirmed,
    )
    unknown = set(fields) - set(STORY_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    for name, value in fields.items():
        if name == "title":
            value = (value or "").strip()
        if name == "summary" and value is None:
            value = ""
        setattr(story, name, value)
    validate_visibility(visibility=story.visibility, group=story.group, author=story.author)
    item_touch(story, list(fields))
    revision_record(item=story, author=viewer, summary=_("Edited"))
    audit(viewer, "edited", story)
    publication_record(actor=viewer, item=story, ticked=ticked)
    return story


def _step_add(*, viewer: Any, story: ValueStory, **fields: Any) -> StoryStep:
    unknown = set(fields) - set(STEP_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in unknown})
    _require_visible_links(viewer, fields)
    step = StoryStep(story=story, added_by=viewer, **fields)
    _clean_step(step)
    step.save()
    return step


@transaction.atomic
def story_step_add(
    *,
    viewer: Any,
    story: ValueStory,
    cycle: str,
    narrative: str,
    indicator: str = "",
    convening: Convening | None = None,
    learning: Any = None,
    product: Any = None,
    outcome: Any = None,
    measure_slug: str = "",
) -> StoryStep:
    if not access.can_change(viewer, story) or story.deleted_at is not None:
        raise PermissionDenied
    step = _step_add(
        viewer=viewer,
        story=story,
        cycle=cycle,
        narrative=narrative,
        indicator=indicator,
        convening=convening,
        learning=learning,
        product=product,
        outcome=outcome,
        measure_slug=measure_slug,
    )
    _story_touched(story)
    audit(viewer, "added a step to a value story", story, step=step.pk, cycle=cycle)
    return step


@transaction.atomic
def story_step_update(*, viewer: Any, step: StoryStep, **fields: Any) -> StoryStep:
    story = step.story
    if not access.can_change(viewer, story) or story.deleted_at is not None:
        raise PermissionDenied
    unknown = set(fields) - set(STEP_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    # Only newly linked records are checked: a link someone else made stays as it was.
    changed = {k: v for k, v in fields.items() if getattr(step, k) != v}
    _require_visible_links(viewer, changed)
    for name, value in fields.items():
        setattr(step, name, value)
    _clean_step(step)
    step.save()
    _story_touched(story)
    audit(viewer, "edited a step of a value story", story, step=step.pk)
    return step


@transaction.atomic
def story_step_delete(*, viewer: Any, step: StoryStep) -> None:
    story = step.story
    if not access.can_change(viewer, story) or story.deleted_at is not None:
        raise PermissionDenied
    audit(viewer, "removed a step from a value story", story, step=step.pk, cycle=step.cycle)
    step.delete()
    _story_touched(story)


def _story_touched(story: ValueStory) -> None:
    story.updated_at = timezone.now()
    story.save(update_fields=["updated_at"])


# Calendar tokens ----------------------------------------------------------------------


def calendar_token_get(*, person: Any) -> CalendarToken:
    """A member's calendar token, made the first time it is asked for."""
    access.require_member(person)
    token, _created = CalendarToken.objects.get_or_create(
        person=person, defaults={"token": secrets.token_urlsafe(24)}
    )
    return token


@transaction.atomic
def calendar_token_reset(*, person: Any) -> CalendarToken:
    """A new secret: every calendar subscribed with the old one stops updating."""
    access.require_member(person)
    token, created = CalendarToken.objects.get_or_create(
        person=person, defaults={"token": secrets.token_urlsafe(24)}
    )
    if not created:
        token.token = secrets.token_urlsafe(24)
        token.created_at = timezone.now()
        token.save(update_fields=["token", "created_at"])
    audit(person, "reset the calendar token")
    return token
