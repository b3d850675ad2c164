"""Pages for sharing: the activity feed, shares, channels and the public site.

Thin: parse, authorize, call one service or selector, render.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnloop.capture.selectors import get_product_for
from learnloop.core import access
from learnloop.core.http import Request
from learnloop.core.models import Visibility
from learnloop.core.viewtools import apply_errors, int_param
from learnloop.people.selectors import group_list
from learnloop.sharing import selectors, services
from learnloop.sharing.broker_selectors import plans_started_from, share_goes_outside
from learnloop.sharing.forms import ChannelForm, ResponseForm, ShareForm

FEED_PAGE = 30


def parse_before(raw: str | None) -> datetime | None:
    """The feed cursor: an ISO datetime. A `+` that a hand-typed URL turned into a space is
    put back; anything unreadable means 'from now'."""
    if not raw:
        return None
    try:
        value = parse_datetime(raw.strip().replace(" ", "+"))
    except ValueError:
        return None
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


# The activity feed -----------------------------------------------------------------------


@login_required
def feed(request: Request) -> HttpResponse:
    group = int_param(request, "group")
    following = request.GET.get("following") == "1"
    entries = selectors.activity_feed(
        viewer=request.user,
        limit=FEED_PAGE,
        before=parse_before(request.GET.get("before")),
        group=group,
        following=following,
    )
    context: dict[str, Any] = {
        "feed": entries,
        "older": entries[-1].when if len(entries) == FEED_PAGE else None,
        "group": group,
        "following": following,
        "on_feed_page": True,
    }
    if request.htmx:
        return render(request, "sharing/_feed_more.html", context)
    context["groups"] = group_list(viewer=request.user)
    return render(request, "sharing/feed.html", context)


# Shares -------------------------------------------------------------------------------------


@login_required
def share_create(request: Request, pk: int) -> HttpResponse:
    product = get_product_for(request.user, pk)
    access.require_member(request.user)
    # `?audience=<id>` comes from a broker's queue: that audience is picked already.
    initial = {"broker_audience": int_param(request, "audience")}
    form = ShareForm(request.POST or None, author=request.user, product=product, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            share = services.share_create(
                author=request.user,
                product=product,
                audience=data["audience"],
                channel=data["channel"],
                note=data["note"],
                response=data["response"],
                shared_at=data["shared_at"],
                broker_audience=data.get("broker_audience"),
                sphere=data["sphere"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Share recorded. Thank you for carrying it further."))
            if share_goes_outside(share):
                messages.warning(
                    request,
                    _(
                        "Heads up: this product is not public, so people outside the network "
                        "cannot open it. Make it public, or send them a copy."
                    ),
                )
            return redirect(product.get_absolute_url() + "#shares")
    return render(
        request,
        "sharing/share_form.html",
        {
            "product": product,
            "form": form,
            # Every share may go to partners or the field: warn whenever it is not public.
            "share_warning": product.visibility != Visibility.PUBLIC,
        },
    )


@login_required
@require_POST
def share_response(request: Request, pk: int) -> HttpResponse:
    share = selectors.get_share_for(request.user, pk, write=True)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.share_update_response(
                viewer=request.user, share=share, response=form.cleaned_data["response"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(str(e) for e in form.errors.get("response", [])))
    if request.htmx:
        share.may_answer = True  # type: ignore[attr-defined]  # get_share_for(write=True)
        share.plans_started = plans_started_from(viewer=request.user, share=share)  # type: ignore[attr-defined]
        return render(request, "sharing/_share_item.html", {"s": share})
    return redirect(share.product.get_absolute_url() + f"#share-{share.pk}")


# Channels ----------------------------------------------------------------------------------


@login_required
def channel_list(request: Request) -> HttpResponse:
    access.require_member(request.user)
    return render(
        request,
        "sharing/channel_list.html",
        {"channels": selectors.channel_list(viewer=request.user)},
    )


@login_required
def channel_create(request: Request) -> HttpResponse:
    access.require_steward(request.user)
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_create(viewer=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Channel added."))
            return redirect("sharing:channels")
    return render(request, "sharing/channel_form.html", {"form": form})


@login_required
def channel_edit(request: Request, pk: int) -> HttpResponse:
    access.require_steward(request.user)
    channel = selectors.get_channel(pk)
    initial = {f: getattr(channel, f) for f in services.CHANNEL_FIELDS}
    form = ChannelForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_update(viewer=request.user, channel=channel, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Channel saved."))
            return redirect("sharing:channels")
    return render(request, "sharing/channel_form.html", {"form": form, "channel": channel})


# The public site lives in `public_views.py`.
