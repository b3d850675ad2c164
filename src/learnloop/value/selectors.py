"""Reads for value: convenings, stories and the value matrix, as the viewer may see them.

A story links records that keep their own visibility: a network story may point at a
group-only learning. The thread therefore shows each linked record only to viewers who may
see it themselves (`visible_links` on every step)."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnloop.core import access
from learnloop.core.models import Visibility
from learnloop.value.models import (
    CYCLE_HELP,
    CYCLE_ORDER,
    CalendarToken,
    Convening,
    StoryStep,
    ValueCycle,
    ValueStory,
)

# Convenings --------------------------------------------------------------------------


def _upcoming_q(now: Any) -> Q:
    """Not over yet: it ends (or, without an end, starts) from now on."""
    return Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now)


def convening_list(
    *,
    viewer: Any,
    group: int | None = None,
    kind: str | None = None,
    when: str | None = None,
    author: int | None = None,
    participant: int | None = None,
) -> QuerySet[Convening]:
    """`when`: "upcoming" (soonest first) or "past" (latest first); anything else: all,
    latest first."""
    qs = access.visible(viewer, Convening.objects.all())
    if group:
        qs = qs.filter(group_id=group)
    if kind:
        qs = qs.filter(kind=kind)
    if author:
        qs = qs.filter(author_id=author)
    if participant:
        qs = qs.filter(participants__id=participant)
    now = timezone.now()
    order = ["-starts_at", "-id"]
    if when == "upcoming":
        qs = qs.filter(_upcoming_q(now))
        order = ["starts_at", "id"]
    elif when == "past":
        qs = qs.exclude(_upcoming_q(now))
    return qs.select_related("author", "group").prefetch_related("participants").order_by(*order)


def get_convening_for(viewer: Any, pk: Any, *, write: bool = False) -> Convening:
    return access.get_for(
        viewer,
        Convening.objects.select_related("author", "group", "deleted_by").prefetch_related(
            "participants"
        ),
        pk,
        write=write,
    )


def stories_for_convening(*, viewer: Any, convening: Convening) -> list[ValueStory]:
    return list(
        access.visible(viewer, ValueStory.objects.all())
        .filter(steps__convening=convening)
        .distinct()
        .select_related("author", "group")
        .order_by("-created_at", "-id")
    )


def feed_convenings(*, person: Any = None, group: Any = None) -> list[Convening]:
    """Upcoming convenings for a calendar feed. Without a group: the network's own
    calendar (public ones; network ones too when a member's token is given). With a group:
    that group's convenings the person may see. Drafts never reach a calendar."""
    now = timezone.now()
    qs = Convening.objects.alive().filter(_upcoming_q(now)).exclude(visibility=Visibility.DRAFT)
    if group is None:
        shown = [Visibility.PUBLIC]
        if access.is_member(person):
            shown.append(Visibility.NETWORK)
        qs = qs.filter(visibility__in=shown)
    else:
        qs = qs.filter(access.visible_q(person), group=group)
    return list(qs.select_related("group").order_by("starts_at", "id")[:500])


def person_for_calendar_token(token: str) -> Any:
    """The active member a feed token belongs to, or None."""
    if not token or len(token) > 64:
        return None
    row = CalendarToken.objects.select_related("person").filter(token=token).first()
    if row is None or not access.is_member(row.person):
        return None
    return row.person


def feed_group_for(*, person: Any, slug: str) -> Any:
    """A group whose feed the token's person may read: 404 unless they belong to it (or
    are a steward)."""
    from learnloop.people.models import Group

    group = Group.objects.filter(slug=slug).first()
    if group is None or person is None:
        raise Http404
    if not (access.is_group_member(person, group.pk) or access.is_steward(person)):
        raise Http404
    return group


# Stories -----------------------------------------------------------------------------


def story_list(
    *,
    viewer: Any,
    group: int | None = None,
    cycle: str | None = None,
    author: int | None = None,
    q: str | None = None,
    with_steps: bool = False,
) -> QuerySet[ValueStory]:
    """With `with_steps`, every step comes with its linked records (for the API);
    otherwise only each step's cycle (for the list page)."""
    qs = access.visible(viewer, ValueStory.objects.all())
    if group:
        qs = qs.filter(group_id=group)
    if author:
        qs = qs.filter(author_id=author)
    if cycle:
        qs = qs.filter(steps__cycle=cycle).distinct()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return (
        qs.select_related("author", "group")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=_steps_queryset()
                if with_steps
                else StoryStep.objects.only("id", "story_id", "cycle"),
            )
        )
        .order_by("-created_at", "-id")
    )


def story_cycles(story: ValueStory) -> list[tuple[str, str]]:
    """The cycles a story reaches, in order, from its prefetched steps."""
    reached = {step.cycle for step in story.steps.all()}
    return [(value, str(label)) for value, label in ValueCycle.choices if value in reached]


def _steps_queryset() -> QuerySet[StoryStep]:
    return StoryStep.objects.select_related(
        "added_by", "convening", "learning", "product", "outcome", "outcome__plan"
    ).order_by("created_at", "id")


def get_story_for(viewer: Any, pk: Any, *, write: bool = False) -> ValueStory:
    return access.get_for(
        viewer,
        ValueStory.objects.select_related("author", "group", "deleted_by").prefetch_related(
            Prefetch("steps", queryset=_steps_queryset())
        ),
        pk,
        write=write,
    )


def get_step_for(viewer: Any, story: ValueStory, pk: Any) -> StoryStep:
    """A step of this very story (the story itself was reached through the access layer)."""
    if not str(pk).isdigit():
        raise Http404
    step = _steps_queryset().filter(story=story, pk=int(pk)).first()
    if step is None:
        raise Http404
    return step


@dataclass
class Link:
    kind: str
    title: str
    url: str


def visible_links(viewer: Any, step: StoryStep) -> list[Link]:
    """The records a step links, only those the viewer may see."""
    links: list[Link] = []
    if step.convening is not None and access.can_view(viewer, step.convening):
        links.append(Link(_("Convening"), step.convening.title, step.convening.get_absolute_url()))
    if step.learning is not None and access.can_view(viewer, step.learning):
        links.append(Link(_("Learning"), step.learning.title, step.learning.get_absolute_url()))
    if step.product is not None and access.can_view(viewer, step.product):
        links.append(
            Link(_("Knowledge product"), step.product.title, step.product.get_absolute_url())
        )
    if step.outcome is not None and access.can_view(viewer, step.outcome.plan):
        links.append(
            Link(_("Adoption outcome"), step.outcome.title, step.outcome.get_absolute_url())
        )
    return links


def link_ids(viewer: Any, step: StoryStep) -> dict[str, int | None]:
    """Ids of the linked records, None where the viewer may not see the record."""
    return {
        "convening_id": step.convening_id
        if step.convening is not None and access.can_view(viewer, step.convening)
        else None,
        "learning_id": step.learning_id
        if step.learning is not None and access.can_view(viewer, step.learning)
        else None,
        "product_id": step.product_id
        if step.product is not None and access.can_view(viewer, step.product)
        else None,
        "outcome_id": step.outcome_id
        if step.outcome is not None and access.can_view(viewer, step.outcome.plan)
        else None,
    }


@dataclass
class ThreadCycle:
    value: str
    label: str
    help: str
    steps: list[StoryStep] = field(default_factory=list)


def story_thread(*, viewer: Any, story: ValueStory) -> list[ThreadCycle]:
    """The five cycles in order, each with its steps; every step carries `links`, the
    linked records the viewer may see."""
    cycles = {
        value: ThreadCycle(value, str(label), str(CYCLE_HELP[ValueCycle(value)]))
        for value, label in ValueCycle.choices
    }
    for step in story.steps.all():
        step.links = visible_links(viewer, step)  # type: ignore[attr-defined]
        cycles[step.cycle].steps.append(step)
    return [cycles[value] for value in CYCLE_ORDER]


# Pickers: records an author may link, all through the access layer --------------------


def convening_choices(viewer: Any) -> QuerySet[Convening]:
    return access.visible(viewer, Convening.objects.all()).order_by("-starts_at", "-id")


def learning_choices(viewer: Any) -> QuerySet[Any]:
    from learnloop.generation.models import Learning

    return access.visible(viewer, Learning.objects.all()).order_by("-created_at", "-id")


def product_choices(viewer: Any) -> QuerySet[Any]:
    from learnloop.capture.models import KnowledgeProduct

    return access.visible(viewer, KnowledgeProduct.objects.all()).order_by("-created_at", "-id")


def outcome_choices(viewer: Any) -> QuerySet[Any]:
    """Outcomes are seen through their adoption plan."""
    from learnloop.application.models import Outcome

    return (
        Outcome.objects.filter(access.visible_q(viewer, prefix="plan__"))
        .select_related("plan")
        .order_by("-recorded_at", "-id")
    )


def get_linkable(viewer: Any, kind: str, pk: Any) -> Any:
    """A record named by id for a step link: 404 when the viewer may not see it."""
    querysets = {
        "convening": convening_choices,
        "learning": learning_choices,
        "product": product_choices,
        "outcome": outcome_choices,
    }
    if pk is None:
        return None
    if not str(pk).isdigit():
        raise Http404
    found = querysets[kind](viewer).filter(pk=int(pk)).first()
    if found is None:
        raise Http404
    return found


# The value matrix ---------------------------------------------------------------------

# Where a thread is expected to flow; reframing can happen at any point, so it is counted
# but not part of the flow rule.
FLOW = [ValueCycle.IMMEDIATE, ValueCycle.POTENTIAL, ValueCycle.APPLIED, ValueCycle.REALIZED]
FLOW_RULE = gettext_lazy(
    "We follow the chain immediate → potential → applied → realized and name the first link "
    "where fewer than half of the stories that reach one cycle also reach the next. "
    "Reframing can happen at any point, so it is counted but not part of the chain."
)


@dataclass
class MatrixColumn:
    cycle: str
    label: str
    stories: int = 0
    steps: int = 0
    indicators: int = 0
    linked_records: int = 0


@dataclass
class Matrix:
    columns: list[MatrixColumn]
    story_count: int
    headline: str
    reading: str
    stop: tuple[str, str] | None
    group: Any = None

    @property
    def max_stories(self) -> int:
        return max([c.stories for c in self.columns] + [1])


def _short(cycle: str) -> str:
    return {
        ValueCycle.IMMEDIATE: _("immediate"),
        ValueCycle.POTENTIAL: _("potential"),
        ValueCycle.APPLIED: _("applied"),
        ValueCycle.REALIZED: _("realized"),
        ValueCycle.REFRAMING: _("reframing"),
    }[ValueCycle(cycle)]


def read_flow(counts: dict[str, int]) -> tuple[str, str, tuple[str, str] | None]:
    """(headline, reading, (from, to) or None) for story counts per cycle, by FLOW_RULE."""
    if not any(counts.values()):
        return (
            _("No stories yet."),
            _("When stories are told, this shows where value flows and where it stops."),
            None,
        )
    for before, after in pairwise(FLOW):
        a, b = counts.get(before, 0), counts.get(after, 0)
        if a > 0 and b * 2 < a:
            headline = _("Much %(a)s value, little %(b)s.") % {
                "a": _short(before),
                "b": _short(after),
            }
            reading = _(
                "Value stops flowing between %(a)s and %(b)s value: %(na)d stories reach "
                "%(a)s value, %(nb)d reach %(b)s value."
            ) % {"a": _short(before), "b": _short(after), "na": a, "nb": b}
            return headline, reading, (before, after)
    first = next((c for c in FLOW if counts.get(c, 0)), FLOW[0])
    return (
        _("Value flows on."),
        _(
            "From %(first)s value onwards, each cycle holds at least half the stories of the "
            "one before: %(counts)s."
        )
        % {
            "first": _short(first),
            "counts": ", ".join(f"{_short(c)} {counts.get(c, 0)}" for c in FLOW),
        },
        None,
    )


def value_matrix(*, viewer: Any, group: Any = None) -> Matrix:
    """Counts per cycle over the stories the viewer may see (of one group, if given):
    stories reaching the cycle, steps told, indicators named and records linked."""
    stories = access.visible(viewer, ValueStory.objects.all())
    if group is not None:
        stories = stories.filter(group=group)
    steps = StoryStep.objects.filter(story__in=stories).values_list(
        "story_id",
        "cycle",
        "indicator",
        "measure_slug",
        "convening_id",
        "learning_id",
        "product_id",
        "outcome_id",
    )
    columns = {c: MatrixColumn(c, str(ValueCycle(c).label)) for c in CYCLE_ORDER}
    reached: dict[str, set[int]] = {c: set() for c in CYCLE_ORDER}
    for story_id, cycle, indicator, measure, *linked in steps:
        col = columns[cycle]
        col.steps += 1
        if indicator.strip() or measure:
            col.indicators += 1
        col.linked_records += sum(1 for x in linked if x is not None) + (1 if measure else 0)
        reached[cycle].add(story_id)
    for c in CYCLE_ORDER:
        columns[c].stories = len(reached[c])
    headline, reading, stop = read_flow({c: columns[c].stories for c in CYCLE_ORDER})
    return Matrix(
        columns=[columns[c] for c in CYCLE_ORDER],
        story_count=stories.count(),
        headline=headline,
        reading=reading,
        stop=stop,
        group=group,
    )


def matrix_group(viewer: Any, group_id: int | None) -> Any:
    """The group a matrix is asked for, or None for the network; 404 for an unknown one."""
    from learnloop.people.models import Group

    if group_id is None:
        return None
    group = Group.objects.filter(pk=group_id).first()
    if group is None:
        raise Http404
    return group


def people_by_ids(ids: list[int]) -> list[Any]:
    """Active members named by id in a request; an unknown id is a field error."""
    from django.core.exceptions import ValidationError

    from learnloop.people.models import Person

    wanted = sorted(set(ids))
    found = list(Person.objects.filter(pk__in=wanted, is_active=True))
    if len(found) != len(wanted):
        missing = sorted(set(wanted) - {p.pk for p in found})
        raise ValidationError(
            {
                "participant_ids": _("There is no member with id %(ids)s.")
                % {"ids": ", ".join(str(m) for m in missing)}
            }
        )
    return found
