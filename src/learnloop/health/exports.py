"""CSV exports of the health tables, UTF-8 with a byte-order mark so that spreadsheets
open accents and symbols cleanly."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.translation import gettext as _

from learnloop.health.selectors import Flows, Gap

BOM = "\ufeff"


def csv_response(filename: str, rows: Iterable[list[object]]) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["" if v is None else _safe(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula is quoted with a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def flow_rows(flows: Flows) -> list[list[object]]:
    """One line per phase, record kind and direction; one column per month."""
    rows: list[list[object]] = [
        [_("phase"), _("what"), _("direction"), *[m.strftime("%Y-%m") for m in flows.months]]
    ]
    for phase in flows.phases:
        for source in phase.sources:
            rows.append([phase.key, source.label, _("entered"), *source.counts])
        rows.append([phase.key, _("All that entered"), _("entered"), *phase.entered])
        rows.append([phase.key, phase.left_label, _("passed on"), *phase.left])
    return rows


def gap_rows(gaps: list[Gap]) -> list[list[object]]:
    rows: list[list[object]] = [
        [
            _("kind"),
            _("gap"),
            _("item type"),
            _("item"),
            _("item id"),
            _("group"),
            _("detail"),
            _("since"),
            _("item link"),
            _("act here"),
        ]
    ]
    for gap in gaps:
        rows.append(
            [
                gap.kind,
                gap.kind_label,
                gap.item_type,
                gap.title,
                gap.item_key,
                gap.group_name,
                gap.detail,
                gap.since.isoformat() if gap.since else "",
                gap.item_url,
                gap.action_url,
            ]
        )
    return rows


def filename(stem: str, flows_group: object | None) -> str:
    slug = getattr(flows_group, "slug", "") or "network"
    return f"health-{stem}-{slug}.csv"
