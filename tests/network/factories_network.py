"""Small helpers that write the activity ties are derived from, straight through the ORM."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from learnloop.consolidation.models import Endorsement, Review, StandardsVersion, VersionStatus
from learnloop.core.models import Comment, Revision
from learnloop.generation.models import Answer
from learnloop.network.ties import Window


def comment(item: Any, author: Any, when: datetime | None = None) -> Comment:
    return Comment.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        author=author,
        body="Thank you, we will try it.",
        created_at=when or timezone.now(),
    )


def edit(item: Any, editor: Any, number: int = 2, when: datetime | None = None) -> Revision:
    return Revision.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        number=number,
        author=editor,
        data={"n": number},
        created_at=when or timezone.now(),
    )


def endorse(idea: Any, person: Any) -> Endorsement:
    return Endorsement.objects.create(idea=idea, person=person)


def answer(question: Any, author: Any, **kw: Any) -> Answer:
    return Answer.objects.create(question=question, author=author, body="Call on Mondays.", **kw)


def review(idea: Any, reviewer: Any) -> Review:
    version = StandardsVersion.objects.filter(status=VersionStatus.ADOPTED).first()
    if version is None:
        version = StandardsVersion.objects.create(
            number=1,
            title="Standards 1",
            status=VersionStatus.ADOPTED,
            proposed_by=reviewer,
            adopted_at=timezone.now(),
        )
    return Review.objects.create(idea=idea, reviewer=reviewer, version=version)


def this_year() -> Window:
    from learnloop.network.services import year_window

    return year_window(timezone.localdate())
