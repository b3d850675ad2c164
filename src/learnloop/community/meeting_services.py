"""Writes for impact-group meetings: plan one with an agenda built from what is open in the
group, record who came and what was said, and capture the step back as learnings.

The meeting itself is a `value.Convening`, created and changed through the value app's
services (`convening_create`, `convening_record`), so revisions, audit and the page cache
work as for any convening. Who may do what is decided here (see meeting_selectors): the
group's members plan and run their meetings together.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from learnloop.community import meeting_selectors as sel
from learnloop.core import access
from learnloop.core.models import Visibility
from learnloop.people.models import Group
from learnloop.value.models import Convening
from learnloop.value.services import convening_create, convening_record

MAX_ENTRIES = 40
MAX_NOTE = 5000
MAX_ANSWER = 5000
MEETING_VISIBILITIES = (Visibility.GROUP, Visibility.NETWORK)


def _own_entry(title: str, *, kind: str = "own", why: str = "", key: str = "") -> dict[str, Any]:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Say what the item is about.")})
    if len(title) > 300:
        raise ValidationError({"title": _("Keep an agenda item under 300 characters.")})
    return {
        "key": key or f"own-{secrets.token_hex(4)}",
        "kind": kind,
        "id": None,
        "title": title,
        "url": "",
        "why": " ".join((why or "").split())[:500],
        "note": "",
        "done": False,
    }


def _split_step_back(agenda: Iterable[Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    items: list[dict[str, Any]] = []
    back: dict[str, Any] | None = None
    for entry in agenda or []:
        if not isinstance(entry, dict):
            continue
        if entry.get("kind") == sel.STEP_BACK:
            back = back or dict(entry)
        else:
            items.append(dict(entry))
    back = back or sel.step_back_entry()
    back.setdefault("answers", [])
    return items, back


def _locked(meeting: Convening) -> Convening:
    """The meeting re-read under a row lock: agenda and step back are one JSON value that
    several people may be adding to at the same time."""
    return (
        Convening.objects.select_for_update(of=("self",))
        .select_related("group", "author")
        .get(pk=meeting.pk)
    )


# Planning -------------------------------------------------------------------------------


@transaction.atomic
def meeting_plan(
    *,
    planner: Any,
    group: Group,
    starts_at: datetime,
    title: str = "",
    ends_at: datetime | None = None,
    place: str = "",
    link: str = "",
    visibility: str = Visibility.GROUP,
    picked: Sequence[str] = (),
    own_items: Sequence[str] = (),
) -> Convening:
    """Plan the group's next meeting. `picked` names, in order, the open records to put on
    the agenda (keys from `agenda_candidates` for the planner and the meeting's date);
    `own_items` are the planner's own, added after them; the step back closes it. The
    group's members hear of it (kind MEETING) when it lies ahead."""
    if not sel.may_plan(planner, group):
        if group.archived_at is not None and access.is_member(planner):
            raise ValidationError(_("This group is archived; it no longer plans meetings."))
        raise PermissionDenied
    if visibility not in MEETING_VISIBILITIES:
        raise ValidationError(
            {"visibility": _("A group meeting is seen by the group, or by the whole network.")}
        )
    if starts_at is None:
        raise ValidationError({"starts_at": _("Say when the meeting starts.")})
    on = timezone.localdate(starts_at)
    candidates = {
        e["key"]: e
        for e in sel.agenda_candidates(
            viewer=planner, group=group, on=max(on, timezone.localdate())
        )
    }
    chosen = list(dict.fromkeys(k for k in picked if k))
    missing = [k for k in chosen if k not in candidates]
    if missing:
        raise ValidationError(
            {
                "agenda": _(
                    "Some chosen items are no longer open or cannot be found (%(keys)s). "
                    "The list now shows what is open; check it and save again."
                )
                % {"keys": ", ".join(missing)}
            }
        )
    agenda = [dict(candidates[k]) for k in chosen]
    agenda += [_own_entry(text) for text in own_items if text and text.strip()]
    if len(agenda) > MAX_ENTRIES:
        raise ValidationError(
            {
                "agenda": _("An agenda of more than %(n)d items is too long for one meeting.")
                % {"n": MAX_ENTRIES}
            }
        )
    agenda.append(sel.step_back_entry())
    meeting = convening_create(
        author=planner,
        title=(title or "").strip() or sel.default_title(group, starts_at),
        kind=sel.MEETING,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        link=link,
        group=group,
        visibility=visibility,
        agenda=agenda,
    )
    if meeting.starts_at > timezone.now():
        _tell_members(meeting, planner)
    return meeting


def meeting_when(meeting: Convening) -> str:
    return date_format(timezone.localtime(meeting.starts_at), "l j F, H:i")


def meeting_details(meeting: Convening, viewer: Any = None) -> str:
    """Where the meeting is and what is on its agenda: the lines that follow a notice's
    first sentence (empty when there is neither). With a viewer, the agenda as they may see
    it now (records deleted or hidden since planning are left out); without one, the titles
    stored at planning, when the agenda was just built from what the whole group sees."""
    if viewer is None:
        titles = [
            str(e.get("title", ""))
            for e in meeting.agenda or []
            if isinstance(e, dict) and e.get("kind") != sel.STEP_BACK
        ]
    else:
        titles = [e.title for e in sel.agenda_view(viewer=viewer, meeting=meeting) if e.visible]
    items = [f"- {t}" for t in titles]
    text = ("\n" + _("Where: %(place)s") % {"place": meeting.place}) if meeting.place else ""
    if items:
        text += "\n\n" + _("On the agenda:") + "\n" + "\n".join(items)
    return text


def planned_notice(meeting: Convening, planner: Any) -> tuple[str, str]:
    """The title and text that tell the group a meeting was planned."""
    group = meeting.group
    assert group is not None
    when = meeting_when(meeting)
    body = _("%(planner)s planned the next meeting of %(group)s: %(when)s.") % {
        "planner": planner.name,
        "group": group.name,
        "when": when,
    }
    body += meeting_details(meeting)
    title = _("%(group)s meets on %(when)s") % {"group": group.name, "when": when}
    return title, body


def _tell_members(meeting: Convening, planner: Any) -> None:
    from learnloop.notifications.models import NotificationKind
    from learnloop.notifications.services import notify

    assert meeting.group is not None
    title, body = planned_notice(meeting, planner)
    notify(
        recipients=[m.person for m in sel.group_members(meeting.group)],
        kind=NotificationKind.MEETING,
        title=title,
        url=meeting_url(meeting),
        body=body,
        actor=planner,
        target=meeting,
    )


def meeting_url(meeting: Convening) -> str:
    from django.urls import reverse

    assert meeting.group is not None
    return reverse("meetings:meeting", args=[meeting.group.slug, meeting.pk])


# Running the meeting --------------------------------------------------------------------


def _require_run(viewer: Any, meeting: Convening) -> None:
    if not sel.may_run(viewer, meeting):
        raise PermissionDenied


def _reordered(
    agenda: list[Any], entries: Sequence[Mapping[str, Any]], drop: Iterable[str]
) -> list[dict[str, Any]]:
    """The agenda with `entries` (each {"key", "note"?, "done"?}) first, in that order,
    then any items not mentioned (someone may have added one meanwhile), without those
    named in `drop`; the step back stays last, with its answers."""
    items, back = _split_step_back(agenda)
    by_key = {str(e.get("key")): e for e in items}
    dropped = set(drop)
    unknown = [str(e.get("key")) for e in entries if str(e.get("key")) not in by_key]
    unknown += [k for k in dropped if k not in by_key]
    if unknown:
        raise ValidationError(
            {
                "agenda": _("These items are not on the agenda: %(keys)s.")
                % {"keys": ", ".join(unknown)}
            }
        )
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for e in entries:
        key = str(e.get("key"))
        if key in seen or key in dropped:
            continue
        seen.add(key)
        item = by_key[key]
        if "note" in e and e["note"] is not None:
            note = str(e["note"]).strip()
            if len(note) > MAX_NOTE:
                raise ValidationError(
                    {f"note-{key}": _("Keep a note under %(n)d characters.") % {"n": MAX_NOTE}}
                )
            item["note"] = note
        if "done" in e and e["done"] is not None:
            item["done"] = bool(e["done"])
        out.append(item)
    out += [i for i in items if str(i.get("key")) not in seen and str(i.get("key")) not in dropped]
    return [*out, back]


@transaction.atomic
def meeting_record(
    *,
    viewer: Any,
    meeting: Convening,
    participants: Iterable[Any] | None = None,
    other_participants: int | None = None,
    notes: str | None = None,
    entries: Sequence[Mapping[str, Any]] | None = None,
    drop: Iterable[str] = (),
) -> Convening:
    """Record who came (the group's members, plus a number of others), the meeting's
    notes, and per agenda item its note, whether it was dealt with, and its place."""
    _require_run(viewer, meeting)
    fresh = _locked(meeting)
    fields: dict[str, Any] = {}
    drop = list(drop)
    if entries is not None or drop:
        fields["agenda"] = _reordered(fresh.agenda, entries or [], drop)
    if other_participants is not None:
        if other_participants < 0:
            raise ValidationError({"other_participants": _("Give a number from 0 up.")})
        fields["other_participants"] = other_participants
    if notes is not None:
        fields["notes"] = notes
    people = None
    if participants is not None:
        people = list(participants)
        allowed = set(sel.attendance_choices(fresh).values_list("pk", flat=True))
        strangers = [p.name for p in people if p.pk not in allowed]
        if strangers:
            raise ValidationError(
                {
                    "participants": _(
                        "Only the group's members can be ticked as present (%(names)s is "
                        "not). Count others under “others who came”."
                    )
                    % {"names": ", ".join(strangers)}
                }
            )
    convening_record(
        viewer=viewer, convening=fresh, participants=people, verb="recorded a meeting", **fields
    )
    return fresh


@transaction.atomic
def meeting_agenda_add(
    *, viewer: Any, meeting: Convening, title: str, why: str = "", kind: str = "own", key: str = ""
) -> dict[str, Any]:
    """Add an item of one's own (or a powerful question) before the step back."""
    _require_run(viewer, meeting)
    fresh = _locked(meeting)
    items, back = _split_step_back(fresh.agenda)
    entry = _own_entry(title, kind=kind, why=why, key=key)
    if any(i.get("key") == entry["key"] for i in items):
        raise ValidationError({"title": _("This is on the agenda already.")})
    if len(items) >= MAX_ENTRIES:
        raise ValidationError(
            {"title": _("The agenda has %(n)d items already: drop one first.") % {"n": MAX_ENTRIES}}
        )
    convening_record(
        viewer=viewer,
        convening=fresh,
        agenda=[*items, entry, back],
        verb="added to a meeting's agenda",
    )
    meeting.agenda = fresh.agenda
    return entry


# The step back -------------------------------------------------------------------------


@transaction.atomic
def reflection_add(
    *, viewer: Any, meeting: Convening, answers: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Add answers to the step back's questions (`answers`: prompt key → text)."""
    if not sel.may_reflect(viewer, meeting):
        raise PermissionDenied
    prompts = set(sel.REFLECTION_LABELS)
    unknown = [k for k in answers if k not in prompts]
    if unknown:
        raise ValidationError({k: _("There is no such question.") for k in unknown})
    texts = {k: (v or "").strip() for k, v in answers.items() if (v or "").strip()}
    if not texts:
        raise ValidationError(_("Write an answer to at least one of the questions."))
    for key, text in texts.items():
        if len(text) > MAX_ANSWER:
            raise ValidationError(
                {key: _("Keep an answer under %(n)d characters.") % {"n": MAX_ANSWER}}
            )
    fresh = _locked(meeting)
    items, back = _split_step_back(fresh.agenda)
    now = timezone.now().isoformat()
    added = [
        {
            "id": secrets.token_hex(4),
            "prompt": key,
            "text": texts[key],
            "by": viewer.pk,
            "by_name": viewer.name,
            "at": now,
            "learning_id": None,
        }
        for key in sel.REFLECTION_LABELS
        if key in texts
    ]
    back["answers"] = [*back.get("answers", []), *added]
    convening_record(
        viewer=viewer,
        convening=fresh,
        agenda=[*items, back],
        verb="added to a meeting's step back",
    )
    meeting.agenda = fresh.agenda
    return added


def _find_answer(back: dict[str, Any], answer_id: str) -> dict[str, Any]:
    for answer in back.get("answers", []):
        if isinstance(answer, dict) and answer.get("id") == answer_id:
            return answer
    raise Http404


@transaction.atomic
def reflection_remove(*, viewer: Any, meeting: Convening, answer_id: str) -> None:
    """Take back an answer that has not become a learning: its writer, or whoever may
    change the meeting."""
    if not sel.may_reflect(viewer, meeting):
        raise PermissionDenied
    fresh = _locked(meeting)
    items, back = _split_step_back(fresh.agenda)
    answer = _find_answer(back, answer_id)
    if answer.get("by") != viewer.pk and not access.can_change(viewer, fresh):
        raise PermissionDenied
    if answer.get("learning_id"):
        raise ValidationError(
            _("This answer is a learning now; edit or delete the learning instead.")
        )
    back["answers"] = [a for a in back["answers"] if a is not answer]
    convening_record(
        viewer=viewer,
        convening=fresh,
        agenda=[*items, back],
        verb="removed from a meeting's step back",
    )
    meeting.agenda = fresh.agenda


def title_from(text: str, limit: int = 120) -> str:
    """A learning's title from an answer: its words on one line, cut at a word."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def credit_line(
    meeting: Convening, viewer: Any, prompt_label: str, people: Iterable[Any] | None = None
) -> str:
    """Who took part, in words: the learning's author captured it, the others were there
    (`people`: who came, when already loaded)."""
    came = meeting.participants.all() if people is None else people
    names = [p.name for p in came if p.pk != viewer.pk]
    if meeting.other_participants:
        names.append(_("%(n)d others") % {"n": meeting.other_participants})
    parts = {
        "prompt": prompt_label,
        "meeting": meeting.title,
        "day": date_format(timezone.localtime(meeting.starts_at), "j F Y"),
        "who": viewer.name,
        "names": ", ".join(names[:-1]) + (_(" and ") if len(names) > 1 else "") + names[-1]
        if names
        else "",
    }
    if names:
        return (
            _(
                "%(prompt)s From the step back at “%(meeting)s” (%(day)s), captured by "
                "%(who)s with %(names)s."
            )
            % parts
        )
    return (
        _("%(prompt)s From the step back at “%(meeting)s” (%(day)s), captured by %(who)s.") % parts
    )


@transaction.atomic
def reflection_to_learning(*, viewer: Any, meeting: Convening, answer_id: str) -> Any:
    """Turn one answer into a learning in one step: a reflection in the meeting's group,
    authored by the person who captures it, crediting everyone who took part in its text,
    and linked to the meeting."""
    from learnloop.generation.models import LearningKind
    from learnloop.generation.services import learning_create

    if not sel.may_reflect(viewer, meeting):
        raise PermissionDenied
    fresh = _locked(meeting)
    items, back = _split_step_back(fresh.agenda)
    answer = _find_answer(back, answer_id)
    if answer.get("learning_id"):
        raise ValidationError(_("This answer is a learning already."))
    label = str(sel.REFLECTION_LABELS.get(str(answer.get("prompt")), ""))
    text = str(answer.get("text", "")).strip()
    visibility = fresh.visibility if fresh.visibility in MEETING_VISIBILITIES else Visibility.GROUP
    learning = learning_create(
        author=viewer,
        title=title_from(text),
        body=f"{text}\n\n*{credit_line(fresh, viewer, label)}*",
        kind=LearningKind.REFLECTION,
        group=fresh.group,
        visibility=visibility,
    )
    fresh.learnings.add(learning)
    answer["learning_id"] = learning.pk
    answer["captured_by"] = viewer.pk
    convening_record(
        viewer=viewer,
        convening=fresh,
        agenda=[*items, back],
        verb="captured a learning from a meeting",
    )
    meeting.agenda = fresh.agenda
    return learning
