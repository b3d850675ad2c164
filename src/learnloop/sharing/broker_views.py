"""Pages for knowledge brokers: who carries knowledge where, their queues, their audiences,
and how far knowledge has spread. Thin: parse, authorize, call one service or selector."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnloop.core import access
from learnloop.core.http import Request
from learnloop.core.viewtools import apply_errors, paginate
from learnloop.sharing import broker_selectors as selectors
from learnloop.sharing import broker_services as services
from learnloop.sharing import spread
from learnloop.sharing.broker_forms import AudienceForm, BrokerNameForm, BrokerNoteForm
from learnloop.sharing.models import Broker

QUEUE_PAGE = 20


def _period(request: Request) -> tuple[str, datetime | None]:
    return spread.period_since(request.GET.get("period"))


def _broker_url(username: str, anchor: str = "") -> str:
    url = reverse("brokers:broker", args=[username])
    return f"{url}#{anchor}" if anchor else url


@login_required
def broker_list(request: Request) -> HttpResponse:
    access.require_member(request.user)
    retired = request.GET.get("retired") == "1" and access.is_steward(request.user)
    period, since = _period(request)
    brokers = selectors.broker_list(viewer=request.user, retired=retired)
    figures = spread.spread_by_broker(viewer=request.user, brokers=brokers, since=since)
    for broker in brokers:
        broker.figures = figures[broker.pk]  # type: ignore[attr-defined]
    return render(
        request,
        "sharing/broker_list.html",
        {
            "brokers": brokers,
            "retired": retired,
            "period": period,
            "periods": spread.period_choices(),
            "network": spread.spread_figures(viewer=request.user, since=since),
            "mine": selectors.active_broker_for(request.user),
        },
    )


@login_required
def broker_me(request: Request) -> HttpResponse:
    mine = selectors.active_broker_for(request.user)
    if mine is None:
        messages.info(
            request,
            _(
                "You are not a knowledge broker. Stewards name brokers; ask one if you carry "
                "knowledge to other groups, partners or the field."
            ),
        )
        return redirect("brokers:list")
    return redirect("brokers:broker", username=request.user.username)


@login_required
def broker_create(request: Request) -> HttpResponse:
    access.require_steward(request.user)
    form = BrokerNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            broker = services.broker_name(
                viewer=request.user,
                person=data["person"],
                note=data["note"],
                audience_name=data["audience_name"],
                audience_sphere=data["audience_sphere"] or "groups",
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s is now a knowledge broker.") % {"name": broker.person.name}
            )
            return redirect("brokers:broker", username=broker.person.username)
    return render(request, "sharing/broker_form.html", {"form": form})


@login_required
def broker_detail(request: Request, username: str) -> HttpResponse:
    broker = selectors.get_broker_for(request.user, username)
    period, since = _period(request)
    page = paginate(request, selectors.broker_queue(viewer=request.user, broker=broker), QUEUE_PAGE)
    page.object_list = selectors.queue_rows(broker=broker, products=page.object_list)
    may_edit = selectors.may_edit_audiences(request.user, broker)
    return render(
        request,
        "sharing/broker_detail.html",
        {
            "broker": broker,
            "page": page,
            "is_self": broker.person_id == request.user.pk,
            "may_manage": selectors.may_manage_broker(request.user, broker),
            "may_edit": may_edit,
            "retired_audiences": selectors.retired_audiences(broker) if may_edit else [],
            "audience_form": AudienceForm() if may_edit else None,
            "figures": spread.spread_figures(viewer=request.user, broker=broker, since=since),
            "period": period,
            "periods": spread.period_choices(),
            "carried": selectors.carried_by(viewer=request.user, broker=broker),
        },
    )


@login_required
def broker_edit(request: Request, username: str) -> HttpResponse:
    broker = selectors.get_broker_for(request.user, username, write=True)
    form = BrokerNoteForm(request.POST or None, initial={"note": broker.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.broker_update(viewer=request.user, broker=broker, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("brokers:broker", username=username)
    return render(request, "sharing/broker_form.html", {"form": form, "broker": broker})


@login_required
@require_POST
def broker_retire(request: Request, username: str) -> HttpResponse:
    broker = selectors.get_broker_for(request.user, username, write=True)
    try:
        services.broker_retire(viewer=request.user, broker=broker)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s is no longer a broker. Their shares stay on record.")
            % {"name": broker.person.name},
        )
    return redirect("brokers:list")


@login_required
@require_POST
def broker_name_again(request: Request, username: str) -> HttpResponse:
    broker = selectors.get_broker_for(request.user, username, write=True)
    try:
        services.broker_name(viewer=request.user, person=broker.person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(name)s is a knowledge broker again.") % {"name": broker.person.name}
        )
    return redirect("brokers:broker", username=username)


# Audiences ---------------------------------------------------------------------------------


def _audience_rights(request: Request, broker: Broker) -> None:
    if not selectors.may_edit_audiences(request.user, broker):
        raise PermissionDenied


@login_required
def audience_create(request: Request, username: str) -> HttpResponse:
    broker = selectors.get_broker_for(request.user, username)
    _audience_rights(request, broker)
    form = AudienceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.audience_create(viewer=request.user, broker=broker, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Audience added."))
            return redirect(_broker_url(username, "audiences"))
    return render(request, "sharing/broker_audience_form.html", {"form": form, "broker": broker})


@login_required
def audience_edit(request: Request, username: str, pk: int) -> HttpResponse:
    broker = selectors.get_broker_for(request.user, username)
    audience = selectors.get_audience_for(request.user, broker, pk, write=True)
    initial = {f: getattr(audience, f) for f in services.AUDIENCE_FIELDS}
    form = AudienceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.audience_update(viewer=request.user, audience=audience, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Audience saved."))
            return redirect(_broker_url(username, "audiences"))
    return render(
        request,
        "sharing/broker_audience_form.html",
        {"form": form, "broker": broker, "audience": audience},
    )


@login_required
@require_POST
def audience_retire(request: Request, username: str, pk: int) -> HttpResponse:
    broker = selectors.get_broker_for(request.user, username)
    audience = selectors.get_audience_for(request.user, broker, pk, write=True)
    try:
        services.audience_retire(viewer=request.user, audience=audience)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Audience retired. Its shares stay on record."))
    return redirect(_broker_url(username, "audiences"))


@login_required
@require_POST
def audience_restore(request: Request, username: str, pk: int) -> HttpResponse:
    broker = selectors.get_broker_for(request.user, username)
    audience = selectors.get_audience_for(request.user, broker, pk, write=True)
    try:
        services.audience_restore(viewer=request.user, audience=audience)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Audience brought back."))
    return redirect(_broker_url(username, "audiences"))
