"""Pages for generation. Thin: parse, authorize, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnloop.core import access
from learnloop.core.forms import CommentForm
from learnloop.core.http import Request
from learnloop.core.models import SharedItem
from learnloop.core.selectors import attachments_for, comments_for
from learnloop.core.viewtools import apply_errors, int_param, paginate
from learnloop.generation import selectors, services
from learnloop.generation.forms import (
    AnswerForm,
    LearningForm,
    QuestionForm,
    RecordLearningForm,
    TestCycleForm,
)
from learnloop.generation.models import Answer, LearningKind, Question, TestCycleStatus
from learnloop.people.selectors import group_list


def _item_context(request: Request, item: SharedItem) -> dict[str, object]:
    return {
        "comments": comments_for(item),
        "comment_form": CommentForm(),
        "attachments": attachments_for(item),
    }


# Learnings ----------------------------------------------------------------------------


def learning_list(request: Request) -> HttpResponse:
    learnings = selectors.learning_list(
        viewer=request.user,
        group=int_param(request, "group"),
        kind=request.GET.get("kind") or None,
        author=int_param(request, "author"),
        tag=request.GET.get("tag") or None,
        q=request.GET.get("q", "").strip() or None,
    )
    context = {
        "page": paginate(request, learnings),
        "kinds": LearningKind.choices,
        "groups": group_list(viewer=request.user),
    }
    template = "generation/_learning_rows.html" if request.htmx else "generation/learning_list.html"
    return render(request, template, context)


@login_required
def learning_create(request: Request) -> HttpResponse:
    form = LearningForm(
        request.POST or None,
        request.FILES or None,
        viewer=request.user,
        initial={"group": request.GET.get("group"), "kind": request.GET.get("kind")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            learning = services.learning_create(
                author=request.user,
                title=data["title"],
                body=data["body"],
                kind=data["kind"],
                group=data["group"],
                visibility=data["visibility"],
                tags=data["tags"],
                site=data["site"] or None,
                links=data["links"],
                files=data["uploads"],
                guidelines_confirmed=form.guidelines_confirmed,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your learning is posted. Thank you for sharing it."))
            return redirect(learning)
    return render(request, "generation/learning_form.html", {"form": form})


def learning_detail(request: Request, pk: int) -> HttpResponse:
    learning = selectors.get_learning_for(request.user, pk)
    from learnloop.consolidation.selectors import evidence_for_learning

    return render(
        request,
        "generation/learning_detail.html",
        {
            "learning": learning,
            "evidence": evidence_for_learning(viewer=request.user, learning=learning),
            **_item_context(request, learning),
        },
    )


@login_required
def learning_edit(request: Request, pk: int) -> HttpResponse:
    learning = selectors.get_learning_for(request.user, pk, write=True)
    initial = {
        "title": learning.title,
        "kind": learning.kind,
        "body": learning.body,
        "group": learning.group,
        "visibility": learning.visibility,
        "tags": ", ".join(learning.tag_names),
        "site": learning.site,
    }
    form = LearningForm(request.POST or None, initial=initial, viewer=request.user, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.learning_update(
                viewer=request.user,
                learning=learning,
                tags=data["tags"],
                title=data["title"],
                body=data["body"],
                kind=data["kind"],
                group=data["group"],
                visibility=data["visibility"],
                site=data["site"],
                guidelines_confirmed=form.guidelines_confirmed,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved. The earlier version is kept in the history."))
            return redirect(learning)
    return render(request, "generation/learning_form.html", {"form": form, "learning": learning})


# Test cycles --------------------------------------------------------------------------


def test_cycle_list(request: Request) -> HttpResponse:
    cycles = selectors.test_cycle_list(
        viewer=request.user,
        group=int_param(request, "group"),
        status=request.GET.get("status") or None,
    )
    return render(
        request,
        "generation/test_cycle_list.html",
        {
            "page": paginate(request, cycles),
            "statuses": TestCycleStatus.choices,
            "groups": group_list(viewer=request.user),
        },
    )


@login_required
def test_cycle_create(request: Request) -> HttpResponse:
    form = TestCycleForm(
        request.POST or None, viewer=request.user, initial={"group": request.GET.get("group")}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            cycle = services.test_cycle_create(
                author=request.user, guidelines_confirmed=form.guidelines_confirmed, **data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Test cycle saved. Come back to record what happened."))
            return redirect(cycle)
    return render(request, "generation/test_cycle_form.html", {"form": form})


def test_cycle_detail(request: Request, pk: int) -> HttpResponse:
    cycle = selectors.get_test_cycle_for(request.user, pk)
    learnings = selectors.learning_list(viewer=request.user, test_cycle=cycle.pk)
    return render(
        request,
        "generation/test_cycle_detail.html",
        {
            "cycle": cycle,
            "learnings": learnings,
            "record_form": RecordLearningForm(cycle=cycle),
            **_item_context(request, cycle),
        },
    )


@login_required
def test_cycle_edit(request: Request, pk: int) -> HttpResponse:
    cycle = selectors.get_test_cycle_for(request.user, pk, write=True)
    fields = [
        "title",
        "plan",
        "prediction",
        "status",
        "started_on",
        "what_happened",
        "learned",
        "next_step",
        "group",
        "visibility",
    ]
    form = TestCycleForm(
        request.POST or None, viewer=request.user, initial={f: getattr(cycle, f) for f in fields}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.test_cycle_update(
                viewer=request.user,
                cycle=cycle,
                guidelines_confirmed=form.guidelines_confirmed,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Test cycle updated."))
            return redirect(cycle)
    return render(request, "generation/test_cycle_form.html", {"form": form, "cycle": cycle})


@login_required
@require_POST
def test_cycle_record_learning(request: Request, pk: int) -> HttpResponse:
    cycle = selectors.get_test_cycle_for(request.user, pk, write=True)
    form = RecordLearningForm(request.POST, cycle=cycle)
    form.is_valid()
    try:
        learning = services.test_cycle_record_learning(
            viewer=request.user,
            cycle=cycle,
            title=form.cleaned_data.get("title", ""),
            guidelines_confirmed=form.guidelines_confirmed,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(cycle)
    messages.success(request, _("The cycle's lesson is now a learning the network can build on."))
    return redirect(learning)


# Questions ----------------------------------------------------------------------------


def question_list(request: Request) -> HttpResponse:
    questions = selectors.question_list(
        viewer=request.user,
        group=int_param(request, "group"),
        open_only=request.GET.get("open") == "1",
    )
    return render(
        request,
        "generation/question_list.html",
        {"page": paginate(request, questions), "groups": group_list(viewer=request.user)},
    )


@login_required
def question_create(request: Request) -> HttpResponse:
    form = QuestionForm(
        request.POST or None, viewer=request.user, initial={"group": request.GET.get("group")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_create(
                author=request.user,
                guidelines_confirmed=form.guidelines_confirmed,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your question is open to the network."))
            return redirect(question)
    return render(request, "generation/question_form.html", {"form": form})


def question_detail(request: Request, pk: int) -> HttpResponse:
    question = selectors.get_question_for(request.user, pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        access.require_member(request.user)
        if form.is_valid():
            try:
                services.answer_create(
                    author=request.user, question=question, body=form.cleaned_data["body"]
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Thank you for your answer."))
                return redirect(question)
    answers = selectors.answers_for(question)
    return render(
        request,
        "generation/question_detail.html",
        {
            "question": question,
            "answers": answers,
            **_answer_rights(request, question, answers),
            "answer_form": form,
            **_item_context(request, question),
        },
    )


@login_required
def question_edit(request: Request, pk: int) -> HttpResponse:
    question = selectors.get_question_for(request.user, pk, write=True)
    form = QuestionForm(
        request.POST or None,
        viewer=request.user,
        initial={
            "title": question.title,
            "body": question.body,
            "group": question.group,
            "visibility": question.visibility,
            "tags": ", ".join(t.name for t in question.tags.all()),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("tags")
        try:
            services.question_update(
                viewer=request.user,
                question=question,
                guidelines_confirmed=form.guidelines_confirmed,
                **data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(question)
    return render(request, "generation/question_form.html", {"form": form, "question": question})


@login_required
@require_POST
def question_close(request: Request, pk: int) -> HttpResponse:
    question = selectors.get_question_for(request.user, pk, write=True)
    services.question_close(
        viewer=request.user, question=question, reopen=request.POST.get("reopen") == "1"
    )
    return redirect(question)


@login_required
@require_POST
def answer_accept(request: Request, pk: int, answer_pk: int) -> HttpResponse:
    question = selectors.get_question_for(request.user, pk, write=True)
    answer = get_object_or_404(Answer, pk=answer_pk, question=question, deleted_at__isnull=True)
    services.answer_accept(viewer=request.user, answer=answer)
    messages.success(request, _("Answer accepted."))
    return redirect(question)


def _answer_rights(
    request: Request, question: Question, answers: list[Answer]
) -> dict[str, set[int]]:
    """The answers the viewer may edit (their own) and delete (their own, or any if they
    moderate the question's group). It mirrors the rule in services.answer_update and
    answer_delete, which still decide on every write; the moderation check is made once
    for the page rather than once per answer."""
    viewer = request.user
    if not access.is_member(viewer):
        return {"may_edit": set(), "may_delete": set()}
    own = {a.pk for a in answers if a.author_id == viewer.pk}
    moderates = access.can_moderate_group(viewer, question.group_id)
    return {"may_edit": own, "may_delete": {a.pk for a in answers} if moderates else own}


def _answer_of(request: Request, pk: int, answer_pk: int) -> Answer:
    """A live answer to a question the viewer can see; 404 otherwise, as for accept."""
    question = selectors.get_question_for(request.user, pk)
    answer = get_object_or_404(Answer, pk=answer_pk, question=question, deleted_at__isnull=True)
    answer.question = question
    return answer


@login_required
def answer_edit(request: Request, pk: int, answer_pk: int) -> HttpResponse:
    answer = _answer_of(request, pk, answer_pk)
    if answer.author_id != request.user.pk:
        raise PermissionDenied  # only the author rewrites an answer
    form = AnswerForm(request.POST or None, initial={"body": answer.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_update(
                viewer=request.user, answer=answer, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your answer is updated."))
            return redirect(f"{answer.question.get_absolute_url()}#answer-{answer.pk}")
    return render(
        request, "generation/answer_form.html", {"form": form, "question": answer.question}
    )


@login_required
@require_POST
def answer_delete(request: Request, pk: int, answer_pk: int) -> HttpResponse:
    answer = _answer_of(request, pk, answer_pk)
    services.answer_delete(viewer=request.user, answer=answer)
    messages.success(request, _("Answer deleted."))
    return redirect(answer.question)
