"""Writes for measures: defining measures, reporting and correcting data points (one at a
time or in bulk, all or nothing), and linking ideas and test cycles to measures."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from learnloop.core import access
from learnloop.core.services import audit
from learnloop.measures.models import (
    Aggregation,
    DataPoint,
    Direction,
    Frequency,
    Measure,
    MeasureKind,
    MeasureLink,
    default_aggregation,
)
from learnloop.measures.periods import parse_period, parse_value
from learnloop.people.models import Group

# Column names a CSV file already uses, and paths under /measures/: not usable as names.
RESERVED_BREAKDOWNS = {"measure", "period", "value", "group", "site", "note", "date"}
RESERVED_SLUGS = {"new", "upload", "link", "links", "points", "data-points"}
MAX_BREAKDOWNS = 5
_BREAKDOWN_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


# Measures -------------------------------------------------------------------------------


def normalize_breakdowns(raw: str | Iterable[str]) -> list[str]:
    names = raw.split(",") if isinstance(raw, str) else list(raw)
    found: list[str] = []
    for name in names:
        norm = "_".join(str(name).strip().lower().split())
        if not norm or norm in found:
            continue
        if norm in RESERVED_BREAKDOWNS:
            raise ValidationError(
                {
                    "breakdowns": _(
                        "“%(name)s” is already a column of every data point; list other "
                        "breakdowns, such as population or grade."
                    )
                    % {"name": norm}
                }
            )
        if not _BREAKDOWN_NAME.match(norm):
            raise ValidationError(
                {
                    "breakdowns": _(
                        "“%(name)s”: use letters, digits and underscores, starting with a letter."
                    )
                    % {"name": norm[:40]}
                }
            )
        found.append(norm)
    if len(found) > MAX_BREAKDOWNS:
        raise ValidationError(
            {"breakdowns": _("At most %(n)d breakdowns per measure.") % {"n": MAX_BREAKDOWNS}}
        )
    return found


def _check_measure(measure: Measure, *, previous: Measure | None) -> None:
    measure.name = " ".join(measure.name.split())
    if not measure.name:
        raise ValidationError({"name": _("Give the measure a name.")})
    if not measure.slug:
        measure.slug = slugify(measure.name)[:80] or "measure"
    if measure.slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("This short name is taken by a page; choose another.")})
    for name, choices in (
        ("kind", MeasureKind),
        ("direction", Direction),
        ("frequency", Frequency),
        ("aggregation", Aggregation),
    ):
        if getattr(measure, name) not in choices.values:
            raise ValidationError({name: _("Choose one of the options.")})
    if measure.target is not None:
        try:
            measure.target = parse_value(measure.target)
        except ValueError as exc:
            raise ValidationError({"target": str(exc)}) from None
    clash = Measure.objects.exclude(pk=measure.pk)
    if clash.filter(slug=measure.slug).exists():
        raise ValidationError({"slug": _("Another measure already uses this short name.")})
    if clash.filter(name__iexact=measure.name).exists():
        raise ValidationError({"name": _("Another measure already has this name.")})
    if previous is None:
        return
    has_data = DataPoint.objects.filter(measure=measure)
    if measure.frequency != previous.frequency and has_data.exists():
        raise ValidationError(
            {"frequency": _("Data is already reported at this frequency; it can no longer change.")}
        )
    for name in set(previous.breakdowns) - set(measure.breakdowns):
        if has_data.filter(breakdown__has_key=name).exists():
            raise ValidationError(
                {
                    "breakdowns": _(
                        "Data points use the breakdown “%(name)s”; it cannot be removed."
                    )
                    % {"name": name}
                }
            )


MEASURE_FIELDS = (
    "name",
    "slug",
    "description",
    "kind",
    "unit",
    "direction",
    "target",
    "frequency",
    "aggregation",
    "breakdowns",
    "active",
)


@transaction.atomic
def measure_create(
    *,
    author: Any,
    name: str,
    slug: str = "",
    description: str = "",
    kind: str = MeasureKind.OUTCOME,
    unit: str = "",
    direction: str = Direction.HIGHER,
    target: Any = None,
    frequency: str = Frequency.MONTHLY,
    aggregation: str | None = None,
    breakdowns: str | Iterable[str] = (),
    active: bool = True,
) -> Measure:
    access.require_steward(author)
    measure = Measure(
        name=name,
        slug=(slug or "").strip().lower(),
        description=description.strip(),
        kind=kind,
        unit=unit.strip(),
        direction=direction,
        target=target,
        frequency=frequency,
        aggregation=aggregation or default_aggregation(kind),
        breakdowns=normalize_breakdowns(breakdowns),
        active=active,
        created_by=author,
    )
    _check_measure(measure, previous=None)
    measure.full_clean(exclude=["created_by"])
    measure.save()
    audit(author, "defined a measure", measure, name=measure.name)
    return measure


@transaction.atomic
def measure_update(*, viewer: Any, measure: Measure, **fields: Any) -> Measure:
    access.require_steward(viewer)
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    previous = Measure(frequency=measure.frequency, breakdowns=list(measure.breakdowns))
    for name, value in fields.items():
        if name == "breakdowns":
            value = normalize_breakdowns(value)
        elif name == "slug":
            value = (value or "").strip().lower()
        elif name == "aggregation" and not value:
            value = default_aggregation(fields.get("kind", measure.kind))
        setattr(measure, name, value)
    _check_measure(measure, previous=previous)
    measure.updated_at = timezone.now()
    measure.full_clean(exclude=["created_by"])
    measure.save()
    audit(viewer, "edited a measure", measure, fields=sorted(fields))
    return measure


# Data points ------------------------------------------------------------------------------


@dataclass
class PointInput:
    """One figure as a person or a file gives it: text is fine everywhere."""

    measure: Measure | str | None
    period: Any
    value: Any
    group: Group | str | None = None
    site: str = ""
    breakdown: dict[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass
class CheckedPoint:
    label: Any
    measure: Measure
    period: date
    value: Decimal
    group: Group | None
    site: str
    breakdown: dict[str, str]
    breakdown_key: str
    note: str
    replaces: DataPoint | None = None


@dataclass(frozen=True)
class RowError:
    label: Any  # a row number in a file, or an index in a JSON list
    field: str
    message: str


def breakdown_key(breakdown: dict[str, str]) -> str:
    return "|".join(f"{k}={breakdown[k]}" for k in sorted(breakdown))


def can_change_point(viewer: Any, point: DataPoint) -> bool:
    return access.is_member(viewer) and (
        point.reported_by_id == viewer.pk or access.is_steward(viewer)
    )


def _clean_text(raw: Any) -> str:
    return " ".join(str(raw or "").split())


def _key(measure: Measure, period: date, group: Group | None, site: str, bkey: str) -> tuple:
    return (measure.pk, period, group.pk if group else None, site, bkey)


class _Lookups:
    """Everything a batch refers to, loaded in a handful of queries whatever its size."""

    def __init__(self, rows: Sequence[PointInput]) -> None:
        slugs = {r.measure.strip().lower() for r in rows if isinstance(r.measure, str)}
        self.measures = {m.slug: m for m in Measure.objects.filter(slug__in=slugs)}
        for r in rows:
            if isinstance(r.measure, Measure):
                self.measures[r.measure.slug] = r.measure
        group_slugs = {r.group.strip().lower() for r in rows if isinstance(r.group, str)}
        self.groups = {g.slug: g for g in Group.objects.filter(slug__in=group_slugs)}
        measure_ids = [m.pk for m in self.measures.values()]
        existing = DataPoint.objects.filter(measure_id__in=measure_ids)
        self.sites: dict[tuple[int, str], str] = {
            (mid, site.casefold()): site
            for mid, site in existing.values_list("measure_id", "site").distinct()
            if site
        }
        self.existing: dict[tuple, DataPoint] = {}
        self._existing_qs = existing

    def load_existing(self, periods: set[date]) -> None:
        found = self._existing_qs.filter(period__in=periods).select_related("reported_by")
        for point in found:
            key = (point.measure_id, point.period, point.group_id, point.site, point.breakdown_key)
            self.existing[key] = point


def _check_one(
    label: Any, row: PointInput, *, reporter: Any, look: _Lookups
) -> tuple[CheckedPoint | None, list[RowError]]:
    errors: list[RowError] = []

    def err(name: str, message: str) -> None:
        errors.append(RowError(label, name, message))

    measure: Measure | None
    if isinstance(row.measure, Measure):
        measure = row.measure
    else:
        slug = str(row.measure or "").strip().lower()
        measure = look.measures.get(slug)
        if not slug:
            err("measure", _("Name the measure (its short name)."))
        elif measure is None:
            err("measure", _("There is no measure “%(slug)s”.") % {"slug": slug[:80]})
    if measure is not None and not measure.active:
        err("measure", _("This measure is no longer reported; a steward can reopen it."))

    group: Group | None = None
    if isinstance(row.group, Group):
        group = row.group
    elif row.group and str(row.group).strip():
        gslug = str(row.group).strip().lower()
        group = look.groups.get(gslug)
        if group is None:
            err("group", _("There is no group “%(slug)s”.") % {"slug": gslug[:80]})
    if group is not None and not (
        access.is_steward(reporter) or access.is_group_member(reporter, group.pk)
    ):
        err("group", _("You can report only for groups you belong to."))
        group = None

    site = _clean_text(row.site)
    if len(site) > 150:
        err("site", _("Keep the site name under 150 characters."))
        site = site[:150]
    if measure is not None and site:
        site = look.sites.get((measure.pk, site.casefold()), site)  # keep one spelling
    if group is None and not site and not any(e.field == "group" for e in errors):
        err("site", _("Give a group or a site for this figure."))

    period: date | None = None
    if measure is not None:
        try:
            period = parse_period(row.period, measure.frequency)
        except ValueError as exc:
            err("period", str(exc))
    value: Decimal | None = None
    try:
        value = parse_value(row.value)
    except ValueError as exc:
        err("value", str(exc))

    breakdown: dict[str, str] = {}
    for raw_name, raw_value in (row.breakdown or {}).items():
        name = "_".join(str(raw_name).strip().lower().split())
        text = _clean_text(raw_value)
        if not text:
            continue
        if len(text) > 100:
            err(name or "breakdown", _("Keep breakdown values under 100 characters."))
            continue
        if measure is not None and name not in measure.breakdowns:
            err(
                name or "breakdown",
                _("This measure has no breakdown “%(name)s”.") % {"name": name[:40]},
            )
            continue
        breakdown[name] = text
    bkey = breakdown_key(breakdown)
    if len(bkey) > 300:
        err("breakdown", _("These breakdown values are too long."))
    note = str(row.note or "").strip()
    if len(note) > 500:
        err("note", _("Keep the note under 500 characters."))

    if errors or measure is None or period is None or value is None:
        return None, errors
    return (
        CheckedPoint(
            label=label,
            measure=measure,
            period=period,
            value=value,
            group=group,
            site=site,
            breakdown=breakdown,
            breakdown_key=bkey,
            note=note,
        ),
        [],
    )


def data_points_check(
    *, reporter: Any, rows: Sequence[tuple[Any, PointInput]], allow_replace: bool = True
) -> tuple[list[CheckedPoint], list[RowError]]:
    """Check every row; nothing is written. A row that repeats a figure already reported
    replaces it when `allow_replace` and the reporter may correct that figure."""
    access.require_member(reporter)
    look = _Lookups([row for _label, row in rows])
    checked: list[CheckedPoint] = []
    errors: list[RowError] = []
    for label, row in rows:
        point, row_errors = _check_one(label, row, reporter=reporter, look=look)
        errors += row_errors
        if point is not None:
            checked.append(point)
    look.load_existing({p.period for p in checked})
    seen: dict[tuple, Any] = {}
    for point in checked:
        key = _key(point.measure, point.period, point.group, point.site, point.breakdown_key)
        if key in seen:
            errors.append(
                RowError(
                    point.label,
                    "period",
                    _(
                        "Same measure, period, group, site and breakdown as row %(row)s: "
                        "keep one of them."
                    )
                    % {"row": seen[key]},
                )
            )
            continue
        seen[key] = point.label
        existing = look.existing.get(key)
        if existing is None:
            continue
        if not allow_replace:
            errors.append(
                RowError(
                    point.label,
                    "period",
                    _("A figure for this period is already in; correct that one instead."),
                )
            )
        elif not can_change_point(reporter, existing):
            errors.append(
                RowError(
                    point.label,
                    "period",
                    _(
                        "%(name)s already reported this figure; "
                        "only they or a steward may change it."
                    )
                    % {"name": existing.reported_by.name},
                )
            )
        else:
            point.replaces = existing
    errors.sort(key=lambda e: (_sort_label(e.label), e.field))
    return checked, errors


def _sort_label(label: Any) -> tuple[int, str]:
    return (label, "") if isinstance(label, int) else (0, str(label))


def errors_as_validation(errors: Sequence[RowError], *, prefix: str = "rows") -> ValidationError:
    messages: dict[str, list[str]] = {}
    for e in errors:
        name = f"{prefix}.{e.label}.{e.field}" if prefix else e.field
        messages.setdefault(name, []).append(e.message)
    return ValidationError(messages)


@dataclass
class ImportResult:
    created: list[DataPoint]
    replaced: list[DataPoint]


@transaction.atomic
def data_points_import(
    *, reporter: Any, rows: Sequence[tuple[Any, PointInput]], allow_replace: bool = True
) -> ImportResult:
    """Save every row, or none: one bad row stops the whole batch with its errors."""
    checked, errors = data_points_check(reporter=reporter, rows=rows, allow_replace=allow_replace)
    if errors:
        raise errors_as_validation(errors)
    if not checked:
        raise ValidationError({"rows": _("There are no rows to import.")})
    now = timezone.now()
    created: list[DataPoint] = []
    replaced: list[DataPoint] = []
    for point in checked:
        if point.replaces is not None:
            old = point.replaces
            old.value, old.note, old.updated_at = point.value, point.note, now
            old.save(update_fields=["value", "note", "updated_at"])
            replaced.append(old)
        else:
            created.append(
                DataPoint(
                    measure=point.measure,
                    period=point.period,
                    value=point.value,
                    group=point.group,
                    site=point.site,
                    breakdown=point.breakdown,
                    breakdown_key=point.breakdown_key,
                    note=point.note,
                    reported_by=reporter,
                    reported_at=now,
                    updated_at=now,
                )
            )
    created = DataPoint.objects.bulk_create(created)
    per_measure: dict[Measure, int] = {}
    for point in checked:
        per_measure[point.measure] = per_measure.get(point.measure, 0) + 1
    for measure, count in per_measure.items():
        audit(reporter, "imported data points", measure, rows=count)
    return ImportResult(created=created, replaced=replaced)


@transaction.atomic
def data_point_create(
    *,
    reporter: Any,
    measure: Measure,
    period: Any,
    value: Any,
    group: Group | str | None = None,
    site: str = "",
    breakdown: dict[str, Any] | None = None,
    note: str = "",
) -> DataPoint:
    row = PointInput(
        measure=measure,
        period=period,
        value=value,
        group=group,
        site=site,
        breakdown=breakdown or {},
        note=note,
    )
    checked, errors = data_points_check(reporter=reporter, rows=[(0, row)], allow_replace=False)
    if errors:
        raise errors_as_validation(errors, prefix="")
    p = checked[0]
    point = DataPoint(
        measure=p.measure,
        period=p.period,
        value=p.value,
        group=p.group,
        site=p.site,
        breakdown=p.breakdown,
        breakdown_key=p.breakdown_key,
        note=p.note,
        reported_by=reporter,
    )
    point.full_clean(exclude=["measure", "group", "reported_by"], validate_constraints=False)
    point.save()
    audit(reporter, "reported a data point", measure, point=point.pk, period=str(p.period))
    return point


@transaction.atomic
def data_point_update(
    *, viewer: Any, point: DataPoint, value: Any = None, note: str | None = None
) -> DataPoint:
    """Correct a figure: its reporter or a steward may."""
    if not can_change_point(viewer, point):
        raise PermissionDenied
    before = str(point.value)
    fields = ["updated_at"]
    if value is not None:
        try:
            point.value = parse_value(value)
        except ValueError as exc:
            raise ValidationError({"value": str(exc)}) from None
        fields.append("value")
    if note is not None:
        if len(note.strip()) > 500:
            raise ValidationError({"note": _("Keep the note under 500 characters.")})
        point.note = note.strip()
        fields.append("note")
    point.updated_at = timezone.now()
    point.save(update_fields=fields)
    audit(
        viewer,
        "corrected a data point",
        point.measure,
        point=point.pk,
        before=before,
        after=str(point.value),
    )
    return point


@transaction.atomic
def data_point_delete(*, viewer: Any, point: DataPoint) -> None:
    if not can_change_point(viewer, point):
        raise PermissionDenied
    audit(
        viewer,
        "deleted a data point",
        point.measure,
        point=point.pk,
        period=str(point.period),
        value=str(point.value),
        group=point.group_id,
        site=point.site,
        breakdown=point.breakdown,
    )
    point.delete()


# Links from ideas and test cycles -------------------------------------------------------------


@transaction.atomic
def measure_link(
    *, viewer: Any, measure: Measure, idea: Any = None, test_cycle: Any = None
) -> MeasureLink:
    """Say that an idea or a test cycle aims to move this measure. Any member who can see
    the idea or cycle may; linking twice keeps the first link."""
    access.require_member(viewer)
    target = idea if idea is not None else test_cycle
    if target is None or (idea is not None and test_cycle is not None):
        raise ValidationError({"idea": _("Choose one idea or one test cycle.")})
    if not access.can_contribute(viewer, target):
        raise PermissionDenied
    existing = MeasureLink.objects.filter(measure=measure, idea=idea, test_cycle=test_cycle)
    link = existing.first()
    if link is not None:
        return link
    link = MeasureLink.objects.create(
        measure=measure, idea=idea, test_cycle=test_cycle, linked_by=viewer
    )
    audit(viewer, "linked to a measure", target, measure=measure.slug)
    return link


def can_unlink(viewer: Any, link: MeasureLink) -> bool:
    target = link.idea or link.test_cycle
    return access.is_member(viewer) and (
        link.linked_by_id == viewer.pk
        or access.is_steward(viewer)
        or (target is not None and access.can_change(viewer, target))
    )


@transaction.atomic
def measure_unlink(*, viewer: Any, link: MeasureLink) -> None:
    if not can_unlink(viewer, link):
        raise PermissionDenied
    target = link.idea or link.test_cycle
    audit(viewer, "unlinked from a measure", target, measure=link.measure.slug)
    link.delete()
