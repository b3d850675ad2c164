"""Writes for generation: learnings, test cycles, questions and answers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.core.models import Visibility
from learnloop.core.publication import publication_check, publication_record
from learnloop.core.services import (
    attachment_add,
    audit,
    item_touch,
    revision_record,
    tags_from_text,
    validate_visibility,
)
from learnloop.generation.models import (
    Answer,
    Learning,
    LearningKind,
    Question,
    TestCycle,
    TestCycleStatus,
)
from learnloop.search.services import document_sync

LEARNING_FIELDS = ("title", "body", "kind", "site", "visibility", "group")


@transaction.atomic
def learning_create(
    *,
    author: Any,
    title: str,
    body: str = "",
    kind: str = LearningKind.REFLECTION,
    group: Any = None,
    visibility: str = Visibility.NETWORK,
    tags: str | Iterable[str] = (),
    site: str | None = None,
    test_cycle: TestCycle | None = None,
    links: Sequence[str] = (),
    files: Sequence[UploadedFile] = (),
    created_at: Any = None,
    guidelines_confirmed: bool = False,
) -> Learning:
    access.require_member(author)
    validate_visibility(visibility=visibility, group=group, author=author)
    ticked = publication_check(
        actor=author, item_or_none=None, visibility=visibility, confirmed=guidelines_confirmed
    )
    if test_cycle is not None and not access.can_change(author, test_cycle):
        raise PermissionDenied
    learning = Learning(
        author=author,
        title=title.strip(),
        body=body,
        kind=kind,
        group=group,
        visibility=visibility,
        site=author.site if site is None else site,
        test_cycle=test_cycle,
    )
    if created_at is not None:
        learning.created_at = learning.updated_at = created_at
    learning.full_clean(exclude=["author", "group", "test_cycle", "outcome", "deleted_by"])
    learning.save()
    learning.tags.set(tags_from_text(tags))
    for url in links:
        if url.strip():
            attachment_add(author=author, target=learning, url=url.strip())
    for upload in files:
        attachment_add(author=author, target=learning, file=upload)
    document_sync(item=learning)
    revision_record(item=learning, author=author, summary=_("Posted"))
    audit(author, "posted", learning)
    publication_record(actor=author, item=learning, ticked=ticked)
    return learning


@transaction.atomic
def learning_update(
    *,
    viewer: Any,
    learning: Learning,
    tags: str | Iterable[str] | None = None,
    guidelines_confirmed: bool = False,
    **fields: Any,
) -> Learning:
    if not access.can_change(viewer, learning):
        raise PermissionDenied
    ticked = publication_check(
        actor=viewer,
        item_or_none=learning,
        visibility=fields.get("visibility", learning.visibility),
        confirmed=guidelines_confirmed,
    )
    unknown = set(fields) - set(LEARNING_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    for name, value in fields.items():
        setattr(learning, name, value)
    validate_visibility(
        visibility=learning.visibility, group=learning.group, author=learning.author
    )
    item_touch(learning, list(fields))
    if tags is not None:
        learning.tags.set(tags_from_text(tags))
    document_sync(item=learning)
    revision_record(item=learning, author=viewer, summary=_("Edited"))
    audit(viewer, "edited", learning)
    publication_record(actor=viewer, item=learning, ticked=ticked)
    return learning


TEST_CYCLE_FIELDS = (
    "title",
    "plan",
    "prediction",
    "what_happened",
    "learned",
    "next_step",
    "status",
    "started_on",
    "ended_on",
    "visibility",
    "group",
)


@transaction.atomic
def test_cycle_create(
    *,
    author: Any,
    title: str,
    plan: str,
    group: Any = None,
    visibility: str = Visibility.NETWORK,
    guidelines_confirmed: bool = False,
    **fields: Any,
) -> TestCycle:
    access.require_member(author)
    validate_visibility(visibility=visibility, group=group, author=author)
    ticked = publication_check(
        actor=author, item_or_none=None, visibility=visibility, confirmed=guidelines_confirmed
    )
    cycle = TestCycle(
        author=author, title=title.strip(), plan=plan, group=group, visibility=visibility
    )
    for name, value in fields.items():
        if name not in TEST_CYCLE_FIELDS:
            raise ValidationError({name: _("Unknown field.")})
        setattr(cycle, name, value)
    cycle.full_clean(exclude=["author", "group", "deleted_by"])
    cycle.save()
    revision_record(item=cycle, author=author, summary=_("Planned"))
    audit(author, "planned", cycle)
    publication_record(actor=author, item=cycle, ticked=ticked)
    return cycle


@transaction.atomic
def test_cycle_update(
    *, viewer: Any, cycle: TestCycle, guidelines_confirmed: bool = False, **fields: Any
) -> TestCycle:
    if not access.can_change(viewer, cycle):
        raise PermissionDenied
    ticked = publication_check(
        actor=viewer,
        item_or_none=cycle,
        visibility=fields.get("visibility", cycle.visibility),
        confirmed=guidelines_confirmed,
    )
    for name, value in fields.items():
        if name not in TEST_CYCLE_FIELDS:
            raise ValidationError({name: _("This field cannot be changed.")})
        setattr(cycle, name, value)
    validate_visibility(visibility=cycle.visibility, group=cycle.group, author=cycle.author)
    if cycle.status == TestCycleStatus.DONE and cycle.ended_on is None:
        cycle.ended_on = timezone.localdate()
        fields["ended_on"] = cycle.ended_on
    item_touch(cycle, list(fields))
    revision_record(item=cycle, author=viewer, summary=_("Updated"))
    audit(viewer, "edited", cycle)
    publication_record(actor=viewer, item=cycle, ticked=ticked)
    return cycle


@transaction.atomic
def test_cycle_record_learning(
    *,
    viewer: Any,
    cycle: TestCycle,
    title: str = "",
    visibility: str | None = None,
    guidelines_confirmed: bool = False,
) -> Learning:
    """Turn what a cycle taught into a learning of kind 'test result', linked to the cycle."""
    if not access.can_change(viewer, cycle):
        raise PermissionDenied
    if not cycle.learned.strip():
        raise ValidationError({"learned": _("Write what you learned before sharing it.")})
    parts = [f"**{_('Change tested')}:** {cycle.title}"]
    if cycle.prediction:
        parts.append(f"**{_('We predicted')}:** {cycle.prediction}")
    if cycle.what_happened:
        parts.append(f"**{_('What happened')}:** {cycle.what_happened}")
    parts.append(f"**{_('What we learned')}:** {cycle.learned}")
    if cycle.next_step:
        parts.append(f"**{_('Next step')}:** {cycle.next_step}")
    return learning_create(
        author=viewer,
        title=title.strip() or _("Test result: %(title)s") % {"title": cycle.title},
        body="\n\n".join(parts),
        kind=LearningKind.TEST_RESULT,
        group=cycle.group,
        visibility=visibility or cycle.visibility,
        test_cycle=cycle,
        guidelines_confirmed=guidelines_confirmed,
    )


@transaction.atomic
def question_create(
    *,
    author: Any,
    title: str,
    body: str = "",
    group: Any = None,
    visibility: str = Visibility.NETWORK,
    tags: str | Iterable[str] = (),
    guidelines_confirmed: bool = False,
) -> Question:
    access.require_member(author)
    validate_visibility(visibility=visibility, group=group, author=author)
    ticked = publication_check(
        actor=author, item_or_none=None, visibility=visibility, confirmed=guidelines_confirmed
    )
    question = Question(
        author=author, title=title.strip(), body=body, group=group, visibility=visibility
    )
    question.full_clean(exclude=["author", "group", "deleted_by"])
    question.save()
    question.tags.set(tags_from_text(tags))
    document_sync(item=question)
    revision_record(item=question, author=author, summary=_("Asked"))
    audit(author, "asked", question)
    publication_record(actor=author, item=question, ticked=ticked)
    return question


@transaction.atomic
def question_update(
    *, viewer: Any, question: Question, guidelines_confirmed: bool = False, **fields: Any
) -> Question:
    if not access.can_change(viewer, question):
        raise PermissionDenied
    ticked = publication_check(
        actor=viewer,
        item_or_none=question,
        visibility=fields.get("visibility", question.visibility),
        confirmed=guidelines_confirmed,
    )
    for name, value in fields.items():
        if name not in ("title", "body", "group", "visibility"):
            raise ValidationError({name: _("This field cannot be changed.")})
        setattr(question, name, value)
    validate_visibility(
        visibility=question.visibility, group=question.group, author=question.author
    )
    item_touch(question, list(fields))
    document_sync(item=question)
    revision_record(item=question, author=viewer, summary=_("Edited"))
    publication_record(actor=viewer, item=question, ticked=ticked)
    return question


@transaction.atomic
def question_close(*, viewer: Any, question: Question, reopen: bool = False) -> Question:
    if not access.can_change(viewer, question):
        raise PermissionDenied
    question.closed_at = None if reopen else timezone.now()
    question.save(update_fields=["closed_at"])
    audit(viewer, "reopened" if reopen else "closed", question)
    return question


@transaction.atomic
def answer_create(*, author: Any, question: Question, body: str) -> Answer:
    if not access.can_contribute(author, question):
        raise PermissionDenied
    if question.closed_at is not None:
        raise ValidationError({"body": _("This question is closed.")})
    if not body.strip():
        raise ValidationError({"body": _("Write your answer first.")})
    answer = Answer(question=question, author=author, body=body.strip())
    answer.full_clean(exclude=["question", "author"])
    answer.save()
    _question_sync(question)
    audit(author, "answered", question, answer=answer.pk)
    return answer


def _question_sync(question: Question) -> None:
    """A question is found by what its answers say (the accepted one first): re-sync its
    search document from the answers as they are now, not as a page prefetched them."""
    getattr(question, "_prefetched_objects_cache", {}).pop("answers", None)
    document_sync(item=question)


def _can_remove_answer(viewer: Any, answer: Answer) -> bool:
    """The answer's author while they can still see the question, or its group's
    moderators and stewards."""
    question = answer.question
    if not access.can_view(viewer, question) or not access.is_member(viewer):
        return False
    return answer.author_id == viewer.pk or access.can_moderate_group(viewer, question.group_id)


@transaction.atomic
def answer_update(*, viewer: Any, answer: Answer, body: str) -> Answer:
    """The author rewrites their answer."""
    own = answer.author_id == viewer.pk and _can_remove_answer(viewer, answer)
    if answer.deleted_at is not None or not own:
        raise PermissionDenied
    if not body.strip():
        raise ValidationError({"body": _("Write your answer first.")})
    answer.body = body.strip()
    answer.full_clean(exclude=["question", "author"])
    answer.save(update_fields=["body"])
    _question_sync(answer.question)
    audit(viewer, "edited an answer", answer.question, answer=answer.pk)
    return answer


@transaction.atomic
def answer_delete(*, viewer: Any, answer: Answer) -> None:
    """Take an answer down (kept, like comments, but no longer shown or searched)."""
    if answer.deleted_at is not None:
        return
    if not _can_remove_answer(viewer, answer):
        raise PermissionDenied
    answer.deleted_at = timezone.now()
    answer.save(update_fields=["deleted_at"])
    _question_sync(answer.question)
    audit(viewer, "deleted an answer", answer.question, answer=answer.pk)


@transaction.atomic
def answer_accept(*, viewer: Any, answer: Answer) -> Answer:
    """The asker (or a moderator) marks the answer that helped; only one is accepted."""
    if not access.can_change(viewer, answer.question):
        raise PermissionDenied
    Answer.objects.filter(question=answer.question, accepted=True).update(accepted=False)
    answer.accepted = True
    answer.save(update_fields=["accepted"])
    _question_sync(answer.question)
    audit(viewer, "accepted an answer", answer.question, answer=answer.pk)
    return answer
