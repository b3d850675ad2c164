"""Build the demo network: a year of a school-improvement and family-engagement network.

Rows are written with the ORM in bulk, so that loading takes seconds. The builder records
what the services would have recorded: a first revision of every revisioned item, a stage
change (with reason and evidence snapshot) for every move of an idea, publication dates of
products, the history of every stakeholder's state, and audit events. The consolidation
cycle — standards, decisions, reviews and routines — comes from `learnloop.demo.cycle`.

Everything is deterministic: one `random.Random(2024)`, hand-written content from
`learnloop.demo.content`, and dates counted back from `today`.
"""

from __future__ import annotations

import random
import time as clock
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from learnloop.application.models import (
    AdoptionPlan,
    AdoptionState,
    Outcome,
    StakeholderStep,
    StepUpdate,
)
from learnloop.capture.models import KnowledgeProduct
from learnloop.consolidation.models import (
    Criterion,
    Decision,
    DecisionStatus,
    Endorsement,
    Evidence,
    Idea,
    ReductionItem,
    Review,
    ReviewScore,
    Routine,
    RoutineKind,
    RoutineSchedule,
    StageChange,
    StandardsVersion,
    VersionStatus,
    Vote,
)
from learnloop.core.models import Attachment, AuditEvent, Comment, Revision, Tag
from learnloop.demo import brokers as demo_brokers
from learnloop.demo import content as C
from learnloop.demo import meetings as demo_meetings
from learnloop.demo import network as demo_network
from learnloop.demo import notifications as demo_notifications
from learnloop.demo import publishing as demo_publishing
from learnloop.demo import search as demo_search
from learnloop.demo import spaces as demo_spaces
from learnloop.demo.content import DEMO_LOGINS, DEMO_PASSWORD, DEMO_ROLES, DemoLogin
from learnloop.demo.cycle import CycleBuilder
from learnloop.demo.impact import ImpactBuilder
from learnloop.generation.models import Answer, Learning, Question, TestCycle
from learnloop.measures.models import DataPoint, Measure, MeasureLink
from learnloop.people.models import Group, Membership, Organization, Person
from learnloop.sharing.models import Channel, Share
from learnloop.value.models import Convening, ConveningKind, StoryStep, ValueCycle, ValueStory

__all__ = [
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "DEMO_ROLES",
    "DemoError",
    "DemoLogin",
    "DemoSummary",
    "build_demo",
]

SEED = 2024
GENERAL_LEARNINGS = 300
TEST_CYCLES = 24

T = TypeVar("T")


class DemoError(RuntimeError):
    """The demo network cannot be loaded into this database."""


@dataclass
class DemoSummary:
    counts: dict[str, int]
    learnings_by_kind: dict[str, int]
    test_cycles_by_status: dict[str, int]
    ideas_by_stage: dict[str, int]
    products_by_kind: dict[str, int]
    steps_by_state: dict[str, int]
    standards_by_status: dict[str, int] = field(default_factory=dict)
    decisions_by_status: dict[str, int] = field(default_factory=dict)
    routines_by_kind: dict[str, int] = field(default_factory=dict)
    points_by_measure: dict[str, int] = field(default_factory=dict)
    convenings_by_kind: dict[str, int] = field(default_factory=dict)
    stories_by_cycle: dict[str, int] = field(default_factory=dict)
    logins: tuple[DemoLogin, ...] = DEMO_LOGINS
    password: str = DEMO_PASSWORD
    seconds: float = 0.0
    today: date | None = None

    def lines(self) -> list[str]:
        """A short human-readable report, for the command line."""
        out = [f"Demo network loaded in {self.seconds:.1f} s (dates up to {self.today})."]
        out.append(", ".join(f"{n} {name.replace('_', ' ')}" for name, n in self.counts.items()))
        for title, data in (
            ("Learnings by kind", self.learnings_by_kind),
            ("Test cycles by status", self.test_cycles_by_status),
            ("Ideas by stage", self.ideas_by_stage),
            ("Products by kind", self.products_by_kind),
            ("Stakeholders by state", self.steps_by_state),
            ("Standards versions by status", self.standards_by_status),
            ("Decisions by status", self.decisions_by_status),
            ("Routines by kind", self.routines_by_kind),
            ("Data points by measure", self.points_by_measure),
            ("Convenings by kind", self.convenings_by_kind),
            ("Value stories reaching each cycle", self.stories_by_cycle),
        ):
            out.append(f"{title}: " + ", ".join(f"{k} {v}" for k, v in data.items()))
        out.append(f"Log in with any of these (password: {self.password}):")
        out.extend(f"  {username:<16} {what}" for username, what in self.logins)
        return out


@dataclass
class _LearningRow:
    obj: Learning
    practice: str = ""
    tags: list[str] = field(default_factory=list)


def build_demo(
    *, progress: Callable[[str], None] = print, today: date | None = None
) -> DemoSummary:
    """Load the demo network into an empty database and say what was made."""
    if Person.objects.exists():
        raise DemoError(
            "The database already holds people. The demo network loads only into an empty "
            "database: start from a fresh one (or flush this one) and try again."
        )
    started = clock.perf_counter()
    day = today or timezone.localdate()
    with transaction.atomic():
        _Builder(day, progress).run()
    summary = _summarize()
    summary.seconds = clock.perf_counter() - started
    summary.today = day
    progress(f"Done in {summary.seconds:.1f} s.")
    return summary


def _summarize() -> DemoSummary:
    def by(model: type[models.Model], name: str, choices: Iterable[str]) -> dict[str, int]:
        rows = model._default_manager.order_by().values_list(name).annotate(n=models.Count("pk"))
        found = dict(rows)
        return {c: found.get(c, 0) for c in choices}

    counts = {
        "organizations": Organization.objects.count(),
        "people": Person.objects.count(),
        "groups": Group.objects.count(),
        "memberships": Membership.objects.count(),
        "learnings": Learning.objects.count(),
        "test_cycles": TestCycle.objects.count(),
        "questions": Question.objects.count(),
        "answers": Answer.objects.count(),
        "ideas": Idea.objects.count(),
        "evidence_links": Evidence.objects.count(),
        "stage_changes": StageChange.objects.count(),
        "endorsements": Endorsement.objects.count(),
        "products": KnowledgeProduct.objects.count(),
        "channels": Channel.objects.count(),
        "shares": Share.objects.count(),
        "adoption_plans": AdoptionPlan.objects.count(),
        "stakeholder_steps": StakeholderStep.objects.count(),
        "step_updates": StepUpdate.objects.count(),
        "outcomes": Outcome.objects.count(),
        "comments": Comment.objects.count(),
        "attachments": Attachment.objects.count(),
        "tags": Tag.objects.count(),
        "revisions": Revision.objects.count(),
        "standards_versions": StandardsVersion.objects.count(),
        "standards": Criterion.objects.count(),
        "decisions": Decision.objects.count(),
        "votes": Vote.objects.count(),
        "reviews": Review.objects.count(),
        "review_scores": ReviewScore.objects.count(),
        "routine_schedules": RoutineSchedule.objects.count(),
        "routines": Routine.objects.count(),
        "reduction_items": ReductionItem.objects.count(),
        "measures": Measure.objects.count(),
        "data_points": DataPoint.objects.count(),
        "measure_links": MeasureLink.objects.count(),
        "convenings": Convening.objects.count(),
        "value_stories": ValueStory.objects.count(),
        "story_steps": StoryStep.objects.count(),
    }
    from learnloop.application.models import AdoptionState as S
    from learnloop.capture.models import ProductKind
    from learnloop.consolidation.models import Stage
    from learnloop.generation.models import LearningKind, TestCycleStatus

    return DemoSummary(
        counts=counts,
        learnings_by_kind=by(Learning, "kind", LearningKind.values),
        test_cycles_by_status=by(TestCycle, "status", TestCycleStatus.values),
        ideas_by_stage=by(Idea, "stage", Stage.values),
        products_by_kind=by(KnowledgeProduct, "kind", ProductKind.values),
        steps_by_state=by(StakeholderStep, "state", S.values),
        standards_by_status=by(StandardsVersion, "status", VersionStatus.values),
        decisions_by_status=by(Decision, "status", DecisionStatus.values),
        routines_by_kind=by(Routine, "kind", RoutineKind.values),
        points_by_measure=dict(
            Measure.objects.order_by("name")
            .annotate(n=models.Count("data_points"))
            .values_list("slug", "n")
        ),
        convenings_by_kind=by(Convening, "kind", ConveningKind.values),
        stories_by_cycle={
            c: StoryStep.objects.filter(cycle=c).values("story").distinct().count()
            for c in ValueCycle.values
        },
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{max(n, 1)} {one if max(n, 1) == 1 else many}"


def _evidence_snapshot(rows: Sequence[Evidence]) -> dict[str, Any]:
    """The shape `consolidation.services.snapshot_from` keeps with a stage decision:
    {"counts": {relation: n}, "contexts": n, "learnings": [{learning_id, title, relation}]}."""
    order = {"supports": 0, "contradicts": 1, "context": 2}
    rows = sorted(rows, key=lambda e: (order[e.relation], e.added_at))
    counts = Counter(e.relation for e in rows)
    contexts = {
        (e.context_group_id, e.context_site) for e in rows if e.context_group_id or e.context_site
    }
    return {
        "counts": {name: counts[name] for name in order},
        "contexts": len(contexts),
        "learnings": [
            {"learning_id": e.learning.pk, "title": e.learning.title, "relation": e.relation}
            for e in rows
        ],
    }


def _snapshot(item: models.Model, fields: Sequence[str], **known: Any) -> dict[str, Any]:
    """What `core.services.revision_record` keeps, computed without extra queries."""
    data: dict[str, Any] = {}
    for name in fields:
        value = known[name] if name in known else getattr(item, name)
        data[name] = value if isinstance(value, (str, int, list, type(None), bool)) else str(value)
    return data


class _Builder:
    def __init__(self, today: date, progress: Callable[[str], None]) -> None:
        self.rng = random.Random(SEED)
        self.today = today
        self.tz = timezone.get_current_timezone()
        self.end = datetime.combine(today, time(0), tzinfo=self.tz) - timedelta(minutes=5)
        self.progress = progress
        self.revisions: list[Revision] = []
        self.audits: list[AuditEvent] = []
        self.comments: list[Comment] = []
        self.attachments: list[Attachment] = []
        self.ct: dict[type[models.Model], ContentType] = {}
        self.titles: set[str] = set()

    # ----------------------------------------------------------------------- helpers

    def at(self, days_ago: float) -> datetime:
        """A working-hours moment `days_ago` days before today."""
        day = self.today - timedelta(days=int(days_ago))
        moment = datetime.combine(
            day, time(self.rng.randint(7, 17), self.rng.randint(0, 59)), tzinfo=self.tz
        )
        return min(moment, self.end)

    def after(self, moment: datetime, max_days: float, min_minutes: int = 20) -> datetime:
        span = max(int(max_days * 24 * 60), min_minutes + 1)
        return min(moment + timedelta(minutes=self.rng.randint(min_minutes, span)), self.end)

    def pick(self, seq: Sequence[T]) -> T:
        return seq[self.rng.randrange(len(seq))]

    def weighted(self, options: dict[str, int]) -> str:
        return self.rng.choices(list(options), weights=list(options.values()))[0]

    def content_type(self, model: type[models.Model]) -> ContentType:
        if model not in self.ct:
            self.ct[model] = ContentType.objects.get_for_model(model)
        return self.ct[model]

    def revision(
        self, item: models.Model, author: Person, summary: str, number: int = 1, **known: Any
    ) -> None:
        fields = type(item).revision_fields  # type: ignore[attr-defined]
        self.revisions.append(
            Revision(
                content_type=self.content_type(type(item)),
                object_id=item.pk,
                number=number,
                data=_snapshot(item, fields, **known),
                author=author,
                summary=summary,
                created_at=item.created_at if number == 1 else item.updated_at,  # type: ignore[attr-defined]
            )
        )

    def audit(
        self, actor: Person, verb: str, target: models.Model, when: datetime, **data: Any
    ) -> None:
        self.audits.append(
            AuditEvent(
                actor=actor,
                verb=verb,
                content_type=self.content_type(type(target)),
                object_id=target.pk,
                data=data,
                created_at=when,
            )
        )

    def comment_on(self, item: Any, count: int, viewers: Sequence[Person]) -> None:
        when = item.created_at
        for _ in range(count):
            when = self.after(when, 6)
            self.comments.append(
                Comment(
                    content_type=self.content_type(type(item)),
                    object_id=item.pk,
                    author=self.pick(viewers),
                    body=self.pick(C.COMMENTS),
                    created_at=when,
                )
            )

    def link_on(self, item: Any, title: str, url: str, by: Person) -> None:
        self.attachments.append(
            Attachment(
                content_type=self.content_type(type(item)),
                object_id=item.pk,
                title=title,
                url=url,
                added_by=by,
                created_at=item.created_at,
            )
        )

    def unique_title(self, templates: Sequence[str], slots: dict[str, Any]) -> str:
        """A title not used before: another template, or other numbers, on each try."""
        for _ in range(12):
            title = self.pick(templates).format(**{**slots, "n": self.rng.randint(6, 40)})
            if title not in self.titles:
                break
        else:
            n = 2
            while f"{title} ({n})" in self.titles:
                n += 1
            title = f"{title} ({n})"
        self.titles.add(title)
        return title[:200]

    def viewers_of(self, visibility: str, group: Group | None) -> list[Person]:
        if visibility == "group" and group is not None:
            return self.members[group.slug]
        return self.everyone

    # ------------------------------------------------------------------------- steps

    def run(self) -> None:
        self.progress("Creating organizations, people and groups…")
        self.make_people()
        self.progress("Writing a year of learnings, test cycles and questions…")
        self.make_test_cycles()
        self.make_learnings()
        self.make_questions()
        self.progress("Consolidating ideas: evidence, endorsements and stage decisions…")
        self.make_ideas()
        self.progress("Packaging knowledge products and sharing them…")
        self.make_products()
        self.progress("Following adoption plans and recording outcomes…")
        self.make_plans()
        self.progress("Standards, reviews, decisions and routines…")
        CycleBuilder(self).run()
        self.progress("Measures, convenings, value stories and a quiet team…")
        ImpactBuilder(self).run()
        self.progress("Meetings, creation spaces, brokers, guidelines and notifications…")
        demo_meetings.build(self)
        demo_spaces.build(self)
        demo_publishing.build(self)
        demo_brokers.build(self)
        demo_notifications.build(self)
        self.progress("Keeping revisions, comments, links and the audit log…")
        Comment.objects.bulk_create(self.comments, batch_size=500)
        Attachment.objects.bulk_create(self.attachments, batch_size=500)
        Revision.objects.bulk_create(self.revisions, batch_size=500)
        AuditEvent.objects.bulk_create(self.audits, batch_size=500)
        demo_search.build(self)  # search documents for everything above (issue 6)
        self.progress("Mapping the network's ties…")
        demo_network.build(self)

    def make_people(self) -> None:
        rng = self.rng
        names = set(C.EXTRA_TAGS)
        for p in C.PRACTICES:
            names.update(p.tags)
        for tags in [s.tags for s in C.QUESTIONS] + [s.tags for s in C.IDEAS]:
            names.update(tags)
        for tags in [s.tags for s in C.PRODUCTS]:
            names.update(tags)
        self.tags = {
            t.name: t
            for t in Tag.objects.bulk_create(
                [Tag(name=Tag.normalize(n), slug=Tag.slug_for(n)) for n in sorted(names)]
            )
        }

        self.orgs = {
            o.slug: o
            for o in Organization.objects.bulk_create(
                [
                    Organization(
                        name=o["name"],
                        slug=o["slug"],
                        description=o["description"],
                        website=o["website"],
                        created_at=self.at(364),
                    )
                    for o in C.ORGANIZATIONS
                ]
            )
        }

        password = make_password(DEMO_PASSWORD)  # once: Argon2 is slow on purpose
        people = []
        for spec in C.PEOPLE:
            first, _, last = spec.name.partition(" ")
            people.append(
                Person(
                    username=spec.username,
                    email=f"{spec.username}@example.org",
                    first_name=first,
                    last_name=last,
                    display_name=spec.name,
                    job_role=spec.job_role,
                    organization=self.orgs[spec.org] if spec.org else None,
                    site=spec.site,
                    stakeholder_type=spec.stakeholder,
                    expertise=spec.expertise,
                    bio=spec.bio,
                    is_steward=spec.steward,
                    password=password,
                    date_joined=self.at(rng.randint(345, 364)),
                )
            )
        self.people = {p.username: p for p in Person.objects.bulk_create(people)}
        self.everyone = list(self.people.values())
        self.stewards = [p for p in self.everyone if p.is_steward]

        self.groups = {
            g.slug: g
            for g in Group.objects.bulk_create(
                [
                    Group(
                        name=g["name"],
                        slug=g["slug"],
                        kind=g["kind"],
                        cadence=g["cadence"],
                        purpose=g["purpose"],
                        organization=self.orgs[g["organization"]],
                        created_at=self.at(364),
                    )
                    for g in C.GROUPS
                ]
            )
        }
        Group.clusters.through.objects.bulk_create(
            [
                Group.clusters.through(
                    from_group_id=self.groups[slug].pk, to_group_id=self.groups[C.CLUSTER].pk
                )
                for slug in C.CLUSTER_LINKS
            ]
        )
        memberships = []
        self.members: dict[str, list[Person]] = defaultdict(list)
        self.moderators: dict[str, list[Person]] = defaultdict(list)
        for spec in C.PEOPLE:
            person = self.people[spec.username]
            for slug, role in spec.groups:
                memberships.append(
                    Membership(
                        person=person,
                        group=self.groups[slug],
                        role=role,
                        joined_at=self.after(person.date_joined, 10),
                    )
                )
                self.members[slug].append(person)
                if role == C.MOD:
                    self.moderators[slug].append(person)
        Membership.objects.bulk_create(memberships)

        self.channels = {
            str(c["key"]): ch
            for c, ch in zip(
                C.CHANNELS,
                Channel.objects.bulk_create(
                    [
                        Channel(
                            name=str(c["name"]),
                            kind=str(c["kind"]),
                            description=str(c["description"]),
                            reaches_outside=bool(c["outside"]),
                            created_at=self.at(360),
                        )
                        for c in C.CHANNELS
                    ]
                ),
                strict=True,
            )
        }
        self.practices = {p.key: p for p in C.PRACTICES}
        self.practices_of: dict[str, list[C.Practice]] = defaultdict(list)
        for p in C.PRACTICES:
            for slug in p.groups:
                self.practices_of[slug].append(p)

    # ------------------------------------------------------------------ generation

    def slots(self, practice: C.Practice, site: str, when: datetime) -> dict[str, Any]:
        rng = self.rng
        pct = rng.randint(58, 95)
        hard = self.pick(C.HARD_PARTS)
        return {
            "short": practice.short,
            "short_l": practice.short_l,
            "phrase": practice.phrase,
            "who": practice.who,
            "who_one": practice.who_one,
            "measure": practice.measure,
            "measure_cap": practice.measure[0].upper() + practice.measure[1:],
            "site": site,
            "month": when.strftime("%B"),
            "n": rng.randint(6, 40),
            "k": rng.randint(2, 6),
            "pct": pct,
            "pct2": pct - rng.randint(2, 12),
            "weekday": self.pick(C.WEEKDAYS),
            "hard_part": hard,
            "hard_part_cap": hard[0].upper() + hard[1:],
            "absence": self.pick(C.ABSENCES),
        }

    def context_site(self, author: Person) -> str:
        if author.site in ("District office", "Open Door Family Center", "Bayside Youth Mentors"):
            return self.pick(C.SCHOOLS)
        return author.site

    def practice_authors(self, slug: str) -> list[Person]:
        doers = [p for p in self.members[slug] if p.stakeholder_type in ("staff", "partner")]
        return doers or self.members[slug]

    def make_test_cycles(self) -> None:
        rng = self.rng
        statuses = ["planning", "running", "studying", "done"]
        slugs = [C.ONTRACK, C.ATTENDANCE, C.FAMILY, C.STUDENT, C.MENTORING, C.FUNDERS]
        cycles: list[TestCycle] = []
        self.cycle_practice: dict[int, C.Practice] = {}
        for i in range(TEST_CYCLES):
            status = statuses[i % 4]
            slug = slugs[i % len(slugs)]
            practice = self.pick(self.practices_of[slug])
            author = self.pick(self.practice_authors(slug))
            if status == "planning":
                created = self.at(rng.randint(2, 25))
                started = self.today + timedelta(days=rng.randint(3, 20))
                ended = None
            elif status == "running":
                started = self.today - timedelta(days=rng.randint(5, 25))
                created = self.at((self.today - started).days + rng.randint(2, 10))
                ended = None
            elif status == "studying":
                started = self.today - timedelta(days=rng.randint(30, 70))
                ended = self.today - timedelta(days=rng.randint(2, 10))
                created = self.at((self.today - started).days + rng.randint(2, 10))
            else:
                started = self.today - timedelta(days=rng.randint(45, 330))
                ended = started + timedelta(days=rng.randint(14, 35))
                created = self.at((self.today - started).days + rng.randint(2, 10))
            site = self.context_site(author)
            s = self.slots(practice, site, created)
            title = self.unique_title(["{short} with {n} {who} at {site}"], s)
            weeks = rng.randint(2, 5)
            cycle = TestCycle(
                author=author,
                group=self.groups[slug],
                visibility="group" if rng.random() < 0.2 else "network",
                title=title,
                plan=(
                    f"Try {practice.phrase} with {s['n']} {practice.who} at {site} for "
                    f"{weeks} weeks. {author.display_name.split()[0]} keeps a simple log and "
                    "the team looks at it every week."
                ),
                prediction="We predict " + self.pick(C.PREDICTIONS).format(**s) + ".",
                status=status,
                started_on=started,
                ended_on=ended,
                created_at=created,
                updated_at=created,
            )
            if status != "planning":
                cycle.what_happened = self.pick(C.RESULTS).format(**s)
                if status == "running":
                    cycle.what_happened = "So far: " + cycle.what_happened
                cycle.updated_at = self.after(created, 2)
            if status in ("studying", "done"):
                cycle.learned = self.pick(C.LEARNED)
            if status == "done":
                cycle.next_step = self.pick(C.NEXT_STEPS)
                cycle.updated_at = min(
                    datetime.combine(ended or started, time(16), tzinfo=self.tz), self.end
                )
            cycles.append(cycle)
        cycles.sort(key=lambda c: c.created_at)
        self.cycles = TestCycle.objects.bulk_create(cycles)
        for cycle in self.cycles:
            self.revision(
                cycle,
                cycle.author,
                "Planned",
                status="planning",
                what_happened="",
                learned="",
                next_step="",
            )
            if cycle.status != "planning":
                self.revision(cycle, cycle.author, "Updated", number=2)
            self.audit(cycle.author, "planned", cycle, cycle.created_at)

    def cycle_learnings(self) -> list[_LearningRow]:
        rows: list[_LearningRow] = []
        for cycle in self.cycles:
            if cycle.status == "done":
                copies = 1 + (self.rng.random() < 0.4)
            elif cycle.status == "studying":
                copies = int(self.rng.random() < 0.5)
            else:
                copies = 0
            parts = [f"**Change tested:** {cycle.title}"]
            if cycle.prediction:
                parts.append(f"**We predicted:** {cycle.prediction}")
            parts.append(f"**What happened:** {cycle.what_happened}")
            parts.append(f"**What we learned:** {cycle.learned}")
            if cycle.next_step:
                parts.append(f"**Next step:** {cycle.next_step}")
            base = datetime.combine(cycle.ended_on or self.today, time(9), tzinfo=self.tz)
            for n in range(copies):
                title = f"Test result: {cycle.title}" if n == 0 else f"Second look: {cycle.title}"
                self.titles.add(title)
                created = min(
                    base + timedelta(days=1 + 6 * n, hours=self.rng.randint(0, 8)), self.end
                )
                rows.append(
                    _LearningRow(
                        Learning(
                            author=cycle.author,
                            group=cycle.group,
                            visibility=cycle.visibility,
                            title=title[:200],
                            body="\n\n".join(parts),
                            kind="test_result",
                            site=self.context_site(cycle.author),
                            test_cycle=cycle,
                            created_at=created,
                            updated_at=created,
                        ),
                        practice="",
                        tags=["ninth grade"] if n == 0 else [],
                    )
                )
        return rows

    def make_learnings(self) -> None:
        rng = self.rng
        group_weights = {
            C.ONTRACK: 4,
            C.ATTENDANCE: 4,
            C.FAMILY: 4,
            C.STUDENT: 3,
            C.MENTORING: 3,
            C.FUNDERS: 2,
            C.CLUSTER: 1,
        }
        kinds = {
            "reflection": 18,
            "observation": 26,
            "test_result": 10,
            "data": 16,
            "story": 14,
            "question": 12,
        }
        rows = self.cycle_learnings()
        for _ in range(GENERAL_LEARNINGS):
            slug = self.weighted(group_weights)
            practice = self.pick(self.practices_of[slug])
            author = self.pick(self.members[slug])
            kind = self.weighted(kinds)
            if kind in ("data", "test_result") and author.stakeholder_type in (
                "student",
                "parent",
                "community",
            ):
                kind = "observation"
            created = self.at(rng.uniform(1, 362))
            site = self.context_site(author)
            s = self.slots(practice, site, created)
            title = self.unique_title(C.TITLES[kind], s)
            body = self.learning_body(kind, s)
            r = rng.random()
            visibility = (
                "draft"
                if r < 0.05
                else "group"
                if r < 0.19
                else "public"
                if r < 0.29
                else "network"
            )
            group = self.groups[slug] if visibility == "group" or rng.random() < 0.85 else None
            tags = rng.sample(practice.tags, k=rng.randint(1, len(practice.tags)))
            if rng.random() < 0.2:
                tags.append(self.pick(C.EXTRA_TAGS))
            rows.append(
                _LearningRow(
                    Learning(
                        author=author,
                        group=group,
                        visibility=visibility,
                        title=title,
                        body=body,
                        kind=kind,
                        site=site,
                        created_at=created,
                        updated_at=created,
                    ),
                    practice=practice.key,
                    tags=sorted(set(tags)),
                )
            )
        rows.sort(key=lambda r: r.obj.created_at)
        Learning.objects.bulk_create([r.obj for r in rows], batch_size=500)
        self.learning_rows = rows
        self.save_learning_extras(rows, links=True)
        self.by_practice: dict[str, list[Learning]] = defaultdict(list)
        for row in rows:
            if row.practice and row.obj.visibility in ("network", "public"):
                self.by_practice[row.practice].append(row.obj)

    def learning_body(self, kind: str, s: dict[str, Any]) -> str:
        rng = self.rng
        if kind == "test_result":
            return "\n\n".join(
                [
                    f"**Change tested:** {s['short']} with {s['n']} {s['who']} at {s['site']}",
                    "**We predicted:** " + self.pick(C.PREDICTIONS).format(**s),
                    "**What happened:** " + self.pick(C.RESULTS).format(**s),
                    "**What we learned:** " + self.pick(C.LEARNED),
                    "**Next step:** " + self.pick(C.NEXT_STEPS),
                ]
            )
        pool = C.BODIES[kind]
        picked = rng.sample(pool, k=min(len(pool), rng.randint(2, 3)))
        text = " ".join(p.format(**s) for p in picked)
        if kind == "observation" and rng.random() < 0.3:
            text += (
                "\n\nWhat we will try next:\n\n- keep the log for two more weeks\n"
                f"- ask {s['who']} what made the difference\n- compare with another school"
            )
        return text

    def save_learning_extras(self, rows: list[_LearningRow], *, links: bool) -> None:
        through = Learning.tags.through
        through.objects.bulk_create(
            [
                through(learning_id=r.obj.pk, tag_id=self.tags[name].pk)
                for r in rows
                for name in r.tags
            ],
            batch_size=1000,
        )
        for row in rows:
            item = row.obj
            self.revision(item, item.author, "Posted", tag_names=row.tags)
            self.audit(item.author, "posted", item, item.created_at)
            if item.visibility == "draft":
                continue
            if links and self.rng.random() < 0.13:
                title, url = self.pick(C.LINKS)
                self.link_on(item, title, url, item.author)
            if self.rng.random() < 0.22:
                self.comment_on(
                    item, self.rng.randint(1, 3), self.viewers_of(item.visibility, item.group)
                )

    def make_questions(self) -> None:
        rng = self.rng
        questions: list[Question] = []
        answers: list[list[Answer]] = []
        for spec in C.QUESTIONS:
            pool = self.members[spec.group] if spec.group else self.everyone
            answerers = {u for u, _ in spec.answers}
            author = self.pick([p for p in pool if p.username not in answerers] or pool)
            group = self.groups[spec.group] if spec.group else None
            visibility = spec.visibility
            in_group = group is not None and all(
                self.people[u] in self.members[group.slug] for u in answerers
            )
            if visibility == "network" and in_group and rng.random() < 0.25:
                visibility = "group"
            created = self.at(rng.randint(8, 330))
            question = Question(
                author=author,
                group=group,
                visibility=visibility,
                title=spec.title,
                body=spec.body,
                created_at=created,
                updated_at=created,
            )
            when = created
            mine = []
            for i, (username, body) in enumerate(spec.answers):
                when = self.after(when, 5)
                mine.append(
                    Answer(
                        author=self.people[username],
                        body=body,
                        accepted=spec.accepted == i,
                        created_at=when,
                    )
                )
            if spec.accepted is not None and len(questions) % 2 == 0:
                question.closed_at = self.after(when, 3)
            questions.append(question)
            answers.append(mine)
        Question.objects.bulk_create(questions)
        through = Question.tags.through
        through.objects.bulk_create(
            [
                through(question_id=q.pk, tag_id=self.tags[t].pk)
                for q, spec in zip(questions, C.QUESTIONS, strict=True)
                for t in spec.tags
            ]
        )
        flat = []
        for question, mine in zip(questions, answers, strict=True):
            self.revision(question, question.author, "Asked")
            self.audit(question.author, "asked", question, question.created_at)
            for answer in mine:
                answer.question = question
                flat.append(answer)
                self.audit(answer.author, "answered", question, answer.created_at)
        Answer.objects.bulk_create(flat)
        self.questions = questions

    # --------------------------------------------------------------- consolidation

    IDEA_AGE = {
        "emerging": (8, 60),
        "testing": (60, 150),
        "promising": (120, 220),
        "knowledge": (200, 290),
        "scaling": (280, 340),
        "returned": (130, 290),
    }
    EVIDENCE_COUNT = {
        "emerging": (2, 3),
        "testing": (4, 5),
        "promising": (6, 8),
        "knowledge": (8, 10),
        "scaling": (9, 12),
        "returned": (5, 7),
    }
    ENDORSEMENTS = {
        "emerging": (0, 3),
        "testing": (2, 5),
        "promising": (4, 8),
        "knowledge": (6, 12),
        "scaling": (10, 16),
        "returned": (0, 3),
    }

    def pick_evidence(self, spec: C.IdeaSpec) -> list[Learning]:
        candidates: list[Learning] = []
        seen: set[int] = set()
        # An idea that has stood still since then draws only on what was known by then.
        cutoff = self.end - timedelta(days=spec.still_days + 7) if spec.still_days else self.end
        for key in spec.practices:
            for learning in self.by_practice[key]:
                if learning.pk not in seen and learning.created_at < cutoff:
                    seen.add(learning.pk)
                    candidates.append(learning)
        self.rng.shuffle(candidates)
        low, high = self.EVIDENCE_COUNT[spec.stage]
        want = self.rng.randint(low, high)
        chosen: list[Learning] = []
        # Spread the evidence over the network: first one learning per group, then one per
        # site, then whatever is left.
        passes: list[Callable[[Learning], Any]] = [lambda lr: lr.group_id, lambda lr: lr.site]
        for key_of in passes:
            seen_keys = {key_of(lr) for lr in chosen}
            for learning in candidates:
                k = key_of(learning)
                if len(chosen) < want and k and k not in seen_keys and learning not in chosen:
                    seen_keys.add(k)
                    chosen.append(learning)
        for learning in candidates:
            if len(chosen) >= want:
                break
            if learning not in chosen:
                chosen.append(learning)
        return chosen

    def relation_for(self, stage: str, index: int) -> str:
        r = self.rng.random()
        if stage == "returned":
            # It held up at first, then the contradicting results came in.
            if index in (0, 2):
                return "supports"
            return "context" if r < 0.2 else "contradicts"
        if stage == "emerging" or index < 2:
            return "context" if r < 0.2 else "supports"
        return "contradicts" if r < 0.12 else "context" if r < 0.27 else "supports"

    def decider(self, to_stage: str, idea: Idea, spec: C.IdeaSpec) -> Person:
        if to_stage in ("knowledge", "scaling", "returned"):
            return self.pick(self.stewards)
        return self.pick(self.moderators[spec.group] or self.stewards)

    def make_ideas(self) -> None:
        rng = self.rng
        ideas: list[Idea] = []
        for spec in C.IDEAS:
            low, high = self.IDEA_AGE[spec.stage]
            created = self.at(rng.randint(low, high) + spec.still_days)
            ideas.append(
                Idea(
                    author=self.people[spec.author],
                    group=self.groups[spec.group],
                    visibility=spec.visibility,
                    title=spec.title,
                    summary=spec.summary,
                    stage=spec.stage,
                    created_at=created,
                    updated_at=created,
                    stage_changed_at=created,
                )
            )
        Idea.objects.bulk_create(ideas)
        self.ideas = {spec.key: idea for spec, idea in zip(C.IDEAS, ideas, strict=True)}

        evidence: list[Evidence] = []
        changes: list[StageChange] = []
        endorsements: list[Endorsement] = []
        idea_tags = []
        for spec, idea in zip(C.IDEAS, ideas, strict=True):
            idea_tags += [(idea.pk, self.tags[t].pk) for t in spec.tags]
            linked: list[Evidence] = []
            helpers = self.members[spec.group]
            for i, learning in enumerate(self.pick_evidence(spec)):
                since = max(learning.created_at, idea.created_at)
                linked.append(
                    Evidence(
                        idea=idea,
                        learning=learning,
                        relation=(rel := self.relation_for(spec.stage, i)),
                        note=self.pick(C.EVIDENCE_NOTES[rel]),
                        context_group_id=learning.group_id,
                        context_site=learning.site,
                        added_by=self.pick(helpers),
                        added_at=self.after(since, 6),
                    )
                )
            linked.sort(key=lambda e: e.added_at)
            evidence += linked

            if spec.stage == "returned":
                path = ["emerging", "testing"]
                if rng.random() < 0.5:
                    path.append("promising")
                path.append("returned")
            else:
                path = C.STAGE_PATH[: C.STAGE_PATH.index(spec.stage) + 1]
            moves = len(path) - 1
            # An idea that stays still made its last move `still_days` ago at the latest.
            span = self.end - timedelta(days=max(2, spec.still_days)) - idea.created_at
            previous = idea.created_at
            history = [("", "emerging", idea.created_at, idea.author)]
            for j, to_stage in enumerate(path[1:], start=1):
                planned = idea.created_at + span * j / (moves + 0.5)
                # Decide only once some of the evidence is in.
                needed = linked[: max(1, len(linked) * j // (moves + 1))]
                ready = max((e.added_at for e in needed), default=previous)
                when = min(
                    max(planned, ready, previous) + timedelta(hours=rng.randint(2, 30)), self.end
                )
                history.append((path[j - 1], to_stage, when, self.decider(to_stage, idea, spec)))
                previous = when
            for from_stage, to_stage, when, who in history:
                known = [e for e in linked if e.added_at <= when]
                snapshot = _evidence_snapshot(known)
                counts = snapshot["counts"]
                if to_stage == "returned":
                    reason = spec.returned_reason
                else:
                    reason = self.pick(C.STAGE_REASONS[to_stage]).format(
                        supports=counts["supports"],
                        contradicts=counts["contradicts"],
                        supports_n=_count(counts["supports"], "learning", "learnings"),
                        groups_n=_count(
                            len({e.context_group_id for e in known if e.context_group_id}),
                            "group",
                            "groups",
                        ),
                        sites_n=_count(
                            len({e.context_site for e in known if e.context_site}), "site", "sites"
                        ),
                    )
                changes.append(
                    StageChange(
                        idea=idea,
                        from_stage=from_stage,
                        to_stage=to_stage,
                        reason=reason,
                        decided_by=who,
                        decided_at=when,
                        evidence_snapshot=snapshot,
                    )
                )
            idea.stage_changed_at = previous
            idea.updated_at = max(previous, linked[-1].added_at if linked else previous)

            low, high = self.ENDORSEMENTS[spec.stage]
            pool = [p for p in self.everyone if p.pk != idea.author_id]
            for person in rng.sample(pool, k=rng.randint(low, high)):
                endorsements.append(
                    Endorsement(
                        idea=idea,
                        person=person,
                        note=self.pick(C.ENDORSEMENT_NOTES),
                        created_at=self.after(
                            idea.created_at, max((self.end - idea.created_at).days, 1)
                        ),
                    )
                )
                self.audit(person, "endorsed", idea, endorsements[-1].created_at)
            if rng.random() < 0.6:
                self.comment_on(idea, rng.randint(1, 4), self.everyone)
            self.revision(idea, idea.author, "Shared", tag_names=sorted(spec.tags))
            self.audit(idea.author, "shared an idea", idea, idea.created_at)

        Idea.objects.bulk_update(ideas, ["stage_changed_at", "updated_at"])
        Idea.tags.through.objects.bulk_create(
            [Idea.tags.through(idea_id=i, tag_id=t) for i, t in idea_tags]
        )
        Evidence.objects.bulk_create(evidence, batch_size=500)
        StageChange.objects.bulk_create(changes)
        self.stage_changes = changes
        for change in changes:
            if change.from_stage:  # the first entry is the sharing itself
                self.audit(
                    change.decided_by,
                    "changed the stage",
                    change.idea,
                    change.decided_at,
                    from_stage=change.from_stage,
                    to_stage=change.to_stage,
                    stage_change=change.pk,
                )
        Endorsement.objects.bulk_create(endorsements, batch_size=500)

    # ---------------------------------------------------------------- capture & sharing

    def make_products(self) -> None:
        rng = self.rng
        plan_age: dict[str, int] = {}
        for plan in C.PLANS:
            plan_age[plan.product] = max(plan_age.get(plan.product, 0), plan.started_days_ago)
        products: list[KnowledgeProduct] = []
        for spec in C.PRODUCTS:
            age = plan_age.get(spec.key)
            days = min(age + rng.randint(15, 40), 358) if age else rng.randint(20, 200)
            created = self.at(days)
            product = KnowledgeProduct(
                author=self.people[spec.author],
                group=self.groups[spec.group] if spec.group else None,
                visibility=spec.visibility,
                title=spec.title,
                kind=spec.kind,
                summary=spec.summary,
                body=spec.body,
                audience=spec.audience,
                audience_detail=spec.audience_detail,
                actions=spec.actions,
                resources_time=spec.time,
                resources_people=spec.people,
                resources_money=spec.money,
                media_url=spec.media_url,
                created_at=created,
                updated_at=created,
            )
            if spec.visibility != "draft":
                product.published_at = self.after(created, 4)
            products.append(product)
        KnowledgeProduct.objects.bulk_create(products)
        self.products = {s.key: p for s, p in zip(C.PRODUCTS, products, strict=True)}
        self.product_specs = {s.key: s for s in C.PRODUCTS}

        KnowledgeProduct.ideas.through.objects.bulk_create(
            [
                KnowledgeProduct.ideas.through(knowledgeproduct_id=p.pk, idea_id=self.ideas[key].pk)
                for s, p in zip(C.PRODUCTS, products, strict=True)
                for key in s.ideas
            ]
        )
        KnowledgeProduct.tags.through.objects.bulk_create(
            [
                KnowledgeProduct.tags.through(knowledgeproduct_id=p.pk, tag_id=self.tags[t].pk)
                for s, p in zip(C.PRODUCTS, products, strict=True)
                for t in s.tags
            ]
        )
        for spec, product in zip(C.PRODUCTS, products, strict=True):
            self.revision(
                product,
                product.author,
                "Created",
                idea_ids=sorted(self.ideas[k].pk for k in spec.ideas),
                tag_names=sorted(spec.tags),
            )
            self.audit(product.author, "captured", product, product.created_at)
            if product.published_at:
                self.audit(product.author, "published", product, product.published_at)
                if rng.random() < 0.5:
                    self.comment_on(
                        product,
                        rng.randint(1, 3),
                        self.viewers_of(product.visibility, product.group),
                    )
            if spec.kind in ("change_package", "how_to"):
                self.link_on(
                    product,
                    "Printable version",
                    f"https://docs.harborvalley.example.org/library/{spec.key.replace('_', '-')}",
                    product.author,
                )

        shares: list[Share] = []
        self.shares: dict[str, list[Share]] = defaultdict(list)
        for key, entries in C.SHARES.items():
            product = self.products[key]
            assert product.published_at is not None  # every shared product is published
            when = product.published_at
            for channel, audience, note, response in entries:
                when = self.after(when, 6)
                sharer = (
                    self.pick(self.stewards)
                    if channel in ("newsletter", "feed", "website")
                    else product.author
                )
                share = Share(
                    product=product,
                    channel=self.channels[channel],
                    audience=audience,
                    note=note,
                    response=response,
                    shared_by=sharer,
                    shared_at=when,
                )
                shares.append(share)
                self.shares[key].append(share)
        Share.objects.bulk_create(shares)
        for share in shares:
            self.audit(
                share.shared_by,
                "shared",
                share.product,
                share.shared_at,
                share=share.pk,
            )

    # -------------------------------------------------------------------- application

    def who(self, ref: tuple[str, str]) -> dict[str, Any]:
        kind, key = ref
        if kind == "person":
            return {"person": self.people[key]}
        if kind == "group":
            return {"group": self.groups[key]}
        if kind == "org":
            return {"organization": self.orgs[key]}
        return {"label": key}

    def step_path(self, state: str) -> list[str]:
        rng = self.rng
        if state == AdoptionState.NOT_REACHED:
            return []
        if state == AdoptionState.DECLINED:
            return ["aware", "considering", *(["trying"] if rng.random() < 0.4 else []), "declined"]
        ladder = ["aware", "considering", "trying", "adopted"]
        path = ladder[: ladder.index(state) + 1]
        if state == "adopted" and rng.random() < 0.3:
            path.remove("considering")
        return path

    def make_plans(self) -> None:
        rng = self.rng
        plans: list[AdoptionPlan] = []
        for spec in C.PLANS:
            product = self.products[spec.product]
            created = max(
                self.at(spec.started_days_ago), product.published_at or product.created_at
            )
            before = [s for s in self.shares[spec.product] if s.shared_at <= created]
            plan = AdoptionPlan(
                author=self.people[spec.author],
                group=self.groups[spec.group] if spec.group else None,
                visibility=spec.visibility,
                product=product,
                title=spec.title,
                goal=spec.goal,
                share=before[0] if before else None,
                created_at=created,
                updated_at=created,
            )
            plans.append(plan)
        AdoptionPlan.objects.bulk_create(plans)

        steps: list[StakeholderStep] = []
        updates: list[StepUpdate] = []
        step_specs: list[tuple[AdoptionPlan, C.PlanSpec, list[StakeholderStep]]] = []
        for spec, plan in zip(C.PLANS, plans, strict=True):
            mine = []
            deciders = [plan.author, *self.moderators.get(spec.group or "", [])]
            for s in spec.steps:
                created = self.after(plan.created_at, 3)
                step = StakeholderStep(
                    plan=plan,
                    state=s.state,
                    action_kind=s.kind,
                    action=s.action,
                    motivations=s.motivations,
                    barriers=s.barriers,
                    support=s.support,
                    created_at=created,
                    updated_at=created,
                    **self.who(s.who),
                )
                if s.review_in is not None:
                    step.next_review_on = self.today + timedelta(days=s.review_in)
                elif s.state not in ("adopted", "declined"):
                    step.next_review_on = self.today + timedelta(days=rng.randint(7, 30))
                path = self.step_path(s.state)
                span = self.end - created
                previous, when = "not_reached", created
                step._demo_updates = []  # type: ignore[attr-defined]
                for j, state in enumerate(path, start=1):
                    planned = created + span * j / (len(path) + 1)
                    when = min(max(planned, when) + timedelta(hours=rng.randint(1, 20)), self.end)
                    step._demo_updates.append(  # type: ignore[attr-defined]
                        StepUpdate(
                            from_state=previous,
                            to_state=state,
                            note=self.pick(C.STEP_NOTES[state]),
                            by=self.pick(deciders),
                            at=when,
                        )
                    )
                    previous = state
                step.updated_at = when
                mine.append(step)
                steps.append(step)
            plan.updated_at = max([plan.created_at, *(st.updated_at for st in mine)])
            step_specs.append((plan, spec, mine))
        StakeholderStep.objects.bulk_create(steps)
        for step in steps:
            for update in step._demo_updates:  # type: ignore[attr-defined]
                update.step = step
                updates.append(update)
        StepUpdate.objects.bulk_create(updates, batch_size=500)
        for step in steps:
            self.audit(
                step.plan.author, "added a stakeholder", step.plan, step.created_at, step=step.pk
            )
        for update in updates:
            self.audit(
                update.by,
                "reviewed a stakeholder",
                update.step.plan,
                update.at,
                step=update.step.pk,
                from_state=update.from_state,
                to_state=update.to_state,
            )
        AdoptionPlan.objects.bulk_update(plans, ["updated_at"])

        outcomes: list[Outcome] = []
        rows: list[tuple[Outcome, C.OutcomeSpec, AdoptionPlan, C.PlanSpec]] = []
        for plan, spec, mine in step_specs:
            self.revision(plan, plan.author, "Planned")
            self.audit(
                plan.author, "planned adoption", plan, plan.created_at, product=plan.product.pk
            )
            for o in spec.outcomes:
                step = mine[o.step]
                when = self.after(step.updated_at, 6)
                outcome = Outcome(
                    plan=plan,
                    step=step,
                    title=o.title,
                    description=o.description,
                    recorded_by=plan.author,
                    recorded_at=when,
                )
                outcomes.append(outcome)
                rows.append((outcome, o, plan, spec))
        Outcome.objects.bulk_create(outcomes)
        self.outcomes = {o.title: o for o in outcomes}

        # Each outcome is a new learning, linked back as evidence to the product's ideas:
        # this is where the loop closes.
        learning_rows: list[_LearningRow] = []
        for outcome, o, plan, _spec in rows:
            who = outcome.step
            assert who is not None  # every demo outcome names its stakeholder
            # The same words `application.services.outcome_record` writes.
            origin = (
                f"Learned while putting “{plan.product.title}” into practice (adoption plan "
                f"“{plan.title}”). Stakeholder: {who.stakeholder_name}."
            )
            learning = Learning(
                author=plan.author,
                group=plan.group,
                visibility=plan.visibility,
                title=o.title,
                body=f"{o.description}\n\n*{origin}*",
                kind=o.learning_kind,
                site=plan.author.site,
                outcome=outcome,
                created_at=outcome.recorded_at,
                updated_at=outcome.recorded_at,
            )
            learning_rows.append(
                _LearningRow(learning, tags=sorted(self.product_specs[_spec.product].tags))
            )
        Learning.objects.bulk_create([r.obj for r in learning_rows])
        for (outcome, _o, plan, _spec), row in zip(rows, learning_rows, strict=True):
            self.audit(
                outcome.recorded_by,
                "recorded an outcome",
                plan,
                outcome.recorded_at,
                outcome=outcome.pk,
                learning=row.obj.pk,
            )
        self.save_learning_extras(learning_rows, links=False)
        evidence = []
        for (outcome, o, plan, _spec), row in zip(rows, learning_rows, strict=True):
            for key in self.product_specs[_spec.product].ideas:
                evidence.append(
                    Evidence(
                        idea=self.ideas[key],
                        learning=row.obj,
                        relation=o.relation,
                        note=f"Outcome of the adoption plan “{plan.title}”.",
                        context_group=plan.group,
                        context_site=row.obj.site,
                        added_by=plan.author,
                        added_at=self.after(outcome.recorded_at, 0.2, min_minutes=1),
                    )
                )
        Evidence.objects.bulk_create(evidence)
