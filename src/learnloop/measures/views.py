"""Pages for measures. Thin: parse, authorize, call one service or selector, render."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnloop.core import access
from learnloop.core.http import Request
from learnloop.core.viewtools import apply_errors
from learnloop.measures import charts, csvio, selectors, services
from learnloop.measures.forms import (
    ChooseMeasureForm,
    CorrectionForm,
    DataPointForm,
    LinkForm,
    MeasureForm,
    UploadForm,
)
from learnloop.measures.models import Measure
from learnloop.measures.periods import period_label
from learnloop.measures.services import PointInput

SESSION_KEY = "measures_upload"


# Measures ----------------------------------------------------------------------------------


@login_required
def measure_list(request: Request) -> HttpResponse:
    measures = list(selectors.measure_list(viewer=request.user))
    rows = selectors.measure_overview(viewer=request.user, measures=measures)
    for row in rows:
        row["spark"] = charts.run_chart(row["measure"], row["network"], size="spark")
    return render(request, "measures/measure_list.html", {"rows": rows})


def _measure_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "aggregation": data.get("aggregation") or None}


@login_required
def measure_create(request: Request) -> HttpResponse:
    access.require_steward(request.user)
    form = MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.measure_create(
                author=request.user, **_measure_fields(form.cleaned_data)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Measure defined. Groups and sites can report on it now."))
            return redirect(measure)
    return render(request, "measures/measure_form.html", {"form": form})


@login_required
def measure_edit(request: Request, slug: str) -> HttpResponse:
    measure = selectors.get_measure_for(request.user, slug, write=True)
    initial = {
        name: getattr(measure, name)
        for name in services.MEASURE_FIELDS
        if name not in ("breakdowns",)
    }
    initial["breakdowns"] = ", ".join(measure.breakdowns)
    form = MeasureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(
                viewer=request.user, measure=measure, **_measure_fields(form.cleaned_data)
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Measure saved."))
            return redirect(measure)
    return render(request, "measures/measure_form.html", {"form": form, "measure": measure})


@login_required
def measure_detail(request: Request, slug: str) -> HttpResponse:
    measure = selectors.get_measure_for(request.user, slug)
    board = selectors.measure_dashboard(
        viewer=request.user, measure=measure, series=request.GET.get("series") or None
    )
    csv_base = reverse("measures:chart_csv", args=[measure.slug])
    main = charts.run_chart(measure, board["chosen"])
    main["runs_note"] = charts.runs_note(board["chosen"])
    main["csv_url"] = f"{csv_base}?{urlencode({'series': main['key']})}"
    multiples = []
    for s in board["series_list"]:
        chart = charts.run_chart(measure, s, size="small")
        chart["runs_note"] = charts.runs_note(s)
        chart["csv_url"] = f"{csv_base}?{urlencode({'series': s.key})}"
        multiples.append(chart)
    equity = [
        {
            "name": b.name.replace("_", " "),
            "key": b.name,
            "title": _("%(measure)s by %(name)s")
            % {"measure": measure.name, "name": b.name.replace("_", " ")},
            "csv_url": f"{csv_base}?{urlencode({'breakdown': b.name})}",
            "chart": charts.multi_line(measure, b.lines),
            "latest_period": period_label(b.latest_period, measure.frequency)
            if b.latest_period
            else "",
            "latest_rows": [
                {**r, "value": charts.fmt(r["value"]), "gap": charts.fmt(r["gap"])}
                for r in b.latest_rows
            ],
        }
        for b in board["breakdowns"]
    ]
    link_form = LinkForm(
        ideas=selectors.linkable_ideas(viewer=request.user, measure=measure),
        cycles=selectors.linkable_test_cycles(viewer=request.user, measure=measure),
    )
    context = {
        "measure": measure,
        "board": board,
        "main": main,
        "multiples": multiples,
        "equity": equity,
        "link_form": link_form,
        "series_choice": board["chosen"].key,
        "is_steward_viewer": access.is_steward(request.user),
    }
    return render(request, "measures/measure_detail.html", context)


# Reporting ---------------------------------------------------------------------------------


@login_required
def report(request: Request, slug: str) -> HttpResponse:
    measure = selectors.get_measure_for(request.user, slug)
    form = DataPointForm(
        request.POST or None,
        viewer=request.user,
        measure=measure,
        initial={"site": request.user.site},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.data_point_create(
                reporter=request.user,
                measure=measure,
                period=data["period"],
                value=data["value"],
                group=data["group"],
                site=data["site"],
                breakdown=form.breakdown(),
                note=data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your figure is on the chart."))
            return redirect(measure)
    return render(request, "measures/report_form.html", {"form": form, "measure": measure})


def _store(request: Request, preview: csvio.Preview) -> str:
    token = uuid.uuid4().hex
    request.session[SESSION_KEY] = {
        "token": token,
        "rows": [
            {
                "n": r.number,
                "measure": r.point.measure.slug
                if isinstance(r.point.measure, Measure)
                else r.point.measure,
                "period": r.point.period,
                "value": r.point.value,
                "group": r.point.group,
                "site": r.point.site,
                "breakdown": r.point.breakdown,
                "note": r.point.note,
            }
            for r in preview.rows
        ],
    }
    return token


def _stored_rows(request: Request, token: str) -> list[tuple[int, PointInput]] | None:
    stored = request.session.get(SESSION_KEY)
    if not stored or stored.get("token") != token:
        return None
    return [
        (
            row["n"],
            PointInput(
                measure=row["measure"],
                period=row["period"],
                value=row["value"],
                group=row["group"],
                site=row["site"],
                breakdown=row["breakdown"],
                note=row["note"],
            ),
        )
        for row in stored["rows"]
    ]


def _preview_rows(preview: csvio.Preview) -> list[dict[str, Any]]:
    return [
        {
            "number": p.label,
            "measure": p.measure,
            "period": period_label(p.period, p.measure.frequency),
            "group": p.group,
            "site": p.site,
            "breakdown": ", ".join(f"{k}: {v}" for k, v in p.breakdown.items()),
            "value": charts.fmt(p.value),
            "replaces": charts.fmt(p.replaces.value) if p.replaces else "",
        }
        for p in preview.checked
    ]


@login_required
def upload(request: Request) -> HttpResponse:
    """Step 1: choose a file; we read and check every row and show what would be saved."""
    form = UploadForm(request.POST or None, request.FILES or None, initial=request.GET.dict())
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            preview = csvio.preview(
                reporter=request.user,
                data=upload_file.read(csvio.MAX_UPLOAD_BYTES + 1),
                measure=form.cleaned_data["measure"],
            )
        except csvio.UploadError as exc:
            form.add_error("file", str(exc))
        else:
            context.update({"preview": preview, "filename": upload_file.name})
            if preview.ok:
                context["token"] = _store(request, preview)
                context["preview_rows"] = _preview_rows(preview)
    return render(request, "measures/upload.html", context)


@login_required
@require_POST
def upload_confirm(request: Request) -> HttpResponse:
    """Step 2: save every checked row, or none."""
    rows = _stored_rows(request, request.POST.get("token", ""))
    if rows is None:
        messages.error(request, _("This preview has expired; please upload the file again."))
        return redirect("measures:upload")
    try:
        result = services.data_points_import(reporter=request.user, rows=rows)
    except ValidationError:
        messages.error(
            request,
            _(
                "The data changed since the preview, and some rows no longer fit. Nothing was "
                "imported; please upload the file again."
            ),
        )
        return redirect("measures:upload")
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        _("Imported %(new)d new figures and corrected %(old)d.")
        % {"new": len(result.created), "old": len(result.replaced)},
    )
    measures = {p.measure for p in [*result.created, *result.replaced]}
    if len(measures) == 1:
        return redirect(measures.pop())
    return redirect("measures:list")


@login_required
def upload_template(request: Request) -> HttpResponse:
    measure = (
        selectors.get_measure_for(request.user, request.GET["measure"])
        if request.GET.get("measure")
        else None
    )
    extra = list(measure.breakdowns) if measure else []
    example = [measure.slug if measure else "measure-short-name", "2025-01", "", "", ""]
    return csvio.csv_response(
        f"{measure.slug if measure else 'measures'}-template.csv",
        ["measure", "period", "group", "site", *extra, "value", "note"],
        [example[:4] + [""] * len(extra) + ["0", ""]],
    )


@login_required
def point_edit(request: Request, pk: int) -> HttpResponse:
    point = selectors.get_point_for(request.user, pk, write=True)
    form = CorrectionForm(
        request.POST or None, initial={"value": charts.fmt(point.value), "note": point.note}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.data_point_update(
                viewer=request.user,
                point=point,
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Figure corrected."))
            return redirect(point.measure)
    return render(
        request,
        "measures/point_form.html",
        {
            "form": form,
            "point": point,
            "period": period_label(point.period, point.measure.frequency),
        },
    )


@login_required
@require_POST
def point_delete(request: Request, pk: int) -> HttpResponse:
    point = selectors.get_point_for(request.user, pk, write=True)
    measure = point.measure
    services.data_point_delete(viewer=request.user, point=point)
    messages.success(request, _("Figure deleted."))
    return redirect(measure)


# CSV downloads -----------------------------------------------------------------------------


@login_required
def data_csv(request: Request, slug: str) -> HttpResponse:
    """Every figure of a measure, in the same columns the upload reads."""
    measure = selectors.get_measure_for(request.user, slug)
    points = selectors.data_point_list(viewer=request.user, measure=measure)
    names = list(measure.breakdowns)
    return csvio.csv_response(
        f"{measure.slug}.csv",
        ["measure", "period", "group", "site", *names, "value", "note", "reported_by"],
        (
            [
                measure.slug,
                p.period.isoformat(),
                p.group.slug if p.group else "",
                p.site,
                *[p.breakdown.get(n, "") for n in names],
                charts.fmt(p.value),
                p.note,
                p.reported_by.username,
            ]
            for p in points
        ),
    )


@login_required
def chart_csv(request: Request, slug: str) -> HttpResponse:
    """The data behind one chart: a run chart (?series=…, the network by default) with its
    median and signals, or a breakdown (?breakdown=name) with one column per value."""
    measure = selectors.get_measure_for(request.user, slug)
    board = selectors.measure_dashboard(
        viewer=request.user, measure=measure, series=request.GET.get("series") or None
    )
    wanted = request.GET.get("breakdown")
    for b in board["breakdowns"]:
        if b.name == wanted:
            chart = charts.multi_line(measure, b.lines)
            return csvio.csv_response(
                f"{measure.slug}-{b.name}.csv",
                ["period", *[line["label"] for line in chart["lines"]]],
                ([row["label"], *row["cells"]] for row in chart["table"]),
            )
    series = board["chosen"]
    chart = charts.run_chart(measure, series)
    return csvio.csv_response(
        f"{measure.slug}-{slugify(series.key) or 'series'}.csv",
        ["series", "period", "value", "figures", "median", "signals"],
        (
            [
                series.label,
                p["label"],
                p["value"],
                p["count"],
                chart["median"],
                "; ".join(p["signal_labels"]),
            ]
            for p in chart["points"]
        ),
    )


# Links from ideas and test cycles ----------------------------------------------------------


def _target(request: Request, source: Any) -> tuple[Any, Any]:
    from learnloop.consolidation.selectors import get_idea_for
    from learnloop.generation.selectors import get_test_cycle_for

    idea_id, cycle_id = source.get("idea"), source.get("test_cycle")
    idea = get_idea_for(request.user, idea_id) if idea_id else None
    cycle = get_test_cycle_for(request.user, cycle_id) if cycle_id and not idea else None
    return idea, cycle


@login_required
@require_POST
def measure_link_add(request: Request, slug: str) -> HttpResponse:
    measure = selectors.get_measure_for(request.user, slug)
    idea, cycle = _target(request, request.POST)
    try:
        services.measure_link(viewer=request.user, measure=measure, idea=idea, test_cycle=cycle)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Linked: its charts now show on the idea's page."))
    return redirect(f"{measure.get_absolute_url()}#links")


@login_required
def link_page(request: Request) -> HttpResponse:
    """From an idea or a test cycle: choose the measure it aims to move."""
    idea, cycle = _target(request, request.GET)
    target = idea or cycle
    if target is None:
        return redirect("measures:list")
    form = ChooseMeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_link(
                viewer=request.user,
                measure=form.cleaned_data["measure"],
                idea=idea,
                test_cycle=cycle,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Linked to the measure."))
            return redirect(target)
    return render(
        request,
        "measures/link_form.html",
        {"form": form, "target": target, "is_idea": idea is not None},
    )


@login_required
@require_POST
def link_remove(request: Request, pk: int) -> HttpResponse:
    link = selectors.get_link_for(request.user, pk, write=True)
    services.measure_unlink(viewer=request.user, link=link)
    messages.success(request, _("Link removed."))
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect(link.measure)
