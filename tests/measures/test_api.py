"""The measures API: members only, stewards define, reporters report, bulk is all or
nothing with errors by row."""

from __future__ import annotations

import pytest

from learnloop.measures.models import DataPoint, MeasureLink
from learnloop.measures.services import data_point_create
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def as_owner(owner, token_for):
    return bearer(token_for(owner))


@pytest.fixture
def as_member(member, token_for):
    return bearer(token_for(member))


@pytest.fixture
def as_outsider(outsider, token_for):
    return bearer(token_for(outsider))


@pytest.fixture
def as_steward(steward, token_for):
    return bearer(token_for(steward))


READS = [
    "/measures",
    "/measures/attendance",
    "/measures/attendance/data-points",
    "/measures/attendance/runchart",
]


@pytest.mark.parametrize("path", READS)
def test_reads_need_credentials(client, measure, path):
    response = client.get(API + path)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Authentication required")


@pytest.mark.parametrize("path", READS)
def test_every_member_reads(client, measure, as_outsider, path):
    assert client.get(API + path, headers=as_outsider).status_code == 200


def test_unknown_measure_is_404(client, as_owner):
    assert client.get(f"{API}/measures/nope", headers=as_owner).status_code == 404


def test_steward_creates_and_patches(client, as_steward, as_member):
    body = {"name": "Families reached", "kind": "process", "breakdowns": ["Language"]}
    assert (
        client.post(
            f"{API}/measures", body, content_type="application/json", headers=as_member
        ).status_code
        == 403
    )
    response = client.post(
        f"{API}/measures", body, content_type="application/json", headers=as_steward
    )
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "families-reached"
    assert response.json()["aggregation"] == "sum"
    assert (
        client.patch(
            f"{API}/measures/families-reached",
            {"target": 40},
            content_type="application/json",
            headers=as_member,
        ).status_code
        == 403
    )
    response = client.patch(
        f"{API}/measures/families-reached",
        {"target": 40},
        content_type="application/json",
        headers=as_steward,
    )
    assert response.json()["target"] == 40.0


def test_measure_errors_name_fields(client, as_steward, measure):
    response = client.post(
        f"{API}/measures",
        {"name": "Ninth-grade attendance"},
        content_type="application/json",
        headers=as_steward,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


def test_report_one_point(client, as_owner, measure):
    response = client.post(
        f"{API}/measures/attendance/data-points",
        {
            "period": "2024-02-14",
            "value": 88.5,
            "group": "attendance-circle",
            "breakdown": {"population": "English learners"},
        },
        content_type="application/json",
        headers=as_owner,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["period"], body["period_label"], body["value"]) == ("2024-02-01", "2024-02", 88.5)
    assert body["group"]["slug"] == "attendance-circle"


def test_report_for_another_group_is_a_field_error(client, as_outsider, group, measure):
    response = client.post(
        f"{API}/measures/attendance/data-points",
        {"period": "2024-02", "value": 1, "group": "attendance-circle"},
        content_type="application/json",
        headers=as_outsider,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "group", "message": "You can report only for groups you belong to."}
    ]


def test_bulk_all_or_nothing_with_row_fields(client, as_owner, measure):
    rows = [
        {
            "measure": "attendance",
            "period": f"2024-{m:02d}",
            "value": 80 + m,
            "group": "attendance-circle",
        }
        for m in range(1, 6)
    ]
    rows[3]["value"] = "lots"
    response = client.post(
        f"{API}/data-points", {"rows": rows}, content_type="application/json", headers=as_owner
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "rows.3.value", "message": "“lots” is not a number."}
    ]
    assert DataPoint.objects.count() == 0
    rows[3]["value"] = 84
    response = client.post(
        f"{API}/data-points", {"rows": rows}, content_type="application/json", headers=as_owner
    )
    assert response.status_code == 201
    assert response.json() == {"created": 5, "replaced": 0}


def test_bulk_schema_errors_share_the_shape(client, as_owner, measure):
    response = client.post(
        f"{API}/data-points",
        {"rows": [{"measure": "attendance"}]},
        content_type="application/json",
        headers=as_owner,
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"rows.0.period", "rows.0.value"} <= fields


def test_bulk_needs_credentials(client, measure):
    response = client.post(f"{API}/data-points", {"rows": []}, content_type="application/json")
    assert response.status_code == 401


def test_list_points_with_filters(client, as_owner, year_of_data):
    url = f"{API}/measures/attendance/data-points"
    body = client.get(url, {"from": "2024-03-01", "to": "2024-05-01"}, headers=as_owner).json()
    assert body["count"] == 6
    body = client.get(url, {"group": "reading-team"}, headers=as_owner).json()
    assert body["count"] == 0


def test_list_points_query_count(client, as_owner, year_of_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}/measures/attendance/data-points", headers=as_owner)
    assert response.json()["count"] == 24


def test_list_measures_query_count(client, as_owner, measure, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get(f"{API}/measures", headers=as_owner)
    assert response.json()["count"] == 1


def test_runchart_endpoint(client, as_owner, year_of_data):
    body = client.get(f"{API}/measures/attendance/runchart", headers=as_owner).json()
    assert body["median"] == 85.5
    assert len(body["points"]) == 12
    assert body["signals"]["shifts"][1]["from"] == "2024-07-01"
    assert body["signals"]["runs"]["verdict"] == "too_few"
    assert body["points"][-1]["signals"] == ["shift"]
    one = client.get(
        f"{API}/measures/attendance/runchart",
        {"series": "group:attendance-circle"},
        headers=as_owner,
    ).json()
    assert one["series"] == "group:attendance-circle"


def test_correct_and_delete_points(client, owner, group, measure, as_owner, as_member):
    point = data_point_create(
        reporter=owner, measure=measure, period="2024-01", value=1, group=group
    )
    url = f"{API}/data-points/{point.pk}"
    assert (
        client.patch(
            url, {"value": 2}, content_type="application/json", headers=as_member
        ).status_code
        == 403
    )
    assert client.delete(url, headers=as_member).status_code == 403
    response = client.patch(
        url, {"value": "2,5"}, content_type="application/json", headers=as_owner
    )
    assert response.json()["value"] == 2.5
    assert client.delete(url, headers=as_owner).status_code == 204
    assert client.delete(url, headers=as_owner).status_code == 404


def test_links(client, owner, as_owner, as_outsider, group, measure):
    idea = IdeaFactory(author=owner, group=group, visibility="group")
    url = f"{API}/measures/attendance/links"
    assert (
        client.post(
            url, {"idea_id": idea.pk}, content_type="application/json", headers=as_outsider
        ).status_code
        == 404
    )
    response = client.post(
        url, {"idea_id": idea.pk}, content_type="application/json", headers=as_owner
    )
    assert response.status_code == 201
    link_id = response.json()["id"]
    assert client.delete(f"{API}/measure-links/{link_id}", headers=as_outsider).status_code == 404
    assert client.delete(f"{API}/measure-links/{link_id}", headers=as_owner).status_code == 204
    assert MeasureLink.objects.count() == 0


def test_openapi_documents_the_filters(client):
    schema = client.get(f"{API}/openapi.json").json()
    params = schema["paths"]["/api/v1/measures/{slug}/data-points"]["get"]["parameters"]
    assert {"from", "to", "group", "site"} <= {p["name"] for p in params}


WRITES = [
    ("post", "/measures"),
    ("patch", "/measures/attendance"),
    ("post", "/measures/attendance/data-points"),
    ("post", "/data-points"),
    ("patch", "/data-points/1"),
    ("delete", "/data-points/1"),
    ("post", "/measures/attendance/links"),
    ("delete", "/measure-links/1"),
]


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_writes_need_credentials(client, measure, method, path):
    response = getattr(client, method)(API + path, {}, content_type="application/json")
    assert response.status_code == 401
    assert DataPoint.objects.count() == 0
