"""Writes for consolidation: ideas, the evidence behind them, stage decisions, endorsements.

A stage is never edited in place: `idea_change_stage` is the only way to move an idea, and
it records who decided, why, and the evidence as it stood at that moment.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from learnloop.consolidation import rules
from learnloop.consolidation.models import (
    Endorsement,
    Evidence,
    Idea,
    Relation,
    Stage,
    StageChange,
)
from learnloop.consolidation.selectors import summarize
from learnloop.core import access
from learnloop.core.models import Visibility
from learnloop.core.publication import publication_check, publication_record
from learnloop.core.services import (
    audit,
    item_touch,
    revision_record,
    tags_from_text,
    validate_visibility,
)
from learnloop.generation.models import Learning
from learnloop.notifications.models import NotificationKind
from learnloop.notifications.services import notify
from learnloop.people.models import StakeholderType
from learnloop.search.services import document_sync

IDEA_FIELDS = ("title", "summary", "visibility", "group", "serves")


def _clean_serves(serves: Iterable[str]) -> list[str]:
    """The stakeholder types an idea is meant to benefit, known ones only, in a fixed order."""
    chosen = set(serves or ())
    unknown = chosen - set(StakeholderType.values)
    if unknown:
        raise ValidationError({"serves": _("Choose from the listed kinds of people.")})
    return [value for value in StakeholderType.values if value in chosen]


def snapshot_from(rows: Iterable[Evidence]) -> dict[str, Any]:
    """The JSON kept with a stage decision, from evidence rows (with learnings loaded):
    {"counts": {relation: n}, "contexts": n, "learnings": [{learning_id, title, relation}]}.
    """
    rows = list(rows)
    summary = summarize(rows)
    return {
        "counts": summary["counts"],
        "contexts": summary["contexts"],
        "learnings": [
            {"learning_id": r.learning_id, "title": r.learning.title, "relation": r.relation}
            for r in rows
        ],
    }


def evidence_snapshot(idea: Idea) -> dict[str, Any]:
    """The evidence behind an idea right now.

    Every live learning counts, whoever may see it: the record must show what the
    decision rested on. Pages leave out titles their viewer may not see.
    """
    return snapshot_from(
        Evidence.objects.filter(idea=idea, learning__deleted_at__isnull=True)
        .select_related("learning", "context_group")
        .order_by("relation", "added_at", "id")
    )


# Ideas ---------------------------------------------------------------------------------


@transaction.atomic
def idea_create(
    *,
    author: Any,
    title: str,
    summary: str,
    group: Any = None,
    visibility: str = Visibility.NETWORK,
    tags: str | Iterable[str] = (),
    from_learning: Learning | None = None,
    serves: Iterable[str] = (),
    guidelines_confirmed: bool = False,
) -> Idea:
    """Share a new idea at the first stage; when it grows out of a learning, that learning
    becomes its first supporting evidence."""
    access.require_member(author)
    validate_visibility(visibility=visibility, group=group, author=author)
    ticked = publication_check(
        actor=author, item_or_none=None, visibility=visibility, confirmed=guidelines_confirmed
    )
    if not summary.strip():
        raise ValidationError({"summary": _("Say what the idea is, in a few sentences.")})
    idea = Idea(
        author=author,
        title=title.strip(),
        summary=summary,
        group=group,
        visibility=visibility,
        stage=Stage.EMERGING,
        stage_changed_at=timezone.now(),
        serves=_clean_serves(serves),
    )
    idea.full_clean(exclude=["author", "group", "deleted_by"])
    idea.save()
    idea.tags.set(tags_from_text(tags))
    if from_learning is not None:
        evidence_link(
            viewer=author,
            idea=idea,
            learning=from_learning,
            relation=Relation.SUPPORTS,
            note="",
        )
    document_sync(item=idea)
    # The first entry of the stage history; the activity feed skips it (from_stage="").
    StageChange.objects.create(
        idea=idea,
        from_stage="",
        to_stage=Stage.EMERGING,
        reason=_("Shared as a new idea."),
        decided_by=author,
        decided_at=idea.stage_changed_at,
        evidence_snapshot=evidence_snapshot(idea),
    )
    revision_record(item=idea, author=author, summary=_("Shared"))
    audit(author, "shared an idea", idea)
    publication_record(actor=author, item=idea, ticked=ticked)
    return idea


@transaction.atomic
def idea_update(
    *,
    viewer: Any,
    idea: Idea,
    tags: str | Iterable[str] | None = None,
    guidelines_confirmed: bool = False,
    **fields: Any,
) -> Idea:
    """Edit the words, place and tags of an idea. The stage is not among them."""
    if not access.can_change(viewer, idea):
        raise PermissionDenied
    ticked = publication_check(
        actor=viewer,
        item_or_none=idea,
        visibility=fields.get("visibility", idea.visibility),
        confirmed=guidelines_confirmed,
    )
    if "stage" in fields:
        raise ValidationError(
            {"stage": _("A stage changes only by a recorded decision, with its reason.")}
        )
    unknown = set(fields) - set(IDEA_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    if "summary" in fields and not str(fields["summary"]).strip():
        raise ValidationError({"summary": _("Say what the idea is, in a few sentences.")})
    if "serves" in fields:
        fields["serves"] = _clean_serves(fields["serves"])
    for name, value in fields.items():
        setattr(idea, name, value.strip() if name == "title" else value)
    validate_visibility(visibility=idea.visibility, group=idea.group, author=idea.author)
    item_touch(idea, list(fields))
    if tags is not None:
        idea.tags.set(tags_from_text(tags))
    document_sync(item=idea)
    revision_record(item=idea, author=viewer, summary=_("Edited"))
    audit(viewer, "edited", idea)
    publication_record(actor=viewer, item=idea, ticked=ticked)
    return idea


@transaction.atomic
def idea_change_stage(
    *,
    viewer: Any,
    idea: Idea,
    to_stage: str,
    reason: str,
    override: bool = False,
    decision: Any = None,
) -> StageChange:
    """Move an idea to another stage: a recorded decision with its reason and evidence.

    Elevating to knowledge or scaling and returning need a decision the members took
    (`decision`, passed); without one, only a moderator or steward may move it, as an
    override that the idea page shows with its reason.
    """
    if to_stage not in Stage.values:
        raise ValidationError({"to_stage": _("Choose one of the stages.")})
    if decision is not None:
        if (
            decision.idea_id != idea.pk
            or decision.to_stage != to_stage
            or decision.status != "passed"
        ):
            raise PermissionDenied
        override = False
    elif rules.needs_decision(to_stage):
        if not rules.is_decider(viewer, idea):
            raise PermissionDenied
        if not override:
            raise ValidationError(
                {
                    "to_stage": _(
                        "Moving an idea to this stage is a decision for the members: "
                        "propose it, or record an override with your reason."
                    )
                }
            )
    elif not rules.may_change_stage(viewer, idea, to_stage):
        raise PermissionDenied
    if to_stage == idea.stage:
        raise ValidationError({"to_stage": _("The idea is already at this stage.")})
    reason = reason.strip()
    if not reason:
        message = (
            _("Say why it goes back: the people who shared it will learn from your reason.")
            if to_stage == Stage.RETURNED
            else _("Say why: what in the evidence supports this decision?")
        )
        raise ValidationError({"reason": message})
    if len(reason) > 10000:
        raise ValidationError({"reason": _("Keep the reason under 10,000 characters.")})
    now = timezone.now()
    change = StageChange.objects.create(
        idea=idea,
        from_stage=idea.stage,
        to_stage=to_stage,
        reason=reason,
        decided_by=viewer,
        decided_at=now,
        evidence_snapshot=evidence_snapshot(idea),
        override=override,
    )
    if decision is not None:
        decision.stage_change = change
        decision.save(update_fields=["stage_change"])
    if to_stage in (Stage.KNOWLEDGE, Stage.SCALING, Stage.RETURNED) and idea.review_flagged_at:
        idea.review_flagged_at = None
        idea.review_flag = ""
        idea.save(update_fields=["review_flagged_at", "review_flag"])
    idea.stage = to_stage
    idea.stage_changed_at = now
    idea.updated_at = now
    idea.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    document_sync(item=idea)
    if to_stage in (Stage.KNOWLEDGE, Stage.SCALING):
        from learnloop.sharing.broker_services import broker_queues_changed_for_idea

        broker_queues_changed_for_idea(idea, actor=viewer)
    audit(
        viewer,
        "changed the stage",
        idea,
        from_stage=change.from_stage,
        to_stage=to_stage,
        stage_change=change.pk,
        override=override,
        decision=decision.pk if decision is not None else None,
    )
    _tell_about_stage(idea=idea, change=change, decided_by=viewer)
    return change


def _tell_about_stage(*, idea: Idea, change: StageChange, decided_by: Any) -> None:
    """Tell the idea's author and endorsers, except the person who decided."""
    people = {idea.author_id: idea.author}
    for endorsement in idea.endorsements.select_related("person"):
        people[endorsement.person_id] = endorsement.person
    counts = change.evidence_snapshot.get("counts", {})
    notify(
        recipients=people.values(),
        kind=NotificationKind.STAGE,
        title=_("“%(title)s” is now at the stage: %(stage)s")
        % {"title": idea.title, "stage": Stage(change.to_stage).label},
        url=idea.get_absolute_url(),
        body=_(
            "%(who)s moved it from %(from)s to %(to)s. Why: %(reason)s\n\nThe evidence at "
            "the time: %(sup)s supporting, %(con)s contradicting; distinct contexts: %(n)s. "
            "You get this because you shared or endorsed this idea."
        )
        % {
            "who": decided_by.name,
            "from": Stage(change.from_stage).label if change.from_stage else "—",
            "to": Stage(change.to_stage).label,
            "reason": change.reason,
            "sup": counts.get("supports", 0),
            "con": counts.get("contradicts", 0),
            "n": change.evidence_snapshot.get("contexts", 0),
        },
        actor=decided_by,
        target=idea,
    )


# Evidence ------------------------------------------------------------------------------


@transaction.atomic
def evidence_link(
    *,
    viewer: Any,
    idea: Idea,
    learning: Learning,
    relation: str = Relation.SUPPORTS,
    note: str = "",
) -> Evidence:
    """Link a learning to an idea as evidence. Any member who may see both may do it; the
    learning's group and site are copied so the record keeps where the evidence came from."""
    if not access.can_contribute(viewer, idea):
        raise PermissionDenied
    if not access.can_view(viewer, learning) or learning.deleted_at is not None:
        raise Http404
    if relation not in Relation.values:
        raise ValidationError({"relation": _("Choose supports, contradicts or context.")})
    if Evidence.objects.filter(idea=idea, learning=learning).exists():
        raise ValidationError({"learning_id": _("This learning is already linked to this idea.")})
    evidence = Evidence(
        idea=idea,
        learning=learning,
        relation=relation,
        note=note.strip(),
        context_group_id=learning.group_id,
        context_site=learning.site,
        added_by=viewer,
    )
    evidence.full_clean(exclude=["idea", "learning", "context_group", "added_by"])
    try:
        with transaction.atomic():
            evidence.save()
    except IntegrityError:
        # Two people linked the same learning at the same moment.
        raise ValidationError(
            {"learning_id": _("This learning is already linked to this idea.")}
        ) from None
    audit(viewer, "linked evidence", idea, learning=learning.pk, relation=relation)
    from learnloop.consolidation import review_services  # here, to keep imports acyclic

    review_services.reopen_if_contradicted(evidence=evidence)
    return evidence


@transaction.atomic
def evidence_remove(*, viewer: Any, evidence: Evidence) -> None:
    if not rules.may_remove_evidence(viewer, evidence):
        raise PermissionDenied
    idea = evidence.idea
    audit(
        viewer,
        "removed evidence",
        idea,
        learning=evidence.learning_id,
        relation=evidence.relation,
    )
    evidence.delete()


# Endorsements --------------------------------------------------------------------------


@transaction.atomic
def idea_endorse(*, person: Any, idea: Idea, note: str = "") -> Endorsement:
    """Put your name behind an idea; endorsing again updates the note."""
    if not access.can_contribute(person, idea):
        raise PermissionDenied
    note = note.strip()
    if len(note) > 500:
        raise ValidationError({"note": _("Keep the note under 500 characters.")})
    endorsement, created = Endorsement.objects.get_or_create(
        idea=idea, person=person, defaults={"note": note}
    )
    if not created and endorsement.note != note:
        endorsement.note = note
        endorsement.save(update_fields=["note"])
    if created:
        audit(person, "endorsed", idea)
    return endorsement


@transaction.atomic
def idea_withdraw_endorsement(*, person: Any, idea: Idea) -> None:
    if not access.can_contribute(person, idea):
        raise PermissionDenied
    deleted, _rows = Endorsement.objects.filter(idea=idea, person=person).delete()
    if deleted:
        audit(person, "withdrew an endorsement", idea)
