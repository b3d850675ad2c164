"""Seed a fresh LearnLoop database with a network at scale, for the benchmarks.

    .venv/bin/python bench/seed.py --data-dir bench/results/data-test [--learnings 100000]

The database is the data directory's SQLite file, or PostgreSQL when DATABASE_URL is set
(it must be empty: the script migrates it first). Everything is written with bulk_create
in batches, so 100,000 learnings take a few minutes, not hours. The output is
deterministic for a given --seed.

Proportions for 100,000 learnings (scaled linearly, with floors, for other sizes): 400
people in 30 organizations, 40 groups with about 660 memberships, 3,000 test cycles, 3,000
questions with answers, 4,000 ideas with 20,000 evidence links (a few "flagship" ideas
carry 150-250 links each), stage changes, endorsements, 800 knowledge products, 3,000
shares over 12 channels, 300 adoption plans with steps, reviews and outcomes, 30,000
comments and 250 tags. Visibility is mostly network, some group, some public and a few
private drafts; dates spread over the last two years.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_USERNAME = "bench-member"
BENCH_PASSWORD = "bench-password-not-secret"  # noqa: S105 - a throwaway local database
BATCH = 5000

VISIBILITY_MIX = (("network", 72), ("group", 15), ("public", 10), ("draft", 3))
PRODUCT_VISIBILITY_MIX = (("network", 55), ("group", 10), ("public", 25), ("draft", 10))
STAGE_MIX = (
    ("emerging", 40),
    ("testing", 25),
    ("promising", 15),
    ("knowledge", 10),
    ("scaling", 5),
    ("returned", 5),
)
LADDER = ["emerging", "testing", "promising", "knowledge", "scaling"]
KIND_MIX = (
    ("reflection", 30),
    ("observation", 25),
    ("test_result", 20),
    ("data", 10),
    ("story", 10),
    ("question", 5),
)

FIRST = [
    "Amina",
    "Ben",
    "Carla",
    "Dmitri",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jamal",
    "Keiko",
    "Lena",
    "Marco",
    "Nadia",
    "Oscar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Aisha",
    "Bruno",
    "Chloe",
    "Diego",
]
LAST = [
    "Abara",
    "Berg",
    "Costa",
    "Dubois",
    "Eze",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lopez",
    "Mensah",
    "Nowak",
    "Okafor",
    "Patel",
    "Quispe",
    "Rossi",
    "Silva",
    "Tanaka",
    "Umar",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zhou",
]
SITES = [
    f"{a} {b}"
    for a in ("North", "South", "East", "West", "Central", "Riverside")
    for b in ("Elementary", "Middle School", "High School", "Family Center", "Clinic")
]
TOPICS = [
    "attendance",
    "family engagement",
    "ninth-grade transition",
    "reading fluency",
    "math discourse",
    "peer tutoring",
    "advisory",
    "restorative circles",
    "home visits",
    "parent texts",
    "exit tickets",
    "student voice",
    "mentoring",
    "data meetings",
    "intake calls",
    "volunteer onboarding",
    "food pantry hours",
    "summer bridge",
    "chronic absence",
    "college applications",
    "after-school clubs",
    "coaching cycles",
    "translation",
    "community partners",
    "grading policy",
]
CHANGES = (
    "Calling home in the first week",
    "Moving the check-in to mornings",
    "Pairing new staff with a buddy",
    "Sending a two-line text instead of a letter",
    "Starting meetings with one student story",
    "Letting students set their own goal",
    "Sharing the data wall with families",
    "Asking one open question at the door",
    "Cutting the form to one page",
    "Holding office hours in the library",
)
SENTENCES = (
    "We tried it with {n} students over {w} weeks.",
    "Families answered more often when the message came from someone they knew.",
    "The first week was rough; by the third, the routine ran itself.",
    "Attendance at {topic} sessions rose from {a}% to {b}%.",
    "Two colleagues at {site} saw the same thing.",
    "It took about {w} hours of staff time per week.",
    "Not everyone was convinced; the skeptics wanted to see more data.",
    "We are not sure it would hold in a bigger school.",
    "The students said it made them feel noticed.",
    "Next we will try it with a second group and compare.",
    "The measure we used was simple: who came back the next week.",
    "Without the translator it would not have worked at all.",
    "Our coach suggested we write down each attempt, which helped.",
    "This contradicts what we expected from last year's {topic} work.",
)


def log(started: float, message: str) -> None:
    print(f"[{time.perf_counter() - started:7.1f}s] {message}", flush=True)


def pick(rng: random.Random, mix: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in mix], weights=[w for _, w in mix])[0]


def sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCES).format(
        n=rng.randint(5, 120),
        w=rng.randint(1, 12),
        a=rng.randint(20, 60),
        b=rng.randint(55, 95),
        topic=rng.choice(TOPICS),
        site=rng.choice(SITES),
    )


def paragraph(rng: random.Random, low: int = 2, high: int = 6) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(low, high)))


def title(rng: random.Random) -> str:
    return f"{rng.choice(CHANGES)} ({rng.choice(TOPICS)}, {rng.choice(SITES)})"[:200]


def snapshot(rows: list[Any], when: datetime) -> dict[str, Any]:
    """The evidence behind an idea at a decision, shaped as consolidation.services keeps it."""
    kept = [r for r in rows if r[4] <= when]
    counts = {"supports": 0, "contradicts": 0, "context": 0}
    for r in kept:
        counts[r[1]] += 1
    return {
        "counts": counts,
        "contexts": len({(r[2], r[3]) for r in kept if r[2] or r[3]}),
        "learnings": [{"learning_id": r[0], "title": r[5], "relation": r[1]} for r in kept],
    }


def configure(data_dir: Path) -> None:
    """Point LearnLoop at the data directory and start Django (call before any model import)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["LEARNLOOP_DATA_DIR"] = str(data_dir.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnloop.settings")
    import django

    django.setup()


def migrate(data_dir: Path) -> float:
    """Run `learnloop migrate` and `createcachetable` for the data directory; return seconds."""
    env = {**os.environ, "LEARNLOOP_DATA_DIR": str(data_dir.resolve())}
    started = time.perf_counter()
    for args in (["migrate", "--noinput", "-v", "0"], ["createcachetable", "-v", "0"]):
        subprocess.run([sys.executable, "-m", "learnloop.cli", *args], env=env, check=True)
    return time.perf_counter() - started


class Seeder:
    def __init__(self, *, learnings: int, seed: int) -> None:
        from django.utils import timezone

        self.n = learnings
        self.scale = learnings / 100_000
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.started = time.perf_counter()
        self.counts: dict[str, int] = {}

    def size(self, base: int, floor: int) -> int:
        return max(floor, round(base * self.scale))

    def when(self, after: datetime | None = None) -> datetime:
        """A moment in the last two years (after `after` when given)."""
        start = after or self.now - timedelta(days=730)
        span = max(1.0, (self.now - start).total_seconds())
        return start + timedelta(seconds=self.rng.random() * span)

    def bulk(self, model: Any, objs: list[Any], label: str | None = None) -> list[Any]:
        out: list[Any] = []
        for i in range(0, len(objs), BATCH):
            out.extend(model.objects.bulk_create(objs[i : i + BATCH], batch_size=BATCH))
            if label and len(objs) > BATCH:
                log(self.started, f"  {label} {min(i + BATCH, len(objs)):,}/{len(objs):,}")
        self.counts[label or model._meta.model_name] = self.counts.get(
            label or model._meta.model_name, 0
        ) + len(objs)
        return out

    def place(self, author_id: int, mix: tuple[tuple[str, int], ...]) -> tuple[str, int | None]:
        """Visibility and group for an item: in one of the author's groups most of the time."""
        groups = self.groups_of.get(author_id, [])
        visibility = pick(self.rng, mix)
        group = self.rng.choice(groups) if groups and self.rng.random() < 0.9 else None
        if visibility == "group" and group is None:
            visibility = "network"
        return visibility, group

    def shared(
        self, mix: tuple[tuple[str, int], ...] = VISIBILITY_MIX, after: datetime | None = None
    ) -> dict[str, Any]:
        """Author, visibility, group and dates of a new shared item. Every seeder draws them
        through here, in this order, so that a seed gives the same network and items."""
        author = self.rng.choice(self.people_ids)
        visibility, group = self.place(author, mix)
        created = self.when(after)
        return {
            "author_id": author,
            "group_id": group,
            "visibility": visibility,
            "created_at": created,
            "updated_at": created,
        }

    # The network --------------------------------------------------------------------------

    def people(self) -> None:
        from django.contrib.auth.hashers import make_password

        from learnloop.people.models import Group, Membership, Organization, Person

        rng = self.rng
        orgs = self.bulk(
            Organization,
            [
                Organization(name=f"Organization {i:03d}", slug=f"org-{i:03d}")
                for i in range(self.size(30, 5))
            ],
        )
        password = make_password(BENCH_PASSWORD)
        people = []
        for i in range(self.size(400, 20)):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            username = {0: "bench-steward", 1: BENCH_USERNAME}.get(i, f"person{i:04d}")
            people.append(
                Person(
                    username=username,
                    email=f"{username}@example.org",
                    password=password,
                    display_name=name,
                    job_role=rng.choice(("Teacher", "Coach", "Coordinator", "Counselor")),
                    organization=rng.choice(orgs),
                    site=rng.choice(SITES),
                    stakeholder_type=rng.choice(("staff", "staff", "partner", "community")),
                    is_steward=i == 0,
                    date_joined=self.when(),
                )
            )
        self.people_ids = [p.pk for p in self.bulk(Person, people, "people")]
        kinds = ["cluster"] * 3 + ["team"] * 7
        groups = self.bulk(
            Group,
            [
                Group(
                    name=f"Group {i:02d}: {TOPICS[i % len(TOPICS)]}",
                    slug=f"group-{i:02d}",
                    kind=kinds[i] if i < len(kinds) else "impact",
                    purpose=paragraph(rng, 1, 2),
                    organization=rng.choice(orgs),
                )
                for i in range(self.size(40, 4))
            ],
            "groups",
        )
        self.group_ids = [g.pk for g in groups]
        Through = Group.clusters.through
        clusters = [g for g in groups if g.kind == "cluster"]
        self.bulk(
            Through,
            [
                Through(from_group_id=g.pk, to_group_id=rng.choice(clusters).pk)
                for g in groups
                if g.kind != "cluster" and clusters
            ],
            "cluster links",
        )
        self.groups_of: dict[int, list[int]] = {}
        rows = []
        for pk in self.people_ids:
            k = 2 if pk == self.people_ids[1] else rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
            mine = rng.sample(self.group_ids, k)
            self.groups_of[pk] = mine
            rows.extend((pk, g) for g in mine)
        moderators = {}
        for person, group in rows:
            moderators.setdefault(group, person)
        self.bulk(
            Membership,
            [
                Membership(
                    person_id=p,
                    group_id=g,
                    role="moderator" if moderators[g] == p else "member",
                    joined_at=self.when(),
                )
                for p, g in rows
            ],
            "memberships",
        )

    def tags(self) -> None:
        from learnloop.core.models import Tag

        names = sorted({f"{t} {i}" if i else t for t in TOPICS for i in range(10)})
        names = names[: self.size(250, 30)]
        self.tag_ids = [
            t.pk for t in self.bulk(Tag, [Tag(name=n, slug=Tag.slug_for(n)) for n in names], "tags")
        ]

    # Generation --------------------------------------------------------------------------

    def generation(self) -> None:
        from learnloop.generation.models import Answer, Learning, Question, TestCycle

        rng = self.rng
        cycles = []
        for _ in range(self.size(3000, 30)):
            cycles.append(
                TestCycle(
                    **self.shared(),
                    title=rng.choice(CHANGES),
                    plan=paragraph(rng, 1, 3),
                    prediction=sentence(rng),
                    status=rng.choice(("planning", "running", "studying", "done", "done")),
                )
            )
        cycle_ids = [c.pk for c in self.bulk(TestCycle, cycles, "test cycles")]

        # (pk, author, group, visibility, site, title) of every learning, for linking later.
        self.learnings: list[tuple[int, int, int | None, str, str, str]] = []
        Tags = Learning.tags.through
        for start in range(0, self.n, BATCH):
            batch = []
            for _ in range(min(BATCH, self.n - start)):
                placed = self.shared()
                kind = pick(rng, KIND_MIX)
                batch.append(
                    Learning(
                        **placed,
                        title=title(rng),
                        body=paragraph(rng),
                        kind=kind,
                        site=rng.choice(SITES) if rng.random() < 0.8 else "",
                        test_cycle_id=(
                            rng.choice(cycle_ids)
                            if kind == "test_result" and rng.random() < 0.5
                            else None
                        ),
                    )
                )
            made = Learning.objects.bulk_create(batch, batch_size=BATCH)
            self.learnings.extend(
                (x.pk, x.author_id, x.group_id, x.visibility, x.site, x.title) for x in made
            )
            links = [
                Tags(learning_id=x.pk, tag_id=t)
                for x in made
                for t in rng.sample(self.tag_ids, rng.choice((0, 1, 1, 2, 3)))
            ]
            Tags.objects.bulk_create(links, batch_size=BATCH)
            self.counts["learning tags"] = self.counts.get("learning tags", 0) + len(links)
            log(self.started, f"  learnings {len(self.learnings):,}/{self.n:,}")
        self.counts["learnings"] = len(self.learnings)

        questions = []
        for _ in range(self.size(3000, 30)):
            questions.append(
                Question(
                    **self.shared(),
                    title=f"Has anyone tried {rng.choice(CHANGES).lower()}?",
                    body=paragraph(rng, 1, 2),
                )
            )
        questions = self.bulk(Question, questions, "questions")
        self.bulk(
            Answer,
            [
                Answer(
                    question_id=q.pk,
                    author_id=rng.choice(self.people_ids),
                    body=paragraph(rng, 1, 3),
                    created_at=self.when(q.created_at),
                )
                for q in questions
                for _ in range(rng.choice((0, 1, 2, 3)))
            ],
            "answers",
        )

    # Consolidation -----------------------------------------------------------------------

    def consolidation(self) -> None:
        from learnloop.consolidation.models import (
            Endorsement,
            Evidence,
            Idea,
            StageChange,
        )

        rng = self.rng
        ideas = []
        for _ in range(self.size(4000, 40)):
            placed = self.shared()
            ideas.append(
                Idea(
                    **placed,
                    stage_changed_at=placed["created_at"],
                    title=f"{rng.choice(CHANGES)} helps with {rng.choice(TOPICS)}",
                    summary=paragraph(rng, 2, 5),
                    stage=pick(rng, STAGE_MIX),
                )
            )
        ideas = self.bulk(Idea, ideas, "ideas")
        Tags = Idea.tags.through
        self.bulk(
            Tags,
            [
                Tags(idea_id=i.pk, tag_id=t)
                for i in ideas
                for t in rng.sample(self.tag_ids, rng.choice((0, 1, 2, 3)))
            ],
            "idea tags",
        )
        # Flagship ideas: network-visible, far along the ladder, with many evidence links.
        flagships = [i for i in ideas if i.visibility == "network"][: max(3, len(ideas) // 400)]
        for idea in flagships:
            idea.stage = "knowledge"
        per_idea: dict[int, int] = {}
        target = self.size(20_000, 200)
        for idea in flagships:
            per_idea[idea.pk] = rng.randint(150, 250)
        left = max(0, target - sum(per_idea.values()))
        others = [i for i in ideas if i.pk not in per_idea]
        for idea in rng.choices(others, k=left):
            per_idea[idea.pk] = per_idea.get(idea.pk, 0) + 1
        by_pk = {i.pk: i for i in ideas}
        evidence = []
        self.evidence_of: dict[int, list[Any]] = {}
        for idea_pk, k in per_idea.items():
            idea = by_pk[idea_pk]
            for pk, _author, group, _vis, site, name in rng.sample(self.learnings, k):
                relation = rng.choices(
                    ("supports", "contradicts", "context"), weights=(70, 15, 15)
                )[0]
                added = self.when(idea.created_at)
                evidence.append(
                    Evidence(
                        idea_id=idea_pk,
                        learning_id=pk,
                        relation=relation,
                        note=sentence(rng) if rng.random() < 0.4 else "",
                        context_group_id=group,
                        context_site=site,
                        added_by_id=rng.choice(self.people_ids),
                        added_at=added,
                    )
                )
                self.evidence_of.setdefault(idea_pk, []).append(
                    (pk, relation, group, site, added, name)
                )
        self.bulk(Evidence, evidence, "evidence")

        changes = []
        for idea in ideas:
            decided = idea.created_at
            changes.append(
                StageChange(
                    idea_id=idea.pk,
                    from_stage="",
                    to_stage="emerging",
                    reason="Shared",
                    decided_by_id=idea.author_id,
                    decided_at=decided,
                    evidence_snapshot={"counts": {}, "contexts": 0, "learnings": []},
                )
            )
            path = (
                [*LADDER[1 : rng.randint(1, 3)], "returned"]
                if idea.stage == "returned"
                else LADDER[1 : LADDER.index(idea.stage) + 1]
            )
            previous = "emerging"
            for stage in path:
                decided = self.when(decided)
                changes.append(
                    StageChange(
                        idea_id=idea.pk,
                        from_stage=previous,
                        to_stage=stage,
                        reason=paragraph(rng, 1, 2),
                        decided_by_id=rng.choice(self.people_ids),
                        decided_at=decided,
                        evidence_snapshot=snapshot(self.evidence_of.get(idea.pk, []), decided),
                    )
                )
                previous = stage
            idea.stage_changed_at = decided
            idea.updated_at = decided
        self.bulk(StageChange, changes, "stage changes")
        Idea.objects.bulk_update(
            ideas, ["stage", "stage_changed_at", "updated_at"], batch_size=1000
        )
        self.ideas = ideas

        endorsements = set()
        for _ in range(self.size(12_000, 100)):
            endorsements.add((rng.choice(ideas).pk, rng.choice(self.people_ids)))
        self.bulk(
            Endorsement,
            [
                Endorsement(idea_id=i, person_id=p, created_at=self.when(by_pk[i].created_at))
                for i, p in sorted(endorsements)
            ],
            "endorsements",
        )

    # Capture, sharing, application ----------------------------------------------------------

    def capture_and_after(self) -> None:
        from learnloop.application.models import (
            AdoptionPlan,
            Outcome,
            StakeholderStep,
            StepUpdate,
        )
        from learnloop.capture.models import KnowledgeProduct
        from learnloop.generation.models import Learning
        from learnloop.sharing.models import Channel, Share

        rng = self.rng
        products = []
        for _ in range(self.size(800, 10)):
            placed = self.shared(PRODUCT_VISIBILITY_MIX)
            products.append(
                KnowledgeProduct(
                    **placed,
                    title=f"How to: {rng.choice(CHANGES).lower()}",
                    kind=rng.choice(("story", "report", "change_idea", "how_to", "pitch")),
                    summary=sentence(rng),
                    body=paragraph(rng, 4, 10),
                    audience=rng.choice(("staff", "parent", "partner", "student")),
                    actions=paragraph(rng, 1, 3),
                    published_at=None if placed["visibility"] == "draft" else placed["created_at"],
                )
            )
        products = self.bulk(KnowledgeProduct, products, "products")
        advanced = [i.pk for i in self.ideas if i.stage in ("promising", "knowledge", "scaling")]
        Ideas = KnowledgeProduct.ideas.through
        self.bulk(
            Ideas,
            [
                Ideas(knowledgeproduct_id=p.pk, idea_id=i)
                for p in products
                for i in rng.sample(advanced, min(len(advanced), rng.randint(1, 3)))
            ],
            "product ideas",
        )
        channels = self.bulk(
            Channel,
            [
                Channel(
                    name=f"Channel {i:02d}",
                    kind=rng.choice(("feed", "email", "meeting", "website", "personal")),
                    reaches_outside=i % 4 == 0,
                )
                for i in range(12)
            ],
            "channels",
        )
        published = [p for p in products if p.published_at is not None]
        shares = []
        for _ in range(self.size(3000, 30)):
            product = rng.choice(published)
            shares.append(
                Share(
                    product_id=product.pk,
                    channel=rng.choice(channels),
                    audience=f"{rng.choice(('Teachers', 'Families', 'Coaches'))} at "
                    f"{rng.choice(SITES)}",
                    note=sentence(rng),
                    shared_by_id=rng.choice(self.people_ids),
                    shared_at=self.when(product.published_at),
                )
            )
        shares = self.bulk(Share, shares, "shares")

        plans = []
        for _ in range(self.size(300, 5)):
            share = rng.choice(shares)
            plans.append(
                AdoptionPlan(
                    **self.shared(after=share.shared_at),
                    product_id=share.product_id,
                    share_id=share.pk,
                    title=f"Bringing it to {rng.choice(SITES)}",
                    goal=paragraph(rng, 1, 2),
                )
            )
        plans = self.bulk(AdoptionPlan, plans, "adoption plans")
        states = ("not_reached", "aware", "considering", "trying", "adopted", "declined")
        steps = []
        for plan in plans:
            for _ in range(rng.randint(2, 6)):
                steps.append(
                    StakeholderStep(
                        plan_id=plan.pk,
                        person_id=rng.choice(self.people_ids) if rng.random() < 0.5 else None,
                        group_id=rng.choice(self.group_ids) if rng.random() < 0.2 else None,
                        label="District office",
                        state=rng.choice(states),
                        action=sentence(rng),
                        motivations=sentence(rng),
                        barriers=sentence(rng),
                        created_at=plan.created_at,
                        updated_at=plan.created_at,
                        next_review_on=self.when(plan.created_at).date(),
                    )
                )
        steps = self.bulk(StakeholderStep, steps, "stakeholder steps")
        self.bulk(
            StepUpdate,
            [
                StepUpdate(
                    step_id=s.pk,
                    from_state="not_reached",
                    to_state=s.state,
                    note=sentence(rng),
                    by_id=rng.choice(self.people_ids),
                    at=self.when(s.created_at),
                )
                for s in steps
                if s.state != "not_reached"
            ],
            "step updates",
        )
        outcomes = self.bulk(
            Outcome,
            [
                Outcome(
                    plan_id=plan.pk,
                    title=f"What happened at {rng.choice(SITES)}",
                    description=paragraph(rng, 2, 4),
                    recorded_by_id=plan.author_id,
                    recorded_at=self.when(plan.created_at),
                )
                for plan in plans
                for _ in range(rng.choice((0, 1, 1, 2, 3)))
            ],
            "outcomes",
        )
        # The loop closes: some outcomes are themselves learnings.
        chosen = rng.sample(self.learnings, min(len(outcomes) // 2, len(self.learnings)))
        Learning.objects.bulk_update(
            [
                Learning(pk=row[0], outcome_id=o.pk)
                for row, o in zip(chosen, outcomes, strict=False)
            ],
            ["outcome"],
            batch_size=1000,
        )

    def comments(self) -> None:
        from django.contrib.contenttypes.models import ContentType

        from learnloop.consolidation.models import Idea
        from learnloop.core.models import Comment
        from learnloop.generation.models import Learning

        rng = self.rng
        learning_ct = ContentType.objects.get_for_model(Learning)
        idea_ct = ContentType.objects.get_for_model(Idea)
        total = self.size(30_000, 100)
        rows = []
        for i in range(total):
            if i % 4 == 0:
                ct, pk = idea_ct, rng.choice(self.ideas).pk
            else:
                ct, pk = learning_ct, rng.choice(self.learnings)[0]
            rows.append(
                Comment(
                    content_type=ct,
                    object_id=pk,
                    author_id=rng.choice(self.people_ids),
                    body=paragraph(rng, 1, 2),
                    created_at=self.when(),
                )
            )
        self.bulk(Comment, rows, "comments")

    def steps(self) -> tuple[Callable[[], None], ...]:
        """What `run` writes, in order, each step in a transaction of its own."""
        return (
            self.people,
            self.tags,
            self.generation,
            self.consolidation,
            self.capture_and_after,
            self.comments,
        )

    def run(self) -> dict[str, int]:
        from django.db import connection, transaction

        for step in self.steps():
            log(self.started, f"{step.__name__}…")
            with transaction.atomic():
                step()
        if connection.vendor == "postgresql":
            # Autovacuum would gather statistics on a live server; do it now.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        log(self.started, "done")
        return self.counts


def seed(
    data_dir: Path, *, learnings: int, seed: int = 7, seeder: type[Seeder] = Seeder
) -> dict[str, Any]:
    """Migrate and seed a fresh database in `data_dir` (this process must not have set up
    Django for another data directory)."""
    migrate_seconds = migrate(data_dir)
    configure(data_dir)
    from learnloop.people.models import Person

    if Person.objects.exists():
        raise SystemExit(f"{data_dir}: the database is not empty; use a fresh data directory")
    started = time.perf_counter()
    counts = seeder(learnings=learnings, seed=seed).run()
    return {
        "data_dir": str(data_dir.resolve()),
        "migrate_seconds": round(migrate_seconds, 2),
        "seed_seconds": round(time.perf_counter() - started, 2),
        "counts": counts,
        "member": BENCH_USERNAME,
    }


def main(seeder: type[Seeder] = Seeder, doc: str | None = __doc__) -> None:
    """The command line of this script, and of the seeders built on it (`search_seed.py`)."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--learnings", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="write a summary here")
    args = parser.parse_args()
    summary = seed(args.data_dir, learnings=args.learnings, seed=args.seed, seeder=seeder)
    for name, count in summary["counts"].items():
        print(f"  {name:<20} {count:>9,}")
    print(f"seeded in {summary['seed_seconds']:.1f} s (migrate {summary['migrate_seconds']:.1f} s)")
    if args.json:
        import json

        args.json.write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
