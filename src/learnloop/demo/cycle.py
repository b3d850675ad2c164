"""The demo network's consolidation cycle: standards with history, decisions with varied
participation, reviews, routine schedules and past sessions, a review flag.

Rows are written with the ORM in bulk, recording what the services record
(`consolidation.decisions`, `review_services`, `routines`): the same titles, answer keys,
tallies, outcome texts and audit events. It runs after the rest of the demo is built, with the
builder's seeded random generator, so the network comes out the same on every run.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings

from learnloop.consolidation.models import (
    Criterion,
    Decision,
    DecisionKind,
    DecisionStatus,
    Evidence,
    Idea,
    ReductionItem,
    ReductionOutcome,
    Relation,
    Review,
    ReviewScore,
    Routine,
    RoutineKind,
    RoutineSchedule,
    Stage,
    StageChange,
    StandardsVersion,
    Verdict,
    VersionStatus,
    Vote,
    VoteChoice,
)
from learnloop.consolidation.routine_rules import add_cadence
from learnloop.core.models import AuditEvent
from learnloop.demo import content as C
from learnloop.demo import cycle_content as K
from learnloop.generation.models import Learning
from learnloop.people.models import Cadence, Group, Person

if TYPE_CHECKING:
    from learnloop.demo.builder import _Builder

DECIDED = ("knowledge", "scaling", "returned")
SUMMARY_PEOPLE = 12
# The proposal to return the automated calls that the members did not agree to.
ROBOCALLS_VOTES = [
    *("agree", "disagree", "disagree", "agree"),
    *("abstain", "disagree", "agree", "disagree"),
]
STAGE_LABELS = {value: str(label) for value, label in Stage.choices}


def tally_of(choices: Sequence[str], quorum: int) -> dict[str, Any]:
    """`consolidation.decisions.tally`, from the choices in memory."""
    counts = Counter(choices)
    agree, disagree = counts[VoteChoice.AGREE], counts[VoteChoice.DISAGREE]
    total = sum(counts.values())
    share = round(100 * agree / (agree + disagree)) if agree + disagree else 0
    return {
        "agree": agree,
        "abstain": counts[VoteChoice.ABSTAIN],
        "disagree": disagree,
        "block": counts[VoteChoice.BLOCK],
        "total": total,
        "agree_share": share,
        "quorum_met": total >= quorum,
    }


def outcome_of(
    counts: dict[str, Any], quorum: int, threshold: int, blocks: Sequence[tuple[str, str]]
) -> tuple[str, str]:
    """The status and text `consolidation.decisions._outcome` records."""
    numbers = (
        f"{counts['total']} took part (quorum {quorum}): {counts['agree']} agree, "
        f"{counts['disagree']} disagree, {counts['abstain']} abstain, {counts['block']} block; "
        f"{counts['agree_share']}% agree among those who took a side (threshold {threshold}%)."
    )
    if not counts["quorum_met"]:
        return DecisionStatus.NO_QUORUM, "Too few voices to decide. " + numbers
    if counts["block"]:
        reasons = "; ".join(f"{name}: {reason}" for name, reason in blocks)
        return DecisionStatus.BLOCKED, "Blocked. " + numbers + " " + f"Blocks: {reasons}"
    if counts["agree_share"] >= threshold:
        return DecisionStatus.PASSED, "Agreed. " + numbers
    return DecisionStatus.FAILED, "Not agreed. " + numbers


def day_words(moment: datetime) -> str:
    """The `j F Y` date the routines put in their titles."""
    return f"{moment.day} {moment.strftime('%B %Y')}"


@dataclass
class _Round:
    routine: Routine
    items: list[tuple[Idea, str, str]] = field(default_factory=list)  # idea, outcome, note
    decisions: dict[int, Decision] = field(default_factory=dict)  # idea pk -> decision


class CycleBuilder:
    def __init__(self, builder: _Builder) -> None:
        self.b = builder
        self.rng = builder.rng
        self.decisions: list[Decision] = []
        self.votes: list[tuple[Decision, Vote]] = []
        self.routines: list[Routine] = []
        self.routine_learnings: list[tuple[Routine, Learning]] = []
        self.routine_ideas: list[tuple[Routine, Idea]] = []
        self.new_evidence: list[Evidence] = []
        self.events: list[tuple[Any, str, Any, datetime, dict[str, Any]]] = []
        self.key_of = {idea.pk: key for key, idea in builder.ideas.items()}

    # ------------------------------------------------------------------------ helpers

    def person(self, username: str) -> Person:
        return self.b.people[username]

    def later(self, moment: datetime, minutes: int) -> datetime:
        return min(moment + timedelta(minutes=minutes), self.b.end)

    def event(self, actor: Any, verb: str, target: Any, when: datetime, **data: Any) -> None:
        """An audit event written once the target has its primary key."""
        self.events.append((actor, verb, target, when, data))

    def future(self, days: int) -> datetime:
        return datetime.combine(self.b.today + timedelta(days=days), time(17), tzinfo=self.b.tz)

    def changes_of(self, idea: Idea) -> list[StageChange]:
        return sorted(self.changes_by_idea[idea.pk], key=lambda c: c.decided_at)

    def stage_at(self, idea: Idea, moment: datetime) -> str | None:
        stage = None
        for change in self.changes_of(idea):
            if change.decided_at <= moment:
                stage = change.to_stage
        return stage

    def evidence_at(self, idea: Idea, moment: datetime) -> list[Evidence]:
        return [e for e in self.evidence_by_idea[idea.pk] if e.added_at <= moment]

    def voters(
        self,
        idea: Idea | None,
        n: int,
        *,
        exclude: Sequence[str] = (),
        without_types: Sequence[str] = (),
        first: Sequence[str] = (),
    ) -> list[Person]:
        """`n` members, the idea's group first, with its served types heard unless told."""
        b = self.b
        home = list(b.members[idea.group.slug]) if idea is not None and idea.group else []
        others = [p for p in b.everyone if p not in home]
        self.rng.shuffle(home)
        self.rng.shuffle(others)
        pool = [self.person(u) for u in first] + home + others
        chosen: list[Person] = []
        for p in pool:
            if p.username in exclude or p.stakeholder_type in without_types or p in chosen:
                continue
            chosen.append(p)
        chosen = chosen[:n]
        serves = idea.serves if idea is not None else []
        heard = {p.stakeholder_type for p in chosen}
        if serves and not without_types and not heard & set(serves):
            extra = next(
                p
                for p in pool
                if p.stakeholder_type in serves and p.username not in exclude and p not in chosen
            )
            chosen[-1] = extra
        # A decision hears more than one organization: bring in someone from another one.
        if len(chosen) > 2 and len({p.organization_id for p in chosen}) < 2:
            other = next(
                (
                    p
                    for p in pool
                    if p.organization_id != chosen[0].organization_id
                    and p.username not in exclude
                    and p.stakeholder_type not in without_types
                    and p not in chosen
                ),
                None,
            )
            if other is not None:
                chosen[-2] = other
        return chosen

    def cast(
        self,
        decision: Decision,
        people: Sequence[Person],
        choices: Sequence[str],
        until: datetime,
        reasons: dict[str, str] | None = None,
    ) -> list[str]:
        reasons = reasons or {}
        span = max(int((until - decision.opened_at).total_seconds() // 60) - 5, 2)
        for p, choice in zip(people, choices, strict=True):
            if p.username in reasons:
                reason = reasons[p.username]
            elif choice == VoteChoice.AGREE:
                reason = self.b.pick(K.AGREE_REASONS)
            elif choice == VoteChoice.ABSTAIN:
                reason = self.b.pick(K.ABSTAIN_REASONS)
            else:
                reason = self.b.pick(K.DISAGREE_REASONS)
            when = decision.opened_at + timedelta(minutes=self.rng.randint(1, span))
            self.votes.append(
                (
                    decision,
                    Vote(voter=p, choice=choice, reason=reason, cast_at=min(when, self.b.end)),
                )
            )
        return list(choices)

    def passing_choices(self, n: int) -> list[str]:
        choices = [self.b.weighted({"agree": 80, "abstain": 10, "disagree": 10}) for _ in range(n)]
        while tally_of(choices, 1)["agree_share"] < settings.DECISION_THRESHOLD:
            worst = "disagree" if "disagree" in choices else "abstain"
            choices[choices.index(worst)] = "agree"
        return choices

    def decision(
        self,
        *,
        proposer: Person,
        opened: datetime,
        closes: datetime,
        rationale: str,
        idea: Idea | None = None,
        to_stage: str = "",
        version: StandardsVersion | None = None,
        routine: Routine | None = None,
    ) -> Decision:
        if idea is not None:
            title = f"Move “{idea.title}” to {STAGE_LABELS[to_stage]}"
            kind = DecisionKind.STAGE
        else:
            assert version is not None
            title = f"Adopt the standards “{version.title}”"
            kind = DecisionKind.STANDARDS
        decision = Decision(
            kind=kind,
            idea=idea,
            to_stage=to_stage,
            standards_version=version,
            title=title[:300],
            rationale=rationale,
            proposed_by=proposer,
            routine=routine,
            opened_at=opened,
            closes_at=closes,
            quorum=settings.DECISION_QUORUM,
            threshold=settings.DECISION_THRESHOLD,
        )
        self.decisions.append(decision)
        self.event(proposer, "proposed a decision", idea or version, opened, decision=decision)
        return decision

    def close(
        self,
        decision: Decision,
        choices: Sequence[str],
        closed: datetime,
        blocks: Sequence[tuple[str, str]] = (),
    ) -> str:
        counts = tally_of(choices, decision.quorum)
        status, reason = outcome_of(counts, decision.quorum, decision.threshold, blocks)
        decision.status = status
        decision.outcome_reason = reason
        decision.tally = counts
        decision.closed_at = closed
        target = decision.idea or decision.standards_version
        self.event(None, "closed a decision", target, closed, decision=decision, status=status)
        return status

    # -------------------------------------------------------------------------- steps

    def run(self) -> None:
        b = self.b
        self.changes_by_idea: dict[int, list[StageChange]] = defaultdict(list)
        for change in b.stage_changes:
            self.changes_by_idea[change.idea.pk].append(change)
        self.evidence_by_idea: dict[int, list[Evidence]] = defaultdict(list)
        for e in Evidence.objects.select_related("learning").order_by("added_at", "pk"):
            self.evidence_by_idea[e.idea_id].append(e)
        for key, idea in b.ideas.items():
            idea.serves = list(K.SERVES[key])
        self.make_standards()
        self.make_rounds()
        self.make_stage_decisions()
        self.make_other_decisions()
        self.make_summaries()
        self.make_syntheses()
        self.make_flag()
        self.make_reviews()
        self.save()

    # ---------------------------------------------------------------------- standards

    def make_standards(self) -> None:
        b, rng = self.b, self.rng
        self.versions: dict[str, StandardsVersion] = {}
        self.version_criteria: dict[str, list[Criterion]] = {}
        self.standard_decisions: list[tuple[str, Decision]] = []
        number = 0
        for spec in K.VERSIONS:
            created = b.at(spec.days_ago)
            version = StandardsVersion(
                title=spec.title,
                rationale=spec.rationale,
                status=VersionStatus.PROPOSED,
                based_on=self.versions.get(spec.based_on),
                proposed_by=self.person(spec.author),
                created_at=created,
            )
            self.versions[spec.key] = version
            self.version_criteria[spec.key] = [
                Criterion(
                    position=i,
                    kind=c.kind,
                    title=c.title,
                    description=c.description,
                    min_contexts=c.min_contexts,
                )
                for i, c in enumerate(spec.criteria, start=1)
            ]
            opened = created + timedelta(minutes=rng.randint(20, 180))
            if spec.outcome == "open":
                decision = self.decision(
                    proposer=version.proposed_by,
                    opened=opened,
                    closes=self.future(5),
                    rationale=spec.decision_rationale,
                    version=version,
                )
                people = self.voters(
                    None, 5, exclude=(C.DEMO_ROLES["steward"], C.DEMO_ROLES["parent"])
                )
                self.cast(decision, people, self.passing_choices(5), b.end)
            else:
                closes = opened + timedelta(days=settings.DECISION_DAYS)
                decision = self.decision(
                    proposer=version.proposed_by,
                    opened=opened,
                    closes=closes,
                    rationale=spec.decision_rationale,
                    version=version,
                )
                closed = closes + timedelta(minutes=rng.randint(1, 14))
                blocks: list[tuple[str, str]] = []
                if spec.outcome == "adopted":
                    people = self.voters(None, rng.randint(10, 15))
                    choices = self.passing_choices(len(people))
                    self.cast(decision, people, choices, closes)
                else:
                    blocker, why = K.FULL_YEAR_BLOCK
                    people = self.voters(None, 9, first=(blocker,))
                    choices = ["block", "agree", "agree", "disagree", "agree", "disagree"]
                    choices += ["abstain", "agree", "disagree"]
                    self.cast(decision, people, choices, closes, {blocker: why})
                    blocks = [(self.person(blocker).name, why)]
                status = self.close(decision, choices, closed, blocks)
                if status == DecisionStatus.PASSED:
                    number += 1
                    version.number = number
                    version.status = VersionStatus.ADOPTED
                    version.adopted_at = closed
                else:
                    version.status = VersionStatus.REJECTED
            self.standard_decisions.append((spec.key, decision))
        self.adopted = sorted(
            (v for v in self.versions.values() if v.status == VersionStatus.ADOPTED),
            key=lambda v: v.number or 0,
        )

    def version_at(self, moment: datetime) -> StandardsVersion:
        current = [v for v in self.adopted if v.adopted_at and v.adopted_at <= moment]
        return current[-1]

    def criteria_of(self, version: StandardsVersion) -> list[Criterion]:
        key = next(k for k, v in self.versions.items() if v is version)
        return self.version_criteria[key]

    # ----------------------------------------------------------------- reduction rounds

    def make_rounds(self) -> None:
        """Three quarterly rounds; the last one elevates the first ideas to knowledge."""
        b = self.b
        lead = self.person(C.DEMO_ROLES["steward"])
        first = [b.ideas[s.key] for s in C.IDEAS if s.stage == "scaling"]
        self.elevated_first = first
        knowledge = [c for i in first for c in self.changes_of(i) if c.to_stage == "knowledge"]
        last = min(c.decided_at for c in knowledge) - timedelta(days=7, hours=3)
        when = [last - timedelta(days=182), last - timedelta(days=91), last]
        schedule_due = add_cadence(last.date(), Cadence.QUARTERLY)
        self.reduction_schedule = RoutineSchedule(
            kind=RoutineKind.REDUCTION,
            cadence=Cadence.QUARTERLY,
            next_due_on=min(schedule_due, b.today),
            created_at=when[0] - timedelta(days=3),
        )
        self.rounds: list[_Round] = []
        notes = ["first", "nothing", "elevated"]
        leads = [lead, self.person("lucia.fernandez"), lead]
        for n, (moment, note) in enumerate(zip(when, notes, strict=True)):
            routine = Routine(
                kind=RoutineKind.REDUCTION,
                schedule=self.reduction_schedule,
                person=leads[n],
                title=f"Reduction round, {day_words(moment)}",
                answers={"notes": K.REDUCTION_NOTES[note]},
                standards_version=self.version_at(moment),
                started_at=moment - timedelta(minutes=75),
                completed_at=moment,
            )
            self.routines.append(routine)
            self.rounds.append(_Round(routine))
            self.event(leads[n], "led a reduction round", routine, moment)
        r0, r1, r2 = self.rounds
        for idea in first:
            for rnd in (r0, r1):
                if idea.created_at < rnd.routine.started_at:
                    rnd.items.append((idea, ReductionOutcome.REFINE, b.pick(K.REFINE_NOTES)))
            r2.items.append((idea, ReductionOutcome.ELEVATE, b.pick(K.ELEVATE_NOTES)))
        refine = [
            i for i in b.ideas.values() if i not in first and self.stage_at(i, last) == "promising"
        ][:2]
        for idea in refine:
            r2.items.append((idea, ReductionOutcome.REFINE, b.pick(K.REFINE_NOTES)))
        detention, robocalls = b.ideas["lunch_detention"], b.ideas["robocalls"]
        r1.items.append((detention, ReductionOutcome.RETURN, K.DETENTION_RETURN_NOTE))
        r2.items.append((robocalls, ReductionOutcome.RETURN, K.ROBOCALLS_RETURN_NOTE))
        for rnd in self.rounds:
            for idea, _outcome, _note in rnd.items:
                self.routine_ideas.append((rnd.routine, idea))

        # The two returns the rounds proposed: one with too few voices, one not agreed.
        for rnd, idea, note, n, choices in (
            (r1, detention, K.DETENTION_RETURN_NOTE, 3, ["agree", "agree", "abstain"]),
            (
                r2,
                robocalls,
                K.ROBOCALLS_RETURN_NOTE,
                8,
                ROBOCALLS_VOTES,
            ),
        ):
            opened = self.later(rnd.routine.completed_at or last, 3)
            closes = opened + timedelta(days=settings.DECISION_DAYS)
            decision = self.decision(
                proposer=rnd.routine.person,
                opened=opened,
                closes=closes,
                rationale=note,
                idea=idea,
                to_stage=Stage.RETURNED,
                routine=rnd.routine,
            )
            people = self.voters(idea, n)
            self.cast(decision, people, choices, closes)
            self.close(decision, choices, closes + timedelta(minutes=self.rng.randint(1, 14)))
            rnd.decisions[idea.pk] = decision

    # -------------------------------------------------------------- stage decisions

    def make_stage_decisions(self) -> None:
        """A passed decision behind every move to knowledge, scaling or returned, but one
        moderator's override."""
        b, rng = self.b, self.rng
        r2 = self.rounds[-1]
        audits = {e.data["stage_change"]: e for e in b.audits if e.verb == "changed the stage"}
        self.backed: list[tuple[StageChange, Decision]] = []
        for spec in C.IDEAS:
            idea = b.ideas[spec.key]
            history = self.changes_of(idea)
            for previous, change in itertools.pairwise(history):
                if change.to_stage not in DECIDED:
                    continue
                event = audits[change.pk]
                if spec.key == "lunch_detention":
                    change.override = True
                    change.decided_by = b.moderators[spec.group][0]
                    change.reason = f"{K.OVERRIDE_REASON}\n\n{change.reason}"
                    event.actor = change.decided_by
                    event.data.update(override=True, decision=None)
                    continue
                closes = change.decided_at - timedelta(minutes=rng.randint(2, 40))
                if idea in self.elevated_first and change.to_stage == "knowledge":
                    note = next(n for i, o, n in r2.items if i is idea)
                    known = self.evidence_at(idea, r2.routine.completed_at or closes)
                    kinds = Counter(e.relation for e in known)
                    contexts = {
                        (e.context_group_id, e.context_site)
                        for e in known
                        if e.context_group_id or e.context_site
                    }
                    facts = (
                        "The reduction round proposes it as knowledge: "
                        f"{kinds['supports']} supporting and {kinds['contradicts']} "
                        f"contradicting learnings, from {len(contexts)} contexts."
                    )
                    proposer = r2.routine.person
                    opened = self.later(r2.routine.completed_at or closes, 3)
                    rationale = f"{note}\n\n{facts}" if note else facts
                    routine: Routine | None = r2.routine
                else:
                    if change.to_stage == "returned":
                        proposer = b.moderators[spec.group][0]
                    else:
                        proposer = idea.author
                    start = previous.decided_at + timedelta(hours=2)
                    opened = max(start, closes - timedelta(days=settings.DECISION_DAYS))
                    rationale = change.reason
                    routine = None
                decision = self.decision(
                    proposer=proposer,
                    opened=opened,
                    closes=closes,
                    rationale=rationale,
                    idea=idea,
                    to_stage=change.to_stage,
                    routine=routine,
                )
                if routine is not None:
                    r2.decisions[idea.pk] = decision
                no_voice = spec.key == "weekly_checks" and change.to_stage == "scaling"
                people = self.voters(
                    idea,
                    rng.randint(5, 15),
                    without_types=("student", "parent") if no_voice else (),
                )
                choices = self.cast(decision, people, self.passing_choices(len(people)), closes)
                self.close(decision, choices, change.decided_at)
                decision.stage_change = change
                change.reason = decision.rationale + "\n\n" + decision.outcome_reason
                change.decided_by = proposer
                event.actor = proposer
                event.data.update(override=False, decision=decision)
                self.backed.append((change, decision))

    def make_other_decisions(self) -> None:
        """A blocked decision, and the decisions open for votes right now."""
        b = self.b
        panels = b.ideas["student_panels"]
        promising = next(c for c in self.changes_of(panels) if c.to_stage == "promising")
        opened = max(b.at(21), promising.decided_at + timedelta(days=2))
        closes = opened + timedelta(days=settings.DECISION_DAYS)
        decision = self.decision(
            proposer=panels.author,
            opened=opened,
            closes=closes,
            rationale=K.PANELS_RATIONALE,
            idea=panels,
            to_stage=Stage.KNOWLEDGE,
        )
        blocker, why = K.PANELS_BLOCK
        people = self.voters(panels, 9, first=(blocker,))
        choices = ["block", *self.passing_choices(8)]
        self.cast(decision, people, choices, closes, {blocker: why})
        self.close(decision, choices, self.later(closes, 9), [(self.person(blocker).name, why)])

        steward, parent = C.DEMO_ROLES["steward"], C.DEMO_ROLES["parent"]
        for (
            key,
            to_stage,
            proposer,
            why,
            ago,
            closes_in,
            n,
            by_steward,
            by_parent,
        ) in K.OPEN_DECISIONS:
            idea = b.ideas[key]
            decision = self.decision(
                proposer=self.person(proposer),
                opened=b.at(ago),
                closes=self.future(closes_in),
                rationale=why,
                idea=idea,
                to_stage=to_stage,
            )
            first = [u for u, yes in ((steward, by_steward), (parent, by_parent)) if yes]
            skip = [u for u, yes in ((steward, by_steward), (parent, by_parent)) if not yes]
            people = self.voters(idea, n, exclude=skip, first=first)
            self.cast(decision, people, self.passing_choices(n), b.end)

    # ------------------------------------------------------------------------- routines

    def learnings_of(self) -> dict[int, list[Learning]]:
        mine: dict[int, list[Learning]] = defaultdict(list)
        for row in self.b.learning_rows:
            mine[row.obj.author_id].append(row.obj)
        return mine

    def link(
        self,
        routine: Routine,
        idea: Idea,
        learnings: Sequence[Learning],
        relation: str,
        note: str,
        when: datetime,
    ) -> int:
        """`routines._link`: new evidence rows for learnings not yet linked to the idea."""
        linked = {e.learning_id for e in self.evidence_by_idea[idea.pk]}
        made = 0
        for learning in learnings:
            if learning.pk in linked:
                continue
            evidence = Evidence(
                idea=idea,
                learning=learning,
                relation=relation,
                note=note[:5000],
                context_group_id=learning.group_id,
                context_site=learning.site,
                added_by=routine.person,
                added_at=when,
                routine=routine,
            )
            self.new_evidence.append(evidence)
            self.evidence_by_idea[idea.pk].append(evidence)
            made += 1
        self.routine_ideas.append((routine, idea))
        return made

    def make_summaries(self) -> None:
        b, rng = self.b, self.rng
        mine = self.learnings_of()
        proposed = {
            b.ideas[k].author.username: b.ideas[k]
            for k in ("student_led_conferences", "mentor_photo_texts", "library_club_counts")
        }
        member = C.DEMO_ROLES["member"]
        busiest = sorted(
            (p for p in b.everyone if p.username not in proposed and p.username != member),
            key=lambda p: (-len(mine[p.pk]), p.username),
        )
        people = [self.person(member), *(self.person(u) for u in proposed)]
        people += busiest[: SUMMARY_PEOPLE - len(people)]
        self.summary_schedules: list[RoutineSchedule] = []
        overdue = {busiest[0].username: 2, busiest[1].username: 5}
        for index, person in enumerate(people):
            idea = proposed.get(person.username)
            if idea is not None:
                last_due = idea.created_at.date()
                due = add_cadence(last_due, Cadence.MONTHLY)
            elif person.username == member:
                due = b.today
            elif person.username in overdue:
                due = b.today - timedelta(days=overdue[person.username])
            else:
                due = b.today + timedelta(days=rng.randint(2, 27))
            schedule = RoutineSchedule(
                kind=RoutineKind.SUMMARY,
                person=person,
                cadence=Cadence.MONTHLY,
                next_due_on=due,
                created_at=b.at(rng.randint(100, 150)),
            )
            self.summary_schedules.append(schedule)
            sessions = 2 if index < 8 else 1
            for k in range(sessions, 0, -1):
                held = due
                for _ in range(k):
                    held = _months_back(held)
                if idea is not None and k == 1:
                    done = idea.created_at - timedelta(minutes=1)
                else:
                    days = (b.today - held).days + rng.randint(-3, 2)
                    done = b.at(max(days, 1))
                self.summary(schedule, person, done, mine[person.pk], idea if k == 1 else None)

    def summary(
        self,
        schedule: RoutineSchedule,
        person: Person,
        done: datetime,
        own: list[Learning],
        new_idea: Idea | None,
    ) -> None:
        b, rng = self.b, self.rng
        shared = [lr for lr in own if lr.visibility != "draft" and lr.created_at < done]
        recent = [lr for lr in shared if done - timedelta(days=45) <= lr.created_at]
        if not recent:
            recent = shared[-2:]
        chosen = rng.sample(recent, k=min(len(recent), rng.randint(1, 3)))
        chosen.sort(key=lambda lr: lr.created_at)
        strengthen = None
        if new_idea is None and chosen and rng.random() < 0.4:
            groups = {g.pk for g in self.groups_of(person)}
            options = [
                i
                for i in b.ideas.values()
                if i.group_id in groups
                and i.stage in ("testing", "promising", "knowledge", "scaling")
                and i.stage_changed_at < done
                and not {e.learning_id for e in self.evidence_by_idea[i.pk]}
                & {lr.pk for lr in chosen}
            ]
            strengthen = b.pick(options) if options else None
        output = "new" if new_idea is not None else "existing" if strengthen else "none"
        template = b.pick(K.SUMMARY_EVIDENCE)
        if "{a}" in template and len(chosen) < 2:
            template = K.SUMMARY_EVIDENCE[1]
        titles = [f"“{lr.title}”" for lr in chosen] + ["", ""]
        answers = {
            "evidence": template.format(a=titles[0], b=titles[1]),
            "understanding": b.pick(K.SUMMARY_UNDERSTANDING),
            "helpers": b.pick(K.SUMMARY_HELPERS),
            "output": output,
        }
        routine = Routine(
            kind=RoutineKind.SUMMARY,
            schedule=schedule,
            person=person,
            title=f"Summary by {person.name}, {day_words(done)}",
            answers=answers,
            started_at=done - timedelta(minutes=rng.randint(15, 50)),
            completed_at=done,
        )
        self.routines.append(routine)
        self.routine_learnings += [(routine, lr) for lr in chosen]
        if new_idea is not None:
            self.link(
                routine,
                new_idea,
                chosen,
                Relation.SUPPORTS,
                answers["evidence"],
                new_idea.created_at + timedelta(minutes=1),
            )
        elif strengthen is not None:
            self.link(routine, strengthen, chosen, Relation.SUPPORTS, answers["evidence"], done)
        self.event(person, "finished a summary", routine, done)

    def groups_of(self, person: Person) -> list[Group]:
        return [g for slug, g in self.b.groups.items() if person in self.b.members[slug]]

    def make_syntheses(self) -> None:
        b, rng = self.b, self.rng
        self.synthesis_schedules: list[RoutineSchedule] = []
        due_soon = {C.FAMILY: 0, C.ONTRACK: -4}
        sessions = {C.FAMILY: 2}
        for spec in C.GROUPS:
            group = b.groups[spec["slug"]]
            cadence = {
                "weekly": Cadence.FORTNIGHTLY,
                "quarterly": Cadence.MONTHLY,
            }.get(group.cadence, group.cadence)
            if group.slug in due_soon:
                due = b.today + timedelta(days=due_soon[group.slug])
            else:
                due = b.today + timedelta(days=rng.randint(3, 20))
            schedule = RoutineSchedule(
                kind=RoutineKind.SYNTHESIS,
                group=group,
                cadence=cadence,
                next_due_on=due,
                created_at=b.at(rng.randint(120, 200)),
            )
            self.synthesis_schedules.append(schedule)
            held = due
            for _ in range(sessions.get(group.slug, 1)):
                held = (
                    held - timedelta(days=14)
                    if cadence == Cadence.FORTNIGHTLY
                    else _months_back(held)
                )
                done = b.at(max((b.today - held).days, 1))
                self.synthesis(schedule, group, done)

    def synthesis(self, schedule: RoutineSchedule, group: Group, done: datetime) -> None:
        b, rng = self.b, self.rng
        scope = {group.pk} | {
            b.groups[s].pk for s in (C.CLUSTER_LINKS if group.slug == C.CLUSTER else [])
        }
        period = b.pick(K.SYNTHESIS_PERIODS)
        since = done - timedelta(days=int(period))
        pool = [
            row.obj
            for row in b.learning_rows
            if row.obj.group_id in scope
            and row.obj.visibility in ("network", "public")
            and since <= row.obj.created_at < done
        ]
        rng.shuffle(pool)
        context = (lambda lr: lr.group_id) if group.slug == C.CLUSTER else (lambda lr: lr.site)
        chosen: list[Learning] = []
        seen: set[Any] = set()
        for learning in pool:
            if context(learning) not in seen and len(chosen) < 5:
                seen.add(context(learning))
                chosen.append(learning)
        for learning in pool:
            if len(chosen) >= 4:
                break
            if learning not in chosen:
                chosen.append(learning)
        sites = sorted({lr.site for lr in chosen}) or ["one school"]
        names = (
            [b.groups[s].name for s in C.CLUSTER_LINKS if b.groups[s].pk in seen]
            if group.slug == C.CLUSTER
            else sites
        )
        options = [
            i
            for i in b.ideas.values()
            if i.group_id in scope
            and i.stage in ("testing", "promising", "knowledge", "scaling")
            and i.stage_changed_at < done
        ]
        strengthen = b.pick(options) if options and len(chosen) >= 2 else None
        strength = self.b.weighted({"weak": 1, "moderate": 3, "strong": 2})
        answers = {
            "patterns": b.pick(K.SYNTHESIS_PATTERNS).format(contexts=", ".join(names[:4])),
            "differences": b.pick(K.SYNTHESIS_DIFFERENCES).format(
                site_a=sites[0], site_b=sites[-1]
            ),
            "strength": strength,
            "output": "existing" if strengthen else "none",
            "tag": "",
            "period": period,
        }
        leader = b.pick(b.moderators[group.slug] or b.members[group.slug])
        routine = Routine(
            kind=RoutineKind.SYNTHESIS,
            schedule=schedule,
            person=leader,
            group=group,
            title=f"Synthesis of {group.name}, {day_words(done)}",
            answers=answers,
            started_at=done - timedelta(minutes=rng.randint(45, 90)),
            completed_at=done,
        )
        self.routines.append(routine)
        self.routine_learnings += [(routine, lr) for lr in chosen]
        if strengthen is not None:
            relation = Relation.SUPPORTS if strength != "weak" else Relation.CONTEXT
            self.link(routine, strengthen, chosen, relation, answers["patterns"], done)
        self.event(leader, "finished a synthesis", routine, done, group=group.pk)

    # ----------------------------------------------------------------------- the flag

    def make_flag(self) -> None:
        b = self.b
        spec = K.FLAG
        idea = b.ideas[spec["idea"]]
        assert idea.stage == Stage.KNOWLEDGE
        author = self.person(spec["author"])
        created = b.at(4)
        learning = Learning(
            author=author,
            group=b.groups[spec["group"]],
            visibility="network",
            title=spec["title"],
            body=spec["body"],
            kind="observation",
            site=spec["site"],
            created_at=created,
            updated_at=created,
        )
        Learning.objects.bulk_create([learning])
        b.revision(learning, author, "Posted", tag_names=[])
        b.audit(author, "posted", learning, created)
        linked = b.after(created, 1)
        evidence = Evidence(
            idea=idea,
            learning=learning,
            relation=Relation.CONTRADICTS,
            note=spec["note"],
            context_group_id=learning.group_id,
            context_site=learning.site,
            added_by=author,
            added_at=linked,
        )
        self.new_evidence.append(evidence)
        self.evidence_by_idea[idea.pk].append(evidence)
        idea.review_flagged_at = linked
        idea.review_flag = (
            f"Learning #{learning.pk} was linked as contradicting it by {author.name} on "
            f"{linked.strftime('%Y-%m-%d %H:%M')}."
        )
        self.flag_event = (author, idea, linked, learning, evidence)

    # ------------------------------------------------------------------------ reviews

    def make_reviews(self) -> None:
        b = self.b
        self.reviews: list[tuple[Review, list[tuple[ReviewScore, list[Evidence]]]]] = []
        item_rounds: dict[int, list[_Round]] = defaultdict(list)
        for rnd in self.rounds[1:]:
            for idea, _o, _n in rnd.items:
                item_rounds[idea.pk].append(rnd)
        v2_at = self.adopted[-1].adopted_at
        assert v2_at is not None
        for spec in C.IDEAS:
            if spec.stage not in ("promising", "knowledge", "scaling"):
                continue
            idea = b.ideas[spec.key]
            history = self.changes_of(idea)
            promising = next(c.decided_at for c in history if c.to_stage == "promising")
            nxt = [c.decided_at for c in history if c.decided_at > promising]
            stop = nxt[0] - timedelta(days=8) if nxt else b.end - timedelta(days=1)
            stop = max(stop, promising + timedelta(days=3))
            moments: list[tuple[datetime, Routine | None]] = [
                (rnd.routine.started_at + timedelta(minutes=20), rnd.routine)
                for rnd in item_rounds[idea.pk]
            ]
            want = self.rng.randint(2, 4)
            start = max(promising + timedelta(days=1), v2_at + timedelta(days=1))
            if promising < v2_at and not moments:
                moments.append((promising + (v2_at - promising) / 2, None))
            current = sum(1 for m, _r in moments if m >= v2_at)
            extra = max(want - len(moments), 2 - current, 0)
            for j in range(extra):
                moment = start + (stop - start) * (j + 1) / (extra + 1)
                moments.append((moment + timedelta(hours=self.rng.randint(-20, 20)), None))
            self.review_idea(idea, sorted(moments, key=lambda m: m[0]))

    def review_idea(self, idea: Idea, moments: list[tuple[datetime, Routine | None]]) -> None:
        b, rng = self.b, self.rng
        home = b.members[idea.group.slug] if idea.group is not None else []
        pool = [p for p in home if p.pk != idea.author_id]
        pool += [p for p in b.stewards if p not in pool and p.pk != idea.author_id]
        others = [p for p in b.everyone if p not in pool and p.pk != idea.author_id]
        rng.shuffle(pool)
        rng.shuffle(others)
        reviewers = (pool + others)[: len(moments)]
        previous: dict[int, str] = {}
        for n, ((moment, routine), reviewer) in enumerate(zip(moments, reviewers, strict=True)):
            moment = min(moment, b.end)
            version = self.version_at(moment)
            stage = self.stage_at(idea, moment)
            quality = {"knowledge": "strong", "scaling": "strong", "promising": "mixed"}.get(
                stage or "", "weak"
            )
            known = self.evidence_at(idea, moment)
            scores = []
            for index, criterion in enumerate(self.criteria_of(version)):
                verdict, links = self.verdict(criterion, quality, known)
                # Reviewers disagree: each later review differs on one criterion.
                if n and index == n % len(self.criteria_of(version)):
                    verdict = _other_verdict(previous.get(index, verdict), verdict)
                previous[index] = verdict
                sites = sorted({e.context_site for e in known if e.context_site})
                text = b.pick(K.JUSTIFICATIONS[criterion.kind][verdict]).format(
                    sites=_and(sites) if sites else "no named school"
                )
                scores.append(
                    (ReviewScore(criterion=criterion, verdict=verdict, justification=text), links)
                )
            verdicts = [s.verdict for s, _l in scores]
            met = verdicts.count(Verdict.MEETS) / len(verdicts)
            tone = "strong" if met >= 0.75 else "mixed" if met >= 0.4 else "weak"
            review = Review(
                idea=idea,
                reviewer=reviewer,
                version=version,
                summary=b.pick(K.REVIEW_SUMMARIES[tone]),
                missing="" if met == 1 else b.pick([m for m in K.MISSING if m]),
                routine=routine,
                created_at=moment,
            )
            self.reviews.append((review, scores))

    def verdict(
        self, criterion: Criterion, quality: str, known: list[Evidence]
    ) -> tuple[str, list[Evidence]]:
        b = self.b
        supports = [e for e in known if e.relation == Relation.SUPPORTS]
        against = [e for e in known if e.relation == Relation.CONTRADICTS]
        weights = {
            "strong": {"meets": 80, "partly": 15, "unsure": 5},
            "mixed": {"meets": 45, "partly": 35, "not_met": 10, "unsure": 10},
            "weak": {"meets": 15, "partly": 35, "not_met": 40, "unsure": 10},
        }[quality]
        if criterion.kind == "contexts":
            by_site: dict[str, Evidence] = {}
            for e in supports:
                by_site.setdefault(e.context_site, e)
            need = criterion.min_contexts or 2
            n = len(by_site)
            verdict = "meets" if n >= need else "partly" if n == need - 1 else "not_met"
            return verdict, list(by_site.values())[:3]
        if criterion.kind == "measure":
            numbers = [e for e in supports if e.learning.kind in ("data", "test_result")]
            return b.weighted(weights), (numbers or supports)[:2]
        if criterion.kind == "contradiction":
            if not against:
                return "meets", []
            return b.weighted({"partly": 3, "meets": 2, "not_met": 1}), against[:2]
        links = supports[:1] if criterion.kind == "equity" else []
        return b.weighted(weights), links

    # --------------------------------------------------------------------------- save

    def save(self) -> None:
        b = self.b
        StandardsVersion.objects.bulk_create(
            [self.versions[s.key] for s in K.VERSIONS if not s.based_on]
        )
        for spec in K.VERSIONS:
            if spec.based_on:
                version = self.versions[spec.key]
                version.based_on = self.versions[spec.based_on]
                version.save()
        criteria = []
        for key, version in self.versions.items():
            for criterion in self.version_criteria[key]:
                criterion.version = version
                criteria.append(criterion)
        Criterion.objects.bulk_create(criteria)

        schedules = [
            self.reduction_schedule,
            *self.summary_schedules,
            *self.synthesis_schedules,
        ]
        RoutineSchedule.objects.bulk_create(schedules)
        steward = self.person(C.DEMO_ROLES["steward"])
        for schedule in schedules:
            if schedule.person is not None:
                setter = schedule.person
            elif schedule.group is not None:
                setter = (b.moderators[schedule.group.slug] or [steward])[0]
            else:
                setter = steward
            b.audit(
                setter,
                "set a routine's cadence",
                schedule,
                schedule.created_at,
                cadence=schedule.cadence,
            )
        Routine.objects.bulk_create(self.routines)
        Routine.learnings.through.objects.bulk_create(
            [
                Routine.learnings.through(routine_id=r.pk, learning_id=lr.pk)
                for r, lr in self.routine_learnings
            ],
            ignore_conflicts=True,
        )
        Routine.ideas.through.objects.bulk_create(
            [Routine.ideas.through(routine_id=r.pk, idea_id=i.pk) for r, i in self.routine_ideas],
            ignore_conflicts=True,
        )

        Decision.objects.bulk_create(self.decisions)
        votes = []
        for decision, vote in self.votes:
            vote.decision = decision
            votes.append(vote)
        Vote.objects.bulk_create(votes, batch_size=500)
        ReductionItem.objects.bulk_create(
            [
                ReductionItem(
                    routine=rnd.routine,
                    idea=idea,
                    outcome=outcome,
                    note=note,
                    decision=rnd.decisions.get(idea.pk),
                )
                for rnd in self.rounds
                for idea, outcome, note in rnd.items
            ]
        )

        Evidence.objects.bulk_create(self.new_evidence)
        for e in self.new_evidence:
            b.audit(
                e.added_by,
                "linked evidence",
                e.idea,
                e.added_at,
                learning=e.learning.pk,
                relation=e.relation,
            )
        author, idea, linked, learning, evidence = self.flag_event
        b.audit(
            author,
            "flagged for review",
            idea,
            linked,
            learning=learning.pk,
            evidence=evidence.pk,
            first=True,
        )

        reviews = [r for r, _s in self.reviews]
        Review.objects.bulk_create(reviews)
        scores: list[ReviewScore] = []
        links: list[tuple[ReviewScore, list[Evidence]]] = []
        for review, mine in self.reviews:
            for score, evidence_rows in mine:
                score.review = review
                scores.append(score)
                links.append((score, evidence_rows))
        ReviewScore.objects.bulk_create(scores, batch_size=500)
        through = ReviewScore.evidence.through
        through.objects.bulk_create(
            [
                through(reviewscore_id=s.pk, evidence_id=e.pk)
                for s, rows in links
                for e in rows
                if e.pk is not None
            ]
        )
        for review, mine in self.reviews:
            b.audit(
                review.reviewer,
                "reviewed",
                review.idea,
                review.created_at,
                review=review.pk,
                version=review.version.number,
                verdicts={str(s.criterion.pk): s.verdict for s, _l in mine},
            )

        StageChange.objects.bulk_update(
            [c for c in b.stage_changes if c.to_stage in DECIDED],
            ["reason", "decided_by", "override"],
        )
        Idea.objects.bulk_update(
            list(b.ideas.values()), ["serves", "review_flagged_at", "review_flag"]
        )
        for event in b.audits:
            if isinstance(event.data.get("decision"), Decision):
                event.data["decision"] = event.data["decision"].pk
        for actor, verb, target, when, data in self.events:
            data = {k: v.pk if isinstance(v, Decision) else v for k, v in data.items()}
            b.audits.append(
                AuditEvent(
                    actor=actor,
                    verb=verb,
                    content_type=b.content_type(type(target)),
                    object_id=target.pk,
                    data=data,
                    created_at=when,
                )
            )


def _months_back(day: date) -> date:
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _and(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _other_verdict(previous: str, verdict: str) -> str:
    """A verdict that differs from the previous reviewer's on this criterion."""
    if verdict != previous:
        return verdict
    return {
        Verdict.MEETS: Verdict.PARTLY,
        Verdict.PARTLY: Verdict.MEETS,
        Verdict.NOT_MET: Verdict.PARTLY,
        Verdict.UNSURE: Verdict.PARTLY,
    }[Verdict(previous)]
