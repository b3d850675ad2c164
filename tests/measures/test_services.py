"""Defining measures, reporting and correcting figures, links: the rules in services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from learnloop.core.models import AuditEvent, Visibility
from learnloop.measures.models import DataPoint, MeasureLink
from learnloop.measures.periods import parse_period, parse_value, period_label
from learnloop.measures.services import (
    PointInput,
    data_point_create,
    data_point_delete,
    data_point_update,
    data_points_check,
    data_points_import,
    measure_create,
    measure_link,
    measure_unlink,
    measure_update,
)
from tests.factories import IdeaFactory, TestCycleFactory

pytestmark = pytest.mark.django_db


def test_only_stewards_define_measures(member, steward):
    with pytest.raises(PermissionDenied):
        measure_create(author=member, name="Calls made")
    measure = measure_create(author=steward, name="Calls made", kind="process")
    assert (measure.slug, measure.aggregation) == ("calls-made", "sum")
    assert AuditEvent.objects.filter(verb="defined a measure").count() == 1


def test_outcome_measures_default_to_the_mean(measure):
    assert measure.aggregation == "mean"


def test_measure_rules_name_the_field(steward, measure):
    with pytest.raises(ValidationError) as exc:
        measure_create(author=steward, name="Another", slug="attendance")
    assert "slug" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        measure_create(author=steward, name="X", breakdowns="site")
    assert "breakdowns" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        measure_create(author=steward, name="Y", slug="upload")
    assert "slug" in exc.value.message_dict


def test_frequency_and_used_breakdowns_are_fixed_once_data_exists(steward, year_of_data):
    with pytest.raises(ValidationError) as exc:
        measure_update(viewer=steward, measure=year_of_data, frequency="weekly")
    assert "frequency" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        measure_update(viewer=steward, measure=year_of_data, breakdowns=[])
    assert "breakdowns" in exc.value.message_dict
    updated = measure_update(viewer=steward, measure=year_of_data, breakdowns="population, Grade")
    assert updated.breakdowns == ["population", "grade"]


def test_periods_are_filed_under_their_first_day():
    assert parse_period("2024-03-17", "monthly") == date(2024, 3, 1)
    assert parse_period("17/03/2024", "monthly") == date(2024, 3, 1)
    assert parse_period("2024-Q2", "quarterly") == date(2024, 4, 1)
    assert parse_period("2024-05-20", "quarterly") == date(2024, 4, 1)
    assert parse_period("2024-W11", "weekly") == date(2024, 3, 11)
    assert parse_period("2024-03-14", "weekly") == date(2024, 3, 11)
    assert period_label(date(2024, 3, 11), "weekly") == "2024-W11"
    assert period_label(date(2024, 4, 1), "quarterly") == "2024-Q2"
    with pytest.raises(ValueError):
        parse_period("March", "monthly")
    with pytest.raises(ValueError):
        parse_period("2024-13", "monthly")


def test_values_accept_decimal_commas_and_percent_signs():
    assert parse_value("12,5") == Decimal("12.5")
    assert parse_value(" 91.5% ") == Decimal("91.5")
    assert parse_value(3) == Decimal("3")
    for bad in ["", "abc", "1,000,5", "NaN", "inf", "1e20", True]:
        with pytest.raises(ValueError):
            parse_value(bad)


def test_member_reports_for_their_group(owner, group, measure):
    point = data_point_create(
        reporter=owner, measure=measure, period="2024-01-15", value="88,5", group=group
    )
    assert (point.period, point.value, point.group, point.site) == (
        date(2024, 1, 1),
        Decimal("88.5"),
        group,
        "",
    )
    assert AuditEvent.objects.filter(verb="reported a data point").count() == 1


def test_member_cannot_report_for_another_group(outsider, group, measure):
    with pytest.raises(ValidationError) as exc:
        data_point_create(
            reporter=outsider, measure=measure, period="2024-01", value=1, group=group
        )
    assert exc.value.message_dict == {"group": ["You can report only for groups you belong to."]}
    assert DataPoint.objects.count() == 0


def test_steward_reports_for_any_group(steward, group, measure):
    data_point_create(reporter=steward, measure=measure, period="2024-01", value=1, group=group)
    assert DataPoint.objects.count() == 1


def test_without_a_group_a_site_is_needed(outsider, measure):
    with pytest.raises(ValidationError) as exc:
        data_point_create(reporter=outsider, measure=measure, period="2024-01", value=1)
    assert "site" in exc.value.message_dict
    point = data_point_create(
        reporter=outsider, measure=measure, period="2024-01", value=1, site="  East   Middle "
    )
    assert point.site == "East Middle"


def test_site_spelling_follows_the_first_report(owner, outsider, measure):
    data_point_create(reporter=owner, measure=measure, period="2024-01", value=1, site="East Mid")
    point = data_point_create(
        reporter=outsider, measure=measure, period="2024-02", value=1, site="east mid"
    )
    assert point.site == "East Mid"


def test_one_figure_per_period_group_site_and_breakdown(owner, group, measure):
    data_point_create(reporter=owner, measure=measure, period="2024-01", value=1, group=group)
    with pytest.raises(ValidationError) as exc:
        data_point_create(
            reporter=owner, measure=measure, period="2024-01-20", value=2, group=group
        )
    assert "period" in exc.value.message_dict
    data_point_create(
        reporter=owner,
        measure=measure,
        period="2024-01",
        value=2,
        group=group,
        breakdown={"Population": "English learners"},
    )
    keys = sorted(DataPoint.objects.values_list("breakdown_key", flat=True))
    assert keys == ["", "population=English learners"]


def test_unknown_breakdown_is_refused(owner, group, measure):
    with pytest.raises(ValidationError) as exc:
        data_point_create(
            reporter=owner,
            measure=measure,
            period="2024-01",
            value=1,
            group=group,
            breakdown={"grade": "9"},
        )
    assert "grade" in exc.value.message_dict


def test_inactive_measure_takes_no_figures(owner, group, steward, measure):
    measure_update(viewer=steward, measure=measure, active=False)
    with pytest.raises(ValidationError) as exc:
        data_point_create(reporter=owner, measure=measure, period="2024-01", value=1, group=group)
    assert "measure" in exc.value.message_dict


def test_bulk_is_all_or_nothing_with_row_errors(owner, group, measure):
    rows = [
        (
            0,
            PointInput(
                measure="attendance", period="2024-01", value="90", group="attendance-circle"
            ),
        ),
        (
            1,
            PointInput(
                measure="attendance", period="2024-02", value="lots", group="attendance-circle"
            ),
        ),
        (2, PointInput(measure="nope", period="2024-03", value="1", group="attendance-circle")),
    ]
    with pytest.raises(ValidationError) as exc:
        data_points_import(reporter=owner, rows=rows)
    assert set(exc.value.message_dict) == {"rows.1.value", "rows.2.measure"}
    assert DataPoint.objects.count() == 0


def test_bulk_repeats_in_one_batch_are_refused(owner, group, measure):
    row = PointInput(measure="attendance", period="2024-01", value="90", group="attendance-circle")
    _checked, errors = data_points_check(reporter=owner, rows=[(2, row), (3, row)])
    assert [(e.label, e.field) for e in errors] == [(3, "period")]
    assert "row 2" in errors[0].message


def test_bulk_replaces_own_figures_but_not_others(owner, member, group, measure):
    data_point_create(reporter=owner, measure=measure, period="2024-01", value=1, group=group)
    row = PointInput(measure="attendance", period="2024-01", value="2", group="attendance-circle")
    with pytest.raises(ValidationError):
        data_points_import(reporter=member, rows=[(0, row)])
    result = data_points_import(reporter=owner, rows=[(0, row)])
    assert (len(result.created), len(result.replaced)) == (0, 1)
    assert DataPoint.objects.get().value == Decimal("2")


def test_bulk_check_uses_a_fixed_number_of_queries(
    owner, group, measure, django_assert_max_num_queries
):
    rows = [
        (
            i,
            PointInput(
                measure="attendance",
                period=f"20{10 + i // 12}-{i % 12 + 1:02d}",
                value=i,
                group="attendance-circle",
            ),
        )
        for i in range(120)
    ]
    with django_assert_max_num_queries(6):
        checked, errors = data_points_check(reporter=owner, rows=rows)
    assert (len(checked), errors) == (120, [])


def test_reporter_or_steward_corrects_and_deletes(owner, member, steward, group, measure):
    point = data_point_create(
        reporter=owner, measure=measure, period="2024-01", value=1, group=group
    )
    with pytest.raises(PermissionDenied):
        data_point_update(viewer=member, point=point, value="3")
    data_point_update(viewer=owner, point=point, value="3", note="Recounted")
    point.refresh_from_db()
    assert (point.value, point.note) == (Decimal("3"), "Recounted")
    event = AuditEvent.objects.get(verb="corrected a data point")
    assert (event.data["before"], event.data["after"]) == ("1.0000", "3.0000")
    with pytest.raises(PermissionDenied):
        data_point_delete(viewer=member, point=point)
    data_point_delete(viewer=steward, point=point)
    assert DataPoint.objects.count() == 0
    assert AuditEvent.objects.get(verb="deleted a data point").data["value"] == "3.0000"


def test_links_from_ideas_and_test_cycles(owner, member, outsider, group, measure):
    idea = IdeaFactory(author=owner, group=group, visibility=Visibility.GROUP)
    cycle = TestCycleFactory(author=owner)
    with pytest.raises(PermissionDenied):
        measure_link(viewer=outsider, measure=measure, idea=idea)
    link = measure_link(viewer=member, measure=measure, idea=idea)
    assert measure_link(viewer=owner, measure=measure, idea=idea) == link
    measure_link(viewer=outsider, measure=measure, test_cycle=cycle)
    assert MeasureLink.objects.count() == 2
    with pytest.raises(PermissionDenied):
        measure_unlink(viewer=outsider, link=link)
    measure_unlink(viewer=owner, link=link)  # the idea's author may
    assert MeasureLink.objects.count() == 1
