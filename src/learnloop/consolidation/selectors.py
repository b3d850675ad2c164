"""Reads for consolidation: every read takes the viewer and applies visibility.

Evidence is counted and listed only from learnings the viewer may see, so that a count
never hints at a group's private work. Stage decisions keep their own snapshot of the
evidence as it stood; when it is shown, titles of learnings the viewer may not see are
left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import (
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat

from learnloop.consolidation import rules
from learnloop.consolidation.models import (
    Endorsement,
    Evidence,
    Idea,
    Relation,
    Stage,
    StageChange,
)
from learnloop.core import access
from learnloop.core.models import Tag
from learnloop.generation.models import Learning


def evidence_for_learning(*, viewer: Any, learning: Any) -> list[Evidence]:
    return list(
        Evidence.objects.filter(access.visible_q(viewer, "idea__"), learning=learning)
        .select_related("idea")
        .order_by("-added_at")
    )


# Counting ------------------------------------------------------------------------------


def _count(qs: QuerySet[Any], expression: Any = "pk", *, distinct: bool = False) -> Coalesce:
    """A correlated COUNT subquery; keeps each count independent of the others' joins."""
    sub = (
        qs.order_by().values("idea_id").annotate(n=Count(expression, distinct=distinct)).values("n")
    )
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def _context_key() -> Concat:
    """One text per context: the group id and the site, so that distinct pairs count once."""
    return Concat(
        Coalesce(Cast("context_group_id", CharField()), Value("")),
        Value("|"),
        "context_site",
        output_field=CharField(),
    )


def with_counts(qs: QuerySet[Idea], *, viewer: Any) -> QuerySet[Idea]:
    """Annotate evidence and endorsement counts, one query for any number of ideas."""
    evidence = Evidence.objects.filter(
        access.visible_q(viewer, "learning__"), idea_id=OuterRef("pk")
    )
    has_context = Q(context_group__isnull=False) | Q(context_site__gt="")
    return qs.annotate(
        supports_count=_count(evidence.filter(relation=Relation.SUPPORTS)),
        contradicts_count=_count(evidence.filter(relation=Relation.CONTRADICTS)),
        context_count=_count(evidence.filter(has_context), _context_key(), distinct=True),
        endorsement_count=_count(Endorsement.objects.filter(idea_id=OuterRef("pk"))),
    )


def idea_list(
    *,
    viewer: Any,
    stage: str | None = None,
    group: int | None = None,
    tag: str | None = None,
    q: str | None = None,
    author: int | None = None,
) -> QuerySet[Idea]:
    qs = access.visible(viewer, Idea.objects.all())
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    if group:
        qs = qs.filter(group_id=group)
    if tag:
        qs = qs.filter(tags__slug=Tag.slug_for(tag))
    if author:
        qs = qs.filter(author_id=author)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return (
        with_counts(qs, viewer=viewer)
        .select_related("author", "group")
        .prefetch_related("tags")
        .order_by("-updated_at", "-id")
    )


def get_idea_for(viewer: Any, pk: Any, *, write: bool = False) -> Idea:
    return access.get_for(
        viewer,
        with_counts(Idea.objects.all(), viewer=viewer)
        .select_related("author", "group", "deleted_by")
        .prefetch_related("tags"),
        pk,
        write=write,
    )


# The idea page -------------------------------------------------------------------------


def evidence_for_idea(*, viewer: Any, idea: Idea) -> list[Evidence]:
    """The evidence the viewer may see, each row marked with whether they may remove it."""
    rows = list(
        Evidence.objects.filter(access.visible_q(viewer, "learning__"), idea=idea)
        .select_related("learning", "learning__author", "context_group", "added_by")
        .order_by("-added_at", "-id")
    )
    for row in rows:
        row.idea = idea  # already loaded: spare one query per row
        row.removable = rules.may_remove_evidence(viewer, row)  # type: ignore[attr-defined]
    return rows


def context_label(group_name: str | None, site: str) -> str:
    return " · ".join(part for part in (group_name or "", site) if part)


def summarize(rows: Iterable[Evidence]) -> dict[str, Any]:
    """Counts per relation and the distinct contexts (group and site) they come from.

    A context is one pair of group and site; evidence with neither is counted as evidence
    but not as a context, because we cannot tell where it comes from.
    """
    return summarize_contexts(
        (
            r.relation,
            r.context_group_id,
            r.context_group.name if r.context_group else "",
            r.context_site,
        )
        for r in rows
    )


def summarize_contexts(rows: Iterable[tuple[str, int | None, str | None, str]]) -> dict[str, Any]:
    """`summarize` over (relation, group id, group name, site) tuples."""
    counts = dict.fromkeys(Relation.values, 0)
    contexts: dict[str, set[tuple[int | None, str]]] = {value: set() for value in Relation.values}
    labels: dict[tuple[int | None, str], str] = {}
    for relation, group_id, group_name, site in rows:
        counts[relation] += 1
        if group_id or site:
            key = (group_id, site)
            contexts[relation].add(key)
            labels[key] = context_label(group_name, site)
    every = set().union(*contexts.values())
    return {
        "counts": counts,
        "supports": counts[Relation.SUPPORTS],
        "contradicts": counts[Relation.CONTRADICTS],
        "context": counts[Relation.CONTEXT],
        "total": sum(counts.values()),
        "contexts": len(every),
        "supports_contexts": len(contexts[Relation.SUPPORTS]),
        "contradicts_contexts": len(contexts[Relation.CONTRADICTS]),
        "context_labels": sorted(labels[key] for key in every),
    }


def evidence_summary(*, viewer: Any, idea: Idea) -> dict[str, Any]:
    """The summary of all the evidence the viewer may see, from light rows, not models."""
    rows = Evidence.objects.filter(access.visible_q(viewer, "learning__"), idea=idea).values_list(
        "relation", "context_group_id", "context_group__name", "context_site"
    )
    return summarize_contexts(rows)


EVIDENCE_SHOWN = 20


def evidence_groups(
    *, viewer: Any, idea: Idea, summary: dict[str, Any], show_all: str | None = None
) -> list[dict[str, Any]]:
    """Evidence grouped by relation, in a fixed order: supports, contradicts, context.

    Each group shows its newest EVIDENCE_SHOWN rows (all of them for `show_all`): a
    well-tested idea gathers hundreds of links, and the summary above counts every one.
    """
    groups = []
    base = (
        Evidence.objects.filter(access.visible_q(viewer, "learning__"), idea=idea)
        .select_related("learning", "learning__author", "context_group", "added_by")
        .order_by("-added_at", "-id")
    )
    for value, label in Relation.choices:
        total = summary["counts"][value]
        rows = (
            list(base.filter(relation=value))
            if show_all == value
            else (list(base.filter(relation=value)[:EVIDENCE_SHOWN]) if total else [])
        )
        for row in rows:
            row.idea = idea  # already loaded: spare one query per row
            row.removable = rules.may_remove_evidence(viewer, row)  # type: ignore[attr-defined]
        groups.append(
            {
                "relation": value,
                "label": label,
                "rows": rows,
                "total": total,
                "hidden": total - len(rows),
            }
        )
    return groups


def endorsements_for(idea: Idea) -> list[Endorsement]:
    return list(idea.endorsements.select_related("person").order_by("-created_at", "-id"))


def _relation_label(value: str) -> str:
    return str(Relation(value).label) if value in Relation.values else value


def snapshot_parts(snapshot: dict[str, Any]) -> tuple[dict[str, int], int, list[dict[str, Any]]]:
    """Counts per relation, number of contexts and learning rows of a stored snapshot.

    The shape written by `services.snapshot_from` is {counts, contexts, learnings}; a flat
    shape ({supports, contradicts, context, learning_ids}) is read too, so that older or
    imported decisions still show what they can.
    """
    snapshot = snapshot or {}
    counts = snapshot.get("counts")
    if not isinstance(counts, dict):
        counts = {value: int(snapshot.get(value, 0) or 0) for value in Relation.values}
    rows = snapshot.get("learnings")
    if not isinstance(rows, list):
        rows = [{"learning_id": pk} for pk in snapshot.get("learning_ids", []) or []]
    return counts, int(snapshot.get("contexts", 0) or 0), rows


SNAPSHOT_SHOWN = 25


def stage_history(*, viewer: Any, idea: Idea) -> list[StageChange]:
    """Every stage decision, newest first, with its evidence snapshot made ready to show."""
    changes = list(
        StageChange.objects.filter(idea=idea)
        .select_related("decided_by")
        .order_by("-decided_at", "-id")
    )
    parts = [snapshot_parts(change.evidence_snapshot) for change in changes]
    ids = {row.get("learning_id") for _c, _n, rows in parts for row in rows[:SNAPSHOT_SHOWN]}
    titles = dict(
        access.visible(viewer, Learning.objects.filter(pk__in=ids)).values_list("pk", "title")
    )
    for change, (counts, contexts, rows) in zip(changes, parts, strict=True):
        change.snapshot_counts = counts  # type: ignore[attr-defined]
        change.snapshot_contexts = contexts  # type: ignore[attr-defined]
        change.snapshot_more = max(0, len(rows) - SNAPSHOT_SHOWN)  # type: ignore[attr-defined]
        change.snapshot_rows = [  # type: ignore[attr-defined]
            {
                "learning_id": row.get("learning_id"),
                # The title as it was at the time; the current one if none was kept.
                "title": row.get("title") or titles.get(row.get("learning_id"), ""),
                "relation": row.get("relation", ""),
                "visible": row.get("learning_id") in titles,
                "relation_label": _relation_label(row.get("relation", "")),
            }
            for row in rows[:SNAPSHOT_SHOWN]
        ]
    return changes


def products_for(*, viewer: Any, idea: Idea) -> list[Any]:
    from learnloop.capture.models import KnowledgeProduct

    return list(
        KnowledgeProduct.objects.filter(access.visible_q(viewer), ideas=idea)
        .select_related("author")
        .order_by("-created_at", "-id")
    )


def idea_page(*, viewer: Any, idea: Idea, show_all: str | None = None) -> dict[str, Any]:
    """Everything the idea page shows besides the idea itself, in a fixed number of queries."""
    summary = evidence_summary(viewer=viewer, idea=idea)
    history = stage_history(viewer=viewer, idea=idea)
    returned = next((c for c in history if c.to_stage == Stage.RETURNED), None)
    endorsements = endorsements_for(idea)
    return {
        "evidence_groups": evidence_groups(
            viewer=viewer, idea=idea, summary=summary, show_all=show_all
        ),
        "evidence_summary": summary,
        "endorsements": endorsements,
        "endorsed": any(e.person_id == getattr(viewer, "pk", None) for e in endorsements),
        "history": history,
        "returned_change": returned if idea.stage == Stage.RETURNED else None,
        "products": products_for(viewer=viewer, idea=idea),
    }


# Linking -------------------------------------------------------------------------------


def learnings_to_link(*, viewer: Any, idea: Idea, q: str, limit: int = 20) -> list[Learning]:
    """Learnings the viewer may see that match `q` and are not yet linked to the idea."""
    q = q.strip()
    if not q or not access.is_member(viewer):
        return []
    return list(
        access.visible(viewer, Learning.objects.all())
        .filter(Q(title__icontains=q) | Q(body__icontains=q))
        .exclude(evidence_links__idea=idea)
        .select_related("author", "group")
        .order_by("-created_at", "-id")[:limit]
    )


def ideas_to_link(*, viewer: Any, learning: Learning) -> QuerySet[Idea]:
    """Ideas the viewer may see and add evidence to, not yet linked to this learning."""
    if not access.is_member(viewer):
        return Idea.objects.none()
    return (
        access.visible(viewer, Idea.objects.all())
        .exclude(evidence__learning=learning)
        .order_by("title", "id")
    )


def get_evidence_for(viewer: Any, idea: Idea, evidence_pk: Any) -> Evidence:
    """One evidence link of an idea the viewer already may see; 404 otherwise."""
    from django.http import Http404

    try:
        return Evidence.objects.select_related("idea", "learning").get(
            access.visible_q(viewer, "learning__"), idea=idea, pk=evidence_pk
        )
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
