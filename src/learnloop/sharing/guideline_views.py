"""Pages for the voice guidelines (members read, stewards keep them) and the publication
record (stewards). Thin: parse, authorize, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnloop.core import access
from learnloop.core.http import Request
from learnloop.core.items import ITEM_TYPES
from learnloop.core.viewtools import apply_errors, int_param, paginate
from learnloop.sharing import guideline_selectors as selectors
from learnloop.sharing import guideline_services as services
from learnloop.sharing.guideline_forms import GuidelineForm


@login_required
def guideline_list(request: Request) -> HttpResponse:
    access.require_member(request.user)
    steward = access.is_steward(request.user)
    return render(
        request,
        "sharing/guideline_list.html",
        {
            "guidelines": list(selectors.guideline_list(viewer=request.user)),
            "retired": list(selectors.guideline_list(viewer=request.user, retired=True))
            if steward
            else [],
            "form": GuidelineForm() if steward else None,
        },
    )


@login_required
def guideline_create(request: Request) -> HttpResponse:
    access.require_steward(request.user)
    form = GuidelineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.guideline_create(viewer=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Guideline added. Authors tick it from now on."))
            return redirect("sharing:guidelines")
    return render(request, "sharing/guideline_form.html", {"form": form})


@login_required
def guideline_edit(request: Request, pk: int) -> HttpResponse:
    guideline = selectors.get_guideline_for(request.user, pk)
    form = GuidelineForm(
        request.POST or None,
        initial={"text": guideline.text, "explanation": guideline.explanation},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.guideline_update(viewer=request.user, guideline=guideline, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Guideline saved. Earlier checks keep the old words."))
            return redirect("sharing:guidelines")
    return render(request, "sharing/guideline_form.html", {"form": form, "guideline": guideline})


@login_required
@require_POST
def guideline_move(request: Request, pk: int) -> HttpResponse:
    guideline = selectors.get_guideline_for(request.user, pk)
    try:
        services.guideline_move(
            viewer=request.user, guideline=guideline, direction=request.POST.get("direction", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{_list_url()}#guideline-{guideline.pk}")


@login_required
@require_POST
def guideline_retire(request: Request, pk: int) -> HttpResponse:
    guideline = selectors.get_guideline_for(request.user, pk)
    restore = request.POST.get("restore") == "1"
    services.guideline_retire(viewer=request.user, guideline=guideline, restore=restore)
    if restore:
        messages.success(request, _("Guideline back on the checklist, at the end."))
    else:
        messages.success(request, _("Guideline retired. Checks that quoted it keep its words."))
    return redirect("sharing:guidelines")


@login_required
def publication_record(request: Request) -> HttpResponse:
    access.require_steward(request.user)
    kind = request.GET.get("kind") or None
    checks = selectors.publication_record(
        viewer=request.user, kind=kind, person=int_param(request, "person")
    )
    return render(
        request,
        "sharing/guideline_record.html",
        {"page": paginate(request, checks, per_page=30), "kinds": list(ITEM_TYPES), "kind": kind},
    )


def _list_url() -> str:
    return reverse("sharing:guidelines")
