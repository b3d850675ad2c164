"""CSV upload: preview, row-level errors, all or nothing, and whatever a spreadsheet
writes (a BOM, semicolons, decimal commas, Windows-1252) — never a server error."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learnloop.measures.models import DataPoint

pytestmark = pytest.mark.django_db

GOOD = (
    "measure,period,group,site,population,value\n"
    "attendance,2024-01,attendance-circle,,,81\n"
    "attendance,2024-02,attendance-circle,,,83.5\n"
    "attendance,2024-02,attendance-circle,,English learners,79\n"
)
ONE_BAD = GOOD.replace("83.5", "eighty")


def upload(client, text: str | bytes, name: str = "figures.csv", **extra):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        reverse("measures:upload"),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv"), **extra},
    )


def test_preview_shows_rows_and_saves_nothing(owner_client, measure):
    response = upload(owner_client, GOOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 rows are ready" in html
    assert "English learners" in html
    assert DataPoint.objects.count() == 0


def test_confirm_imports_every_row(owner_client, measure):
    response = upload(owner_client, GOOD)
    token = response.context["token"]
    response = owner_client.post(reverse("measures:upload_confirm"), {"token": token})
    assert response.status_code == 302
    assert response["Location"] == measure.get_absolute_url()
    assert sorted(DataPoint.objects.values_list("value", flat=True)) == [
        Decimal("79"),
        Decimal("81"),
        Decimal("83.5"),
    ]


def test_confirm_twice_does_not_import_twice(owner_client, measure):
    token = upload(owner_client, GOOD).context["token"]
    owner_client.post(reverse("measures:upload_confirm"), {"token": token})
    response = owner_client.post(reverse("measures:upload_confirm"), {"token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:upload")
    assert DataPoint.objects.count() == 3


def test_one_bad_row_imports_nothing_and_names_row_and_column(owner_client, measure):
    response = upload(owner_client, ONE_BAD)
    assert response.status_code == 200
    errors = response.context["preview"].errors
    assert [(e.label, e.field) for e in errors] == [(3, "value")]
    html = response.content.decode()
    assert "Row 3" in html
    assert "“eighty” is not a number." in html
    assert "Nothing was imported" in html
    assert "token" not in response.context
    assert DataPoint.objects.count() == 0


def test_confirm_with_a_forged_token_imports_nothing(owner_client, measure):
    upload(owner_client, ONE_BAD)
    response = owner_client.post(reverse("measures:upload_confirm"), {"token": "forged"})
    assert response.status_code == 302
    assert DataPoint.objects.count() == 0


def test_bom_semicolons_and_decimal_commas(owner_client, measure):
    text = "\ufeffmeasure;period;group;value\r\nattendance;2024-01;attendance-circle;81,5\r\n"
    response = upload(owner_client, text.encode("utf-8"))
    assert response.context["preview"].errors == []
    owner_client.post(reverse("measures:upload_confirm"), {"token": response.context["token"]})
    assert DataPoint.objects.get().value == Decimal("81.5")


def test_windows_1252_file_is_read(owner_client, measure):
    text = "measure;period;site;value;note\nattendance;2024-01;École Nord;81;déjà vu\n"
    response = upload(owner_client, text.encode("cp1252"))
    assert response.context["preview"].errors == []
    assert response.context["preview_rows"][0]["site"] == "École Nord"


def test_upload_for_one_measure_needs_no_measure_column(owner_client, measure):
    response = upload(
        owner_client, "period,site,value\n2024-01,North High,80\n", measure="attendance"
    )
    assert response.context["preview"].errors == []


def test_group_permission_checked_per_row(outsider_client, measure):
    response = upload(outsider_client, GOOD)
    errors = response.context["preview"].errors
    assert {(e.label, e.field) for e in errors} == {(2, "group"), (3, "group"), (4, "group")}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\x00\x01\x02PK\x03\x04", "not CSV"),
        (b"measure,period,value\n", "no rows of data"),
        (b"hello,world\n1,2\n", "missing: measure, period, value"),
        (b"measure,period,value,value\nattendance,2024-01,1,2\n", "appears twice"),
        (b'measure,period,value\n"attendance,2024-01,1\n', "missing"),
    ],
)
def test_unreadable_files_get_a_message_not_a_500(owner_client, measure, content, message):
    response = upload(owner_client, content)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html or "Row" in html
    assert DataPoint.objects.count() == 0


@pytest.mark.parametrize(
    "row",
    [
        "attendance,,,,,",
        "attendance,2024-99,attendance-circle,,,1",
        "attendance,2024-01,no-such-group,,,1",
        ",2024-01,attendance-circle,,,1",
        "attendance,2024-01,attendance-circle,,,1e400",
        "attendance,2024-01,attendance-circle,,,=cmd|' /C calc'!A0",
        "attendance,2024-01,attendance-circle,,,1,extra",
        "attendance,2024-01,,,,1",
        "attendance,2024-01,attendance-circle,," + "x" * 400 + ",1",
    ],
)
def test_odd_rows_are_row_errors(owner_client, measure, row):
    response = upload(owner_client, "measure,period,group,site,population,value\n" + row + "\n")
    assert response.status_code == 200
    assert [e.label for e in response.context["preview"].errors][:1] == [2]
    assert DataPoint.objects.count() == 0


def test_file_too_large(owner_client, measure):
    big = b"measure,period,value\n" + b"attendance,2024-01,1\n" * 120000
    response = upload(owner_client, big)
    assert "larger than 2 MB" in response.content.decode()


def test_anonymous_is_sent_to_log_in(anon_client, measure):
    response = upload(anon_client, GOOD)
    assert response.status_code == 302
    assert "/login" in response["Location"]
    assert DataPoint.objects.count() == 0


def test_template_download_has_bom_and_breakdown_columns(owner_client, measure):
    response = owner_client.get(reverse("measures:upload_template") + "?measure=attendance")
    assert response.content.startswith(b"\xef\xbb\xbf")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header == "measure,period,group,site,population,value,note"
