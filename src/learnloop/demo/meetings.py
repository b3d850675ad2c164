"""Demo network: impact groups that meet (issue 5).

* Meetings of several impact groups over recent months: an agenda drawn from what was open
  in the group, notes per item, who came, and a step back whose best answers became
  learnings of the group (linked to the meeting, crediting who took part). Three group
  meetings the impact part already holds get their agenda and step back; three more are
  held here; one is planned a few days ahead for the Family Partnership Impact Group,
  which the demo moderator (rosa.jimenez) looks after, with its members told.
* A small impact group that has just started (three people), so that the size advice
  shows.
* A few kind nudges moderators sent to members who had gone quiet.

Rows are written in bulk as the rest of the demo is, recording what the services would
(revisions, audit events, notifications). Its own random generator keeps the other parts'
draws unchanged.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType

from learnloop.community import meeting_selectors as sel
from learnloop.community import meeting_services, moderation_services
from learnloop.core.models import Visibility
from learnloop.demo.content import ATTENDANCE, FAMILY, MENTORING
from learnloop.generation.models import Learning, LearningKind, Question, TestCycle
from learnloop.notifications.models import Notification, NotificationKind
from learnloop.people.models import Cadence, Group, GroupKind, Membership
from learnloop.value.models import Convening, ConveningKind

SEED = 2029


@dataclass(frozen=True)
class SmallGroupSpec:
    slug: str
    name: str
    cadence: str
    organization: str
    purpose: str
    days: int  # since it started
    members: tuple[tuple[str, str], ...]
    learning: tuple[str, str]  # the first thing it shared: title, body


SMALL_GROUP = SmallGroupSpec(
    slug="newcomer-families-impact-group",
    name="Newcomer Families Impact Group",
    cadence="fortnightly",
    organization="open-door-family-center",
    purpose=(
        "A liaison, a parent and a program manager who came to the district from elsewhere "
        "themselves. We try small ways of welcoming families who are new to the country: a "
        "first visit at home, a guide in their language, a buddy family."
    ),
    days=18,
    members=(("ahmed.yusuf", "moderator"), ("fatima.ali", "member"), ("mei.chen", "member")),
    learning=(
        "A buddy family did more than our welcome pack",
        "Two newly arrived families told us the printed pack went unread. What helped was "
        "another family from the same country walking them through the first week: the "
        "bus, the lunch card, who to call.",
    ),
)

Answer = tuple[str, str, str, bool]  # prompt, by (username), text, becomes a learning


@dataclass(frozen=True)
class MeetingSpec:
    key: str
    group: str
    author: str
    answers: tuple[Answer, ...]
    own: tuple[tuple[str, str], ...]  # items of the planner's own: (title, note)
    # A meeting held here (the impact part holds the others, found by `existing` title):
    existing: str = ""
    title: str = ""
    days: int = 0
    hour: int = 15
    minutes: int = 75
    place: str = ""
    link: str = ""
    visibility: str = Visibility.GROUP
    people: tuple[str, ...] = ()
    more: int = 0
    others: int = 0
    notes: str = ""
    outputs: str = ""


MEETINGS: tuple[MeetingSpec, ...] = (
    MeetingSpec(
        "attendance_six_weeks",
        ATTENDANCE,
        "hannah.kim",
        existing="Attendance group: what the first six weeks told us",
        own=(("Bus stops with the most late arrivals", "Will brought the route maps."),),
        answers=(
            (
                "learned",
                "will.foster",
                "Late buses explain more first-period absence than we thought: two stops "
                "account for a third of it at Northgate.",
                True,
            ),
            (
                "surprised",
                "nina.kowalski",
                "Families who got a call in the first week were still answering us in week "
                "six, even when the news was not good.",
                True,
            ),
            (
                "next",
                "hannah.kim",
                "Will and Nina ride the two late routes for a week and time each stop.",
                False,
            ),
        ),
    ),
    MeetingSpec(
        "circles_retro",
        "student-voice-impact-group",
        "keisha.brown",
        existing="Student voice group: what Monday circles changed",
        own=(("Who asks the Monday question?", "Students want to take turns."),),
        answers=(
            (
                "learned",
                "dante.robinson",
                "Students talk more in a circle when another student asks the question, not "
                "the advisor.",
                True,
            ),
            (
                "surprised",
                "olivia.tran",
                "The quietest ninth graders wrote the longest answers on the exit cards.",
                True,
            ),
            (
                "next",
                "keisha.brown",
                "Students choose next term's Monday questions; advisors only keep time.",
                False,
            ),
        ),
    ),
    MeetingSpec(
        "funders_table",
        "funders-and-partners-learning-table",
        "daniel.reyes",
        existing="Funders and partners table: what the numbers say so far",
        own=(("What we ask schools to report", "Fewer numbers, one story each."),),
        answers=(
            (
                "learned",
                "helen.park",
                "The measure that moved first was the one families could see: calls home, "
                "not grades.",
                True,
            ),
            ("surprised", "frank.osei", "Partners asked for fewer indicators, not more.", False),
            (
                "next",
                "daniel.reyes",
                "Ask each school for one story per measure with its next report.",
                True,
            ),
        ),
    ),
    MeetingSpec(
        "family_languages",
        FAMILY,
        "rosa.jimenez",
        title="Family partnership group: calls in the family's language",
        days=-40,
        hour=17,
        minutes=90,
        place="Open Door Family Center, community room",
        people=("ahmed.yusuf", "carla.santos", "maria.lopez", "james.okonkwo"),
        more=2,
        others=2,
        notes="Two parents from the Somali listening session joined us, with an interpreter.",
        outputs="- A Saturday call hour to try at Northgate\n- A shared list of interpreters",
        own=(("Interpreters for the spring conferences", "Mei has three names; we need five."),),
        answers=(
            (
                "learned",
                "ahmed.yusuf",
                "Parents answer when the first call comes from someone who speaks their "
                "language, even when the news is bad.",
                True,
            ),
            (
                "surprised",
                "carla.santos",
                "Fathers picked up more often on Saturday mornings than on any weekday.",
                True,
            ),
            (
                "next",
                "rosa.jimenez",
                "Ahmed and Carla try a Saturday call hour at Northgate for four weeks.",
                False,
            ),
        ),
    ),
    MeetingSpec(
        "mentoring_checkins",
        MENTORING,
        "tasha.williams",
        title="Mentoring group: the first check-ins with new mentors",
        days=-20,
        hour=16,
        minutes=60,
        place="Riverbend Public Library, meeting room B",
        visibility=Visibility.NETWORK,
        people=("leo.romero", "ines.duarte", "walter.greene"),
        more=2,
        notes="Each new mentor told one story from their first month.",
        outputs="- Matching by neighborhood first, interests second",
        own=(("Mentors who can no longer come weekly", "Two of them; Leo will call."),),
        answers=(
            (
                "learned",
                "leo.romero",
                "A mentor who shows up the same day each week matters more than how long "
                "each meeting lasts.",
                True,
            ),
            (
                "surprised",
                "ines.duarte",
                "Students asked for mentors from their own neighborhood more than for "
                "mentors who share their career interest.",
                True,
            ),
            (
                "next",
                "tasha.williams",
                "Leo matches the next six students by neighborhood first.",
                False,
            ),
        ),
    ),
    MeetingSpec(
        "attendance_spring",
        ATTENDANCE,
        "hannah.kim",
        title="Attendance group: spring bus routes and the nurse's list",
        days=-12,
        hour=15,
        minutes=60,
        link="https://meet.harborvalley.example.org/attendance",
        people=("nina.kowalski", "will.foster", "dev.patel", "jorge.castillo"),
        more=2,
        notes="Online this time; Will joined from the depot.",
        outputs="- The nurse's list goes to counselors every Monday",
        own=(("The new route for stop 14", "Starts after the break."),),
        answers=(
            (
                "learned",
                "nina.kowalski",
                "The nurse's list of students with asthma flags chronic absence two weeks "
                "before the attendance report does.",
                True,
            ),
            (
                "surprised",
                "will.foster",
                "Moving one bus stop did more for first period than the reminder texts.",
                True,
            ),
            (
                "next",
                "hannah.kim",
                "Nina shares the list with counselors every Monday, with families' consent.",
                False,
            ),
        ),
    ),
)

ITEM_NOTES = {
    "test_cycle": (
        "Two more weeks, then we look at the numbers together.",
        "Working at two schools; the third starts after the break.",
        "Adapt: shorter script, same day of the week.",
    ),
    "question": (
        "Three ideas from the room; James will write them up as answers.",
        "Nobody knew: we ask the cluster.",
    ),
    "idea": (
        "Needs evidence from a second school before we vote on it.",
        "Carla's school will try it next month.",
    ),
}

UPCOMING = MeetingSpec(
    "family_next",
    FAMILY,
    "rosa.jimenez",
    title="",
    days=6,
    hour=17,
    minutes=90,
    place="Open Door Family Center, community room",
    people=("carla.santos", "sarah.cohen", "maria.lopez", "ahmed.yusuf"),
    own=(("How the Saturday call hour went", ""), ("Dates for the spring data night", "")),
    answers=(),
)


@dataclass(frozen=True)
class QuietSpec:
    username: str
    name: str
    job_role: str
    site: str
    stakeholder: str
    expertise: str
    group: str
    joined_days_ago: int
    # Their last sign of life, if any: ("learning", days ago, title, body) or
    # ("meeting", key of a meeting above, "", "").
    last: tuple[str, Any, str, str] | None = None


# Members who took part once and then went quiet (nobody else in the demo is quiet for six
# weeks: it is a busy network). They are kept out of the other parts' draws.
QUIET = (
    QuietSpec(
        "grace.oneill",
        "Grace O'Neill",
        "Parent of a ninth grader",
        "Northgate High",
        "parent",
        "PTA events, evening schedules",
        FAMILY,
        150,
        (
            "learning",
            80,
            "Evening events clash with second shifts",
            "Half the parents on my street work until seven. A 6 pm family night is a "
            "night most of them cannot come to.",
        ),
    ),
    QuietSpec(
        "yusuf.abdi",
        "Yusuf Abdi",
        "Parent of a ninth grader",
        "Northgate High",
        "parent",
        "Somali community, youth football",
        FAMILY,
        120,
    ),
    QuietSpec(
        "tomas.ruiz",
        "Tomás Ruiz",
        "Bus driver, route 14",
        "District office",
        "staff",
        "bus routes, early mornings",
        ATTENDANCE,
        200,
        ("meeting", "attendance_six_weeks", "", ""),
    ),
)

# Nudges moderators sent: (recipient, moderator, group, days ago). Grace can be nudged
# again; Tomás was nudged three days ago, so not yet; Yusuf had one long ago.
NUDGES = (
    ("yusuf.abdi", "rosa.jimenez", FAMILY, 40),
    ("grace.oneill", "rosa.jimenez", FAMILY, 9),
    ("tomas.ruiz", "hannah.kim", ATTENDANCE, 3),
)


@dataclass
class _Made:
    meetings: list[Convening] = field(default_factory=list)
    learnings: list[Learning] = field(default_factory=list)


class MeetingsBuilder:
    def __init__(self, b: Any) -> None:
        self.b = b
        self.rng = random.Random(SEED)
        self.made = _Made()
        self.by_key: dict[str, Convening] = {}

    def person(self, username: str) -> Any:
        return self.b.people[username]

    def day(self, days: int, hour: int) -> datetime:
        return datetime.combine(self.b.today + timedelta(days=days), time(hour), tzinfo=self.b.tz)

    def run(self) -> None:
        self.small_group()
        for spec in MEETINGS:
            self.held(spec)
        self.upcoming(UPCOMING)
        self.quiet_people()
        self.nudges()

    # ------------------------------------------------------------------ the small group

    def small_group(self) -> None:
        b = self.b
        spec = SMALL_GROUP
        created = datetime.combine(b.today - timedelta(days=spec.days), time(10), tzinfo=b.tz)
        group = Group.objects.create(
            name=spec.name,
            slug=spec.slug,
            kind=GroupKind.IMPACT,
            cadence=spec.cadence,
            purpose=spec.purpose,
            organization=b.orgs[spec.organization],
            created_at=created,
        )
        b.groups[group.slug] = group
        rows = []
        for i, (username, role) in enumerate(spec.members):
            person = self.person(username)
            rows.append(
                Membership(
                    person=person, group=group, role=role, joined_at=created + timedelta(hours=i)
                )
            )
            b.members[group.slug].append(person)
            if role == "moderator":
                b.moderators[group.slug].append(person)
        Membership.objects.bulk_create(rows)
        # Like every group, it set itself a synthesis rhythm; the first is not due yet.
        from learnloop.consolidation.models import RoutineKind, RoutineSchedule

        schedule = RoutineSchedule.objects.create(
            kind=RoutineKind.SYNTHESIS,
            group=group,
            cadence=Cadence.MONTHLY,
            next_due_on=b.today + timedelta(days=12),
            created_at=created + timedelta(days=1),
        )
        b.audit(
            self.person(spec.members[0][0]),
            "set a routine's cadence",
            schedule,
            schedule.created_at,
            cadence=schedule.cadence,
        )
        title, body = spec.learning
        author = self.person(spec.members[0][0])
        when = created + timedelta(days=6, hours=5)
        learning = Learning.objects.create(
            author=author,
            group=group,
            visibility=Visibility.NETWORK,
            title=title,
            body=body,
            kind=LearningKind.OBSERVATION,
            site=author.site,
            created_at=when,
            updated_at=when,
        )
        b.revision(learning, author, "Posted", tag_names=[])
        b.audit(author, "posted", learning, when)

    # ------------------------------------------------------------------------- meetings

    def agenda_from_group(self, group: Group, before: datetime) -> list[dict[str, Any]]:
        """What was open in the group before the meeting: a test cycle or two, a question,
        an idea; with a note each and marked as dealt with."""
        shared = {"group": group, "deleted_at__isnull": True, "created_at__lt": before}
        records: list[tuple[str, Any]] = []
        cycles = TestCycle.objects.filter(**shared).exclude(visibility=Visibility.DRAFT)
        records += [("test_cycle", c) for c in cycles.order_by("-created_at", "-id")[:3]]
        questions = Question.objects.filter(**shared).exclude(visibility=Visibility.DRAFT)
        records += [("question", q) for q in questions.order_by("-created_at", "-id")[:1]]
        from learnloop.consolidation.models import Idea, Stage

        ideas = Idea.objects.filter(**shared, stage__in=[Stage.EMERGING, Stage.TESTING])
        ideas = ideas.exclude(visibility=Visibility.DRAFT)
        records += [("idea", i) for i in ideas.order_by("-created_at", "-id")[:1]]
        entries = []
        titles: set[str] = set()
        for kind, obj in records:
            if obj.title in titles:
                continue
            titles.add(obj.title)
            entry = sel.agenda_entry(kind, obj, "")
            entry["note"] = self.rng.choice(ITEM_NOTES[kind])
            entry["done"] = True
            entries.append(entry)
        return entries

    def own_entries(self, spec: MeetingSpec, *, done: bool) -> list[dict[str, Any]]:
        entries = []
        for i, (title, note) in enumerate(spec.own):
            entries.append(
                {
                    "key": f"own-{spec.key[:8]}{i}",
                    "kind": "own",
                    "id": None,
                    "title": title,
                    "url": "",
                    "why": "",
                    "note": note if done else "",
                    "done": done,
                }
            )
        return entries

    def participants(self, spec: MeetingSpec) -> list[Any]:
        named = [self.person(u) for u in (spec.author, *spec.people)]
        pool = sorted(self.b.members[spec.group], key=lambda p: p.username)
        pool = [p for p in pool if p not in named]
        return named + self.rng.sample(pool, k=min(spec.more, len(pool)))

    def held(self, spec: MeetingSpec) -> None:
        b = self.b
        group = b.groups[spec.group]
        if spec.existing:
            meeting = Convening.objects.get(title=spec.existing, group=group)
            people = list(meeting.participants.all())
        else:
            starts = self.day(spec.days, spec.hour)
            created = starts - timedelta(days=self.rng.randint(8, 14), hours=3)
            ends = starts + timedelta(minutes=spec.minutes)
            meeting = Convening.objects.create(
                author=self.person(spec.author),
                group=group,
                visibility=spec.visibility,
                title=spec.title,
                kind=ConveningKind.MEETING,
                starts_at=starts,
                ends_at=ends,
                place=spec.place,
                link=spec.link,
                other_participants=spec.others,
                notes=spec.notes,
                outputs=spec.outputs,
                created_at=created,
                updated_at=min(ends + timedelta(hours=self.rng.randint(2, 30)), b.end),
            )
            people = self.participants(spec)
            meeting.participants.set(people)
            b.revision(meeting, meeting.author, "Planned", notes="", outputs="")
            b.revision(meeting, meeting.author, "Edited", number=2)
            b.audit(meeting.author, "planned a convening", meeting, meeting.created_at)
            b.audit(meeting.author, "recorded a meeting", meeting, meeting.updated_at)
        ended = meeting.ends_at or meeting.starts_at
        agenda = self.agenda_from_group(group, meeting.created_at)
        agenda += self.own_entries(spec, done=True)
        back = sel.step_back_entry()
        back["done"] = True
        learnings = []
        for i, (prompt, username, text, keep) in enumerate(spec.answers):
            writer = self.person(username)
            at = ended - timedelta(minutes=10 - i)
            answer = {
                "id": f"{spec.key[:6]}{i:02d}",
                "prompt": prompt,
                "text": text,
                "by": writer.pk,
                "by_name": writer.name,
                "at": at.isoformat(),
                "learning_id": None,
            }
            if keep:
                learning = self.reflection_learning(meeting, people, writer, prompt, text, ended)
                answer["learning_id"] = learning.pk
                answer["captured_by"] = writer.pk
                learnings.append(learning)
            back["answers"].append(answer)
        meeting.agenda = [*agenda, back]
        meeting.save(update_fields=["agenda"])
        meeting.learnings.set(learnings)
        self.made.meetings.append(meeting)
        self.by_key[spec.key] = meeting

    def reflection_learning(
        self,
        meeting: Convening,
        people: list[Any],
        writer: Any,
        prompt: str,
        text: str,
        ended: datetime,
    ) -> Learning:
        """As `meeting_services.reflection_to_learning` writes it, dated after the meeting."""
        b = self.b
        label = str(sel.REFLECTION_LABELS[prompt])
        credit = meeting_services.credit_line(meeting, writer, label, people)
        when = min(ended + timedelta(minutes=self.rng.randint(5, 90)), b.end)
        learning = Learning.objects.create(
            author=writer,
            group=meeting.group,
            visibility=meeting.visibility
            if meeting.visibility in (Visibility.GROUP, Visibility.NETWORK)
            else Visibility.GROUP,
            title=meeting_services.title_from(text),
            body=f"{text}\n\n*{credit}*",
            kind=LearningKind.REFLECTION,
            site=writer.site,
            created_at=when,
            updated_at=when,
        )
        b.revision(learning, writer, "Posted", tag_names=[])
        b.audit(writer, "posted", learning, when)
        b.audit(writer, "captured a learning from a meeting", meeting, when)
        self.made.learnings.append(learning)
        return learning

    def upcoming(self, spec: MeetingSpec) -> None:
        """The family group's next meeting, planned last week from what is open now."""
        b = self.b
        group = b.groups[spec.group]
        planner = self.person(spec.author)
        starts = self.day(spec.days, spec.hour)
        while starts.weekday() >= 5:  # a weekday evening, as the group meets
            starts += timedelta(days=1)
        created = datetime.combine(b.today - timedelta(days=5), time(9, 40), tzinfo=b.tz)
        open_items = sel.agenda_candidates(viewer=planner, group=group, on=starts.date())
        agenda = [*open_items[:6], *self.own_entries(spec, done=False), sel.step_back_entry()]
        meeting = Convening.objects.create(
            author=planner,
            group=group,
            visibility=Visibility.GROUP,
            title=sel.default_title(group, starts),
            kind=ConveningKind.MEETING,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=spec.minutes),
            place=spec.place,
            agenda=agenda,
            created_at=created,
            updated_at=created,
        )
        meeting.participants.set(self.participants(spec))
        b.revision(meeting, planner, "Planned")
        b.audit(planner, "planned a convening", meeting, created)
        title, body = meeting_services.planned_notice(meeting, planner)
        ct = ContentType.objects.get_for_model(Convening)
        url = meeting_services.meeting_url(meeting)
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient=person,
                    kind=NotificationKind.MEETING,
                    actor=planner,
                    title=title[:300],
                    body=body,
                    url=url,
                    content_type=ct,
                    object_id=meeting.pk,
                    created_at=created,
                )
                for person in b.members[spec.group]
                if person.pk != planner.pk
            ]
        )
        self.made.meetings.append(meeting)

    # -------------------------------------------------------------- quiet, and nudged

    def quiet_people(self) -> None:
        b = self.b
        from learnloop.people.models import Person

        password = next(iter(b.people.values())).password
        for spec in QUIET:
            first, _, last = spec.name.partition(" ")
            joined = b.end - timedelta(days=spec.joined_days_ago)
            person = Person.objects.create(
                username=spec.username,
                email=f"{spec.username}@example.org",
                first_name=first,
                last_name=last,
                display_name=spec.name,
                job_role=spec.job_role,
                site=spec.site,
                stakeholder_type=spec.stakeholder,
                expertise=spec.expertise,
                password=password,
                date_joined=joined - timedelta(days=3),
            )
            # In `people` for lookups, not in `everyone` or `members`: the parts built
            # after this one must not draw them into new activity.
            b.people[spec.username] = person
            group = b.groups[spec.group]
            Membership.objects.create(person=person, group=group, joined_at=joined)
            if spec.last is None:
                continue
            kind, when, title, body = spec.last
            if kind == "meeting":
                meeting = next(m for k, m in self.by_key.items() if k == when)
                meeting.participants.add(person)
                continue
            at = b.end - timedelta(days=int(when), hours=4)
            learning = Learning.objects.create(
                author=person,
                group=group,
                visibility=Visibility.NETWORK,
                title=title,
                body=body,
                kind=LearningKind.OBSERVATION,
                site=person.site,
                created_at=at,
                updated_at=at,
            )
            b.revision(learning, person, "Posted", tag_names=[])
            b.audit(person, "posted", learning, at)

    def nudges(self) -> None:
        b = self.b
        rows = []
        for username, moderator_name, slug, days_ago in NUDGES:
            group = b.groups[slug]
            moderator = self.person(moderator_name)
            when = b.end - timedelta(days=days_ago, hours=3)
            meeting = sel.next_meeting(viewer=moderator, group=group)
            message = moderation_services.default_nudge_message(
                group=group, moderator=moderator, meeting=meeting if days_ago < 7 else None
            )
            recipient = self.person(username)
            rows.append(
                Notification(
                    recipient=recipient,
                    kind=NotificationKind.NUDGE,
                    actor=moderator,
                    title=moderation_services.nudge_title(moderator=moderator, group=group),
                    body=message,
                    url=group.get_absolute_url(),
                    created_at=when,
                    read_at=when + timedelta(days=1) if days_ago > 7 else None,
                )
            )
            b.audit(moderator, "nudged", group, when, people=[recipient.pk])
        Notification.objects.bulk_create(rows)


def build(b: Any) -> None:
    """Add this part of the demo; `b` is the demo builder (see builder._Builder)."""
    MeetingsBuilder(b).run()
