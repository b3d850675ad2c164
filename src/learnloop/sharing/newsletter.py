"""A newsletter issue: what matured, the new knowledge products and the notable learnings
of a period, with stages and credits, as an HTML email file and as Markdown.

An issue is written for an audience, not for the person exporting it: for the members of
the network it holds what every member may see (network and public items, never a group's
own or anyone's draft, whoever exports it); for the public it holds public items only,
linked to the public site, with credits counted through public items only.

Stewards and knowledge brokers export issues (`may_export`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnloop.core import access
from learnloop.core.markdown import plain_text
from learnloop.core.models import Visibility
from learnloop.sharing.digests import StageRef, credit_line, credited_names

AUDIENCES: dict[str, Any] = {
    "network": gettext_lazy("Members of the network"),
    "public": gettext_lazy("The public"),
}
FORMATS: dict[str, tuple[str, str]] = {
    "html": ("text/html; charset=utf-8", "html"),
    "md": ("text/markdown; charset=utf-8", "md"),
}
SECTION_LIMIT = 12
LEARNING_LIMIT = 6
MAX_DAYS = 366


@dataclass
class IssueItem:
    kind_label: str
    title: str
    path: str  # "" when the audience has no page to open it on
    when: datetime
    group: str = ""
    stage: str = ""
    stage_label: str = ""
    from_label: str = ""
    summary: str = ""
    ideas: list[StageRef] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    note: str = ""
    credited: Any = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"{settings.SITE_URL}{self.path}" if self.path else ""

    @property
    def credit_line(self) -> str:
        # An issue names everyone: credit is the point of it.
        return credit_line(self.credits, limit=len(self.credits))


@dataclass
class IssueSection:
    key: str
    heading: str
    intro: str
    items: list[IssueItem]


@dataclass
class Issue:
    since: date
    until: date
    audience: str
    sections: list[IssueSection]
    network_name: str = ""
    made_at: datetime | None = None

    @property
    def audience_label(self) -> str:
        return str(AUDIENCES[self.audience])

    @property
    def title(self) -> str:
        return _("%(network)s: what we learned, %(since)s to %(until)s") % {
            "network": self.network_name,
            "since": self.since.strftime("%d %b %Y").lstrip("0"),
            "until": self.until.strftime("%d %b %Y").lstrip("0"),
        }

    @property
    def is_empty(self) -> bool:
        return not any(s.items for s in self.sections)

    @property
    def site_url(self) -> str:
        return settings.SITE_URL

    def filename(self, fmt: str) -> str:
        return f"newsletter-{self.audience}-{self.since:%Y-%m-%d}-to-{self.until:%Y-%m-%d}.{fmt}"


# Who, and for what period ------------------------------------------------------------------


def may_export(viewer: Any) -> bool:
    """Stewards, and the knowledge brokers they named (not retired)."""
    from learnloop.sharing.models import Broker

    if access.is_steward(viewer):
        return True
    return access.is_member(viewer) and (
        Broker.objects.filter(person=viewer, retired_at__isnull=True).exists()
    )


def require_exporter(viewer: Any) -> None:
    if not may_export(viewer):
        raise PermissionDenied


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last full 30 days up to today."""
    today = today or timezone.localdate()
    return today - timedelta(days=29), today


def clean_request(
    *, since: Any, until: Any, audience: Any, fmt: Any = "html"
) -> tuple[date, date, str, str]:
    """Read the period, audience and format from a request or a command line; every
    problem is a field error."""
    errors: dict[str, str] = {}
    dates: dict[str, date | None] = {}
    for name, raw in (("since", since), ("until", until)):
        if isinstance(raw, date):
            dates[name] = raw
            continue
        try:
            dates[name] = date.fromisoformat(str(raw).strip())
        except (TypeError, ValueError):
            dates[name] = None
            errors[name] = _("Give a date as YYYY-MM-DD.")
    if audience not in AUDIENCES:
        errors["audience"] = _("Choose the audience: network or public.")
    if fmt not in FORMATS:
        errors["format"] = _("Choose the format: html or md.")
    first, last = dates.get("since"), dates.get("until")
    if first is not None and last is not None:
        if first > last:
            errors["until"] = _("The end of the period comes before its start.")
        elif (last - first).days >= MAX_DAYS:
            errors["until"] = _("An issue covers a year at most.")
    if errors:
        raise ValidationError(errors)
    assert first is not None and last is not None
    return first, last, str(audience), str(fmt)


# Building the issue --------------------------------------------------------------------------


def _audience_q(audience: str, prefix: str = "") -> Q:
    """Items the whole audience may see: public ones for the public; network and public
    ones for members (what any member may see, whatever the exporter may see)."""
    if audience == "public":
        return access.visible_q(access.anonymous(), prefix)
    return Q(**{f"{prefix}deleted_at__isnull": True}) & Q(
        **{f"{prefix}visibility__in": [Visibility.NETWORK, Visibility.PUBLIC]}
    )


def _idea_path(idea: Any, audience: str) -> str:
    if audience == "public":
        return reverse("sharing:public_idea", args=[idea.pk])
    return str(idea.get_absolute_url())


def _product_path(product: Any, audience: str) -> str:
    if audience == "public":
        return str(product.get_public_url())
    return str(product.get_absolute_url())


def _learning_path(learning: Any, audience: str) -> str:
    # Learnings have no page on the public site: the public issue names them unlinked.
    return "" if audience == "public" else str(learning.get_absolute_url())


def _stage_ref(idea: Any, audience: str) -> StageRef:
    return StageRef(idea.title, _idea_path(idea, audience), idea.stage, idea.get_stage_display())


def _window(field_name: str, start: datetime, end: datetime) -> Q:
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


def _matured(audience: str, start: datetime, end: datetime) -> IssueSection:
    from learnloop.consolidation.models import Stage, StageChange
    from learnloop.sharing.digests import up_the_ladder_q

    changes = (
        StageChange.objects.filter(
            _audience_q(audience, "idea__"), up_the_ladder_q(), _window("decided_at", start, end)
        )
        .select_related("idea", "idea__group")
        .order_by("-decided_at", "-id")
    )
    latest: dict[int, Any] = {}
    for change in changes[:500]:
        latest.setdefault(change.idea_id, change)
    items = [
        IssueItem(
            kind_label=_("Idea"),
            title=c.idea.title,
            path=_idea_path(c.idea, audience),
            when=c.decided_at,
            group=c.idea.group.name if c.idea.group else "",
            stage=c.to_stage,
            stage_label=str(Stage(c.to_stage).label),
            from_label=str(Stage(c.from_stage).label),
            summary=plain_text(c.idea.summary, 280),
            credited=c.idea,
        )
        for c in list(latest.values())[:SECTION_LIMIT]
    ]
    return IssueSection(
        key="matured",
        heading=_("What matured"),
        intro=_(
            "Ideas the network moved up a stage in this period, on the strength of their evidence."
        ),
        items=items,
    )


def _products(audience: str, start: datetime, end: datetime) -> IssueSection:
    from learnloop.capture.models import KnowledgeProduct
    from learnloop.consolidation.models import Idea

    ideas = Idea.objects.filter(_audience_q(audience)).order_by("title", "id")
    rows = (
        KnowledgeProduct.objects.filter(_audience_q(audience), _window("published_at", start, end))
        .select_related("group")
        .prefetch_related(Prefetch("ideas", queryset=ideas, to_attr="issue_ideas"))
        .order_by("-published_at", "-id")[:SECTION_LIMIT]
    )
    items = [
        IssueItem(
            kind_label=str(p.get_kind_display()),
            title=p.title,
            path=_product_path(p, audience),
            when=p.published_at,
            group=p.group.name if p.group else "",
            summary=p.summary or plain_text(p.body, 280),
            ideas=[_stage_ref(i, audience) for i in p.issue_ideas],
            note=_("Made for: %(audience)s%(detail)s.")
            % {
                "audience": p.get_audience_display(),
                "detail": f" ({p.audience_detail})" if p.audience_detail else "",
            },
            credited=p,
        )
        for p in rows
    ]
    return IssueSection(
        key="products",
        heading=_("New knowledge products"),
        intro=_("Knowledge packaged for the people who must act on it, ready to use."),
        items=items,
    )


def _learnings(audience: str, start: datetime, end: datetime) -> IssueSection:
    """Learnings of the period that others built on: linked as evidence to ideas the
    audience may see, or talked about."""
    from learnloop.consolidation.models import Evidence
    from learnloop.generation.models import Learning

    links = Evidence.objects.filter(_audience_q(audience, "idea__")).select_related("idea")
    rows = (
        Learning.objects.filter(_audience_q(audience), _window("created_at", start, end))
        .annotate(
            evidence_count=Count(
                "evidence_links",
                filter=_audience_q(audience, "evidence_links__idea__"),
                distinct=True,
            ),
            comment_count=Count(
                "comments", filter=Q(comments__deleted_at__isnull=True), distinct=True
            ),
        )
        .filter(Q(evidence_count__gte=1) | Q(comment_count__gte=1))
        .select_related("group")
        .prefetch_related(Prefetch("evidence_links", queryset=links, to_attr="issue_links"))
        .order_by("-evidence_count", "-comment_count", "-created_at", "-id")[:LEARNING_LIMIT]
    )
    items = [
        IssueItem(
            kind_label=str(row.get_kind_display()),
            title=row.title,
            path=_learning_path(row, audience),
            when=row.created_at,
            group=row.group.name if row.group else "",
            summary=plain_text(row.body, 280),
            ideas=[_stage_ref(link.idea, audience) for link in row.issue_links],
            note=_("From: %(site)s.") % {"site": row.site} if row.site else "",
            credited=row,
        )
        for row in rows
    ]
    return IssueSection(
        key="learnings",
        heading=_("Notable learnings"),
        intro=_("What people learned from their work that others are building on."),
        items=items,
    )


def build_issue(*, since: date, until: date, audience: str) -> Issue:
    """The issue for the days `since` to `until` (both included) and the audience."""
    if audience not in AUDIENCES:
        raise ValidationError({"audience": _("Choose the audience: network or public.")})
    tz = timezone.get_current_timezone()
    start = datetime.combine(since, time.min, tzinfo=tz)
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=tz)
    sections = [
        _matured(audience, start, end),
        _products(audience, start, end),
        _learnings(audience, start, end),
    ]
    items = [item for s in sections for item in s.items]
    names = credited_names([i.credited for i in items], public=audience == "public")
    for item in items:
        item.credits = names.get((item.credited._meta.label, item.credited.pk), [])
    return Issue(
        since=since,
        until=until,
        audience=audience,
        sections=sections,
        network_name=settings.NETWORK_NAME,
        made_at=timezone.now(),
    )


# Rendering ---------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+|!~])")


def md_escape(text: str) -> str:
    """User text as literal Markdown: nothing in a title can become a link or markup."""
    flat = " ".join(str(text).split())
    escaped = _MD_SPECIAL.sub(r"\\\1", flat)
    # A line starting with "1." or "-" would become a list item.
    return re.sub(r"^(\d+)\.", r"\1\\.", escaped).replace("\n", " ")


def _md_link(title: str, url: str) -> str:
    return f"[{md_escape(title)}](<{url}>)" if url else md_escape(title)


def render_markdown(issue: Issue) -> str:
    lines = [f"# {md_escape(issue.title)}", ""]
    lines.append(f"*{md_escape(_('For: %(who)s') % {'who': issue.audience_label})}*")
    lines.append("")
    for section in issue.sections:
        lines += [f"## {md_escape(section.heading)}", "", md_escape(section.intro), ""]
        if not section.items:
            lines += [f"*{md_escape(_('Nothing in this period.'))}*", ""]
            continue
        for item in section.items:
            head = f"- **{_md_link(item.title, item.url)}** ({md_escape(item.kind_label)})"
            if item.stage:
                head += " — " + md_escape(
                    _("moved from %(from)s to stage %(to)s")
                    % {"from": item.from_label, "to": item.stage_label}
                    if item.from_label
                    else _("stage: %(stage)s") % {"stage": item.stage_label}
                )
            if item.group:
                head += f" · {md_escape(item.group)}"
            lines.append(head)
            if item.summary:
                lines.append(f"  {md_escape(item.summary)}")
            if item.note:
                lines.append(f"  {md_escape(item.note)}")
            if item.ideas:
                ideas = "; ".join(
                    f"{_md_link(i.title, f'{settings.SITE_URL}{i.path}')} "
                    f"({md_escape(_('stage: %(stage)s') % {'stage': i.stage_label})})"
                    for i in item.ideas
                )
                lines.append(f"  {md_escape(_('Ideas:'))} {ideas}")
            if item.credits:
                lines.append(f"  {md_escape(_('Credit:'))} {md_escape(', '.join(item.credits))}")
        lines.append("")
    lines += [
        "---",
        "",
        md_escape(
            _(
                "Every idea carries its stage, so that you can give it its due weight: "
                "emerging, testing, promising, knowledge, scaling."
            )
        ),
        "",
    ]
    return "\n".join(lines)


def render_html(issue: Issue) -> str:
    """A whole HTML email file: inline styles, nothing loaded from elsewhere."""
    return render_to_string("sharing/newsletter_email.html", {"issue": issue})


def render(issue: Issue, fmt: str) -> str:
    return render_html(issue) if fmt == "html" else render_markdown(issue)
