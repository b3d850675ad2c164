"""What one person's digest says: what is new in their groups (and the groups they follow),
which ideas matured, what waits for their vote or their review, and which questions in
their groups nobody has answered yet.

Every query goes through `access.visible_q(person)`, counts included: a digest never
names, nor counts, anything its reader may not open. Every idea carries its stage and
every item its credits, so that a reader gives each its due weight.

`build_digest` only reads; sending (and the window bookkeeping) lives in
`notifications.services`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learnloop.core import access
from learnloop.core.credits import contributors
from learnloop.core.markdown import plain_text

# How many entries a section lists; the rest are counted ("and 4 more").
SECTION_LIMIT = 8


CREDIT_NAMES = 5  # names shown before "and N others"


def credit_line(names: list[str], limit: int = CREDIT_NAMES) -> str:
    """`Ana, Ben and Cy` — or the first few names and how many others."""
    if len(names) <= limit:
        if len(names) <= 1:
            return "".join(names)
        return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}
    rest = len(names) - limit
    return ngettext("%(names)s and %(n)d other", "%(names)s and %(n)d others", rest) % {
        "names": ", ".join(names[:limit]),
        "n": rest,
    }


@dataclass
class StageRef:
    """An idea named inside another entry (the ideas a product draws on), with its stage."""

    title: str
    path: str
    stage: str
    stage_label: str

    @property
    def url(self) -> str:
        return f"{settings.SITE_URL}{self.path}"


@dataclass
class DigestEntry:
    kind: str  # learning, test-cycle, idea, product, question, decision, stage
    kind_label: str
    title: str
    path: str  # in the site; `url` is the absolute link for email
    when: datetime
    is_new: bool = True
    group: str = ""
    stage: str = ""
    stage_label: str = ""
    from_stage: str = ""
    from_label: str = ""
    credits: list[str] = field(default_factory=list)
    ideas: list[StageRef] = field(default_factory=list)
    note: str = ""
    excerpt: str = ""
    closes_at: datetime | None = None  # for a decision: when voting closes
    credited: Any = field(default=None, repr=False)  # the item whose credits are shown

    @property
    def url(self) -> str:
        return f"{settings.SITE_URL}{self.path}"

    @property
    def credit_line(self) -> str:
        return credit_line(self.credits)


@dataclass
class DigestSection:
    key: str
    heading: str
    intro: str
    entries: list[DigestEntry]
    total: int  # how many there are in all (all of them visible to the reader)
    new: int  # how many of them arrived in this digest's window
    more_path: str = ""  # where the rest are listed

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.entries))

    @property
    def more_url(self) -> str:
        return f"{settings.SITE_URL}{self.more_path}"


@dataclass
class Digest:
    person: Any
    since: datetime
    until: datetime
    sections: list[DigestSection]
    network_name: str = ""
    site_url: str = ""

    @property
    def new_count(self) -> int:
        return sum(s.new for s in self.sections)

    @property
    def is_empty(self) -> bool:
        """Nothing arrived in the window: no digest is sent (things still waiting for a
        vote or an answer do not make a digest on their own, or it would never stop)."""
        return self.new_count == 0

    @property
    def shown(self) -> list[DigestSection]:
        return [s for s in self.sections if s.total]

    def section(self, key: str) -> DigestSection:
        return next(s for s in self.sections if s.key == key)

    @property
    def subject(self) -> str:
        parts = []
        new = self.section("new")
        if new.total:
            parts.append(
                ngettext("%(n)d new in your groups", "%(n)d new in your groups", new.total)
                % {"n": new.total}
            )
        matured = self.section("matured")
        if matured.total:
            parts.append(
                ngettext("%(n)d idea matured", "%(n)d ideas matured", matured.total)
                % {"n": matured.total}
            )
        votes = self.section("vote")
        if votes.total:
            parts.append(
                ngettext("%(n)d vote waits for you", "%(n)d votes wait for you", votes.total)
                % {"n": votes.total}
            )
        reviews = self.section("review")
        if reviews.total:
            parts.append(
                ngettext("%(n)d idea to review", "%(n)d ideas to review", reviews.total)
                % {"n": reviews.total}
            )
        questions = self.section("questions")
        if questions.total and not parts:
            parts.append(
                ngettext(
                    "%(n)d question waits for an answer",
                    "%(n)d questions wait for an answer",
                    questions.total,
                )
                % {"n": questions.total}
            )
        return _("Your %(network)s digest: %(summary)s") % {
            "network": self.network_name,
            "summary": ", ".join(parts) or _("nothing new"),
        }


def _link(item: Any) -> str:
    return str(item.get_absolute_url())


def _page(name: str, query: str = "") -> str:
    return f"{reverse(name)}{query}"


def credited_names(items: list[Any], *, public: bool = False) -> dict[tuple[str, int], list[str]]:
    """Names of everyone credited on each item, author first, keyed by (model label, pk).

    Uses the batch form of `core.credits` when it has one (a fixed number of queries for
    the whole digest), else asks item by item."""
    from learnloop.core import credits

    unique = {(i._meta.label, i.pk): i for i in items if i is not None}
    batch = getattr(credits, "contributors_for", None)
    if batch is not None:
        found = batch(list(unique.values()), public=public)
        return {key: [p.name for p in found.get(key, [])] for key in unique}
    return {key: [p.name for p in contributors(item)] for key, item in unique.items()}


def fill_credits(entries: list[Any], *, public: bool = False) -> None:
    """Set `credits` on each entry from the item it credits (`credited`)."""
    names = credited_names([e.credited for e in entries if e.credited is not None], public=public)
    for e in entries:
        if e.credited is not None:
            e.credits = names.get((e.credited._meta.label, e.credited.pk), [])


def _group_name(item: Any) -> str:
    group = getattr(item, "group", None)
    return group.name if group is not None else ""


def followed_group_ids(person: Any) -> set[int]:
    from learnloop.community.models import Follow

    if not access.is_member(person):
        return set()
    return set(Follow.objects.filter(person=person).values_list("group_id", flat=True))


def scope_group_ids(person: Any) -> list[int]:
    """The person's groups (and creation spaces), and the groups they follow."""
    return sorted(access.group_ids(person) | followed_group_ids(person))


# Sections -------------------------------------------------------------------------------


def _window(field_name: str, since: datetime, until: datetime) -> Q:
    return Q(**{f"{field_name}__gt": since, f"{field_name}__lte": until})


def _new_in_groups(person: Any, since: datetime, until: datetime) -> DigestSection:
    from learnloop.capture.models import KnowledgeProduct
    from learnloop.consolidation.models import Idea
    from learnloop.generation.models import Learning, Question, TestCycle

    groups = scope_group_ids(person)
    visible_ideas = Idea.objects.filter(access.visible_q(person)).order_by("title", "id")
    # Only the ideas the reader may see are named under a product.
    ideas_prefetch: Any = Prefetch("ideas", queryset=visible_ideas, to_attr="digest_ideas")
    sources: list[tuple[str, str, QuerySet[Any], str]] = [
        ("learning", _("Learning"), Learning.objects.all(), "created_at"),
        ("test-cycle", _("Test cycle"), TestCycle.objects.all(), "created_at"),
        ("idea", _("Idea"), Idea.objects.all(), "created_at"),
        (
            "product",
            _("Knowledge product"),
            KnowledgeProduct.objects.prefetch_related(ideas_prefetch),
            "published_at",
        ),
        ("question", _("Question"), Question.objects.all(), "created_at"),
    ]
    rows: list[tuple[datetime, int, str, str, Any]] = []
    total = 0
    for kind, label, qs, when_field in sources:
        qs = (
            qs.filter(access.visible_q(person), _window(when_field, since, until))
            .filter(group_id__in=groups)
            .exclude(author=person)
        )
        total += qs.count() if groups else 0
        if not groups:
            continue
        newest = qs.select_related("author", "group").order_by(f"-{when_field}", "-id")
        rows += [
            (getattr(r, when_field), r.pk, kind, str(label), r) for r in newest[:SECTION_LIMIT]
        ]
    rows.sort(key=lambda row: (row[0], row[1]), reverse=True)
    entries = []
    for when, _pk, kind, label, item in rows[:SECTION_LIMIT]:
        entry = DigestEntry(
            kind=kind,
            kind_label=label,
            title=item.title,
            path=_link(item),
            when=when,
            group=_group_name(item),
            credited=item,
        )
        if kind == "idea":
            entry.stage, entry.stage_label = item.stage, str(item.get_stage_display())
            entry.excerpt = plain_text(item.summary, 200)
        elif kind == "product":
            entry.excerpt = item.summary or plain_text(item.body, 200)
            entry.ideas = [
                StageRef(i.title, _link(i), i.stage, str(i.get_stage_display()))
                for i in item.digest_ideas
            ]
        elif kind in {"learning", "question"}:
            entry.excerpt = plain_text(item.body, 200)
        entries.append(entry)
    return DigestSection(
        key="new",
        heading=_("New in your groups"),
        intro=_("What people in your groups, and the groups you follow, shared."),
        entries=entries,
        total=total,
        new=total,
        more_path=_page("sharing:feed"),
    )


def up_the_ladder_q() -> Q:
    from learnloop.consolidation.models import LADDER

    q = Q(pk__in=[])
    for i, stage in enumerate(LADDER):
        higher = [str(s) for s in LADDER[i + 1 :]]
        if higher:
            q |= Q(from_stage=stage, to_stage__in=higher)
    return q


def _matured(person: Any, since: datetime, until: datetime) -> DigestSection:
    from learnloop.consolidation.models import Stage, StageChange

    changes = (
        StageChange.objects.filter(
            access.visible_q(person, "idea__"),
            up_the_ladder_q(),
            _window("decided_at", since, until),
        )
        .select_related("idea", "idea__group", "idea__author")
        .order_by("-decided_at", "-id")
    )
    # An idea that climbed twice in one window is listed once, at its latest move.
    latest: dict[int, Any] = {}
    for change in changes[:200]:
        latest.setdefault(change.idea_id, change)
    chosen = list(latest.values())
    entries = [
        DigestEntry(
            kind="stage",
            kind_label=str(_("Idea")),
            title=change.idea.title,
            path=_link(change.idea),
            when=change.decided_at,
            group=_group_name(change.idea),
            stage=change.to_stage,
            stage_label=str(Stage(change.to_stage).label),
            from_stage=change.from_stage,
            from_label=str(Stage(change.from_stage).label),
            credited=change.idea,
        )
        for change in chosen[:SECTION_LIMIT]
    ]
    return DigestSection(
        key="matured",
        heading=_("Ideas that matured"),
        intro=_("Ideas the network moved up a stage, with the evidence behind them."),
        entries=entries,
        total=len(chosen),
        new=len(chosen),
        more_path=_page("consolidation:ideas"),
    )


def _waiting_for_vote(person: Any, since: datetime, until: datetime) -> DigestSection:
    from learnloop.consolidation.models import Decision, DecisionStatus, Stage, Vote

    if not access.is_member(person):
        return _empty("vote")
    # Any member may vote on what they may take part in (`decisions.may_vote`).
    qs = (
        Decision.objects.filter(status=DecisionStatus.OPEN, closes_at__gt=until)
        .filter(Q(idea__isnull=True) | access.visible_q(person, "idea__"))
        .filter(~Exists(Vote.objects.filter(decision=OuterRef("pk"), voter=person)))
    )
    total = qs.count()
    new = qs.filter(_window("opened_at", since, until)).count() if total else 0
    rows = list(
        qs.select_related("idea", "idea__group", "idea__author", "proposed_by").order_by(
            "closes_at", "id"
        )[:SECTION_LIMIT]
    )
    entries = []
    for decision in rows:
        entry = DigestEntry(
            kind="decision",
            kind_label=str(_("Decision")),
            title=decision.title,
            path=_link(decision),
            when=decision.opened_at,
            is_new=since < decision.opened_at <= until,
            closes_at=decision.closes_at,
            excerpt=plain_text(decision.rationale, 200),
        )
        if decision.idea is not None:
            idea = decision.idea
            entry.group = _group_name(idea)
            entry.credited = idea
            entry.ideas = [StageRef(idea.title, _link(idea), idea.stage, idea.get_stage_display())]
            if decision.to_stage:
                entry.note = _("Proposed: move it to %(stage)s.") % {
                    "stage": Stage(decision.to_stage).label
                }
        else:
            entry.credits = [decision.proposed_by.name]  # standards: who proposed them
        entries.append(entry)
    return DigestSection(
        key="vote",
        heading=_("Waiting for your vote"),
        intro=_("Open decisions you have not voted on yet."),
        entries=entries,
        total=total,
        new=new,
        more_path=_page("decisions:decisions", "?status=open"),
    )


def _waiting_for_review(person: Any, since: datetime, until: datetime) -> DigestSection:
    from learnloop.consolidation.models import Idea, Review, Stage
    from learnloop.consolidation.review_selectors import current_version

    version = current_version() if access.is_member(person) else None
    if version is None:
        return _empty("review")
    qs = (
        Idea.objects.filter(access.visible_q(person))
        .filter(Q(stage=Stage.PROMISING) | Q(review_flagged_at__isnull=False))
        .exclude(author=person)
        .filter(
            ~Exists(Review.objects.filter(idea=OuterRef("pk"), reviewer=person, version=version))
        )
    )
    total = qs.count()
    new_q = _window("stage_changed_at", since, until) | _window("review_flagged_at", since, until)
    new = qs.filter(new_q).count() if total else 0
    entries = []
    for idea in qs.select_related("group", "author").order_by("-stage_changed_at", "-id")[
        :SECTION_LIMIT
    ]:
        flagged = idea.review_flagged_at is not None
        moment = idea.review_flagged_at if flagged else idea.stage_changed_at
        entries.append(
            DigestEntry(
                kind="idea",
                kind_label=str(_("Idea")),
                title=idea.title,
                path=_link(idea),
                when=moment,
                is_new=since < moment <= until,
                group=_group_name(idea),
                credited=idea,
                note=(
                    _("New evidence contradicts it: is it still knowledge?")
                    if flagged
                    else _("Ready to be checked against the standards (%(version)s).")
                    % {"version": str(version)}
                ),
                stage=idea.stage,
                stage_label=str(idea.get_stage_display()),
            )
        )
    return DigestSection(
        key="review",
        heading=_("Waiting for your review"),
        intro=_("Ideas that need members to check them against the current standards."),
        entries=entries,
        total=total,
        new=new,
        more_path=_page("consolidation:ideas", "?stage=promising"),
    )


def _unanswered(person: Any, since: datetime, until: datetime) -> DigestSection:
    from learnloop.generation.models import Answer, Question

    groups = scope_group_ids(person)
    if not groups:
        return _empty("questions")
    qs = (
        Question.objects.filter(access.visible_q(person), group_id__in=groups)
        .filter(closed_at__isnull=True, created_at__lte=until)
        .exclude(author=person)
        .filter(~Exists(Answer.objects.filter(question=OuterRef("pk"), deleted_at__isnull=True)))
    )
    total = qs.count()
    new = qs.filter(_window("created_at", since, until)).count() if total else 0
    entries = [
        DigestEntry(
            kind="question",
            kind_label=str(_("Question")),
            title=q.title,
            path=_link(q),
            when=q.created_at,
            is_new=since < q.created_at <= until,
            group=_group_name(q),
            credited=q,
            excerpt=plain_text(q.body, 200),
        )
        for q in qs.select_related("group", "author").order_by("-created_at", "-id")[:SECTION_LIMIT]
    ]
    return DigestSection(
        key="questions",
        heading=_("Questions nobody has answered yet"),
        intro=_("Open questions in your groups. You may know something that helps."),
        entries=entries,
        total=total,
        new=new,
        more_path=_page("generation:questions"),
    )


def _empty(key: str) -> DigestSection:
    headings = {
        "vote": _("Waiting for your vote"),
        "review": _("Waiting for your review"),
        "questions": _("Questions nobody has answered yet"),
    }
    return DigestSection(key=key, heading=headings[key], intro="", entries=[], total=0, new=0)


def build_digest(*, person: Any, since: datetime, until: datetime) -> Digest:
    """The digest for `person` covering (since, until]."""
    sections = [
        _new_in_groups(person, since, until),
        _matured(person, since, until),
        _waiting_for_vote(person, since, until),
        _waiting_for_review(person, since, until),
        _unanswered(person, since, until),
    ]
    fill_credits([e for s in sections for e in s.entries])
    return Digest(
        person=person,
        since=since,
        until=until,
        sections=sections,
        network_name=settings.NETWORK_NAME,
        site_url=settings.SITE_URL,
    )
