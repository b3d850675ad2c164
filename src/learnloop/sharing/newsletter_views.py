"""Pages for the newsletter export: pick a period and an audience, preview the issue,
download it as an HTML email file or as Markdown. For stewards and knowledge brokers.

Thin: parse, authorize, call the newsletter module, render.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from learnloop.core.http import Request
from learnloop.sharing import newsletter
from learnloop.sharing.newsletter_forms import IssueForm


def _form(request: Request) -> IssueForm:
    if "since" in request.GET or "until" in request.GET or "audience" in request.GET:
        return IssueForm(request.GET)
    since, until = newsletter.default_period()
    return IssueForm(
        {"since": since.isoformat(), "until": until.isoformat(), "audience": "network"}
    )


@login_required
def issue(request: Request) -> HttpResponse:
    newsletter.require_exporter(request.user)
    form = _form(request)
    context: dict[str, object] = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        found = newsletter.build_issue(
            since=data["since"], until=data["until"], audience=data["audience"]
        )
        query = {
            "since": data["since"].isoformat(),
            "until": data["until"].isoformat(),
            "audience": data["audience"],
        }
        context.update(
            {
                "issue": found,
                "html_query": urlencode({**query, "format": "html"}),
                "md_query": urlencode({**query, "format": "md"}),
            }
        )
    return render(request, "sharing/newsletter_issue.html", context)


@login_required
def download(request: Request) -> HttpResponse:
    newsletter.require_exporter(request.user)
    form = IssueForm(request.GET)
    fmt = request.GET.get("format", "html")
    if not form.is_valid() or fmt not in newsletter.FORMATS:
        response = render(
            request, "sharing/newsletter_issue.html", {"form": form, "bad_format": True}
        )
        response.status_code = 400
        return response
    data = form.cleaned_data
    found = newsletter.build_issue(
        since=data["since"], until=data["until"], audience=data["audience"]
    )
    content_type, ext = newsletter.FORMATS[fmt]
    response = HttpResponse(newsletter.render(found, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{found.filename(ext)}"'
    return response
