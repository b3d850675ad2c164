"""API for measures, data points and run charts. Members only: every endpoint answers 401
without credentials, like the web pages send visitors to the login page."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from learnloop.core.api_support import MEMBER_AUTH, Pagination, member
from learnloop.core.schemas import GroupRef, PersonRef
from learnloop.measures import charts, selectors, services
from learnloop.measures.models import Aggregation, Direction, Frequency, MeasureKind
from learnloop.measures.periods import period_label
from learnloop.measures.services import PointInput

router = Router(auth=MEMBER_AUTH)
MAX_BULK_ROWS = 5000


class MeasureOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    kind: MeasureKind
    unit: str
    direction: Direction
    target: float | None = None
    frequency: Frequency
    aggregation: Aggregation
    breakdowns: list[str]
    active: bool
    created_by: PersonRef
    created_at: datetime
    url: str

    @staticmethod
    def resolve_target(obj: Any) -> float | None:
        return float(obj.target) if obj.target is not None else None

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class MeasureIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    slug: str = ""
    description: str = ""
    kind: MeasureKind = MeasureKind.OUTCOME
    unit: str = ""
    direction: Direction = Direction.HIGHER
    target: Decimal | None = None
    frequency: Frequency = Frequency.MONTHLY
    aggregation: Aggregation | None = None
    breakdowns: list[str] = []
    active: bool = True


class MeasurePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    slug: str | None = None
    description: str | None = None
    kind: MeasureKind | None = None
    unit: str | None = None
    direction: Direction | None = None
    target: Decimal | None = None
    frequency: Frequency | None = None
    aggregation: Aggregation | None = None
    breakdowns: list[str] | None = None
    active: bool | None = None


class DataPointOut(Schema):
    id: int
    measure: str
    period: date
    period_label: str
    value: float
    group: GroupRef | None = None
    site: str
    breakdown: dict[str, str]
    note: str
    reported_by: PersonRef
    reported_at: datetime

    @staticmethod
    def resolve_measure(obj: Any) -> str:
        return obj.measure.slug

    @staticmethod
    def resolve_period_label(obj: Any) -> str:
        return period_label(obj.period, obj.measure.frequency)

    @staticmethod
    def resolve_value(obj: Any) -> float:
        return float(obj.value)


class DataPointIn(Schema):
    period: str | date = Field(..., description="2024-03-01, 2024-03, 2024-Q1 or 2024-W11")
    value: float | str
    group: str | None = Field(None, description="the group's short name (slug)")
    site: str = ""
    breakdown: dict[str, str] = {}
    note: str = ""


class BulkRow(DataPointIn):
    measure: str = Field(..., description="the measure's short name (slug)")


class BulkIn(Schema):
    rows: list[BulkRow]


class BulkOut(Schema):
    created: int
    replaced: int


class DataPointPatch(Schema):
    value: float | str | None = None
    note: str | None = None


class PointFilters(Schema):
    group: str | None = Field(None, description="a group's short name")
    site: str | None = None
    start: date | None = Field(None, alias="from")
    end: date | None = Field(None, alias="to")


class LinkIn(Schema):
    idea_id: int | None = None
    test_cycle_id: int | None = None


class LinkOut(Schema):
    id: int
    measure: str
    idea_id: int | None = None
    test_cycle_id: int | None = None
    linked_by: PersonRef
    linked_at: datetime

    @staticmethod
    def resolve_measure(obj: Any) -> str:
        return obj.measure.slug


@router.get("/measures", response=list[MeasureOut])
@paginate(Pagination)
def list_measures(request: HttpRequest, active: bool | None = None) -> Any:
    return selectors.measure_list(viewer=member(request), active=active).select_related(
        "created_by"
    )


@router.post("/measures", response={201: MeasureOut})
def create_measure(request: HttpRequest, payload: MeasureIn) -> Any:
    return Status(201, services.measure_create(author=member(request), **payload.dict()))


@router.get("/measures/{slug}", response=MeasureOut)
def get_measure(request: HttpRequest, slug: str) -> Any:
    return selectors.get_measure_for(member(request), slug)


@router.patch("/measures/{slug}", response=MeasureOut)
def update_measure(request: HttpRequest, slug: str, payload: MeasurePatch) -> Any:
    person = member(request)
    measure = selectors.get_measure_for(person, slug, write=True)
    return services.measure_update(
        viewer=person, measure=measure, **payload.dict(exclude_unset=True)
    )


@router.get("/measures/{slug}/data-points", response=list[DataPointOut])
@paginate(Pagination)
def list_data_points(request: HttpRequest, slug: str, filters: Query[PointFilters]) -> Any:
    person = member(request)
    measure = selectors.get_measure_for(person, slug)
    return selectors.data_point_list(
        viewer=person,
        measure=measure,
        group=filters.group,
        site=filters.site,
        start=filters.start,
        end=filters.end,
    )


@router.post("/measures/{slug}/data-points", response={201: DataPointOut})
def create_data_point(request: HttpRequest, slug: str, payload: DataPointIn) -> Any:
    person = member(request)
    measure = selectors.get_measure_for(person, slug)
    point = services.data_point_create(
        reporter=person,
        measure=measure,
        period=payload.period,
        value=payload.value,
        group=payload.group,
        site=payload.site,
        breakdown=payload.breakdown,
        note=payload.note,
    )
    return Status(201, selectors.get_point_for(person, point.pk))


@router.post("/data-points", response={201: BulkOut})
def bulk_data_points(request: HttpRequest, payload: BulkIn) -> Any:
    """Many figures at once, all or nothing. Errors name the row by its index in `rows`
    (from 0), e.g. `rows.3.value`. A row for a figure already reported replaces it when
    you reported it (or are a steward)."""
    person = member(request)
    if len(payload.rows) > MAX_BULK_ROWS:
        raise ValidationError({"rows": _("At most %(n)d rows per request.") % {"n": MAX_BULK_ROWS}})
    rows = [
        (
            i,
            PointInput(
                measure=row.measure,
                period=row.period,
                value=row.value,
                group=row.group,
                site=row.site,
                breakdown=row.breakdown,
                note=row.note,
            ),
        )
        for i, row in enumerate(payload.rows)
    ]
    result = services.data_points_import(reporter=person, rows=rows)
    return Status(201, {"created": len(result.created), "replaced": len(result.replaced)})


@router.patch("/data-points/{pk}", response=DataPointOut)
def update_data_point(request: HttpRequest, pk: int, payload: DataPointPatch) -> Any:
    person = member(request)
    point = selectors.get_point_for(person, pk, write=True)
    services.data_point_update(viewer=person, point=point, **payload.dict(exclude_unset=True))
    return selectors.get_point_for(person, pk)


@router.delete("/data-points/{pk}", response={204: None})
def delete_data_point(request: HttpRequest, pk: int) -> Any:
    person = member(request)
    services.data_point_delete(viewer=person, point=selectors.get_point_for(person, pk, write=True))
    return Status(204, None)


@router.get("/measures/{slug}/runchart")
def get_runchart(request: HttpRequest, slug: str, series: str | None = None) -> Any:
    """One run chart (the network figure unless `series` names a group or site, e.g.
    `group:north-team` or `site:North High`): points, median and signals."""
    person = member(request)
    measure = selectors.get_measure_for(person, slug)
    board = selectors.measure_dashboard(viewer=person, measure=measure, series=series)
    chosen = board["chosen"]
    chart = charts.run_chart(measure, chosen)
    analysis = chosen.analysis
    runs = analysis.runs if analysis else None

    def span(s: Any) -> dict[str, Any]:
        return {
            "direction": s.direction,
            "from": chart["points"][s.start]["period"],
            "to": chart["points"][s.end]["period"],
            "periods": [chart["points"][i]["period"] for i in s.indices],
        }

    return {
        "measure": measure.slug,
        "series": chosen.key,
        "label": chosen.label,
        "aggregation": measure.aggregation,
        "series_available": [{"key": s.key, "label": s.label} for s in board["series_list"]],
        "median": float(analysis.median) if analysis and analysis.median is not None else None,
        "points": [
            {
                "period": p["period"],
                "label": p["label"],
                "value": float(p["value"]),
                "figures": p["count"],
                "signals": p["signals"],
            }
            for p in chart["points"]
        ],
        "signals": {
            "shifts": [span(s) for s in (analysis.shifts if analysis else [])],
            "trends": [span(s) for s in (analysis.trends if analysis else [])],
            "runs": {
                "useful_observations": runs.useful,
                "runs": runs.runs,
                "lower_limit": runs.lower,
                "upper_limit": runs.upper,
                "verdict": runs.verdict,
            }
            if runs
            else None,
            "astronomical": [chart["points"][i]["period"] for i in analysis.astronomical]
            if analysis
            else [],
        },
        "explanations": chart["signals"],
    }


@router.post("/measures/{slug}/links", response={201: LinkOut})
def link_measure(request: HttpRequest, slug: str, payload: LinkIn) -> Any:
    from learnloop.consolidation.selectors import get_idea_for
    from learnloop.generation.selectors import get_test_cycle_for

    person = member(request)
    measure = selectors.get_measure_for(person, slug)
    idea = get_idea_for(person, payload.idea_id) if payload.idea_id else None
    cycle = get_test_cycle_for(person, payload.test_cycle_id) if payload.test_cycle_id else None
    link = services.measure_link(viewer=person, measure=measure, idea=idea, test_cycle=cycle)
    return Status(201, link)


@router.delete("/measure-links/{pk}", response={204: None})
def unlink_measure(request: HttpRequest, pk: int) -> Any:
    person = member(request)
    services.measure_unlink(viewer=person, link=selectors.get_link_for(person, pk, write=True))
    return Status(204, None)
