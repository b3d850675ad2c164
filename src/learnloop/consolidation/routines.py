"""Writes for the consolidation routines: schedules, the three kinds of session, reminders.

A session is kept as a `Routine` with the answers to its prompts (`answers`):

* summary: {"evidence", "understanding", "helpers", "output"}
* synthesis: {"patterns", "differences", "strength", "output", "tag", "period"}
* reduction: {"notes"}; each candidate's outcome is a `ReductionItem`.

Finishing a session moves its schedule's next due date on by one period.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from learnloop.consolidation import routine_rules as rules
from learnloop.consolidation import services
from learnloop.consolidation.decisions import decision_open
from learnloop.consolidation.models import (
    Evidence,
    Idea,
    ReductionItem,
    ReductionOutcome,
    Relation,
    Routine,
    RoutineKind,
    RoutineSchedule,
    Stage,
)
from learnloop.core import access
from learnloop.core.models import Visibility
from learnloop.core.services import audit
from learnloop.generation.models import Learning
from learnloop.notifications.models import NotificationKind
from learnloop.notifications.services import notify
from learnloop.people.models import Cadence, Group, Person

ANSWER_MAX = 10000


class Output:
    """What a summary or synthesis produces besides its record."""

    NONE = "none"
    NEW = "new"
    EXISTING = "existing"
    values = (NONE, NEW, EXISTING)


class Strength:
    WEAK = "weak"
    MODERATE = "moderate"
    STRONG = "strong"
    values = (WEAK, MODERATE, STRONG)


@dataclass
class NewIdea:
    title: str
    summary: str
    group: Group | None = None
    visibility: str = Visibility.NETWORK
    tags: str | Iterable[str] = ()
    guidelines_confirmed: bool = False  # every voice guideline ticked, for a public idea


# Schedules -----------------------------------------------------------------------------


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _clean_cadence(cadence: str) -> str:
    if cadence not in Cadence.values:
        raise ValidationError(
            {"cadence": _("Choose weekly, every two weeks, monthly or quarterly.")}
        )
    return cadence


@transaction.atomic
def schedule_set(
    *,
    viewer: Any,
    kind: str,
    cadence: str,
    group: Group | None = None,
    next_due_on: date | None = None,
    today: date | None = None,
) -> RoutineSchedule:
    """Set how often a routine comes round: one's own summary, a group's synthesis, the
    network's reduction. Setting it again changes the one schedule there is."""
    access.require_member(viewer)
    if kind not in RoutineKind.values:
        raise ValidationError({"kind": _("Choose summary, synthesis or reduction.")})
    if kind == RoutineKind.SYNTHESIS and group is None:
        raise ValidationError({"group": _("Choose the group or cluster that meets to synthesize.")})
    if not rules.may_set_schedule(viewer, kind, group):
        raise PermissionDenied
    _clean_cadence(cadence)
    today = _today(today)
    if next_due_on is not None and next_due_on < today:
        raise ValidationError({"next_due_on": _("Choose today or a day to come.")})
    lookup: dict[str, Any] = {"kind": kind}
    if kind == RoutineKind.SUMMARY:
        lookup["person"] = viewer
    elif kind == RoutineKind.SYNTHESIS:
        lookup["group"] = group
    schedule = RoutineSchedule.objects.select_for_update().filter(**lookup).first()
    if schedule is None:
        schedule = RoutineSchedule(
            **lookup,
            cadence=cadence,
            next_due_on=next_due_on or rules.add_cadence(today, cadence),
        )
        schedule.save()
    else:
        schedule.cadence = cadence
        schedule.active = True
        if next_due_on is not None:
            schedule.next_due_on = next_due_on
        schedule.save(update_fields=["cadence", "active", "next_due_on"])
    audit(viewer, "set a routine's cadence", schedule, cadence=cadence)
    return schedule


@transaction.atomic
def schedule_update(
    *,
    viewer: Any,
    schedule: RoutineSchedule,
    cadence: str | None = None,
    next_due_on: date | None = None,
    active: bool | None = None,
    today: date | None = None,
) -> RoutineSchedule:
    if not rules.may_change_schedule(viewer, schedule):
        raise PermissionDenied
    fields = []
    if cadence is not None:
        schedule.cadence = _clean_cadence(cadence)
        fields.append("cadence")
    if next_due_on is not None:
        if next_due_on < _today(today):
            raise ValidationError({"next_due_on": _("Choose today or a day to come.")})
        schedule.next_due_on = next_due_on
        fields.append("next_due_on")
    if active is not None:
        schedule.active = active
        fields.append("active")
    if fields:
        schedule.save(update_fields=fields)
        audit(viewer, "changed a routine's cadence", schedule, fields=fields)
    return schedule


def _advance(schedule: RoutineSchedule | None, today: date) -> None:
    if schedule is None:
        return
    schedule.next_due_on = rules.next_after(schedule.next_due_on, schedule.cadence, today)
    schedule.save(update_fields=["next_due_on"])


def _schedule_for(kind: str, **lookup: Any) -> RoutineSchedule | None:
    return (
        RoutineSchedule.objects.select_for_update()
        .filter(kind=kind, active=True, **lookup)
        .order_by("id")
        .first()
    )


# Shared pieces of summary and synthesis ------------------------------------------------


def _text(answers: dict[str, Any], key: str) -> str:
    value = str(answers.get(key) or "").strip()
    if len(value) > ANSWER_MAX:
        raise ValidationError({key: _("Keep this under 10,000 characters.")})
    return value


def _link(
    *,
    viewer: Any,
    routine: Routine,
    idea: Idea,
    learnings: Sequence[Learning],
    relation: str,
    note: str,
) -> list[Evidence]:
    """Link learnings to an idea as evidence from this routine; learnings already linked
    stay as they are (their earlier link keeps its own history)."""
    linked = set(
        Evidence.objects.filter(idea=idea, learning__in=learnings).values_list(
            "learning_id", flat=True
        )
    )
    made = []
    for learning in learnings:
        if learning.pk in linked:
            continue
        evidence = services.evidence_link(
            viewer=viewer, idea=idea, learning=learning, relation=relation, note=note[:5000]
        )
        evidence.routine = routine
        evidence.save(update_fields=["routine"])
        made.append(evidence)
    return made


def _check_output(
    *, output: str, learnings: Sequence[Learning], new_idea: NewIdea | None, ideas: Sequence[Idea]
) -> None:
    if output not in Output.values:
        raise ValidationError({"output": _("Choose what this session produces.")})
    if output != Output.NONE and not learnings:
        raise ValidationError(
            {"learnings": _("Choose the learnings that are the evidence for the idea.")}
        )
    if output == Output.NEW:
        errors = {}
        if new_idea is None or not new_idea.title.strip():
            errors["idea_title"] = _("Give the idea a title: the claim, in a line.")
        if new_idea is None or not new_idea.summary.strip():
            errors["idea_summary"] = _("Say what the idea is, in a few sentences.")
        if errors:
            raise ValidationError(errors)
    if output == Output.EXISTING and not ideas:
        raise ValidationError({"idea": _("Choose the idea these learnings are evidence for.")})


def _produce(
    *,
    viewer: Any,
    routine: Routine,
    output: str,
    learnings: Sequence[Learning],
    new_idea: NewIdea | None,
    ideas: Sequence[Idea],
    relation: str,
    note: str,
) -> list[Idea]:
    touched: list[Idea] = []
    if output == Output.NEW and new_idea is not None:
        idea = services.idea_create(
            author=viewer,
            title=new_idea.title,
            summary=new_idea.summary,
            group=new_idea.group,
            visibility=new_idea.visibility,
            tags=new_idea.tags,
            guidelines_confirmed=new_idea.guidelines_confirmed,
        )
        _link(
            viewer=viewer,
            routine=routine,
            idea=idea,
            learnings=learnings,
            relation=Relation.SUPPORTS,
            note=note,
        )
        touched.append(idea)
    elif output == Output.EXISTING:
        for idea in ideas:
            if not access.can_contribute(viewer, idea) or idea.stage == Stage.RETURNED:
                raise ValidationError(
                    {"idea": _("“%(title)s” cannot take new evidence.") % {"title": idea.title}}
                )
            _link(
                viewer=viewer,
                routine=routine,
                idea=idea,
                learnings=learnings,
                relation=relation,
                note=note,
            )
            touched.append(idea)
    if touched:
        routine.ideas.add(*touched)
    return touched


def _check_learnings(viewer: Any, learnings: Sequence[Learning]) -> None:
    for learning in learnings:
        if learning.deleted_at is not None or not access.can_view(viewer, learning):
            raise ValidationError({"learnings": _("One of the chosen learnings is not available.")})


def _day(now: Any) -> str:
    return formats.date_format(timezone.localtime(now), "j F Y")


# Summary -------------------------------------------------------------------------------


@transaction.atomic
def summary_complete(
    *,
    person: Any,
    learnings: Sequence[Learning] = (),
    answers: dict[str, Any],
    output: str = Output.NONE,
    new_idea: NewIdea | None = None,
    idea: Idea | None = None,
    today: date | None = None,
) -> Routine:
    """Finish one's summary: the learnings worth sharing, what supports them, what changed,
    who could help; optionally a new idea, or evidence for an idea one can see."""
    access.require_member(person)
    learnings = list(learnings)
    for learning in learnings:
        if learning.author_id != person.pk:
            raise ValidationError({"learnings": _("A summary looks back over your own learnings.")})
    _check_learnings(person, learnings)
    clean = {key: _text(answers, key) for key in ("evidence", "understanding", "helpers")}
    if not learnings and not any(clean.values()):
        raise ValidationError(
            {
                "learnings": _(
                    "Pick at least one learning worth sharing, or write a few words about "
                    "what changed for you."
                )
            }
        )
    ideas = [idea] if idea is not None else []
    _check_output(output=output, learnings=learnings, new_idea=new_idea, ideas=ideas)
    now = timezone.now()
    schedule = _schedule_for(RoutineKind.SUMMARY, person=person)
    routine = Routine.objects.create(
        kind=RoutineKind.SUMMARY,
        schedule=schedule,
        person=person,
        title=_("Summary by %(name)s, %(day)s") % {"name": person.name, "day": _day(now)},
        answers={**clean, "output": output},
        started_at=now,
        completed_at=now,
    )
    routine.learnings.set(learnings)
    _produce(
        viewer=person,
        routine=routine,
        output=output,
        learnings=learnings,
        new_idea=new_idea,
        ideas=ideas,
        relation=Relation.SUPPORTS,
        note=clean["evidence"],
    )
    _advance(schedule, _today(today))
    audit(person, "finished a summary", routine)
    return routine


# Synthesis -----------------------------------------------------------------------------


@transaction.atomic
def synthesis_complete(
    *,
    person: Any,
    group: Group,
    learnings: Sequence[Learning] = (),
    answers: dict[str, Any],
    strength: str,
    output: str = Output.NONE,
    new_idea: NewIdea | None = None,
    ideas: Sequence[Idea] = (),
    relation: str = Relation.SUPPORTS,
    today: date | None = None,
) -> Routine:
    """Finish a group's or cluster's synthesis: the patterns and differences across
    contexts, how strong the evidence is, and the ideas it creates or strengthens."""
    from learnloop.consolidation.routine_selectors import synthesis_scope

    if not rules.may_run_synthesis(person, group):
        raise PermissionDenied
    learnings = list(learnings)
    _check_learnings(person, learnings)
    scope = set(synthesis_scope(group))
    if any(learning.group_id not in scope for learning in learnings):
        raise ValidationError(
            {"learnings": _("Choose learnings from this group and the groups it links.")}
        )
    clean = {key: _text(answers, key) for key in ("patterns", "differences")}
    errors = {}
    if not clean["patterns"]:
        errors["patterns"] = _("Name at least one pattern you see across the contexts.")
    if strength not in Strength.values:
        errors["strength"] = _("Say how strong the evidence is: weak, moderate or strong.")
    if relation not in Relation.values:
        errors["relation"] = _("Choose supports, contradicts or context.")
    if errors:
        raise ValidationError(errors)
    ideas = list(ideas)
    _check_output(output=output, learnings=learnings, new_idea=new_idea, ideas=ideas)
    now = timezone.now()
    schedule = _schedule_for(RoutineKind.SYNTHESIS, group=group)
    routine = Routine.objects.create(
        kind=RoutineKind.SYNTHESIS,
        schedule=schedule,
        person=person,
        group=group,
        title=_("Synthesis of %(group)s, %(day)s") % {"group": group.name, "day": _day(now)},
        answers={
            **clean,
            "strength": strength,
            "output": output,
            "tag": str(answers.get("tag") or "")[:60],
            "period": str(answers.get("period") or "")[:10],
        },
        started_at=now,
        completed_at=now,
    )
    routine.learnings.set(learnings)
    _produce(
        viewer=person,
        routine=routine,
        output=output,
        learnings=learnings,
        new_idea=new_idea,
        ideas=ideas,
        relation=relation,
        note=clean["patterns"],
    )
    _advance(schedule, _today(today))
    audit(person, "finished a synthesis", routine, group=group.pk)
    return routine


# Reduction -----------------------------------------------------------------------------


@dataclass
class Choice:
    idea: Idea
    outcome: str
    note: str = ""


def _elevate_rationale(idea: Idea, note: str, viewer: Any) -> str:
    from learnloop.consolidation.selectors import evidence_summary

    summary = evidence_summary(viewer=viewer, idea=idea)
    facts = _(
        "The reduction round proposes it as knowledge: %(sup)d supporting and %(con)d "
        "contradicting learnings, from %(n)d contexts."
    ) % {"sup": summary["supports"], "con": summary["contradicts"], "n": summary["contexts"]}
    return f"{note}\n\n{facts}" if note else facts


@transaction.atomic
def reduction_complete(
    *,
    lead: Any,
    choices: Sequence[Choice],
    notes: str = "",
    today: date | None = None,
) -> Routine:
    """Finish a reduction round: for each candidate idea, elevate (a decision the members
    take), keep refining (what is missing), or return to generation (why). A round that
    elevates nothing is a normal round."""
    from learnloop.consolidation.routine_selectors import current_standards

    if not rules.is_lead(lead):
        raise PermissionDenied
    errors: dict[str, Any] = {}
    seen: set[int] = set()
    for choice in choices:
        field = f"note_{choice.idea.pk}"
        if choice.idea.pk in seen:
            errors[f"outcome_{choice.idea.pk}"] = _("Choose one outcome per idea.")
        seen.add(choice.idea.pk)
        if not access.can_contribute(lead, choice.idea):
            raise PermissionDenied
        if choice.outcome not in ReductionOutcome.values:
            errors[f"outcome_{choice.idea.pk}"] = _(
                "Choose: elevate, keep refining, or return to generation."
            )
        elif len(choice.note) > 5000:
            errors[field] = _("Keep the note under 5,000 characters.")
        elif choice.outcome == ReductionOutcome.REFINE and not choice.note.strip():
            errors[field] = _("Say what is still missing, so the people behind it know.")
        elif choice.outcome == ReductionOutcome.RETURN and not choice.note.strip():
            errors[field] = _(
                "Say why it goes back: the people who shared it will learn from your reason."
            )
    if not choices:
        errors["__all__"] = _("Choose an outcome for at least one idea.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    schedule = _schedule_for(RoutineKind.REDUCTION)
    standards = current_standards()
    routine = Routine.objects.create(
        kind=RoutineKind.REDUCTION,
        schedule=schedule,
        person=lead,
        title=_("Reduction round, %(day)s") % {"day": _day(now)},
        answers={"notes": _text({"notes": notes}, "notes")},
        standards_version=standards,
        started_at=now,
        completed_at=now,
    )
    for choice in choices:
        note = choice.note.strip()
        decision = None
        try:
            if choice.outcome == ReductionOutcome.ELEVATE:
                decision = decision_open(
                    proposer=lead,
                    idea=choice.idea,
                    to_stage=Stage.KNOWLEDGE,
                    routine=routine,
                    rationale=_elevate_rationale(choice.idea, note, lead),
                )
            elif choice.outcome == ReductionOutcome.RETURN:
                decision = decision_open(
                    proposer=lead,
                    idea=choice.idea,
                    to_stage=Stage.RETURNED,
                    routine=routine,
                    rationale=note,
                )
        except ValidationError as exc:
            errors[f"outcome_{choice.idea.pk}"] = exc.messages
            continue
        ReductionItem.objects.create(
            routine=routine, idea=choice.idea, outcome=choice.outcome, note=note, decision=decision
        )
    if errors:
        raise ValidationError(errors)
    routine.ideas.add(*[c.idea for c in choices])
    _advance(schedule, _today(today))
    audit(lead, "led a reduction round", routine)
    return routine


# Reminders -----------------------------------------------------------------------------


def _recipients(schedule: RoutineSchedule) -> list[Any]:
    if schedule.kind == RoutineKind.SUMMARY:
        return [schedule.person] if schedule.person else []
    if schedule.kind == RoutineKind.SYNTHESIS:
        return list(
            Person.objects.filter(memberships__group=schedule.group, is_active=True)
            .distinct()
            .order_by("pk")
        )
    return list(Person.objects.filter(is_steward=True, is_active=True).order_by("pk"))


def send_due_reminders(today: date | None = None) -> int:
    """Email the people a due routine waits for, once a day per routine; returns how many
    routines were reminded. Safe to run often and from several workers at once."""
    today = _today(today)
    due = (
        RoutineSchedule.objects.filter(active=True, next_due_on__lte=today)
        .exclude(last_reminded_on=today)
        .select_related("person", "group")
        .order_by("next_due_on", "id")
    )
    reminded = 0
    for schedule in due:
        with transaction.atomic():
            # Claim the reminder first: whoever updates the row sends the mail.
            claimed = (
                RoutineSchedule.objects.filter(pk=schedule.pk)
                .exclude(last_reminded_on=today)
                .update(last_reminded_on=today)
            )
            if not claimed:
                continue
            notify(
                recipients=_recipients(schedule),
                kind=NotificationKind.ROUTINE,
                title=_reminder_subject(schedule),
                url=_reminder_link(schedule),
                body=_reminder_body(schedule),
            )
            reminded += 1
    return reminded


def _reminder_subject(schedule: RoutineSchedule) -> str:
    if schedule.kind == RoutineKind.SUMMARY:
        return _("Your %(cadence)s summary is due") % {
            "cadence": rules.cadence_word(schedule.cadence)
        }
    if schedule.kind == RoutineKind.SYNTHESIS:
        return _("The synthesis of %(group)s is due") % {"group": schedule.group}
    return _("The network's reduction round is due")


def _reminder_link(schedule: RoutineSchedule) -> str:
    if schedule.kind == RoutineKind.SUMMARY:
        return reverse("routines:summary_new")
    if schedule.kind == RoutineKind.SYNTHESIS:
        return reverse("routines:synthesis_new") + f"?group={schedule.group_id}"
    return reverse("routines:reduction_new")


def _reminder_body(schedule: RoutineSchedule) -> str:
    if schedule.kind == RoutineKind.SUMMARY:
        return _(
            "Take twenty minutes to look back over what you learned and tried since the last "
            "one: tick what is worth sharing, say what supports it and who could help test it "
            "further."
        )
    if schedule.kind == RoutineKind.SYNTHESIS:
        return _(
            "Put what people learned in different places side by side, name the patterns and "
            "the differences, and decide which ideas the evidence creates or strengthens."
        )
    return _(
        "Go through the ideas that look ready against the standards, and for each one put it "
        "to the members as knowledge, keep refining it, or send it back to generation with "
        "the reason."
    )
