"""Reads for sharing: the network's activity feed, shares, channels and public pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.core.models import Visibility
from learnloop.core.pagecache import content_version
from learnloop.sharing.models import Channel, Share


@dataclass(frozen=True)
class FeedEntry:
    when: datetime
    verb: str  # a key the template turns into words
    actor: Any
    item: Any
    detail: Any = None


def _feed_sources(viewer: Any) -> dict[str, tuple[QuerySet[Any], str, str]]:
    """verb → (the rows the viewer may see, their time field, the prefix to their group)."""
    from learnloop.application.models import Outcome
    from learnloop.capture.models import KnowledgeProduct
    from learnloop.consolidation.models import Idea, StageChange
    from learnloop.generation.models import Learning, Question

    vq = access.visible_q
    return {
        "learning": (Learning.objects.filter(vq(viewer)), "created_at", ""),
        "idea": (Idea.objects.filter(vq(viewer)), "created_at", ""),
        "stage": (
            StageChange.objects.filter(vq(viewer, "idea__")).exclude(from_stage=""),
            "decided_at",
            "idea__",
        ),
        "product": (
            KnowledgeProduct.objects.filter(vq(viewer), published_at__isnull=False),
            "published_at",
            "",
        ),
        "question": (Question.objects.filter(vq(viewer)), "created_at", ""),
        "share": (Share.objects.filter(vq(viewer, "product__")), "shared_at", "product__"),
        "outcome": (
            Outcome.objects.filter(vq(viewer, "plan__"), vq(viewer, "plan__product__")),
            "recorded_at",
            "plan__",
        ),
    }


# What each kind of entry loads to be shown, and how it becomes an entry.
_FEED_LOAD: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "learning": (("author", "group"), ("body",)),
    "idea": (("author", "group"), ("summary",)),
    "stage": (("decided_by", "idea"), ("reason", "evidence_snapshot", "idea__summary")),
    "product": (("author", "group"), ("body", "actions")),
    "question": (("author", "group"), ("body",)),
    "share": (("shared_by", "product", "channel"), ("note", "response", "product__body")),
    "outcome": (("recorded_by", "plan"), ("description", "plan__goal")),
}


def _entry(verb: str, row: Any) -> FeedEntry:
    if verb == "stage":
        return FeedEntry(row.decided_at, verb, row.decided_by, row.idea, row)
    if verb == "share":
        return FeedEntry(row.shared_at, verb, row.shared_by, row.product, row)
    if verb == "outcome":
        return FeedEntry(row.recorded_at, verb, row.recorded_by, row.plan, row)
    when = row.published_at if verb == "product" else row.created_at
    return FeedEntry(when, verb, row.author, row)


def activity_feed(
    *,
    viewer: Any,
    limit: int = 30,
    before: datetime | None = None,
    group: int | None = None,
    following: bool = False,
) -> list[FeedEntry]:
    """What happened in the network, newest first, across every phase of the cycle.

    Derived from the records themselves (no separate activity table to keep in step). Two
    steps keep it cheap on a large network: each source gives the times and ids of its
    newest `limit` rows, which are merged; then only the rows that made the cut are loaded.
    With `following`, only the network and public work of the groups (and creation
    spaces) the viewer follows.
    """
    followed: list[int] | None = None
    if following:
        from learnloop.community.follow_selectors import followed_group_ids

        followed = sorted(followed_group_ids(viewer))
    keys: list[tuple[datetime, int, str]] = []
    for verb, (qs, field, prefix) in _feed_sources(viewer).items():
        if before is not None:
            qs = qs.filter(**{f"{field}__lt": before})
        if group:
            qs = qs.filter(**{f"{prefix}group_id": group})
        if followed is not None:
            qs = qs.filter(
                **{
                    f"{prefix}group_id__in": followed,
                    f"{prefix}visibility__in": [Visibility.NETWORK, Visibility.PUBLIC],
                }
            )
        newest = qs.order_by(f"-{field}", "-id").values_list(field, "pk")[:limit]
        keys.extend((when, pk, verb) for when, pk in newest)
    keys.sort(key=lambda key: (key[0], key[1]), reverse=True)
    chosen = keys[:limit]

    wanted: dict[str, list[int]] = {}
    for _when, pk, verb in chosen:
        wanted.setdefault(verb, []).append(pk)
    loaded: dict[str, dict[int, Any]] = {}
    sources = _feed_sources(viewer)
    for verb, pks in wanted.items():
        related, deferred = _FEED_LOAD[verb]
        model = sources[verb][0].model
        rows = model.objects.filter(pk__in=pks).select_related(*related).defer(*deferred)
        loaded[verb] = {row.pk: row for row in rows}
    return [_entry(verb, loaded[verb][pk]) for _when, pk, verb in chosen if pk in loaded[verb]]


def cycle_counts(*, viewer: Any, days: int = 90, group: int | None = None) -> dict[str, int]:
    """How much moved through each phase lately, as the viewer may see it.

    Six counts over months of records: kept in the cache until the network changes (the
    content version is part of the key) or for five minutes at most.
    """
    who = viewer.pk if access.is_member(viewer) else "anonymous"
    key = f"learnloop:cycle-counts:{who}:{group}:{days}:{content_version()}"
    counts = cache.get(key)
    if counts is None:
        counts = _cycle_counts(viewer=viewer, days=days, group=group)
        cache.set(key, counts, 300)
    return dict(counts)


def _cycle_counts(*, viewer: Any, days: int, group: int | None) -> dict[str, int]:
    from learnloop.application.models import AdoptionPlan, Outcome
    from learnloop.capture.models import KnowledgeProduct
    from learnloop.consolidation.models import Idea
    from learnloop.generation.models import Learning

    since = timezone.now() - timedelta(days=days)
    vq = access.visible_q

    def scoped(qs: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
        return qs.filter(**{f"{prefix}group_id": group}) if group else qs

    return {
        "learnings": scoped(Learning.objects.filter(vq(viewer), created_at__gte=since)).count(),
        "ideas": scoped(Idea.objects.filter(vq(viewer), updated_at__gte=since)).count(),
        "products": scoped(
            KnowledgeProduct.objects.filter(vq(viewer), published_at__gte=since)
        ).count(),
        "shares": scoped(
            Share.objects.filter(vq(viewer, "product__"), shared_at__gte=since), "product__"
        ).count(),
        "plans": scoped(
            AdoptionPlan.objects.filter(vq(viewer), vq(viewer, "product__"), created_at__gte=since)
        ).count(),
        "outcomes": scoped(
            Outcome.objects.filter(
                vq(viewer, "plan__"), vq(viewer, "plan__product__"), recorded_at__gte=since
            ),
            "plan__",
        ).count(),
    }


# Shares and channels ---------------------------------------------------------------------


def share_list(*, viewer: Any, product: Any) -> QuerySet[Share]:
    """Where a product has travelled. Members only: the audiences reached and the responses
    are the network's own working notes, even for a public product."""
    if not access.is_member(viewer) or not access.can_view(viewer, product):
        return Share.objects.none()
    return (
        Share.objects.filter(product=product)
        .select_related("channel", "shared_by", "product")
        .order_by("-shared_at", "-id")
    )


def shares_for(*, viewer: Any, product: Any) -> list[Share]:
    """share_list for a page: each share knows whether the viewer may record its response."""
    shares = list(share_list(viewer=viewer, product=product))
    for share in shares:
        share.may_answer = can_answer_share(viewer, share)  # type: ignore[attr-defined]
    return shares


def get_share_for(viewer: Any, pk: Any, *, write: bool = False) -> Share:
    """A share is seen by members who may see its product; its response is changed by the
    person who shared it or by a steward."""
    access.require_member(viewer)
    try:
        share = Share.objects.select_related("product", "channel", "shared_by").get(pk=pk)
    except (Share.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not access.can_view(viewer, share.product):
        raise Http404
    if write and not can_answer_share(viewer, share):
        raise PermissionDenied
    return share


def can_answer_share(viewer: Any, share: Share) -> bool:
    return access.is_member(viewer) and (
        share.shared_by_id == viewer.pk or access.is_steward(viewer)
    )


def outside_warning(product: Any) -> bool:
    """True when the product is not public yet some channel carries things beyond the
    network: whoever shares it there should know outsiders cannot open the link."""
    return (
        product.visibility != Visibility.PUBLIC
        and Channel.objects.filter(reaches_outside=True).exists()
    )


def share_reaches_outside_privately(share: Share) -> bool:
    return bool(
        share.channel is not None
        and share.channel.reaches_outside
        and share.product.visibility != Visibility.PUBLIC
    )


def channel_choices() -> QuerySet[Channel]:
    return Channel.objects.order_by("name")


def channel_list(*, viewer: Any) -> QuerySet[Channel]:
    """Channels with how many shares (of products the viewer may see) went through each."""
    if not access.is_member(viewer):
        return Channel.objects.none()
    return Channel.objects.annotate(
        share_count=Count("shares", filter=access.visible_q(viewer, "shares__product__"))
    ).order_by("name")


def get_channel(pk: Any) -> Channel:
    return get_object_or_404(Channel, pk=pk)


def get_channel_or_none(channel_id: int | None) -> Channel | None:
    """Resolve a channel id given in a request body; an unknown id is a field error."""
    if channel_id is None:
        return None
    channel = Channel.objects.filter(pk=channel_id).first()
    if channel is None:
        raise ValidationError({"channel_id": _("There is no channel with this id.")})
    return channel


# The public site ---------------------------------------------------------------------------
# Everything here is read as an anonymous visitor would, whoever is asking, so a steward
# previewing the public site sees exactly what the world sees. Every kind of item the site
# shows passes through `_public_q`; topics and groups appear only when a public item uses
# them, and are counted from public items only.

PUBLIC_KINDS = ("product", "idea", "learning", "question", "narrative")


def _public_q(prefix: str = "") -> Q:
    return access.visible_q(access.anonymous(), prefix)


def _public_models() -> dict[str, Any]:
    from learnloop.capture.models import KnowledgeProduct
    from learnloop.community.models import Narrative
    from learnloop.consolidation.models import Idea
    from learnloop.generation.models import Learning, Question

    return {
        "product": KnowledgeProduct,
        "idea": Idea,
        "learning": Learning,
        "question": Question,
        "narrative": Narrative,
    }


def _public_ideas_prefetch() -> Prefetch:
    from learnloop.consolidation.models import Idea

    return Prefetch(
        "ideas",
        queryset=Idea.objects.filter(_public_q()).order_by("title", "id"),
        to_attr="public_ideas",
    )


def _tagged(qs: QuerySet[Any], topic: str | None) -> QuerySet[Any]:
    # A tag is on an item once, so filtering through it cannot repeat rows.
    return qs.filter(tags__slug=topic) if topic else qs


def _in_group(qs: QuerySet[Any], group: Any) -> QuerySet[Any]:
    return qs.filter(group=group) if group is not None else qs


def public_products(
    *,
    q: str | None = None,
    topic: str | None = None,
    stage: str | None = None,
    kind: str | None = None,
    group: Any = None,
) -> QuerySet[Any]:
    """Public products, newest first; `stage` keeps those drawing on a public idea at that
    stage (the only stages a visitor can see)."""
    from learnloop.capture.models import KnowledgeProduct
    from learnloop.consolidation.models import Idea

    qs = _in_group(_tagged(KnowledgeProduct.objects.filter(_public_q()), topic), group)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(body__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if stage:
        ideas = Idea.objects.filter(_public_q(), stage=stage, products=OuterRef("pk"))
        qs = qs.filter(Exists(ideas))
    return (
        qs.select_related("author")
        .prefetch_related("tags", _public_ideas_prefetch())
        .order_by(F("published_at").desc(nulls_last=True), "-created_at", "-id")
    )


def get_public_product(pk: Any) -> Any:
    try:
        return public_products().get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _public_evidence_counts() -> dict[str, Any]:
    from learnloop.consolidation.models import Relation

    public = _public_q("evidence__learning__")
    return {
        f"public_{rel}": Count("evidence", filter=public & Q(evidence__relation=rel), distinct=True)
        for rel in Relation.values
    }


def public_ideas(
    *, stage: str | None = None, topic: str | None = None, group: Any = None
) -> QuerySet[Any]:
    from learnloop.consolidation.models import Idea

    qs = _in_group(_tagged(Idea.objects.filter(_public_q()), topic), group)
    if stage:
        qs = qs.filter(stage=stage)
    return (
        qs.select_related("author")
        .prefetch_related("tags")
        .annotate(**_public_evidence_counts())
        .order_by("-stage_changed_at", "-id")
    )


def latest_public_ideas(limit: int = 12) -> list[Any]:
    """The ideas most recently moved, with their stage only (for the site's front page)."""
    from learnloop.consolidation.models import Idea

    return list(Idea.objects.filter(_public_q()).order_by("-stage_changed_at", "-id")[:limit])


def get_public_idea(pk: Any) -> Any:
    from learnloop.consolidation.models import Idea

    try:
        return (
            Idea.objects.filter(_public_q())
            .select_related("author")
            .prefetch_related("tags")
            .annotate(**_public_evidence_counts())
            .get(pk=pk)
        )
    except (Idea.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def public_evidence_for(idea: Any) -> QuerySet[Any]:
    """Only evidence whose learning is itself public: the rest stays inside the network."""
    from learnloop.consolidation.models import Evidence

    return (
        Evidence.objects.filter(_public_q("learning__"), idea=idea)
        .select_related("learning")
        .order_by("-added_at", "-id")
    )


def public_products_for_idea(idea: Any) -> QuerySet[Any]:
    from learnloop.capture.models import KnowledgeProduct

    return KnowledgeProduct.objects.filter(_public_q(), ideas=idea).order_by(
        F("published_at").desc(nulls_last=True), "-id"
    )


def public_stage_history(idea: Any) -> QuerySet[Any]:
    """The stage moves of a public idea: which stage, when. The reasons are written for
    the network and may name work that is not public, so they stay inside."""
    from learnloop.consolidation.models import StageChange

    return (
        StageChange.objects.filter(idea=idea)
        .only("idea_id", "from_stage", "to_stage", "decided_at")
        .order_by("decided_at", "id")
    )


def public_learnings(
    *, topic: str | None = None, kind: str | None = None, group: Any = None
) -> QuerySet[Any]:
    from learnloop.generation.models import Learning

    qs = _in_group(_tagged(Learning.objects.filter(_public_q()), topic), group)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("author").prefetch_related("tags").order_by("-created_at", "-id")


def get_public_learning(pk: Any) -> Any:
    try:
        return public_learnings().get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def public_ideas_for_learning(learning: Any) -> list[Any]:
    """The public ideas a public learning is evidence for, with how it bears on each."""
    from learnloop.consolidation.models import Evidence

    return list(
        Evidence.objects.filter(_public_q("idea__"), learning=learning)
        .select_related("idea")
        .order_by("-added_at", "-id")
    )


def public_cycle_for(learning: Any) -> Any:
    """The test cycle a learning came from, when that cycle is public too."""
    from learnloop.generation.models import TestCycle

    if learning.test_cycle_id is None:
        return None
    return TestCycle.objects.filter(_public_q(), pk=learning.test_cycle_id).first()


def public_questions(
    *, topic: str | None = None, answered: str | None = None, group: Any = None
) -> QuerySet[Any]:
    """Public questions with how many answers each has; `answered` is "yes" or "no"."""
    from learnloop.generation.models import Question

    qs = _in_group(_tagged(Question.objects.filter(_public_q()), topic), group)
    qs = qs.annotate(
        answer_count=Count("answers", filter=Q(answers__deleted_at__isnull=True), distinct=True)
    )
    if answered == "yes":
        qs = qs.filter(answer_count__gt=0)
    elif answered == "no":
        qs = qs.filter(answer_count=0)
    return qs.select_related("author").prefetch_related("tags").order_by("-created_at", "-id")


def get_public_question(pk: Any) -> Any:
    try:
        return public_questions().get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def public_answers(question: Any) -> QuerySet[Any]:
    """The answers to a public question are public with it, as on its page inside."""
    from learnloop.generation.models import Answer

    return (
        Answer.objects.filter(question=question, deleted_at__isnull=True)
        .select_related("author")
        .order_by("-accepted", "created_at", "id")
    )


def public_narratives(*, topic: str | None = None, group: Any = None) -> QuerySet[Any]:
    from learnloop.community.models import Narrative

    qs = _in_group(_tagged(Narrative.objects.filter(_public_q()), topic), group)
    return qs.select_related("author").prefetch_related("tags").order_by("-created_at", "-id")


def get_public_narrative(pk: Any) -> Any:
    try:
        return public_narratives().get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def public_narrative_links(narrative: Any) -> dict[str, Any]:
    """What works on a public narrative, as far as it is public: ideas with their stages,
    questions with their answers. Groups are not public, so only their number shows."""
    from learnloop.consolidation.models import Idea

    ideas = list(
        Idea.objects.filter(_public_q(), narratives=narrative).order_by("-stage_changed_at", "-id")
    )
    questions = list(public_questions().filter(narratives=narrative))
    return {
        "ideas": ideas,
        "questions": questions,
        "group_count": narrative.groups.count(),
    }


# Topics, stages and groups -------------------------------------------------------------------


@dataclass
class Topic:
    tag: Any
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def slug(self) -> str:
        return str(self.tag.slug)

    @property
    def name(self) -> str:
        return str(self.tag.name)


def _topic_count(kind: str, model: Any) -> Any:
    """How many public items of one kind carry the tag (a correlated subquery)."""
    through = model.tags.through
    column = f"{model._meta.model_name}_id"
    rows = (
        through.objects.filter(tag_id=OuterRef("pk"))
        .filter(_public_q(f"{model._meta.model_name}__"))
        .order_by()
        .values("tag_id")
        .annotate(n=Count(column))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def public_topics(*, limit: int | None = None) -> list[Topic]:
    """Tags used by at least one public item, most used first, with counts per kind.

    One query: a tag used only by group, network or private items is not listed."""
    from learnloop.core.models import Tag

    models = _public_models()
    qs = Tag.objects.annotate(
        **{f"n_{kind}": _topic_count(kind, model) for kind, model in models.items()}
    )
    total = sum((F(f"n_{kind}") for kind in models), Value(0))
    qs = qs.annotate(n_total=total).filter(n_total__gt=0).order_by("-n_total", "name")
    if limit:
        qs = qs[:limit]
    return [Topic(tag, {kind: getattr(tag, f"n_{kind}") for kind in models}) for tag in qs]


def get_public_topic(slug: str) -> Topic:
    """A topic page exists only while some public item carries the tag."""
    from learnloop.core.models import Tag

    models = _public_models()
    tag = (
        Tag.objects.filter(slug=slug)
        .annotate(**{f"n_{kind}": _topic_count(kind, model) for kind, model in models.items()})
        .first()
    )
    if tag is None:
        raise Http404
    topic = Topic(tag, {kind: getattr(tag, f"n_{kind}") for kind in models})
    if topic.total == 0:
        raise Http404
    return topic


@dataclass
class StageSummary:
    stage: str
    label: str
    help: str
    ideas: int
    products: int


def public_stage_summary() -> list[StageSummary]:
    """Each stage with how many public ideas sit at it and how many public products draw on
    them (two queries)."""
    from learnloop.capture.models import KnowledgeProduct
    from learnloop.consolidation.models import LADDER, STAGE_HELP, Idea, Stage

    ideas = dict(
        Idea.objects.filter(_public_q())
        .order_by()
        .values_list("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    products = dict(
        KnowledgeProduct.objects.filter(_public_q())
        .filter(_public_q("ideas__"))
        .order_by()
        .values_list("ideas__stage")
        .annotate(n=Count("id", distinct=True))
        .values_list("ideas__stage", "n")
    )
    return [
        StageSummary(
            stage=str(s),
            label=str(s.label),
            help=str(STAGE_HELP[s]),
            ideas=ideas.get(s, 0),
            products=products.get(s, 0),
        )
        for s in (*LADDER, Stage.RETURNED)
    ]


def public_group_exists(slug: str) -> bool:
    """Whether the group has made anything public (one query)."""
    from learnloop.people.models import Group

    found: Any = Q()
    for model in _public_models().values():
        found = found | Exists(model.objects.filter(_public_q(), group=OuterRef("pk")))
    return Group.objects.filter(found, slug=slug).exists()


def get_public_group(slug: str) -> Any:
    """A group shows on the public site only when it has made something public: its name is
    not public otherwise."""
    from learnloop.people.models import Group

    group = Group.objects.filter(slug=slug).first()
    if group is None:
        raise Http404
    for model in _public_models().values():
        if model.objects.filter(_public_q(), group=group).exists():
            return group
    raise Http404


# Feeds -----------------------------------------------------------------------------------------


def _published(kind: str, item: Any) -> datetime:
    if kind == "product" and item.published_at is not None:
        return item.published_at
    return item.created_at


def public_feed_items(*, topic: str | None = None, group: Any = None, limit: int = 50) -> list[Any]:
    """The newest public items of every kind, for the Atom feeds: each carries `public_kind`,
    `published` and `credits` (public contributions only)."""
    from learnloop.core.credits import attach_credits

    sources = {
        "product": public_products(topic=topic, group=group).filter(published_at__isnull=False),
        "idea": public_ideas(topic=topic, group=group),
        "learning": public_learnings(topic=topic, group=group),
        "question": public_questions(topic=topic, group=group),
        "narrative": public_narratives(topic=topic, group=group),
    }
    order = {
        "product": ("-published_at", "-id"),
        "idea": ("-created_at", "-id"),
        "learning": ("-created_at", "-id"),
        "question": ("-created_at", "-id"),
        "narrative": ("-created_at", "-id"),
    }
    found: list[Any] = []
    for kind, qs in sources.items():
        for item in qs.order_by(*order[kind])[:limit]:
            item.public_kind = kind
            item.published = _published(kind, item)
            found.append(item)
    found.sort(key=lambda i: (i.published, i.pk), reverse=True)
    return attach_credits(found[:limit], public=True)


def atom_products(limit: int = 50) -> list[Any]:
    return list(
        public_products()
        .filter(published_at__isnull=False)
        .order_by("-published_at", "-id")[:limit]
    )
