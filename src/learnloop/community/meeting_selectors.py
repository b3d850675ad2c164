"""Reads for impact-group meetings: who may plan and run them, the date to suggest, the
agenda built from what is open in the group, and the step back.

A group meeting is a `value.Convening` of kind meeting with a group. Its agenda is a JSON
list kept on the convening (see `AGENDA ENTRIES` below). Entries that point at records
(test cycles, questions, ideas, decisions) are shown to each viewer only when that viewer
may see the record today: a title kept from planning time is never shown on its own, and
what is said about a record ("2 answers, none accepted") is worked out afresh for the
viewer, so that no count hints at something they may not see.

AGENDA ENTRIES: {"key", "kind", "id", "title", "url", "why", "note", "done"}; `key` is
unique within the agenda ("test_cycle-12", "own-1a2b3c4d", "step_back"). The last entry is
the step back, which also keeps the reflection's answers:
{"key": "step_back", "kind": "step_back", ..., "answers": [{"id", "prompt", "text", "by",
"by_name", "at", "learning_id"}]}.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from learnloop.core import access
from learnloop.core.models import Visibility
from learnloop.people.models import Group, Membership, Person
from learnloop.value.models import Convening, ConveningKind

MEETING = ConveningKind.MEETING
STEP_BACK = "step_back"
# How many open records of each kind the agenda suggests; the planner adds others by hand.
PER_KIND = 8
# An emerging or testing idea with at most this many supporting learnings awaits evidence.
LITTLE_EVIDENCE = 2
DEFAULT_START = time(16, 0)

LINKED_KINDS = ("test_cycle", "question", "idea", "decision")
KIND_LABELS = {
    "test_cycle": gettext_lazy("Test cycle"),
    "question": gettext_lazy("Open question"),
    "idea": gettext_lazy("Idea awaiting evidence"),
    "decision": gettext_lazy("Decision open"),
    "synthesis": gettext_lazy("Routine due"),
    "summaries": gettext_lazy("Routine due"),
    "own": gettext_lazy("Item"),
    "prompt": gettext_lazy("Powerful question"),
    STEP_BACK: gettext_lazy("Step back"),
}

# The step back: three questions, each answer of which can become a learning.
REFLECTION_PROMPTS: tuple[tuple[str, Any, Any], ...] = (
    (
        "learned",
        gettext_lazy("What did we learn?"),
        gettext_lazy("Something we know now that we did not know before this meeting."),
    ),
    (
        "surprised",
        gettext_lazy("What surprised us?"),
        gettext_lazy("What went against what we expected, and what it might mean."),
    ),
    (
        "next",
        gettext_lazy("What will we try next?"),
        gettext_lazy("A small change someone will try before we meet again."),
    ),
)
REFLECTION_LABELS = {key: label for key, label, _help in REFLECTION_PROMPTS}


# Groups and permissions ----------------------------------------------------------------


def get_group_for(viewer: Any, slug: str, *, members_only: bool = False) -> Group:
    """A group by slug, as the people app finds it (404 for anonymous visitors and unknown
    slugs). With `members_only`, 404 as well for anyone who is neither in the group nor a
    steward: planning and moderating are the group's own business."""
    from learnloop.people.selectors import get_group_for as people_get_group_for

    group = people_get_group_for(viewer, slug)
    if members_only and not (access.is_group_member(viewer, group.pk) or access.is_steward(viewer)):
        raise Http404
    return group


def may_plan(viewer: Any, group: Group) -> bool:
    return (
        access.is_member(viewer)
        and group.archived_at is None
        and (access.is_group_member(viewer, group.pk) or access.is_steward(viewer))
    )


def may_run(viewer: Any, meeting: Convening) -> bool:
    """Record attendance, notes and the agenda's progress: whoever may change the meeting
    (its planner, the group's moderators, stewards) and every member of its group."""
    if not access.is_member(viewer) or meeting.deleted_at is not None:
        return False
    if not access.can_view(viewer, meeting):
        return False
    return access.can_change(viewer, meeting) or access.is_group_member(viewer, meeting.group_id)


def may_reflect(viewer: Any, meeting: Convening) -> bool:
    """Add to the step back and turn answers into learnings: the same people who run it."""
    return may_run(viewer, meeting)


# Meetings -------------------------------------------------------------------------------


def meeting_list(*, viewer: Any, group: Group, when: str | None = None) -> QuerySet[Convening]:
    from learnloop.value.selectors import convening_list

    return convening_list(viewer=viewer, group=group.pk, kind=MEETING, when=when).annotate(
        learning_count=Count("learnings", distinct=True)
    )


def get_meeting_for(viewer: Any, group: Group, pk: Any) -> Convening:
    """A meeting of this very group: 404 when the viewer may not see it (a group-only
    meeting for members of other groups) or when it belongs elsewhere."""
    from learnloop.value.selectors import get_convening_for

    meeting = get_convening_for(viewer, pk)
    if meeting.group_id != group.pk or meeting.kind != MEETING:
        raise Http404
    return meeting


def _upcoming_q(now: datetime) -> Q:
    """Not over yet (as `value.selectors.convening_list` counts it)."""
    return Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now)


def next_and_last(*, viewer: Any, group: Group) -> tuple[Convening | None, Convening | None]:
    """The group's next meeting and its latest one held, in one query (for its page)."""
    now = timezone.now()
    mine = access.visible(viewer, Convening.objects.filter(group=group, kind=MEETING))
    upcoming = mine.filter(_upcoming_q(now)).order_by("starts_at", "id").values("pk")[:1]
    held = mine.exclude(_upcoming_q(now)).order_by("-starts_at", "-id").values("pk")[:1]
    both = list(
        Convening.objects.filter(Q(pk__in=upcoming) | Q(pk__in=held)).annotate(
            learning_count=Count("learnings", distinct=True)
        )
    )
    ahead = [m for m in both if m.is_upcoming]
    behind = [m for m in both if not m.is_upcoming]
    return (ahead[0] if ahead else None, behind[0] if behind else None)


def next_meeting(*, viewer: Any, group: Group) -> Convening | None:
    return meeting_list(viewer=viewer, group=group, when="upcoming").first()


def last_meeting(*, viewer: Any, group: Group) -> Convening | None:
    return meeting_list(viewer=viewer, group=group, when="past").first()


def suggest_start(*, viewer: Any, group: Group, now: datetime | None = None) -> datetime:
    """When the next meeting might be: one step of the group's cadence after its latest
    meeting (at the same time of day), moved past today and off the weekend. Without an
    earlier meeting: a week from today, at 16:00, giving people time to plan."""
    from learnloop.consolidation.routine_rules import add_cadence

    now = now or timezone.now()
    today = timezone.localdate(now)
    latest = (
        access.visible(viewer, Convening.objects.filter(group=group, kind=MEETING))
        .order_by("-starts_at")
        .only("starts_at")
        .first()
    )
    if latest is None:
        day, at = today + timedelta(days=7), DEFAULT_START
    else:
        local = timezone.localtime(latest.starts_at)
        day, at = add_cadence(local.date(), group.cadence), local.time().replace(second=0)
    while day <= today:
        day = add_cadence(day, group.cadence)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


def default_title(group: Group, starts_at: datetime) -> str:
    day = date_format(timezone.localtime(starts_at), "j F")
    return _("%(group)s meeting, %(day)s") % {"group": group.name, "day": day}


def attendance_choices(meeting: Convening) -> QuerySet[Person]:
    """Who can be ticked as present: the group's active members, and anyone already
    recorded (someone who left the group since still came to this meeting)."""
    return (
        Person.objects.filter(
            Q(memberships__group_id=meeting.group_id, is_active=True)
            | Q(convenings=meeting, is_active=True)
        )
        .distinct()
        .order_by("display_name", "username")
    )


# What is open in the group -------------------------------------------------------------


def _day(value: Any) -> str:
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    return date_format(value, "j F")


def _why_test_cycle(cycle: Any) -> str:
    from learnloop.generation.models import TestCycleStatus

    if cycle.status == TestCycleStatus.STUDYING:
        return _("The results are in: what did we learn?")
    if cycle.status == TestCycleStatus.RUNNING:
        since = cycle.started_on or cycle.created_at
        return _("Running since %(day)s: how is it going?") % {"day": _day(since)}
    if cycle.status == TestCycleStatus.DONE:
        return _("Done since the meeting was planned.")
    return _("Being planned.")


def _why_question(question: Any) -> str:
    if question.closed_at is not None:
        return _("Closed since the meeting was planned.")
    if getattr(question, "has_accepted", False):
        return _("An answer was accepted since the meeting was planned.")
    n = question.answer_count
    if n == 0:
        return _("No answers yet: who might know?")
    return ngettext("%(n)d answer, none accepted yet.", "%(n)d answers, none accepted yet.", n) % {
        "n": n
    }


def _why_idea(idea: Any) -> str:
    n = idea.supports_count
    if n == 0:
        return _("%(stage)s, no supporting evidence yet: who could test it?") % {
            "stage": idea.get_stage_display()
        }
    return ngettext(
        "%(stage)s, %(n)d supporting learning: what would show whether it holds?",
        "%(stage)s, %(n)d supporting learnings: what would show whether it holds?",
        n,
    ) % {"stage": idea.get_stage_display(), "n": n}


def _why_decision(decision: Any) -> str:
    if not decision.is_open:
        return _("Closed: %(status)s.") % {"status": decision.get_status_display()}
    n = getattr(decision, "vote_count", 0)
    return ngettext(
        "Vote open until %(day)s, %(n)d vote so far.",
        "Vote open until %(day)s, %(n)d votes so far.",
        n,
    ) % {"day": _day(decision.closes_at), "n": n}


def _shared_q(viewer: Any, group: Group, prefix: str = "") -> Q:
    """Records of the group that the viewer may see and that every member of the group
    may see as well: an agenda is read by the whole group, so drafts never reach it."""
    return (
        access.visible_q(viewer, prefix)
        & Q(**{f"{prefix}group_id": group.pk})
        & ~Q(**{f"{prefix}visibility": Visibility.DRAFT})
    )


def _questions(qs: QuerySet[Any]) -> QuerySet[Any]:
    from learnloop.generation.models import Answer

    accepted = Answer.objects.filter(
        question_id=OuterRef("pk"), accepted=True, deleted_at__isnull=True
    )
    return qs.annotate(
        answer_count=Count("answers", filter=Q(answers__deleted_at__isnull=True)),
        has_accepted=Exists(accepted),
    )


def agenda_entry(kind: str, obj: Any, why: str) -> dict[str, Any]:
    """An agenda entry pointing at a record (test cycle, question, idea, decision)."""
    return {
        "key": f"{kind}-{obj.pk}",
        "kind": kind,
        "id": obj.pk,
        "title": str(obj.title)[:300],
        "url": obj.get_absolute_url(),
        "why": why,
        "note": "",
        "done": False,
    }


def agenda_candidates(*, viewer: Any, group: Group, on: date | None = None) -> list[dict[str, Any]]:
    """What is open in the group, as agenda entries, in the order a meeting might take
    them: test cycles running (or ready to study), questions without an accepted answer,
    ideas awaiting evidence, decisions open on the group's ideas, routines due by `on`.
    Only records the viewer may see, and never drafts."""
    from learnloop.consolidation.models import (
        Decision,
        DecisionStatus,
        Idea,
        RoutineKind,
        RoutineSchedule,
        Stage,
    )
    from learnloop.consolidation.selectors import with_counts
    from learnloop.generation.models import Question, TestCycle, TestCycleStatus

    if not access.is_member(viewer):
        return []
    on = on or timezone.localdate()
    entries: list[dict[str, Any]] = []

    cycles = TestCycle.objects.filter(
        _shared_q(viewer, group),
        status__in=[TestCycleStatus.RUNNING, TestCycleStatus.STUDYING],
    ).order_by("-status", "started_on", "created_at", "id")[:PER_KIND]
    entries += [agenda_entry("test_cycle", c, _why_test_cycle(c)) for c in cycles]

    questions = (
        _questions(Question.objects.filter(_shared_q(viewer, group), closed_at__isnull=True))
        .filter(has_accepted=False)
        .order_by("-created_at", "-id")[:PER_KIND]
    )
    entries += [agenda_entry("question", q, _why_question(q)) for q in questions]

    ideas = (
        with_counts(
            Idea.objects.filter(
                _shared_q(viewer, group), stage__in=[Stage.EMERGING, Stage.TESTING]
            ),
            viewer=viewer,
        )
        .filter(**{"supports_count__lte": LITTLE_EVIDENCE})
        .order_by("-updated_at", "-id")[:PER_KIND]
    )
    entries += [agenda_entry("idea", i, _why_idea(i)) for i in ideas]

    decisions = (
        Decision.objects.filter(_shared_q(viewer, group, "idea__"), status=DecisionStatus.OPEN)
        .annotate(vote_count=Count("votes"))
        .order_by("closes_at", "id")[:PER_KIND]
    )
    entries += [agenda_entry("decision", d, _why_decision(d)) for d in decisions]

    if not (access.is_group_member(viewer, group.pk) or access.is_steward(viewer)):
        return entries  # the group's routines are its own business
    synthesis = RoutineSchedule.objects.filter(
        kind=RoutineKind.SYNTHESIS, group=group, active=True, next_due_on__lte=on
    ).first()
    if synthesis is not None:
        entries.append(
            {
                "key": f"synthesis-{synthesis.pk}",
                "kind": "synthesis",
                "id": synthesis.pk,
                "title": _("The group's synthesis"),
                "url": reverse("routines:synthesis_new") + f"?group={group.pk}",
                "why": _(
                    "Due since %(day)s: compare what we learned across our work and name "
                    "the patterns."
                )
                % {"day": _day(synthesis.next_due_on)},
                "note": "",
                "done": False,
            }
        )
    # Summary schedules are each person's own: the agenda says how many are due, not whose.
    summaries = RoutineSchedule.objects.filter(
        kind=RoutineKind.SUMMARY,
        active=True,
        next_due_on__lte=on,
        person__is_active=True,
        person__memberships__group=group,
    ).count()
    if summaries:
        entries.append(
            {
                "key": "summaries",
                "kind": "summaries",
                "id": None,
                "title": _("Personal summaries"),
                "url": reverse("routines:summary_new"),
                "why": ngettext(
                    "%(n)d member has a summary due: a few minutes to pick what is worth sharing.",
                    "%(n)d members have a summary due: a few minutes each to pick what is "
                    "worth sharing.",
                    summaries,
                )
                % {"n": summaries},
                "note": "",
                "done": False,
            }
        )
    return entries


def step_back_entry() -> dict[str, Any]:
    return {
        "key": STEP_BACK,
        "kind": STEP_BACK,
        "id": None,
        "title": str(_("Step back: what did we learn?")),
        "url": "",
        "why": str(
            _("Ten minutes at the end: what we learned, what surprised us, what we try next.")
        ),
        "note": "",
        "done": False,
        "answers": [],
    }


# The agenda as a viewer sees it --------------------------------------------------------


@dataclass
class AgendaEntry:
    key: str
    kind: str
    kind_label: str
    title: str
    url: str
    why: str
    note: str
    done: bool
    visible: bool = True
    id: int | None = None


def _load_linked(viewer: Any, entries: list[dict[str, Any]]) -> dict[str, dict[int, Any]]:
    """The records the agenda points at, that the viewer may see: one query per kind."""
    from learnloop.consolidation.models import Decision, Idea
    from learnloop.consolidation.selectors import with_counts
    from learnloop.generation.models import Question, TestCycle

    wanted: dict[str, list[int]] = {}
    for entry in entries:
        if entry.get("kind") in LINKED_KINDS and isinstance(entry.get("id"), int):
            wanted.setdefault(entry["kind"], []).append(entry["id"])
    loaded: dict[str, dict[int, Any]] = {}
    if "test_cycle" in wanted:
        qs = access.visible(viewer, TestCycle.objects.filter(pk__in=wanted["test_cycle"]))
        loaded["test_cycle"] = {c.pk: c for c in qs}
    if "question" in wanted:
        qs = access.visible(viewer, Question.objects.filter(pk__in=wanted["question"]))
        loaded["question"] = {q.pk: q for q in _questions(qs)}
    if "idea" in wanted:
        qs = access.visible(viewer, Idea.objects.filter(pk__in=wanted["idea"]))
        loaded["idea"] = {i.pk: i for i in with_counts(qs, viewer=viewer)}
    if "decision" in wanted and access.is_member(viewer):
        qs = (
            Decision.objects.filter(pk__in=wanted["decision"], idea__isnull=False)
            .filter(access.visible_q(viewer, "idea__"))
            .annotate(vote_count=Count("votes"))
        )
        loaded["decision"] = {d.pk: d for d in qs}
    return loaded


WHY = {
    "test_cycle": _why_test_cycle,
    "question": _why_question,
    "idea": _why_idea,
    "decision": _why_decision,
}


def agenda_view(*, viewer: Any, meeting: Convening) -> list[AgendaEntry]:
    """The meeting's agenda, without the step back, as this viewer may see it: records
    they may not see (or that were deleted) keep their place but not their title."""
    raw = [e for e in meeting.agenda or [] if isinstance(e, dict) and e.get("kind") != STEP_BACK]
    loaded = _load_linked(viewer, raw)
    shown: list[AgendaEntry] = []
    for entry in raw:
        kind = str(entry.get("kind", "own"))
        key = str(entry.get("key", ""))
        label = str(KIND_LABELS.get(kind, KIND_LABELS["own"]))
        note = str(entry.get("note", ""))
        done = bool(entry.get("done"))
        if kind in LINKED_KINDS:
            obj = loaded.get(kind, {}).get(entry.get("id"))  # type: ignore[arg-type]
            if obj is None:
                hidden = _("An item you cannot see, or that was deleted")
                shown.append(AgendaEntry(key, kind, label, hidden, "", "", note, done, False))
            else:
                title, url, why = str(obj.title), obj.get_absolute_url(), WHY[kind](obj)
                shown.append(
                    AgendaEntry(key, kind, label, title, url, why, note, done, True, obj.pk)
                )
            continue
        title = str(entry.get("title", ""))
        url, why = str(entry.get("url", "")), str(entry.get("why", ""))
        shown.append(AgendaEntry(key, kind, label, title, url, why, note, done))
    return shown


def step_back(meeting: Convening) -> dict[str, Any] | None:
    for entry in meeting.agenda or []:
        if isinstance(entry, dict) and entry.get("kind") == STEP_BACK:
            return entry
    return None


@dataclass
class ReflectionAnswer:
    id: str
    prompt: str
    prompt_label: str
    text: str
    by_id: int | None
    by_name: str
    at: datetime | None
    learning: Any = None
    learning_id: int | None = None


@dataclass
class Reflection:
    prompt: str
    label: str
    help: str
    answers: list[ReflectionAnswer] = field(default_factory=list)


def reflection_view(*, viewer: Any, meeting: Convening) -> list[Reflection]:
    """The step back's answers under their three questions; each answer that became a
    learning carries it when the viewer may see it (one query for all)."""
    from learnloop.generation.models import Learning

    entry = step_back(meeting) or {}
    answers = [a for a in entry.get("answers", []) if isinstance(a, dict)]
    ids = [a["learning_id"] for a in answers if isinstance(a.get("learning_id"), int)]
    learnings = (
        {lrn.pk: lrn for lrn in access.visible(viewer, Learning.objects.filter(pk__in=ids))}
        if ids
        else {}
    )
    out = [Reflection(key, str(label), str(help_)) for key, label, help_ in REFLECTION_PROMPTS]
    by_prompt = {r.prompt: r for r in out}
    for a in answers:
        target = by_prompt.get(str(a.get("prompt")))
        if target is None:
            continue
        at = a.get("at")
        learning = learnings.get(a.get("learning_id"))
        target.answers.append(
            ReflectionAnswer(
                id=str(a.get("id", "")),
                prompt=target.prompt,
                prompt_label=target.label,
                text=str(a.get("text", "")),
                by_id=a.get("by") if isinstance(a.get("by"), int) else None,
                by_name=str(a.get("by_name", "")),
                at=datetime.fromisoformat(at) if isinstance(at, str) else None,
                learning=learning,
                learning_id=learning.pk if learning is not None else None,
            )
        )
    return out


def meeting_learnings(*, viewer: Any, meeting: Convening) -> list[Any]:
    """Learnings captured from the meeting that the viewer may see."""
    from learnloop.generation.models import Learning

    return list(
        access.visible(viewer, Learning.objects.filter(convenings=meeting))
        .select_related("author")
        .order_by("created_at", "id")
    )


def group_members(group: Group) -> list[Membership]:
    return list(
        Membership.objects.filter(group=group, person__is_active=True)
        .select_related("person")
        .order_by("person__display_name", "person__username")
    )
