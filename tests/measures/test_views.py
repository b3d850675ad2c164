"""Measure pages: who may see and change what, what the dashboard shows, and how fast."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learnloop.core.models import Visibility
from learnloop.measures.models import DataPoint, Measure, MeasureLink
from learnloop.measures.services import data_point_create, measure_link
from tests.core.a11y import problems
from tests.factories import IdeaFactory, TestCycleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def point(owner, group, measure):
    return data_point_create(
        reporter=owner, measure=measure, period="2024-01", value=80, group=group
    )


MEMBER_PAGES = [
    ("measures:list", []),
    ("measures:detail", ["attendance"]),
    ("measures:report", ["attendance"]),
    ("measures:upload", []),
    ("measures:data_csv", ["attendance"]),
    ("measures:chart_csv", ["attendance"]),
    ("measures:upload_template", []),
]


@pytest.mark.parametrize(("name", "args"), MEMBER_PAGES)
def test_anonymous_is_sent_to_log_in(anon_client, measure, name, args):
    response = anon_client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert "/login" in response["Location"]


@pytest.mark.parametrize(("name", "args"), MEMBER_PAGES)
def test_every_member_sees_the_shared_measures(outsider_client, measure, name, args):
    assert outsider_client.get(reverse(name, args=args)).status_code == 200


def test_unknown_measure_is_404(member_client):
    assert member_client.get(reverse("measures:detail", args=["nope"])).status_code == 404


def test_only_stewards_define_and_edit(member_client, steward_client, measure):
    assert member_client.get(reverse("measures:create")).status_code == 403
    assert member_client.post(reverse("measures:create"), {"name": "X"}).status_code == 403
    assert member_client.get(reverse("measures:edit", args=["attendance"])).status_code == 403
    assert steward_client.get(reverse("measures:edit", args=["attendance"])).status_code == 200


def test_steward_defines_a_measure(steward_client):
    response = steward_client.post(
        reverse("measures:create"),
        {
            "name": "Families reached",
            "kind": "process",
            "direction": "higher",
            "frequency": "weekly",
            "unit": "families",
            "breakdowns": "Language, population",
            "active": "on",
        },
    )
    measure = Measure.objects.get(name="Families reached")
    assert response["Location"] == measure.get_absolute_url()
    assert (measure.aggregation, measure.breakdowns) == ("sum", ["language", "population"])


def test_bad_measure_keeps_what_was_typed(steward_client, measure):
    response = steward_client.post(
        reverse("measures:create"),
        {
            "name": "Ninth-grade attendance",
            "description": "Typed with care",
            "kind": "outcome",
            "direction": "higher",
            "frequency": "monthly",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Typed with care" in html
    assert "Another measure already" in html


def test_steward_edits_a_measure(steward_client, measure):
    response = steward_client.post(
        reverse("measures:edit", args=["attendance"]),
        {
            "name": "Attendance",
            "slug": "attendance",
            "kind": "outcome",
            "direction": "higher",
            "frequency": "monthly",
            "target": "96",
            "breakdowns": "population",
            "active": "on",
        },
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.name, str(measure.target)) == ("Attendance", "96.0000")


def test_quick_report_form(owner_client, group, measure):
    response = owner_client.post(
        reverse("measures:report", args=["attendance"]),
        {"period": "2024-03-12", "value": "91,2", "group": group.pk, "bd_population": "All"},
    )
    assert response.status_code == 302
    point = DataPoint.objects.get()
    assert (str(point.period), point.breakdown) == ("2024-03-01", {"population": "All"})


def test_quick_report_errors_keep_input(outsider_client, measure):
    response = outsider_client.post(
        reverse("measures:report", args=["attendance"]),
        {"period": "someday", "value": "many", "site": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "is not a period we can read" in html
    assert "is not a number" in html
    assert 'value="many"' in html
    assert DataPoint.objects.count() == 0


def test_quick_report_offers_only_own_groups(outsider_client, group, measure):
    response = outsider_client.get(reverse("measures:report", args=["attendance"]))
    assert group.name not in response.content.decode()


def test_point_correction_permissions(point, member_client, owner_client, steward_client):
    url = reverse("measures:point_edit", args=[point.pk])
    assert member_client.get(url).status_code == 403
    assert member_client.post(reverse("measures:point_delete", args=[point.pk])).status_code == 403
    assert owner_client.get(url).status_code == 200
    assert steward_client.get(url).status_code == 200
    assert owner_client.post(url, {"value": "82", "note": "typo"}).status_code == 302
    point.refresh_from_db()
    assert str(point.value) == "82.0000"


def test_point_delete_by_reporter(point, owner_client):
    response = owner_client.post(reverse("measures:point_delete", args=[point.pk]))
    assert response.status_code == 302
    assert DataPoint.objects.count() == 0


def test_unknown_point_is_404(member_client, anon_client):
    assert member_client.get(reverse("measures:point_edit", args=[999])).status_code == 404
    assert anon_client.get(reverse("measures:point_edit", args=[999])).status_code == 302


def test_dashboard_shows_run_chart_signals_table_and_breakdown(owner_client, year_of_data):
    response = owner_client.get(reverse("measures:detail", args=["attendance"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="chart chart-large"' in html
    assert '<title id="main-t">' in html
    assert "median-line" in html
    assert "signal-shift" in html
    assert (
        "Shift: 6 points in a row above the median, from 2024-07 to 2024-12 "
        "(in the better direction)." in html
    )
    assert "Data table" in html
    assert "By population: where are the gaps?" in html
    assert "English learners" in html
    assert "Groups and sites side by side" in html
    assert "The network figure for each period is the mean" in html


def test_dashboard_filters_one_series(owner_client, year_of_data, group):
    url = reverse("measures:detail", args=["attendance"]) + "?series=group:attendance-circle"
    response = owner_client.get(url)
    assert response.context["main"]["key"] == "group:attendance-circle"
    unknown = owner_client.get(reverse("measures:detail", args=["attendance"]) + "?series=zzz")
    assert unknown.context["main"]["key"] == "network"


def test_latest_gap_table(owner_client, year_of_data):
    response = owner_client.get(reverse("measures:detail", args=["attendance"]))
    (equity,) = response.context["equity"]
    # Only one population value is reported, so no gap can be computed yet.
    assert equity["latest_rows"] == []


def test_latest_gap_with_two_populations(owner, owner_client, group, year_of_data):
    data_point_create(
        reporter=owner,
        measure=year_of_data,
        period="2024-12",
        value=90,
        group=group,
        breakdown={"population": "All other students"},
    )
    response = owner_client.get(reverse("measures:detail", args=["attendance"]))
    (equity,) = response.context["equity"]
    assert equity["latest_period"] == "2024-12"
    assert [(r["label"], r["gap"]) for r in equity["latest_rows"]] == [
        ("All other students", "0"),
        ("English learners", "7"),
    ]


def test_dashboard_is_accessible(owner_client, year_of_data):
    html = owner_client.get(reverse("measures:detail", args=["attendance"])).content.decode()
    assert problems(html) == []


@pytest.mark.parametrize(
    "name", ["measures:list", "measures:upload", "measures:create", "measures:report"]
)
def test_other_pages_are_accessible(steward_client, measure, name):
    args = ["attendance"] if name == "measures:report" else []
    assert problems(steward_client.get(reverse(name, args=args)).content.decode()) == []


def test_upload_error_and_preview_pages_are_accessible(owner_client, measure):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = b"measure,period,value\nattendance,2024-01,x\n"
    response = owner_client.post(
        reverse("measures:upload"), {"file": SimpleUploadedFile("a.csv", bad), "measure": ""}
    )
    assert problems(response.content.decode()) == []


def test_list_query_count_does_not_grow(
    steward, owner_client, year_of_data, django_assert_max_num_queries
):
    from learnloop.measures.services import measure_create

    for i in range(5):
        measure_create(author=steward, name=f"Measure {i}")
    with django_assert_max_num_queries(10):
        response = owner_client.get(reverse("measures:list"))
    assert response.status_code == 200
    assert response.content.decode().count('class="chart chart-spark"') == 6


def test_dashboard_query_count(owner, owner_client, year_of_data, django_assert_max_num_queries):
    for _i in range(5):
        idea = IdeaFactory(author=owner)
        measure_link(viewer=owner, measure=year_of_data, idea=idea)
    with django_assert_max_num_queries(14):
        response = owner_client.get(reverse("measures:detail", args=["attendance"]))
    assert len(response.context["board"]["links"]) == 5


def test_data_csv_has_bom_and_upload_columns(owner_client, year_of_data):
    response = owner_client.get(reverse("measures:data_csv", args=["attendance"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "measure,period,group,site,population,value,note,reported_by"
    assert lines[1] == "attendance,2024-01-01,attendance-circle,,,80,,olu"
    assert len(lines) == 25


def test_chart_csv_for_run_chart_and_breakdown(owner_client, year_of_data):
    url = reverse("measures:chart_csv", args=["attendance"])
    run = owner_client.get(url).content.decode("utf-8-sig").splitlines()
    assert run[0] == "series,period,value,figures,median,signals"
    assert run[-1] == "Whole network (mean),2024-12,90,1,85.5,Shift"
    by_population = owner_client.get(url + "?breakdown=population").content.decode("utf-8-sig")
    assert by_population.splitlines()[:2] == ["period,English learners", "2024-01,70"]


def test_csv_cells_that_look_like_formulas_are_defused(owner, owner_client, measure):
    data_point_create(
        reporter=owner, measure=measure, period="2024-01", value=1, site="=HYPERLINK(1)"
    )
    text = owner_client.get(reverse("measures:data_csv", args=["attendance"])).content.decode()
    assert "'=HYPERLINK(1)" in text


def test_link_idea_from_measure_page(member_client, owner, group, measure):
    idea = IdeaFactory(author=owner, group=group, visibility=Visibility.GROUP)
    page = member_client.get(reverse("measures:detail", args=["attendance"])).content.decode()
    assert idea.title in page
    response = member_client.post(
        reverse("measures:link_add", args=["attendance"]), {"idea": idea.pk}
    )
    assert response.status_code == 302
    assert MeasureLink.objects.get().idea == idea


def test_cannot_link_an_idea_one_cannot_see(outsider_client, owner, group, measure):
    idea = IdeaFactory(author=owner, group=group, visibility=Visibility.GROUP)
    page = outsider_client.get(reverse("measures:detail", args=["attendance"])).content.decode()
    assert idea.title not in page
    response = outsider_client.post(
        reverse("measures:link_add", args=["attendance"]), {"idea": idea.pk}
    )
    assert response.status_code == 404
    assert outsider_client.get(reverse("measures:link") + f"?idea={idea.pk}").status_code == 404
    assert MeasureLink.objects.count() == 0


def test_link_page_from_an_idea_and_a_test_cycle(owner_client, owner, measure):
    idea = IdeaFactory(author=owner)
    cycle = TestCycleFactory(author=owner)
    url = reverse("measures:link")
    assert owner_client.get(url + f"?idea={idea.pk}").status_code == 200
    response = owner_client.post(url + f"?idea={idea.pk}", {"measure": "attendance"})
    assert response["Location"] == idea.get_absolute_url()
    owner_client.post(url + f"?test_cycle={cycle.pk}", {"measure": "attendance"})
    assert MeasureLink.objects.filter(test_cycle=cycle).count() == 1


def test_unlink_permissions(owner, member_client, outsider_client, measure):
    idea = IdeaFactory(author=owner)
    link = measure_link(viewer=owner, measure=measure, idea=idea)
    url = reverse("measures:link_remove", args=[link.pk])
    assert outsider_client.post(url).status_code == 403
    assert member_client.post(url).status_code == 403
    assert MeasureLink.objects.count() == 1


def test_hidden_idea_link_is_404_to_outsider(owner, group, outsider_client, measure):
    idea = IdeaFactory(author=owner, group=group, visibility=Visibility.GROUP)
    link = measure_link(viewer=owner, measure=measure, idea=idea)
    response = outsider_client.post(reverse("measures:link_remove", args=[link.pk]))
    assert response.status_code == 404


def test_idea_page_shows_linked_charts(owner, owner_client, year_of_data):
    idea = IdeaFactory(author=owner)
    measure_link(viewer=owner, measure=year_of_data, idea=idea)
    html = owner_client.get(idea.get_absolute_url()).content.decode()
    assert "Measures it aims to move" in html
    assert 'class="chart chart-small"' in html
    assert year_of_data.get_absolute_url() in html
    assert problems(html) == []


def test_public_idea_shows_no_measures_to_anonymous(owner, anon_client, year_of_data):
    idea = IdeaFactory(author=owner, visibility=Visibility.PUBLIC)
    measure_link(viewer=owner, measure=year_of_data, idea=idea)
    html = anon_client.get(idea.get_absolute_url()).content.decode()
    assert "Measures it aims to move" not in html


POSTS = [
    ("measures:create", []),
    ("measures:edit", ["attendance"]),
    ("measures:report", ["attendance"]),
    ("measures:upload", []),
    ("measures:upload_confirm", []),
    ("measures:link_add", ["attendance"]),
    ("measures:link", []),
]


@pytest.mark.parametrize(("name", "args"), POSTS)
def test_anonymous_posts_change_nothing(anon_client, measure, name, args):
    response = anon_client.post(reverse(name, args=args), {"value": "1", "period": "2024-01"})
    assert response.status_code == 302
    assert "/login" in response["Location"]
    assert DataPoint.objects.count() == 0


def test_anonymous_cannot_touch_points_or_links(anon_client, owner, point, measure):
    link = measure_link(viewer=owner, measure=measure, idea=IdeaFactory(author=owner))
    for url in [
        reverse("measures:point_edit", args=[point.pk]),
        reverse("measures:point_delete", args=[point.pk]),
        reverse("measures:link_remove", args=[link.pk]),
    ]:
        assert anon_client.post(url).status_code == 302
    assert (DataPoint.objects.count(), MeasureLink.objects.count()) == (1, 1)


def test_series_csv_filename_is_safe(owner, owner_client, measure):
    data_point_create(reporter=owner, measure=measure, period="2024-01", value=1, site='Ça "va"')
    url = reverse("measures:chart_csv", args=["attendance"]) + '?series=site:Ça "va"'
    response = owner_client.get(url)
    assert response["Content-Disposition"] == 'attachment; filename="attendance-siteca-va.csv"'


def test_test_cycle_measures_tag(rf, owner, year_of_data):
    from django.template import Context, Template

    cycle = TestCycleFactory(author=owner)
    measure_link(viewer=owner, measure=year_of_data, test_cycle=cycle)
    request = rf.get("/")
    request.user = owner
    out = Template(
        "{% load measure_tags %}{% test_cycle_measures cycle as charts %}"
        "{% for c in charts %}{{ c.measure.slug }}:{{ c.chart.n }}{% endfor %}"
    ).render(Context({"request": request, "cycle": cycle}))
    assert out == "attendance:12"
