"""Demo network: creation spaces, follows, questions across groups and opportunity
narratives (issue 5).

The demo's cluster is a creation space whose groups compare their work side by side.
People outside a group keep up with it by following it (funders follow the whole space).
Five questions go to the space or the network and are answered across groups: in four of
them the accepted answer comes from someone in another group than the asker's, after the
asker asked the people LearnLoop suggested. Two narratives frame a shared opportunity:
one for the whole network (by a steward), one for the space (by a moderator of one of its
groups), each linked to the groups, questions and ideas working on it.

Everything here draws on its own random generator, so that the rest of the demo comes out
the same whether or not this part runs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.urls import reverse

from learnloop.community.models import Follow, Narrative
from learnloop.core.models import Comment, Visibility
from learnloop.demo import content as C
from learnloop.generation.models import Answer, Question
from learnloop.notifications.models import Notification, NotificationKind
from learnloop.people.models import Group, Membership

SEED = 5

# (follower, groups they follow): none of them takes part in the groups they follow.
FOLLOWS: list[tuple[str, tuple[str, ...]]] = [
    ("daniel.reyes", (C.CLUSTER, C.ATTENDANCE)),
    ("frank.osei", (C.CLUSTER, C.MENTORING)),
    ("tom.whitaker", (C.MENTORING, C.FAMILY)),
    ("maria.lopez", (C.STUDENT,)),
    ("rosa.jimenez", (C.ATTENDANCE,)),
    ("helen.park", (C.STUDENT, C.MENTORING)),
    ("james.okonkwo", (C.MENTORING,)),
    ("keisha.brown", (C.FAMILY,)),
    ("hannah.kim", (C.FUNDERS,)),
]


@dataclass(frozen=True)
class SpaceQuestion:
    key: str
    asker: str
    to_space: bool  # False: the whole network
    visibility: str
    days_ago: int
    title: str
    body: str
    tags: tuple[str, ...]
    asked: tuple[str, ...]  # the suggested people the asker asked to answer
    answers: tuple[tuple[str, str], ...]
    accepted: int | None


QUESTIONS: list[SpaceQuestion] = [
    SpaceQuestion(
        "after_first_month",
        "tom.whitaker",
        True,
        Visibility.GROUP,
        41,
        "How do you keep ninth graders coming to school after the first month?",
        "September looks fine, then October attendance slides for the same dozen students "
        "every year. What has held them in the other groups?",
        ("attendance", "belonging"),
        ("tasha.williams", "dev.patel"),
        (
            (
                "dev.patel",
                "We send the attendance text the evening before, not the morning of. "
                "Replies doubled, and the families who reply are the ones who slide.",
            ),
            (
                "tasha.williams",
                "Give each of those students one adult who checks in every Monday, and "
                "keep it the same adult all year. Our mentors' students held through "
                "October; the ones waiting for a mentor did not.",
            ),
        ),
        1,
    ),
    SpaceQuestion(
        "shy_conference",
        "maria.lopez",
        True,
        Visibility.GROUP,
        29,
        "What helps a shy ninth grader speak up at a student-led conference?",
        "My son froze at his first one and I did most of the talking. How do other groups "
        "prepare students?",
        ("student voice", "family engagement"),
        ("rachel.adeyemi",),
        (
            (
                "rachel.adeyemi",
                "We rehearse in pairs the week before, and each student brings one piece "
                "of work they chose and three sentences on a card. Nobody has to improvise.",
            ),
            (
                "olivia.tran",
                "Let the student open with something they are proud of, not with grades.",
            ),
        ),
        0,
    ),
    SpaceQuestion(
        "bus_route",
        "will.foster",
        False,
        Visibility.NETWORK,
        63,
        "Has a bus route change ever moved first-period attendance at your school?",
        "We can move two stops this spring. Before we do: has anyone measured what a route "
        "change did to first period?",
        ("transportation", "attendance"),
        ("marcus.bell", "james.okonkwo"),
        (
            (
                "marcus.bell",
                "Yes: at Northgate we moved the first stop ten minutes later and first-period "
                "tardies fell by a third within a month. Check it against the bell schedule "
                "first, though.",
            ),
            (
                "chris.mwangi",
                "We saw the same when the route stopped crossing the highway at rush hour.",
            ),
        ),
        0,
    ),
    SpaceQuestion(
        "mentor_handover",
        "sofia.morales",
        True,
        Visibility.NETWORK,
        18,
        "How do mentors hand over a ninth grader when they leave mid-year?",
        "Two of our peer mentors graduate early in January. What do we tell their mentees?",
        ("mentoring", "relationships"),
        ("priya.natarajan",),
        (
            (
                "priya.natarajan",
                "Introduce the new mentor in person before the old one leaves, and have all "
                "three meet once. Counselors do this with caseloads; it works for mentors.",
            ),
            ("nadia.haddad", "Ask the mentee who they would like; they often know."),
        ),
        0,
    ),
    SpaceQuestion(
        "first_signs",
        "hannah.kim",
        True,
        Visibility.GROUP,
        9,
        "Which early-warning signs show up first for students who later stop coming?",
        "Our list flags students after ten absences. By then it is late. What shows up "
        "earlier in your data?",
        ("early warning", "data use"),
        ("omar.farouk",),
        (
            (
                "omar.farouk",
                "In our survey data, a drop in 'an adult here knows me' came six weeks before "
                "absences rose. Worth a look, though we have only two schools so far.",
            ),
        ),
        None,
    ),
]


@dataclass(frozen=True)
class NarrativeSpec:
    author: str
    to_space: bool
    visibility: str
    days_ago: int
    title: str
    opportunity: str
    call_to_act: str
    tags: tuple[str, ...]
    groups: tuple[str, ...]
    ideas: tuple[str, ...]  # keys of content.IDEAS
    questions: tuple[str, ...]  # keys above, or titles of content.QUESTIONS


NARRATIVES: list[NarrativeSpec] = [
    NarrativeSpec(
        "amara.okafor",
        False,
        Visibility.NETWORK,
        70,
        "Every ninth grader known by name by October",
        "Across our four high schools, the ninth graders who stop coming are rarely the "
        "ones anyone expected. What they share is that, by October, **no adult at school "
        "knew them well**.\n\n"
        "Our groups have each found a piece of this: mentors in the first six weeks, "
        "Monday circles, good-news calls home, attendance buddies. Put together, they "
        "could mean that no ninth grader goes unknown.",
        "Every group: try one way of making sure each ninth grader has a named adult by "
        "the first of October, and post what happened as a learning. Funders: ask us what "
        "it takes to keep it going.",
        ("belonging", "relationships", "attendance"),
        (C.ONTRACK, C.ATTENDANCE, C.FAMILY, C.STUDENT, C.MENTORING, C.FUNDERS),
        ("named_adult", "mentors_first_weeks", "walk_in_buddies", "calls_first", "monday_circles"),
        ("after_first_month", "mentor_handover", "Is anyone measuring belonging, and how?"),
    ),
    NarrativeSpec(
        "hannah.kim",
        True,
        Visibility.GROUP,
        35,
        "First period: getting there is half the battle",
        "First-period absences and tardies make up most of what our ninth graders miss. "
        "The causes are practical — buses, breakfast, a text that came too late — and "
        "so are the fixes our groups are testing.",
        "Attendance, family and on-track groups: share what you learn about first period "
        "in this space, and bring your figures to the monthly cluster meeting.",
        ("attendance", "transportation"),
        (C.ATTENDANCE, C.FAMILY, C.ONTRACK),
        ("bus_stops", "evening_texts", "breakfast_first", "robocalls"),
        (
            "bus_route",
            "first_signs",
            "What time of day do attendance texts get the most replies?",
        ),
    ),
]


class _Spaces:
    def __init__(self, b: Any) -> None:
        self.b = b
        self.rng = random.Random(SEED)

    def at(self, days_ago: int) -> datetime:
        day = self.b.today - timedelta(days=days_ago)
        moment = datetime.combine(
            day, time(self.rng.randint(8, 17), self.rng.randint(0, 59)), tzinfo=self.b.tz
        )
        return min(moment, self.b.end)

    def after(self, moment: datetime, hours: int) -> datetime:
        return min(moment + timedelta(minutes=self.rng.randint(30, hours * 60)), self.b.end)

    def person(self, username: str) -> Any:
        return self.b.people[username]

    def takes_part(self, username: str, slug: str) -> bool:
        """In the group, or (for a space) in it or one of its linked groups."""
        slugs = [slug]
        if slug == C.CLUSTER:
            slugs += C.CLUSTER_LINKS
        # Asked of the database: other parts of the demo may have added memberships.
        return Membership.objects.filter(
            person=self.person(username), group__slug__in=slugs
        ).exists()

    def run(self) -> None:
        self.make_follows()
        self.make_questions()
        self.make_narratives()

    def make_follows(self) -> None:
        rows = []
        for username, slugs in FOLLOWS:
            for slug in slugs:
                if self.takes_part(username, slug):
                    continue  # someone who takes part has no need to follow
                rows.append(
                    Follow(
                        person=self.person(username),
                        group=self.b.groups[slug],
                        created_at=self.at(self.rng.randint(20, 200)),
                    )
                )
        Follow.objects.bulk_create(rows)
        for row in rows:
            self.b.audit(row.person, "followed", row.group, row.created_at)

    def make_questions(self) -> None:
        b = self.b
        space = b.groups[C.CLUSTER]
        self.questions: dict[str, Question] = {}
        notes: list[Notification] = []
        for spec in QUESTIONS:
            asker = self.person(spec.asker)
            created = self.at(spec.days_ago)
            question = Question.objects.create(
                author=asker,
                group=space if spec.to_space else None,
                visibility=spec.visibility,
                title=spec.title,
                body=spec.body,
                created_at=created,
                updated_at=created,
            )
            question.tags.set([b.tags[t] for t in spec.tags])
            b.revision(question, asker, "Asked")
            b.audit(asker, "asked", question, created)
            asked_at = self.after(created, 6)
            for username in spec.asked:
                notes.append(
                    Notification(
                        recipient=self.person(username),
                        kind=NotificationKind.QUESTION,
                        actor=asker,
                        title=f"{asker.name} asks if you can help answer: {question.title}",
                        body=question.body[:500],
                        url=reverse("generation:question", args=[question.pk]),
                        content_type=b.content_type(Question),
                        object_id=question.pk,
                        created_at=asked_at,
                        read_at=asked_at + timedelta(hours=5),
                    )
                )
            b.audit(
                asker,
                "asked people to answer",
                question,
                asked_at,
                people=[self.person(u).pk for u in spec.asked],
            )
            when = asked_at
            answers = []
            for i, (username, body) in enumerate(spec.answers):
                when = self.after(when, 30)
                answers.append(
                    Answer(
                        question=question,
                        author=self.person(username),
                        body=body,
                        accepted=spec.accepted == i,
                        created_at=when,
                    )
                )
                b.audit(self.person(username), "answered", question, when)
            Answer.objects.bulk_create(answers)
            if spec.accepted is not None:
                accepted = answers[spec.accepted]
                b.audit(
                    asker,
                    "accepted an answer",
                    question,
                    self.after(when, 24),
                    answer=accepted.pk,
                )
            self.questions[spec.key] = question
        Notification.objects.bulk_create(notes)

    def question(self, key: str) -> Question:
        if key in self.questions:
            return self.questions[key]
        return next(q for q in self.b.questions if q.title == key)

    def make_narratives(self) -> None:
        b = self.b
        space: Group = b.groups[C.CLUSTER]
        for spec in NARRATIVES:
            author = self.person(spec.author)
            created = self.at(spec.days_ago)
            narrative = Narrative.objects.create(
                author=author,
                group=space if spec.to_space else None,
                visibility=spec.visibility,
                title=spec.title,
                opportunity=spec.opportunity,
                call_to_act=spec.call_to_act,
                created_at=created,
                updated_at=created,
            )
            groups = [b.groups[slug] for slug in spec.groups]
            ideas = [b.ideas[key] for key in spec.ideas]
            questions = [self.question(key) for key in spec.questions]
            narrative.tags.set([b.tags[t] for t in spec.tags])
            narrative.groups.set(groups)
            narrative.ideas.set(ideas)
            narrative.questions.set(questions)
            b.revision(
                narrative,
                author,
                "Published",
                tag_names=sorted(spec.tags),
                group_ids=sorted(g.pk for g in groups),
                idea_ids=sorted(i.pk for i in ideas),
                question_ids=sorted(q.pk for q in questions),
            )
            b.audit(author, "published an opportunity narrative", narrative, created)
            readers = [
                m
                for g in groups
                for m in b.members[g.slug]
                if spec.visibility != Visibility.GROUP or self.takes_part(m.username, C.CLUSTER)
            ]
            when = created
            commenters = self.rng.sample(sorted(set(readers), key=lambda p: p.username), 2)
            for author, body in zip(commenters, self.rng.sample(C.COMMENTS, 2), strict=True):
                when = self.after(when, 72)
                b.comments.append(
                    Comment(
                        content_type=b.content_type(Narrative),
                        object_id=narrative.pk,
                        author=author,
                        body=body,
                        created_at=when,
                    )
                )


def build(b: Any) -> None:
    """Add this part of the demo; `b` is the demo builder (see builder._Builder)."""
    _Spaces(b).run()
