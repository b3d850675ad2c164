"""Pages for notifications: the inbox, settings, the digest preview and unsubscribing.

Thin: parse, authorize, call one service or selector, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from learnloop.core import access
from learnloop.core.http import Request
from learnloop.core.viewtools import apply_errors, paginate
from learnloop.notifications import selectors, services
from learnloop.notifications.forms import SettingsForm
from learnloop.notifications.models import DigestRhythm

PAGE = 25


def _member(request: Request) -> None:
    access.require_member(request.user)


@login_required
def inbox(request: Request) -> HttpResponse:
    _member(request)
    show = request.GET.get("show", "")
    unread = True if show == "unread" else None
    page = paginate(request, selectors.inbox(viewer=request.user, unread=unread), PAGE)
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "show": show,
            "unread_total": selectors.unread_count(viewer=request.user),
        },
    )


@login_required
@require_POST
def mark_read(request: Request, pk: int) -> HttpResponse:
    notification = selectors.get_notification_for(request.user, pk)
    services.notification_mark_read(viewer=request.user, notification=notification)
    if request.htmx:
        return render(request, "notifications/_row.html", {"n": notification})
    return redirect(_back(request))


@login_required
@require_POST
def read_all(request: Request) -> HttpResponse:
    marked = services.notifications_mark_all_read(viewer=request.user)
    if marked:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect(_back(request))


@login_required
def open_notification(request: Request, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way."""
    notification = selectors.get_notification_for(request.user, pk)
    services.notification_mark_read(viewer=request.user, notification=notification)
    url = notification.url
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(url)
    return redirect("notifications:inbox")


def _back(request: Request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("notifications:inbox")


@login_required
def settings_page(request: Request) -> HttpResponse:
    _member(request)
    found = services.settings_for(request.user)
    form = SettingsForm.for_settings(found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.settings_update(
                person=request.user,
                email_enabled=data["email_enabled"],
                muted_kinds=form.muted_kinds(),
                digest_rhythm=data["digest_rhythm"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "found": found,
            "next_digest": services.next_digest_at(found, timezone.now()),
        },
    )


@login_required
def digest_preview(request: Request) -> HttpResponse:
    """The member's next digest as it stands now."""
    from learnloop.sharing.digests import build_digest

    _member(request)
    found = selectors.settings_of(request.user)
    now = timezone.now()
    since, until = services.digest_window(found, now)
    digest = build_digest(person=request.user, since=since, until=until)
    return render(
        request,
        "notifications/digest.html",
        {
            "digest": digest,
            "found": found,
            "next_digest": services.next_digest_at(found, now),
            "sends": found.email_enabled and found.digest_rhythm != DigestRhythm.NEVER,
        },
    )


def _masked(email: str) -> str:
    name, _at, domain = email.partition("@")
    return f"{name[:1]}…@{domain}" if domain else "…"


@csrf_exempt  # RFC 8058: mail programs POST here without a session; the token is the key
def unsubscribe(request: Request, token: str) -> HttpResponse:
    """One click, no login: GET shows a button, POST turns every email off."""
    if request.method == "POST":
        found = services.unsubscribe(token=token)
        return render(
            request,
            "notifications/unsubscribed.html",
            {"email": _masked(found.person.email)},
        )
    if request.method not in {"GET", "HEAD"}:
        return HttpResponse(status=405)
    found = selectors.settings_by_token(token)
    return render(
        request,
        "notifications/unsubscribe.html",
        {
            "token": token,
            "email": _masked(found.person.email),
            "already_off": not found.email_enabled,
        },
    )
