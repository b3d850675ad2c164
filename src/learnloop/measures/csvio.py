"""CSV in and out. Reading accepts what spreadsheets write: a byte-order mark, commas,
semicolons or tabs, Windows line ends, and the Windows-1252 encoding of older Excel.
Writing always gives UTF-8 with a byte-order mark, so that Excel opens it cleanly."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from learnloop.measures.services import CheckedPoint, PointInput, RowError, data_points_check

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
KNOWN = {"measure", "period", "value", "group", "site", "note"}
ALIASES = {
    "measure_slug": "measure",
    "date": "period",
    "month": "period",
    "week": "period",
    "quarter": "period",
    "group_slug": "group",
    "notes": "note",
    "comment": "note",
}


class UploadError(Exception):
    """The file as a whole cannot be read (as opposed to errors in single rows)."""


@dataclass
class ParsedRow:
    number: int  # the row number in a spreadsheet: the header is row 1
    point: PointInput
    raw: dict[str, str]


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:4096]:
        raise UploadError(_("This looks like a spreadsheet file, not CSV: save it as CSV first."))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _column(name: str) -> str:
    norm = "_".join(name.replace("\ufeff", "").strip().lower().split())
    return ALIASES.get(norm, norm)


def parse(data: bytes, *, measure: Any = None) -> tuple[list[ParsedRow], list[str], list[RowError]]:
    """The rows of an uploaded file, each as a PointInput still to be checked. Columns:
    measure (unless the upload is for one measure), period, value, and optionally group,
    site, note and one column per breakdown (its name, e.g. population)."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(_("This file is larger than 2 MB; split it into smaller files."))
    text = _decode(data)
    if not text.strip():
        raise UploadError(_("This file is empty."))
    first_line = text.splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise UploadError(
            _("This file cannot be read as CSV: %(error)s") % {"error": exc}
        ) from None
    header = [_column(c) for c in rows[0]]
    missing = [c for c in ("period", "value") if c not in header]
    if measure is None and "measure" not in header:
        missing.insert(0, "measure")
    if missing:
        raise UploadError(
            _("The first row must name the columns; missing: %(cols)s.")
            % {"cols": ", ".join(missing)}
        )
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise UploadError(_("The column “%(name)s” appears twice.") % {"name": name})
        seen.add(name)
    parsed: list[ParsedRow] = []
    errors: list[RowError] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue  # blank lines are common at the end of exported files
        if len(parsed) >= MAX_ROWS:
            raise UploadError(
                _("At most %(n)d rows per file; split it into smaller files.") % {"n": MAX_ROWS}
            )
        raw = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
        if any(c.strip() for c in cells[len(header) :]):
            errors.append(
                RowError(number, "", _("This row has more cells than the first row has columns."))
            )
        breakdown = {k: v for k, v in raw.items() if k and k not in KNOWN}
        file_measure = raw.get("measure", "")
        parsed.append(
            ParsedRow(
                number=number,
                point=PointInput(
                    measure=file_measure or measure,
                    period=raw.get("period", ""),
                    value=raw.get("value", ""),
                    group=raw.get("group") or None,
                    site=raw.get("site", ""),
                    breakdown=breakdown,
                    note=raw.get("note", ""),
                ),
                raw=raw,
            )
        )
    if not parsed:
        raise UploadError(_("This file has a header but no rows of data."))
    return parsed, [c for c in header if c], errors


def _safe(cell: Any) -> str:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if cell is None else str(cell)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(c) for c in row])
    response = HttpResponse(
        buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@dataclass
class Preview:
    columns: list[str]
    rows: list[ParsedRow]
    checked: list[CheckedPoint]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.checked)


def preview(*, reporter: Any, data: bytes, measure: Any = None) -> Preview:
    """Read and check a whole file without saving anything."""
    rows, columns, errors = parse(data, measure=measure)
    checked, check_errors = data_points_check(
        reporter=reporter, rows=[(r.number, r.point) for r in rows]
    )
    all_errors = sorted(errors + check_errors, key=lambda e: (e.label, e.field))
    return Preview(columns=columns, rows=rows, checked=checked, errors=all_errors)
