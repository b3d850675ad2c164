"""Pages for reviews: score an idea against the standards, read one review, withdraw it,
and resolve a review flag. Thin: parse, authorize, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnloop.consolidation import review_selectors, review_services, selectors
from learnloop.consolidation.review_forms import ResolveFlagForm, ReviewForm
from learnloop.core.http import Request
from learnloop.core.viewtools import apply_errors


@login_required
def review_create(request: Request, idea_pk: int) -> HttpResponse:
    """Review an idea against the current standards; a second visit edits one's review."""
    idea = selectors.get_idea_for(request.user, idea_pk)
    if not review_selectors.may_review(request.user, idea):
        raise PermissionDenied
    version = review_selectors.current_version()
    if version is None:
        return render(request, "consolidation/review_form.html", {"idea": idea, "version": None})
    criteria = list(version.criteria.all())
    evidence = review_selectors.evidence_choices(viewer=request.user, idea=idea)
    mine = review_selectors.own_review(viewer=request.user, idea=idea, version=version)
    form = ReviewForm(
        request.POST or None,
        criteria=criteria,
        evidence=evidence,
        review=mine,
        initial={"version": version.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            review_services.review_submit(
                reviewer=request.user,
                idea=idea,
                scores=form.scores(),
                summary=form.cleaned_data["summary"],
                missing=form.cleaned_data["missing"],
                version_id=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Thank you: your review is on the idea, beside the others.")
                if mine is None
                else _("Your review is updated."),
            )
            return redirect(idea.get_absolute_url() + "#reviews")
    return render(
        request,
        "consolidation/review_form.html",
        {
            "idea": idea,
            "version": version,
            "form": form,
            "mine": mine,
            "evidence_count": len(evidence),
        },
    )


def review_detail(request: Request, pk: int) -> HttpResponse:
    review = review_selectors.get_review_for(request.user, pk)
    return render(
        request,
        "consolidation/review_detail.html",
        {
            "review": review,
            "idea": review.idea,
            "may_delete": review_selectors.may_delete(request.user, review),
            "current": review_selectors.current_version(),
        },
    )


@login_required
@require_POST
def review_delete(request: Request, pk: int) -> HttpResponse:
    review = review_selectors.get_review_for(request.user, pk, write=True)
    idea = review.idea
    review_services.review_delete(viewer=request.user, review=review)
    messages.success(request, _("The review is withdrawn."))
    return redirect(idea.get_absolute_url() + "#reviews")


@login_required
def flag_resolve(request: Request, idea_pk: int) -> HttpResponse:
    """Clear a review flag with a note (moderators of the group and stewards)."""
    idea = selectors.get_idea_for(request.user, idea_pk)
    flag = review_selectors.review_flag(viewer=request.user, idea=idea)
    if flag is None:
        messages.info(request, _("This idea is not flagged for review."))
        return redirect(idea)
    if not flag["may_resolve"]:
        raise PermissionDenied
    form = ResolveFlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review_services.reopen_resolve(
                viewer=request.user, idea=idea, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The flag is cleared. Your note is in the discussion."))
            return redirect(idea)
    return render(
        request,
        "consolidation/review_resolve.html",
        {"idea": idea, "form": form, "review_flag": flag},
    )
