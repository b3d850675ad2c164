"""API for the newsletter export: `GET /newsletter?since=&until=&audience=&format=`.

`format=json` (the default) answers the issue's sections as data; `html` and `md` answer
the file itself. For stewards and knowledge brokers.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from learnloop.core.api_support import MEMBER_AUTH, member
from learnloop.sharing import newsletter

router = Router()


class StageRefOut(Schema):
    title: str
    url: str
    stage: str
    stage_label: str


class IssueItemOut(Schema):
    kind_label: str
    title: str
    url: str
    when: datetime
    group: str
    stage: str
    stage_label: str
    from_label: str
    summary: str
    note: str
    ideas: list[StageRefOut]
    credits: list[str]


class IssueSectionOut(Schema):
    key: str
    heading: str
    items: list[IssueItemOut]


class IssueOut(Schema):
    title: str
    since: date
    until: date
    audience: str
    sections: list[IssueSectionOut]


@router.get("/newsletter", response=IssueOut, auth=MEMBER_AUTH)
def get_issue(
    request: HttpRequest,
    since: str | None = None,
    until: str | None = None,
    audience: str = "network",
    format: str = "json",
) -> Any:
    """A newsletter issue for the period (`since` and `until` as YYYY-MM-DD, both
    included; the last 30 days by default) and the audience (`network` or `public`)."""
    newsletter.require_exporter(member(request))
    first, last = newsletter.default_period()
    fmt = "html" if format == "json" else format
    found_since, found_until, found_audience, fmt = newsletter.clean_request(
        since=since or first, until=until or last, audience=audience, fmt=fmt
    )
    issue = newsletter.build_issue(since=found_since, until=found_until, audience=found_audience)
    if format == "json":
        return issue
    content_type, ext = newsletter.FORMATS[fmt]
    response = HttpResponse(newsletter.render(issue, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{issue.filename(ext)}"'
    return response
