"""Pages for capture. Thin: parse, authorize, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from learnloop.capture import selectors, services
from learnloop.capture.forms import ProductForm
from learnloop.capture.models import KnowledgeProduct, ProductKind
from learnloop.core.forms import CommentForm
from learnloop.core.http import Request
from learnloop.core.selectors import attachments_for, comments_for
from learnloop.core.viewtools import apply_errors, int_param, paginate
from learnloop.people.models import StakeholderType
from learnloop.people.selectors import group_list
from learnloop.sharing import selectors as sharing_selectors
from learnloop.sharing.forms import ShareForm

EDITABLE = (
    "title",
    "kind",
    "summary",
    "body",
    "audience",
    "audience_detail",
    "actions",
    "resources_time",
    "resources_people",
    "resources_money",
    "media_url",
    "group",
    "visibility",
)


def product_list(request: Request) -> HttpResponse:
    products = selectors.product_list(
        viewer=request.user,
        kind=request.GET.get("kind") or None,
        audience=request.GET.get("audience") or None,
        group=int_param(request, "group"),
        idea=int_param(request, "idea"),
        tag=request.GET.get("tag") or None,
        q=request.GET.get("q", "").strip() or None,
    )
    context = {
        "page": paginate(request, products),
        "kinds": ProductKind.choices,
        "audiences": StakeholderType.choices,
        "groups": group_list(viewer=request.user),
    }
    template = "capture/_product_rows.html" if request.htmx else "capture/product_list.html"
    return render(request, template, context)


def _service_args(data: dict[str, Any]) -> dict[str, Any]:
    args = {name: data[name] for name in EDITABLE}
    args["ideas"] = list(data["ideas"])
    args["tags"] = data["tags"]
    args["media_file"] = data["media_file"] or None
    return args


@login_required
def product_create(request: Request) -> HttpResponse:
    initial = {
        "group": request.GET.get("group"),
        "kind": request.GET.get("kind"),
        "ideas": [v for v in request.GET.getlist("idea") if v.isdigit()],
    }
    form = ProductForm(
        request.POST or None, request.FILES or None, viewer=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(
                author=request.user,
                guidelines_confirmed=form.guidelines_confirmed,
                **_service_args(form.cleaned_data),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your knowledge product is saved."))
            return redirect(product)
    return render(request, "capture/product_form.html", {"form": form})


def product_detail(request: Request, pk: int) -> HttpResponse:
    product = selectors.get_product_for(request.user, pk)
    return render(
        request,
        "capture/product_detail.html",
        {
            "product": product,
            "careful": selectors.careful_ideas(product),
            "shares": sharing_selectors.shares_for(viewer=request.user, product=product),
            "plans": selectors.adoption_plans_for(viewer=request.user, product=product),
            "share_form": ShareForm(author=request.user, product=product),
            "share_warning": sharing_selectors.outside_warning(product),
            "comments": comments_for(product),
            "comment_form": CommentForm(),
            "attachments": attachments_for(product),
        },
    )


@login_required
def product_edit(request: Request, pk: int) -> HttpResponse:
    product: KnowledgeProduct = selectors.get_product_for(request.user, pk, write=True)
    initial = {name: getattr(product, name) for name in EDITABLE}
    initial["ideas"] = [i.pk for i in product.visible_ideas]  # type: ignore[attr-defined]
    initial["tags"] = ", ".join(product.tag_names)
    form = ProductForm(
        request.POST or None, request.FILES or None, viewer=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.product_update(
                viewer=request.user,
                product=product,
                guidelines_confirmed=form.guidelines_confirmed,
                **_service_args(form.cleaned_data),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved. The earlier version is kept in the history."))
            return redirect(product)
    return render(request, "capture/product_form.html", {"form": form, "product": product})
