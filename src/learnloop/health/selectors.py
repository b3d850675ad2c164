"""Reads for the health of the knowledge cycle.

Two questions, both answered from the records the other phases keep:

* **flows** — how much entered each phase of the cycle, and how much was handed on to the
  next one, month by month over the last twelve months. One aggregate query per kind of
  record (grouped by month in the database), whatever the number of items or groups.
* **gaps** — where the cycle breaks, each with the page where it can be fixed. One query per
  kind of gap.

Every count and every gap respects what the viewer may see (`core.access`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnloop.application.models import SETTLED_STATES, AdoptionPlan, Outcome
from learnloop.capture.models import KnowledgeProduct
from learnloop.consolidation.models import (
    Evidence,
    Idea,
    Routine,
    RoutineKind,
    RoutineSchedule,
    Stage,
    StageChange,
)
from learnloop.consolidation.routine_rules import routine_visible_q
from learnloop.core import access
from learnloop.core.models import Visibility
from learnloop.generation.models import Learning, Question, TestCycle
from learnloop.health.models import GapKind, HealthSettings
from learnloop.people.models import Cadence, Group
from learnloop.sharing.models import Share

MONTHS = 12
# Rows of one kind of gap shown on the page; the CSV and the API give them all.
PAGE_LIMIT = 25
CADENCE_DAYS: dict[str, int] = {
    Cadence.WEEKLY: 7,
    Cadence.FORTNIGHTLY: 14,
    Cadence.MONTHLY: 31,
    Cadence.QUARTERLY: 92,
}
ELEVATED = (Stage.KNOWLEDGE, Stage.SCALING)


# Settings ------------------------------------------------------------------------------


def health_settings() -> HealthSettings:
    """The thresholds in force: the saved row, or the defaults (not saved on read)."""
    return HealthSettings.objects.filter(pk=1).first() or HealthSettings(pk=1)


# Scope ---------------------------------------------------------------------------------


def scope_group(viewer: Any, value: str | None) -> Group | None:
    """The group named in `?group=` (its short name, or its id), or None for the whole
    network. Groups are known to every member; anyone else gets 404."""
    if not value:
        return None
    if not access.is_member(viewer):
        raise Http404
    group = Group.objects.filter(slug=value).first()
    if group is None and str(value).isdigit():
        group = Group.objects.filter(pk=int(value)).first()
    if group is None:
        raise Http404
    return group


def scope_groups(viewer: Any) -> list[Group]:
    """Groups offered in the page's group filter."""
    if not access.is_member(viewer):
        return []
    return list(Group.objects.filter(archived_at__isnull=True).order_by("name"))


# Flows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One kind of record counted in a phase, and how to reach it."""

    key: str
    label: Any
    date_field: str
    group_field: str
    queryset: Callable[[Any], QuerySet[Any]]  # viewer → visible rows


@dataclass(frozen=True)
class Phase:
    key: str
    label: Any
    sources: tuple[Source, ...]
    # What leaving this phase for the next one looks like: (source key, label, extra
    # aggregate name or None for the source's own count).
    left_source: str
    left_label: Any
    left_extra: str | None = None


def _shared(model: type[Any]) -> Callable[[Any], QuerySet[Any]]:
    return lambda viewer: access.visible(viewer, model.objects.all())


def _through(model: type[Any], *prefixes: str) -> Callable[[Any], QuerySet[Any]]:
    def build(viewer: Any) -> QuerySet[Any]:
        qs = model.objects.all()
        for prefix in prefixes:
            qs = qs.filter(access.visible_q(viewer, prefix))
        return qs

    return build


def _routines(viewer: Any) -> QuerySet[Routine]:
    return Routine.objects.filter(routine_visible_q(viewer), completed_at__isnull=False)


PHASES: tuple[Phase, ...] = (
    Phase(
        "generation",
        gettext_lazy("Generation"),
        (
            Source(
                "learnings",
                gettext_lazy("Learnings posted"),
                "created_at",
                "group",
                _shared(Learning),
            ),
            Source(
                "test_cycles",
                gettext_lazy("Test cycles started"),
                "created_at",
                "group",
                _shared(TestCycle),
            ),
            Source(
                "questions",
                gettext_lazy("Questions asked"),
                "created_at",
                "group",
                _shared(Question),
            ),
        ),
        "evidence",
        gettext_lazy("Learnings taken into ideas"),
    ),
    Phase(
        "consolidation",
        gettext_lazy("Consolidation"),
        (
            Source("ideas", gettext_lazy("Ideas created"), "created_at", "group", _shared(Idea)),
            Source(
                "evidence",
                gettext_lazy("Evidence linked"),
                "added_at",
                "idea__group",
                _through(Evidence, "idea__", "learning__"),
            ),
            Source(
                "stage_changes",
                gettext_lazy("Stage changes"),
                "decided_at",
                "idea__group",
                _through(StageChange, "idea__"),
            ),
            Source(
                "routines",
                gettext_lazy("Routines completed"),
                "completed_at",
                "group",
                _routines,
            ),
        ),
        "stage_changes",
        gettext_lazy("Ideas that became knowledge"),
        "elevated",
    ),
    Phase(
        "capture",
        gettext_lazy("Capture"),
        (
            Source(
                "products",
                gettext_lazy("Products published"),
                "published_at",
                "group",
                _shared(KnowledgeProduct),
            ),
        ),
        "shares",
        gettext_lazy("Products carried to an audience"),
    ),
    Phase(
        "sharing",
        gettext_lazy("Sharing"),
        (
            Source(
                "shares",
                gettext_lazy("Shares"),
                "shared_at",
                "product__group",
                _through(Share, "product__"),
            ),
        ),
        "plans",
        gettext_lazy("Adoption plans started"),
    ),
    Phase(
        "application",
        gettext_lazy("Application"),
        (
            Source(
                "plans",
                gettext_lazy("Adoption plans started"),
                "created_at",
                "group",
                _shared(AdoptionPlan),
            ),
            Source(
                "outcomes",
                gettext_lazy("Outcomes recorded"),
                "recorded_at",
                "plan__group",
                _through(Outcome, "plan__"),
            ),
        ),
        "outcomes",
        gettext_lazy("Outcomes that became new learnings"),
    ),
)
PHASE_KEYS = [p.key for p in PHASES]


@dataclass
class SourceFlow:
    key: str
    label: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class PhaseFlow:
    key: str
    label: str
    sources: list[SourceFlow]
    entered: list[int]
    left: list[int]
    left_label: str
    last_activity: datetime | None

    @property
    def entered_total(self) -> int:
        return sum(self.entered)

    @property
    def left_total(self) -> int:
        return sum(self.left)


@dataclass
class MonthRow:
    month: date
    cells: list[tuple[str, int, int]]  # (phase label, entered, passed on)


@dataclass
class Flows:
    months: list[date]
    phases: list[PhaseFlow]
    group: Group | None = None
    rows: list[MonthRow] = field(default_factory=list)

    @property
    def peak(self) -> int:
        return max((n for p in self.phases for n in p.entered), default=0)


def month_starts(today: date | None = None, count: int = MONTHS) -> list[date]:
    """The first day of each of the last `count` months, oldest first, this month last."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    months = []
    for _i in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _as_month(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date().replace(day=1)
    return value.replace(day=1)


def _aggregate(
    source: Source, viewer: Any, group: Group | None, start: datetime
) -> list[dict[str, Any]]:
    """One query: per month, the count (and the last date) of the source's records."""
    qs = source.queryset(viewer).filter(**{f"{source.date_field}__gte": start})
    if group is not None:
        qs = qs.filter(**{source.group_field: group})
    extra: dict[str, Any] = {}
    if source.key == "stage_changes":
        extra["elevated"] = Count("pk", filter=Q(to_stage__in=ELEVATED))
    return list(
        qs.annotate(month=TruncMonth(source.date_field))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"), last=Max(source.date_field), **extra)
    )


def cycle_flows(*, viewer: Any, group: Group | None = None, today: date | None = None) -> Flows:
    months = month_starts(today)
    index = {m: i for i, m in enumerate(months)}
    start = timezone.make_aware(datetime(months[0].year, months[0].month, 1))
    per_source: dict[str, dict[str, list[int]]] = {}
    last_seen: dict[str, datetime | None] = {}
    for phase in PHASES:
        for source in phase.sources:
            counts = {"n": [0] * len(months), "elevated": [0] * len(months)}
            last: datetime | None = None
            for row in _aggregate(source, viewer, group, start):
                i = index.get(_as_month(row["month"]))  # type: ignore[arg-type]
                if i is None:
                    continue
                counts["n"][i] += row["n"]
                counts["elevated"][i] += row.get("elevated", 0)
                if row["last"] is not None and (last is None or row["last"] > last):
                    last = row["last"]
            per_source[source.key] = counts
            last_seen[source.key] = last
    phases = []
    for phase in PHASES:
        sources = [SourceFlow(s.key, str(s.label), per_source[s.key]["n"]) for s in phase.sources]
        entered = [sum(col) for col in zip(*(s.counts for s in sources), strict=True)]
        left = per_source[phase.left_source][phase.left_extra or "n"]
        stamps = [d for d in (last_seen[s.key] for s in phase.sources) if d is not None]
        phases.append(
            PhaseFlow(
                phase.key,
                str(phase.label),
                sources,
                entered,
                list(left),
                str(phase.left_label),
                max(stamps) if stamps else None,
            )
        )
    rows = [
        MonthRow(m, [(p.label, p.entered[i], p.left[i]) for p in phases])
        for i, m in enumerate(months)
    ]
    return Flows(months=months, phases=phases, group=group, rows=rows)


# Gaps ----------------------------------------------------------------------------------


@dataclass
class Gap:
    kind: str
    title: str
    detail: str
    item_type: str
    item_key: str
    item_url: str
    action_url: str
    action_label: str
    since: date | None = None
    group_id: int | None = None
    group_name: str = ""
    can_act: bool = False

    @property
    def kind_label(self) -> str:
        return str(GapKind(self.kind).label)


@dataclass
class GapSection:
    kind: str
    label: str
    gaps: list[Gap]
    more: bool = False


def _url(name: str, *args: Any, **query: Any) -> str:
    url = reverse(name, args=args or None)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def _can_act(viewer: Any, group_id: int | None, author_id: int | None = None) -> bool:
    """Stewards act on every gap, moderators on their groups' gaps, authors on their own
    items; other members read."""
    if not access.is_member(viewer):
        return False
    return (
        access.is_steward(viewer)
        or (group_id is not None and access.is_group_moderator(viewer, group_id))
        or (author_id is not None and author_id == viewer.pk)
    )


def _days_since(moment: Any, now: datetime) -> int:
    if isinstance(moment, datetime):
        return max(0, (now - moment).days)
    return max(0, (now.date() - moment).days)


def _since(moment: Any) -> date | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return timezone.localtime(moment).date()
    return moment


def _limit(qs: QuerySet[Any], limit: int | None) -> list[Any]:
    return list(qs if limit is None else qs[: limit + 1])


PHASE_ACTIONS: dict[str, tuple[str, Any]] = {
    "generation": ("generation:learning_create", gettext_lazy("Share a learning")),
    "consolidation": ("consolidation:ideas", gettext_lazy("Work on ideas")),
    "capture": ("consolidation:ideas", gettext_lazy("Package knowledge in a product")),
    "sharing": ("capture:products", gettext_lazy("Share a product")),
    "application": ("capture:products", gettext_lazy("Start an adoption plan")),
}


def _quiet_phases(
    viewer: Any, group: Group | None, flows: Flows, cfg: HealthSettings, now: datetime
) -> list[Gap]:
    cutoff = now - timedelta(days=cfg.quiet_days)
    gaps = []
    for phase in flows.phases:
        if phase.last_activity is not None and phase.last_activity >= cutoff:
            continue
        name, label = PHASE_ACTIONS[phase.key]
        action = reverse(name)
        if phase.key == "generation" and group is not None:
            action = _url(name, group=group.pk)
        elif phase.key == "consolidation" and group is not None:
            action = _url("routines:synthesis_new", group=group.pk)
            label = gettext_lazy("Hold a synthesis")
        elif phase.key == "capture":
            action = _url(name, stage=Stage.KNOWLEDGE)
        if phase.last_activity is None:
            detail = _("Nothing new in the last twelve months.")
        else:
            detail = _("Nothing new for %(days)d days.") % {
                "days": _days_since(phase.last_activity, now)
            }
        gaps.append(
            Gap(
                kind=GapKind.QUIET_PHASE,
                title=phase.label,
                detail=detail,
                item_type="phase",
                item_key=phase.key,
                item_url=f"#phase-{phase.key}",
                action_url=action,
                action_label=str(label),
                since=_since(phase.last_activity),
                group_id=group.pk if group else None,
                group_name=group.name if group else "",
                can_act=_can_act(viewer, group.pk if group else None),
            )
        )
    return gaps


def _group_gaps(
    viewer: Any, group: Group | None, cfg: HealthSettings, now: datetime
) -> tuple[list[Gap], list[Gap]]:
    """Groups without learnings in their meeting cadence, and groups without a summary or
    synthesis in their routine's cadence. Stewards see every group; others their own."""
    if not access.is_member(viewer):
        return [], []
    groups = Group.objects.filter(archived_at__isnull=True)
    if group is not None:
        groups = groups.filter(pk=group.pk)
    if not access.is_steward(viewer):
        groups = groups.filter(pk__in=sorted(access.group_ids(viewer)))
    last_routine = (
        Routine.objects.filter(
            group=OuterRef("pk"),
            kind__in=[RoutineKind.SUMMARY, RoutineKind.SYNTHESIS],
            completed_at__isnull=False,
        )
        .order_by("-completed_at")
        .values("completed_at")[:1]
    )
    last_learning = (
        access.visible(viewer, Learning.objects.filter(group=OuterRef("pk")))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    routine_cadence = (
        RoutineSchedule.objects.filter(
            group=OuterRef("pk"), kind=RoutineKind.SYNTHESIS, active=True
        )
        .order_by("id")
        .values("cadence")[:1]
    )
    rows = groups.annotate(
        last_routine=Subquery(last_routine),
        last_learning=Subquery(last_learning),
        routine_cadence=Subquery(routine_cadence),
    ).order_by("name")
    quiet, unreflected = [], []
    grace = timedelta(days=cfg.cadence_grace_days)
    for g in rows:
        meeting = timedelta(days=CADENCE_DAYS.get(g.cadence, 31)) + grace
        routine = timedelta(days=CADENCE_DAYS.get(g.routine_cadence or g.cadence, 31)) + grace
        acts = _can_act(viewer, g.pk)
        if g.created_at < now - meeting and (g.last_learning or g.created_at) < now - meeting:
            quiet.append(
                Gap(
                    kind=GapKind.NO_LEARNINGS,
                    title=g.name,
                    detail=_("No learnings in %(days)d days; the group meets %(cadence)s.")
                    % {
                        "days": _days_since(g.last_learning or g.created_at, now),
                        "cadence": str(Cadence(g.cadence).label).lower(),
                    },
                    item_type="group",
                    item_key=str(g.pk),
                    item_url=g.get_absolute_url(),
                    action_url=_url("generation:learning_create", group=g.pk),
                    action_label=_("Share a learning"),
                    since=_since(g.last_learning),
                    group_id=g.pk,
                    group_name=g.name,
                    can_act=acts,
                )
            )
        if g.created_at < now - routine and (g.last_routine or g.created_at) < now - routine:
            if g.last_routine is None:
                detail = _("No summary or synthesis yet.")
            else:
                detail = _("Last summary or synthesis %(days)d days ago.") % {
                    "days": _days_since(g.last_routine, now)
                }
            unreflected.append(
                Gap(
                    kind=GapKind.NO_REFLECTION,
                    title=g.name,
                    detail=detail,
                    item_type="group",
                    item_key=str(g.pk),
                    item_url=g.get_absolute_url(),
                    action_url=_url("routines:synthesis_new", group=g.pk),
                    action_label=_("Hold a synthesis"),
                    since=_since(g.last_routine),
                    group_id=g.pk,
                    group_name=g.name,
                    can_act=acts,
                )
            )
    return quiet, unreflected


def _in_group(qs: QuerySet[Any], group: Group | None, path: str = "group") -> QuerySet[Any]:
    return qs if group is None else qs.filter(**{path: group})


def _stuck_ideas(
    viewer: Any, group: Group | None, cfg: HealthSettings, now: datetime, limit: int | None
) -> list[Gap]:
    stuck = Q(pk__in=[])
    for stage, days in cfg.stuck_days().items():
        stuck |= Q(stage=stage, stage_changed_at__lt=now - timedelta(days=days))
    qs = _in_group(access.visible(viewer, Idea.objects.filter(stuck)), group)
    gaps = []
    for idea in _limit(qs.select_related("group").order_by("stage_changed_at", "id"), limit):
        gaps.append(
            Gap(
                kind=GapKind.STUCK_IDEA,
                title=idea.title,
                detail=_("%(stage)s for %(days)d days.")
                % {
                    "stage": Stage(idea.stage).label,
                    "days": _days_since(idea.stage_changed_at, now),
                },
                item_type="idea",
                item_key=str(idea.pk),
                item_url=idea.get_absolute_url(),
                action_url=idea.get_absolute_url() + "#stage-h",
                action_label=_("Propose a decision"),
                since=_since(idea.stage_changed_at),
                group_id=idea.group_id,
                group_name=idea.group.name if idea.group else "",
                can_act=_can_act(viewer, idea.group_id, idea.author_id),
            )
        )
    return gaps


def _captured() -> Exists:
    """A live, published product draws on the idea (seen or not by the viewer: the gap is
    about the network, not about what one person can read)."""
    return Exists(
        KnowledgeProduct.objects.filter(
            ideas=OuterRef("pk"), deleted_at__isnull=True, published_at__isnull=False
        ).exclude(visibility=Visibility.DRAFT)
    )


def _uncaptured(
    viewer: Any, group: Group | None, cfg: HealthSettings, now: datetime, limit: int | None
) -> list[Gap]:
    qs = access.visible(
        viewer,
        Idea.objects.filter(
            stage__in=ELEVATED, stage_changed_at__lt=now - timedelta(days=cfg.grace_days)
        ),
    ).filter(~_captured())
    qs = _in_group(qs, group).select_related("group").order_by("stage_changed_at", "id")
    return [
        Gap(
            kind=GapKind.UNCAPTURED,
            title=idea.title,
            detail=_("%(stage)s for %(days)d days, and no product draws on it yet.")
            % {
                "stage": Stage(idea.stage).label,
                "days": _days_since(idea.stage_changed_at, now),
            },
            item_type="idea",
            item_key=str(idea.pk),
            item_url=idea.get_absolute_url(),
            action_url=_url("capture:product_create", idea=idea.pk),
            action_label=_("Package it in a product"),
            since=_since(idea.stage_changed_at),
            group_id=idea.group_id,
            group_name=idea.group.name if idea.group else "",
            can_act=_can_act(viewer, idea.group_id, idea.author_id),
        )
        for idea in _limit(qs, limit)
    ]


def _products(viewer: Any, group: Group | None) -> QuerySet[KnowledgeProduct]:
    qs = access.visible(viewer, KnowledgeProduct.objects.filter(published_at__isnull=False))
    return _in_group(qs.exclude(visibility=Visibility.DRAFT), group).select_related("group")


def _unshared(
    viewer: Any, group: Group | None, cfg: HealthSettings, now: datetime, limit: int | None
) -> list[Gap]:
    qs = (
        _products(viewer, group)
        .filter(published_at__lt=now - timedelta(days=cfg.grace_days))
        .filter(~Exists(Share.objects.filter(product=OuterRef("pk"))))
        .order_by("published_at", "id")
    )
    return [
        Gap(
            kind=GapKind.UNSHARED,
            title=p.title,
            detail=_("Published %(days)d days ago and not yet shared with anyone.")
            % {"days": _days_since(p.published_at, now)},
            item_type="product",
            item_key=str(p.pk),
            item_url=p.get_absolute_url(),
            action_url=p.get_absolute_url() + "#shares",
            action_label=_("Record a share"),
            since=_since(p.published_at),
            group_id=p.group_id,
            group_name=p.group.name if p.group else "",
            can_act=_can_act(viewer, p.group_id, p.author_id),
        )
        for p in _limit(qs, limit)
    ]


def _unadopted(
    viewer: Any, group: Group | None, cfg: HealthSettings, now: datetime, limit: int | None
) -> list[Gap]:
    first_share = (
        Share.objects.filter(product=OuterRef("pk")).order_by("shared_at").values("shared_at")[:1]
    )
    qs = (
        _products(viewer, group)
        .annotate(first_shared=Subquery(first_share))
        .filter(first_shared__lt=now - timedelta(days=cfg.grace_days))
        .filter(
            ~Exists(AdoptionPlan.objects.filter(product=OuterRef("pk"), deleted_at__isnull=True))
        )
        .order_by("first_shared", "id")
    )
    return [
        Gap(
            kind=GapKind.UNADOPTED,
            title=p.title,
            detail=_("First shared %(days)d days ago; nobody has planned to put it into practice.")
            % {"days": _days_since(p.first_shared, now)},
            item_type="product",
            item_key=str(p.pk),
            item_url=p.get_absolute_url(),
            action_url=_url("application:plan_create", product=p.pk),
            action_label=_("Start an adoption plan"),
            since=_since(p.first_shared),
            group_id=p.group_id,
            group_name=p.group.name if p.group else "",
            can_act=_can_act(viewer, p.group_id, p.author_id),
        )
        for p in _limit(qs, limit)
    ]


def _overdue(viewer: Any, group: Group | None, today: date, limit: int | None) -> list[Gap]:
    overdue = Q(steps__next_review_on__lt=today) & ~Q(steps__state__in=SETTLED_STATES)
    qs = (
        _in_group(
            access.visible(viewer, AdoptionPlan.objects.filter(closed_at__isnull=True)), group
        )
        .annotate(
            overdue_steps=Count("steps", filter=overdue),
            oldest_review=Min("steps__next_review_on", filter=overdue),
        )
        .filter(overdue_steps__gt=0)
        .select_related("group")
        .order_by(F("oldest_review").asc(), "id")
    )
    gaps = []
    for plan in _limit(qs, limit):
        gaps.append(
            Gap(
                kind=GapKind.OVERDUE_REVIEW,
                title=plan.title,
                detail=_("%(count)d stakeholder review(s) overdue, the oldest since %(day)s.")
                % {"count": plan.overdue_steps, "day": plan.oldest_review.isoformat()},
                item_type="plan",
                item_key=str(plan.pk),
                item_url=plan.get_absolute_url(),
                action_url=plan.get_absolute_url(),
                action_label=_("Review the stakeholders"),
                since=plan.oldest_review,
                group_id=plan.group_id,
                group_name=plan.group.name if plan.group else "",
                can_act=_can_act(viewer, plan.group_id, plan.author_id),
            )
        )
    return gaps


def cycle_gaps(
    *,
    viewer: Any,
    group: Group | None = None,
    flows: Flows | None = None,
    limit: int | None = None,
    kind: str | None = None,
) -> list[GapSection]:
    """Every kind of gap, in the order of the cycle. With `limit`, at most that many rows
    per kind (and `more` set when there are others)."""
    if not access.is_member(viewer):
        return []
    cfg = health_settings()
    now = timezone.now()
    wanted = [k for k in GapKind.values if kind in (None, "", k)]
    found: dict[str, list[Gap]] = {}
    if GapKind.QUIET_PHASE in wanted:
        flows = flows or cycle_flows(viewer=viewer, group=group)
        found[GapKind.QUIET_PHASE] = _quiet_phases(viewer, group, flows, cfg, now)
    if GapKind.NO_LEARNINGS in wanted or GapKind.NO_REFLECTION in wanted:
        quiet, unreflected = _group_gaps(viewer, group, cfg, now)
        found[GapKind.NO_LEARNINGS], found[GapKind.NO_REFLECTION] = quiet, unreflected
    if GapKind.STUCK_IDEA in wanted:
        found[GapKind.STUCK_IDEA] = _stuck_ideas(viewer, group, cfg, now, limit)
    if GapKind.UNCAPTURED in wanted:
        found[GapKind.UNCAPTURED] = _uncaptured(viewer, group, cfg, now, limit)
    if GapKind.UNSHARED in wanted:
        found[GapKind.UNSHARED] = _unshared(viewer, group, cfg, now, limit)
    if GapKind.UNADOPTED in wanted:
        found[GapKind.UNADOPTED] = _unadopted(viewer, group, cfg, now, limit)
    if GapKind.OVERDUE_REVIEW in wanted:
        found[GapKind.OVERDUE_REVIEW] = _overdue(viewer, group, timezone.localdate(), limit)
    sections = []
    for key in wanted:
        gaps = found.get(key, [])
        more = limit is not None and len(gaps) > limit
        sections.append(
            GapSection(key, str(GapKind(key).label), gaps[:limit] if more else gaps, more)
        )
    return sections


def all_gaps(sections: list[GapSection]) -> list[Gap]:
    return [gap for section in sections for gap in section.gaps]
