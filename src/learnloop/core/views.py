"""Pages every kind of item shares: home, comments, history, delete and restore, trash."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnloop.core import access, selectors, services
from learnloop.core.forms import CommentForm
from learnloop.core.http import Request
from learnloop.core.items import item_model
from learnloop.core.models import Attachment, SharedItem
from learnloop.core.viewtools import apply_errors


def _item(request: Request, kind: str, pk: int, *, write: bool = False) -> SharedItem:
    return access.get_for(request.user, item_model(kind).objects.all(), pk, write=write)


def home(request: Request) -> HttpResponse:
    if not access.is_member(request.user):
        return redirect("sharing:public")
    from learnloop.consolidation.routine_selectors import due_for
    from learnloop.sharing.selectors import activity_feed, cycle_counts

    return render(
        request,
        "core/home.html",
        {
            "feed": activity_feed(viewer=request.user, limit=30),
            "counts": cycle_counts(viewer=request.user),
            "due_routines": due_for(viewer=request.user),
        },
    )


@login_required
@require_POST
def item_comment(request: Request, kind: str, pk: int) -> HttpResponse:
    item = _item(request, kind, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_create(
                author=request.user, target=item, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
    if request.htmx:
        return render(
            request,
            "core/_comments.html",
            {
                "item": item,
                "comments": selectors.comments_for(item),
                "comment_form": CommentForm() if form.is_valid() else form,
            },
        )
    if not form.is_valid():
        messages.error(
            request,
            _("Your comment was not saved: %(errors)s")
            % {"errors": " ".join(str(e) for e in form.errors.get("body", []))},
        )
    return redirect(item.get_absolute_url() + "#comments")  # type: ignore[attr-defined]


def item_history(request: Request, kind: str, pk: int) -> HttpResponse:
    item = _item(request, kind, pk)
    return render(
        request, "core/history.html", {"item": item, "rows": selectors.revisions_for(item)}
    )


@login_required
@require_POST
def item_delete(request: Request, kind: str, pk: int) -> HttpResponse:
    item = _item(request, kind, pk, write=True)
    services.item_soft_delete(viewer=request.user, item=item)
    messages.success(
        request, _("“%(title)s” was deleted. A steward can restore it.") % {"title": item}
    )
    return redirect("home")


@login_required
@require_POST
def item_restore(request: Request, kind: str, pk: int) -> HttpResponse:
    access.require_steward(request.user)
    item = _item(request, kind, pk)
    services.item_restore(viewer=request.user, item=item)
    messages.success(request, _("“%(title)s” was restored.") % {"title": item})
    return redirect(item.get_absolute_url())  # type: ignore[attr-defined]


@login_required
@require_POST
def item_attach(request: Request, kind: str, pk: int) -> HttpResponse:
    item = _item(request, kind, pk, write=True)
    try:
        services.attachment_add(
            author=request.user,
            target=item,
            url=request.POST.get("url", "").strip(),
            file=request.FILES.get("file"),
            title=request.POST.get("title", ""),
        )
        messages.success(request, _("Evidence attached."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(item.get_absolute_url())  # type: ignore[attr-defined]


@login_required
def trash(request: Request) -> HttpResponse:
    access.require_steward(request.user)
    return render(request, "core/trash.html", {"rows": selectors.trash()})


def attachment_download(request: Request, pk: int) -> FileResponse:
    """Files are served only to those who may see the item they are attached to."""
    attachment = get_object_or_404(Attachment.objects.select_related("content_type"), pk=pk)
    target = attachment.target
    if target is None or not attachment.file or not access.can_view(request.user, target):
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.label
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def ratelimited(request: Request, exception: Exception) -> HttpResponse:
    return render(
        request,
        "core/ratelimited.html",
        {"message": _("Too many attempts. Please wait a minute and try again.")},
        status=429,
    )


def healthz(request: Request) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
