"""The demo network's measures, convenings and value stories, and a team that went quiet.

A year of monthly figures for four shared measures, with the signals a run chart should
show (a shift after an idea was adopted, a trend, an astronomical point, too few runs, a
site that joined late) and a breakdown by population group that makes an equity gap
visible; the ideas and test cycles that aim to move each measure; convenings over the year
and in the weeks ahead; value stories that follow a thread from taking part to the
difference it made, thinning out from cycle to cycle as value usually does.

Rows are written with the ORM in bulk, recording what the services of `measures` and
`value` record (the same audit verbs and revisions). It runs after the rest of the demo
with its own seeded generator, so adding it did not change anything built before it.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from learnloop.consolidation.models import RoutineKind, RoutineSchedule
from learnloop.demo import impact_content as V
from learnloop.demo.content import ATTENDANCE, FAMILY, ONTRACK
from learnloop.generation.models import Learning
from learnloop.measures import runchart
from learnloop.measures.models import (
    DataPoint,
    Measure,
    MeasureLink,
    default_aggregation,
)
from learnloop.people.models import Cadence, Group, Membership, Person
from learnloop.value.models import Convening, StoryStep, ValueStory

if TYPE_CHECKING:
    from learnloop.demo.builder import _Builder

SEED = 2024 + 4
MONTHS = 12
SCHOOLS = [
    "Eastside High",
    "Riverbend High",
    "Northgate High",
    "Lakeview Ninth Grade Academy",
]
# The month (0-11) from which weekly grade checks ran at these schools.
CHECKS_FROM = 6
CHECK_SCHOOLS = ("Lakeview Ninth Grade Academy", "Northgate High")
# Average daily attendance at Eastside: ordinary ups and downs, then seven months rising.
EASTSIDE_ATTENDANCE = [91.0, 91.8, 90.4, 92.0, 90.6, 89.3, 90.0, 90.8, 91.6, 92.4, 93.1, 93.9]
STRIKE_MONTH = 7
FOUR_PLACES = Decimal("0.0001")


def month_starts(today: date, count: int = MONTHS) -> list[date]:
    """The first day of each of the `count` full months before today's, oldest first."""
    year, month = today.year, today.month
    found = []
    for _ in range(count):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        found.append(date(year, month, 1))
    return found[::-1]


def _plain(chart: runchart.RunChart) -> bool:
    """Only ordinary variation: no signal of any kind."""
    return not chart.has_signal


def _shift_from(start: int) -> Callable[[runchart.RunChart], bool]:
    def ok(chart: runchart.RunChart) -> bool:
        return (
            [(s.start, s.direction) for s in chart.shifts] == [(0, "down"), (start, "up")]
            and not chart.trends
            and not chart.astronomical
        )

    return ok


def _only_astronomical(index: int) -> Callable[[runchart.RunChart], bool]:
    def ok(chart: runchart.RunChart) -> bool:
        runs = chart.runs.verdict if chart.runs else ""
        return (
            chart.astronomical == [index]
            and not chart.shifts
            and not chart.trends
            and (runs == "ok")
        )

    return ok


class ImpactBuilder:
    def __init__(self, builder: _Builder) -> None:
        self.b = builder
        self.rng = random.Random(SEED)
        self.months = month_starts(builder.today)

    # ------------------------------------------------------------------------ helpers

    def at(self, days_ago: float) -> datetime:
        """A working-hours moment `days_ago` days before today (never after the end)."""
        day = self.b.today - timedelta(days=int(days_ago))
        moment = datetime.combine(
            day, time(self.rng.randint(8, 17), self.rng.randint(0, 59)), tzinfo=self.b.tz
        )
        return min(moment, self.b.end)

    def person(self, username: str) -> Person:
        return self.b.people[username]

    def draw(
        self,
        levels: Sequence[float],
        spread: float,
        ok: Callable[[runchart.RunChart], bool],
        fix: Callable[[list[float]], None] | None = None,
    ) -> list[float]:
        """Figures around `levels`, drawn again until the run chart shows what it should."""
        for _ in range(1000):
            values = [round(level + self.rng.uniform(-spread, spread), 1) for level in levels]
            if fix is not None:
                fix(values)
            if ok(runchart.analyze(values)):
                return values
        raise RuntimeError("No demo series with the wanted signals; change the levels.")

    # -------------------------------------------------------------------------- steps

    def run(self) -> None:
        self.make_quiet_group()
        self.make_measures()
        self.make_points()
        self.make_links()
        self.make_convenings()
        self.make_stories()

    # ----------------------------------------------------------------- the quiet team

    def make_quiet_group(self) -> None:
        """A team that posted for a few months and then went quiet, and never held a
        summary or a synthesis: the health page lists it twice."""
        b = self.b
        spec = V.QUIET_GROUP
        created = self.at(V.QUIET_GROUP_AGE)
        group = Group(
            name=spec["name"],
            slug=spec["slug"],
            kind=spec["kind"],
            cadence=spec["cadence"],
            purpose=spec["purpose"],
            organization=b.orgs[spec["organization"]],
            created_at=created,
        )
        group.save()
        b.groups[group.slug] = group
        memberships = []
        for username, role in V.QUIET_MEMBERS:
            person = self.person(username)
            memberships.append(
                Membership(
                    person=person,
                    group=group,
                    role=role,
                    joined_at=created + timedelta(hours=self.rng.randint(1, 72)),
                )
            )
            b.members[group.slug].append(person)
            if role == "moderator":
                b.moderators[group.slug].append(person)
        Membership.objects.bulk_create(memberships)
        learnings = [
            Learning(
                author=self.person(username),
                group=group,
                visibility="network",
                title=title,
                body=body,
                kind=kind,
                site=self.person(username).site,
                created_at=(when := self.at(days)),
                updated_at=when,
            )
            for days, username, kind, title, body in V.QUIET_LEARNINGS
        ]
        Learning.objects.bulk_create(learnings)
        # The team set itself a monthly synthesis and has not held one yet.
        moderator = b.moderators[group.slug][0]
        schedule = RoutineSchedule.objects.create(
            kind=RoutineKind.SYNTHESIS,
            group=group,
            cadence=Cadence.MONTHLY,
            next_due_on=b.today - timedelta(days=V.QUIET_SYNTHESIS_OVERDUE),
            created_at=created + timedelta(days=3),
        )
        b.audit(
            moderator,
            "set a routine's cadence",
            schedule,
            schedule.created_at,
            cadence=schedule.cadence,
        )
        for learning in learnings:
            b.revision(learning, learning.author, "Posted", tag_names=[])
            b.audit(learning.author, "posted", learning, learning.created_at)
        self.quiet_learnings = learnings

    # ----------------------------------------------------------------------- measures

    def make_measures(self) -> None:
        b = self.b
        self.measures: dict[str, Measure] = {}
        for n, spec in enumerate(V.MEASURES):
            created = self.at(340 - n)
            measure = Measure(
                name=spec.name,
                slug=spec.slug,
                description=spec.description,
                kind=spec.kind,
                unit=spec.unit,
                direction=spec.direction,
                target=Decimal(spec.target).quantize(FOUR_PLACES) if spec.target else None,
                frequency="monthly",
                aggregation=default_aggregation(spec.kind),
                breakdowns=list(spec.breakdowns),
                active=True,
                created_by=self.person(spec.author),
                created_at=created,
                updated_at=created,
            )
            self.measures[spec.slug] = measure
        Measure.objects.bulk_create(list(self.measures.values()))
        for measure in self.measures.values():
            b.audit(
                measure.created_by,
                "defined a measure",
                measure,
                measure.created_at,
                name=measure.name,
            )

    def reporter(self, slug: str, site: str) -> Person:
        """Someone in the group who works at the site (staff first), or its moderator."""
        order = {"staff": 0, "partner": 1}
        here = sorted(
            (p for p in self.b.members[slug] if p.site == site),
            key=lambda p: (order.get(p.stakeholder_type, 2), p.username),
        )
        return here[0] if here else self.b.moderators[slug][0]

    def series(self) -> list[tuple[str, str | None, str, dict[int, float], dict[int, dict]]]:
        """(measure, group slug or None, site, {month: figure}, {month: {population: figure}})
        for every series the schools report."""
        found: list[tuple[str, str | None, str, dict[int, float], dict[int, dict]]] = []
        rng = self.rng
        months = range(MONTHS)

        # Ninth graders on track: a shift where weekly grade checks began; the breakdown by
        # population shows English learners and students with disabilities further behind.
        base = {
            "Eastside High": 71.0,
            "Riverbend High": 69.0,
            "Northgate High": 67.0,
            "Lakeview Ninth Grade Academy": 64.0,
        }
        for site in SCHOOLS:
            if site in CHECK_SCHOOLS:
                levels = [base[site]] * CHECKS_FROM + [base[site] + 11] * (MONTHS - CHECKS_FROM)
                values = self.draw(levels, 1.5, _shift_from(CHECKS_FROM))
            else:
                values = self.draw([base[site]] * MONTHS, 2.0, _plain)
            split: dict[int, dict] = {}
            for i, total in enumerate(values):
                narrowing = site in CHECK_SCHOOLS and i >= CHECKS_FROM
                learners = total - (8 if narrowing else 12) + rng.uniform(-1, 1)
                disabilities = total - 16 + rng.uniform(-1.5, 1.5)
                split[i] = {
                    V.ALL_STUDENTS: total,
                    V.ENGLISH_LEARNERS: round(learners, 1),
                    V.DISABILITIES: round(disabilities, 1),
                }
            found.append((V.ON_TRACK, ONTRACK, site, dict(enumerate(values)), split))

        # Average daily attendance: a trend at Eastside, the strike month at Riverbend.
        def strike(values: list[float]) -> None:
            values[STRIKE_MONTH] = 78.6

        attendance = {
            "Eastside High": EASTSIDE_ATTENDANCE,
            "Riverbend High": self.draw(
                [92.2] * MONTHS, 0.8, _only_astronomical(STRIKE_MONTH), strike
            ),
            "Northgate High": self.draw([90.6] * MONTHS, 1.0, _plain),
            "Lakeview Ninth Grade Academy": self.draw([89.4] * MONTHS, 1.0, _plain),
        }
        for site in SCHOOLS:
            figures = dict(enumerate(attendance[site]))
            found.append((V.ATTENDANCE_RATE, ATTENDANCE, site, figures, {}))

        # Families reached in their first month: most families arrive in August and
        # September; more were reached once good-news calls spread. Northgate had no liaison
        # for two months.
        size = {
            "Eastside High": 1.0,
            "Riverbend High": 1.2,
            "Northgate High": 0.9,
            "Lakeview Ninth Grade Academy": 0.8,
        }
        for site in SCHOOLS:
            figures = {}
            for i in months:
                if site == "Northgate High" and i in (4, 5):
                    continue
                arriving = {8: 40, 9: 26}.get(self.months[i].month, 6)
                reached = arriving * size[site] * (1.5 if i >= 4 else 1.0)
                figures[i] = float(max(0, round(reached + rng.uniform(-2, 2))))
            found.append((V.FAMILIES_REACHED, FAMILY, site, figures, {}))

        # Chronic absence, reported by the district office for each school; Lakeview's own
        # register joined the report late, so its chart is too short to read runs.
        absence = {
            "Eastside High": self.draw([21.0] * MONTHS, 1.5, _plain),
            "Riverbend High": self.draw([18.5] * MONTHS, 1.5, _plain),
            "Northgate High": self.draw([23.0] * MONTHS, 1.5, _plain),
        }
        for site in SCHOOLS:
            if site in absence:
                figures = dict(enumerate(absence[site]))
            else:
                late = range(MONTHS - 5, MONTHS)
                figures = {i: round(20.5 + rng.uniform(-1, 1), 1) for i in late}
            found.append((V.CHRONIC_ABSENCE, None, site, figures, {}))
        return found

    def make_points(self) -> None:
        b = self.b
        steward = self.person(V.MEASURES[-1].author)  # the district office reports absence
        points: list[DataPoint] = []
        batches: dict[tuple[str, int, int], list[DataPoint]] = defaultdict(list)
        sent: dict[tuple[str, int, int], datetime] = {}
        for slug, group_slug, site, figures, split in self.series():
            measure = self.measures[slug]
            group = b.groups[group_slug] if group_slug else None
            reporter = self.reporter(group_slug, site) if group_slug else steward
            for i, value in sorted(figures.items()):
                period = self.months[i]
                upload = (slug, reporter.pk, i)
                if upload not in sent:
                    following = self.months[i + 1] if i + 1 < MONTHS else b.today.replace(day=1)
                    days = (b.today - following).days - self.rng.randint(2, 8)
                    when = max(self.at(max(days, 0)), measure.created_at + timedelta(hours=2))
                    sent[upload] = min(when, b.end)
                when = sent[upload]
                cells: list[tuple[dict[str, Any], Any]] = [({}, value)] + [
                    ({V.POPULATION: name}, figure) for name, figure in split.get(i, {}).items()
                ]
                for breakdown, figure in cells:
                    point = DataPoint(
                        measure=measure,
                        period=period,
                        value=Decimal(str(figure)).quantize(FOUR_PLACES),
                        group=group,
                        site=site,
                        breakdown=breakdown,
                        breakdown_key="|".join(f"{k}={breakdown[k]}" for k in sorted(breakdown)),
                        note="" if breakdown else V.POINT_NOTES.get((slug, site, i), ""),
                        reported_by=reporter,
                        reported_at=when,
                        updated_at=when,
                    )
                    points.append(point)
                    batches[upload].append(point)
        DataPoint.objects.bulk_create(points, batch_size=500)
        self.points = points
        # One upload per school, measure and month: `measures.services.data_points_import`.
        for (slug, _reporter, _month), rows in batches.items():
            first = rows[0]
            b.audit(
                first.reported_by,
                "imported data points",
                self.measures[slug],
                first.reported_at,
                rows=len(rows),
            )

    def make_links(self) -> None:
        """`measures.services.measure_link`, for ideas and for test cycles."""
        b = self.b
        links: list[MeasureLink] = []
        for slug, keys in V.IDEA_LINKS.items():
            measure = self.measures[slug]
            for key in keys:
                idea = b.ideas[key]
                since = max(measure.created_at, idea.created_at)
                when = min(since + timedelta(hours=self.rng.randint(2, 240)), b.end)
                links.append(
                    MeasureLink(measure=measure, idea=idea, linked_by=idea.author, linked_at=when)
                )
        for slug, group_slug in V.CYCLE_LINKS.items():
            measure = self.measures[slug]
            group = b.groups[group_slug]
            cycles = [c for c in b.cycles if c.group_id == group.pk][:3]
            for cycle in cycles:
                since = max(measure.created_at, cycle.created_at)
                when = min(since + timedelta(hours=self.rng.randint(1, 48)), b.end)
                links.append(
                    MeasureLink(
                        measure=measure, test_cycle=cycle, linked_by=cycle.author, linked_at=when
                    )
                )
        MeasureLink.objects.bulk_create(links)
        for link in links:
            target = link.idea or link.test_cycle
            assert target is not None
            b.audit(
                link.linked_by,
                "linked to a measure",
                target,
                link.linked_at,
                measure=link.measure.slug,
            )
        self.links = links

    # --------------------------------------------------------------------- convenings

    def make_convenings(self) -> None:
        """`value.services.convening_create`, then `convening_update` with the notes and
        what came out of it once a convening has taken place."""
        b = self.b
        rng = self.rng
        convenings: list[Convening] = []
        people: list[list[Person]] = []
        held: list[bool] = []
        for spec in V.CONVENINGS:
            starts = datetime.combine(
                b.today + timedelta(days=spec.days), time(spec.hour), tzinfo=b.tz
            )
            ends = starts + timedelta(minutes=spec.minutes)
            planned_days = (b.today - starts.date()).days + rng.randint(7, 21)
            created = self.at(planned_days)
            past = ends < b.end
            convening = Convening(
                author=self.person(spec.author),
                group=b.groups[spec.group] if spec.group else None,
                visibility=spec.visibility,
                title=spec.title,
                kind=spec.kind,
                starts_at=starts,
                ends_at=ends,
                place=spec.place,
                link=spec.link,
                other_participants=spec.others,
                notes=spec.notes,
                outputs=spec.outputs if past else "",
                created_at=created,
                updated_at=min(ends + timedelta(hours=rng.randint(2, 60)), b.end)
                if past
                else created,
            )
            named = [self.person(u) for u in (spec.author, *spec.people)]
            # Events are open to the whole network; other convenings draw on their group.
            everyone = spec.group is None or spec.kind == "event"
            pool = sorted(
                b.everyone if everyone else b.members[spec.group or ""], key=lambda p: p.username
            )
            pool = [p for p in pool if p not in named]
            named += rng.sample(pool, k=min(spec.more, len(pool)))
            convenings.append(convening)
            people.append(named)
            held.append(past)
        Convening.objects.bulk_create(convenings)
        through = Convening.participants.through
        through.objects.bulk_create(
            [
                through(convening_id=c.pk, person_id=p.pk)
                for c, named in zip(convenings, people, strict=True)
                for p in named
            ]
        )
        for convening, past in zip(convenings, held, strict=True):
            if past:
                b.revision(convening, convening.author, "Planned", notes="", outputs="")
                b.revision(convening, convening.author, "Edited", number=2)
            else:
                b.revision(convening, convening.author, "Planned")
            b.audit(convening.author, "planned a convening", convening, convening.created_at)
            if past:
                b.audit(convening.author, "edited", convening, convening.updated_at)
        self.convenings = {s.key: c for s, c in zip(V.CONVENINGS, convenings, strict=True)}

    # -------------------------------------------------------------------------- stories

    def learning_for(self, group_slug: str, practice: str, before: datetime) -> Learning:
        """The group's latest shared learning about a practice posted before `before` (or
        the first one after it)."""
        group = self.b.groups[group_slug]
        rows = sorted(
            (
                r.obj
                for r in self.b.learning_rows
                if r.obj.group_id == group.pk
                and r.practice == practice
                and r.obj.kind in ("reflection", "observation", "story")
                and r.obj.visibility in ("network", "public")
            ),
            key=lambda lr: (lr.created_at, lr.pk),
        )
        earlier = [lr for lr in rows if lr.created_at <= before]
        return earlier[-1] if earlier else rows[0]

    def make_stories(self) -> None:
        """`value.services.story_create` with its first step, then `story_step_add` for
        each step told later."""
        b = self.b
        stories: list[ValueStory] = []
        steps: list[list[StoryStep]] = []
        for spec in V.STORIES:
            author = self.person(spec.author)
            told: list[StoryStep] = []
            previous = None
            for s in spec.steps:
                when = self.at(s.days)
                links: dict[str, Any] = {}
                newest: list[datetime] = []
                if s.convening:
                    links["convening"] = c = self.convenings[s.convening]
                    newest.append(c.ends_at or c.starts_at)
                if s.learning:
                    links["learning"] = lr = self.learning_for(*s.learning, when)
                    newest.append(lr.created_at)
                if s.product:
                    links["product"] = p = b.products[s.product]
                    newest.append(p.published_at or p.created_at)
                if s.outcome:
                    links["outcome"] = o = b.outcomes[s.outcome]
                    newest.append(o.recorded_at)
                if s.measure:
                    newest.append(self.measures[s.measure].created_at)
                if newest:
                    when = max(when, max(newest) + timedelta(hours=self.rng.randint(2, 30)))
                if previous is not None:
                    when = max(when, previous + timedelta(minutes=self.rng.randint(10, 600)))
                when = min(when, b.end)
                previous = when
                told.append(
                    StoryStep(
                        cycle=s.cycle,
                        narrative=s.narrative,
                        indicator=s.indicator,
                        measure_slug=s.measure,
                        added_by=author,
                        created_at=when,
                        **links,
                    )
                )
            story = ValueStory(
                author=author,
                group=b.groups[spec.group],
                visibility="network",
                title=spec.title,
                summary=spec.summary,
                created_at=told[0].created_at,
                updated_at=told[-1].created_at,
            )
            stories.append(story)
            steps.append(told)
        ValueStory.objects.bulk_create(stories)
        for story, told in zip(stories, steps, strict=True):
            for step in told:
                step.story = story
        StoryStep.objects.bulk_create([step for told in steps for step in told])
        for story, told in zip(stories, steps, strict=True):
            b.revision(story, story.author, "Told")
            b.audit(story.author, "told a value story", story, story.created_at)
            for step in told[1:]:
                b.audit(
                    story.author,
                    "added a step to a value story",
                    story,
                    step.created_at,
                    step=step.pk,
                    cycle=step.cycle,
                )
        self.stories = stories
