"""Reads for generation: every list takes the viewer and applies visibility."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from learnloop.core import access
from learnloop.generation.models import Answer, Learning, Question, TestCycle


def learning_list(
    *,
    viewer: Any,
    group: int | None = None,
    kind: str | None = None,
    author: int | None = None,
    tag: str | None = None,
    test_cycle: int | None = None,
    q: str | None = None,
) -> QuerySet[Learning]:
    qs = access.visible(viewer, Learning.objects.all())
    if group:
        qs = qs.filter(group_id=group)
    if kind:
        qs = qs.filter(kind=kind)
    if author:
        qs = qs.filter(author_id=author)
    if tag:
        qs = qs.filter(tags__slug=tag)
    if test_cycle:
        qs = qs.filter(test_cycle_id=test_cycle)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(body__icontains=q))
    return (
        qs.select_related("author", "group").prefetch_related("tags").order_by("-created_at", "-id")
    )


def get_learning_for(viewer: Any, pk: Any, *, write: bool = False) -> Learning:
    return access.get_for(
        viewer,
        Learning.objects.select_related("author", "author__organization", "group", "test_cycle"),
        pk,
        write=write,
    )


def test_cycle_list(
    *, viewer: Any, group: int | None = None, status: str | None = None, author: int | None = None
) -> QuerySet[TestCycle]:
    qs = access.visible(viewer, TestCycle.objects.all())
    if group:
        qs = qs.filter(group_id=group)
    if status:
        qs = qs.filter(status=status)
    if author:
        qs = qs.filter(author_id=author)
    return qs.select_related("author", "group").order_by("-created_at", "-id")


def get_test_cycle_for(viewer: Any, pk: Any, *, write: bool = False) -> TestCycle:
    return access.get_for(
        viewer, TestCycle.objects.select_related("author", "group"), pk, write=write
    )


def question_list(
    *, viewer: Any, group: int | None = None, open_only: bool = False, author: int | None = None
) -> QuerySet[Question]:
    qs = access.visible(viewer, Question.objects.all())
    if group:
        qs = qs.filter(group_id=group)
    if open_only:
        qs = qs.filter(closed_at__isnull=True)
    if author:
        qs = qs.filter(author_id=author)
    return (
        qs.select_related("author", "group")
        .annotate(answer_count=Count("answers", filter=Q(answers__deleted_at__isnull=True)))
        .order_by("-created_at", "-id")
    )


def get_question_for(viewer: Any, pk: Any, *, write: bool = False) -> Question:
    return access.get_for(
        viewer,
        Question.objects.select_related("author", "group").prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.filter(deleted_at__isnull=True).select_related("author"),
            )
        ),
        pk,
        write=write,
    )


def answers_for(question: Question) -> list[Answer]:
    return list(question.answers.all())
