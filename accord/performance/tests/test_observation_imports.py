import io
import json
from datetime import date

from django.core.management import call_command
from openpyxl import Workbook

from accord.imports.services import import_file
from accord.performance import parsing
from accord.performance.importer import DUPLICATE_PERIOD
from accord.performance.models import Observation

from .helpers import import_csv, make_metric


def stored(metric):
    return list(
        Observation.objects.filter(metric=metric).order_by("period").values_list("period", "value")
    )


def test_a_good_file_imports_every_row_with_all_three_period_spellings(cast):
    metric = make_metric(cast)
    report = import_csv(
        cast,
        "metric,period,value,note\notif,2026-01,91,\nOTIF,2026-Q2,93.5,ok\n"
        "On-time in full,2026-07-15,1,\n".replace("On-time in full", "Otif"),
    )
    assert report.ok
    assert report.imported == 3
    assert stored(metric) == [
        (date(2026, 1, 1), 91.0),
        (date(2026, 4, 1), 93.5),
        (date(2026, 7, 15), 1.0),
    ]


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(cast):
    metric = make_metric(cast)
    report = import_csv(cast, "metric,period,value\notif,2026-01,91\notif,2026-02,lots\n")
    assert not report.ok
    assert report.imported == 0
    assert [(e.row, e.column) for e in report.errors] == [(3, "value")]
    assert stored(metric) == []


def test_reimporting_the_same_file_creates_no_duplicates_and_updates_changed_values(cast):
    metric = make_metric(cast)
    text = "metric,period,value\notif,2026-01,91\notif,2026-02,92\n"
    assert import_csv(cast, text).imported == 2
    assert import_csv(cast, text).ok
    assert Observation.objects.filter(metric=metric).count() == 2
    assert import_csv(cast, text.replace("92", "97")).ok
    assert stored(metric) == [(date(2026, 1, 1), 91.0), (date(2026, 2, 1), 97.0)]


def test_a_period_twice_in_one_file_is_a_row_error_even_when_spelled_differently(cast):
    make_metric(cast)
    report = import_csv(cast, "metric,period,value\notif,2026-04,91\notif,2026-Q2,92\n")
    assert [(e.row, e.column, e.reason) for e in report.errors] == [(3, "period", DUPLICATE_PERIOD)]
    assert Observation.objects.count() == 0


def test_an_unknown_metric_is_a_row_error(cast):
    make_metric(cast)
    report = import_csv(cast, "metric,period,value\nrevenue,2026-01,91\n")
    assert report.errors[0].column == "metric"
    assert "Unknown metric" in report.errors[0].reason


def test_the_other_partys_internal_metric_is_unknown_to_an_importer(cast):
    make_metric(cast, code="margin", internal=True, org="a")
    report = import_csv(cast, "metric,period,value\nmargin,2026-01,12\n", user=cast.bob)
    assert report.errors[0].reason == parsing.METRIC_UNKNOWN.format(value="margin")
    assert import_csv(cast, "metric,period,value\nmargin,2026-01,12\n", user=cast.alice).ok


def test_an_xlsx_workbook_imports_like_a_csv(cast):
    metric = make_metric(cast)
    book = Workbook()
    sheet = book.active
    sheet.append(["Metric", "Period", "Value", "Note"])
    sheet.append(["otif", date(2026, 3, 1), 94.25, "from the ERP"])
    sheet.append(["otif", "2026-04", 95, None])
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_file(
        partnership=cast.partnership,
        user=cast.alice,
        kind="observations",
        stream=io.BytesIO(buffer.getvalue()),
        filename="values.xlsx",
    )
    assert report.ok, report.errors
    assert stored(metric) == [(date(2026, 3, 1), 94.25), (date(2026, 4, 1), 95.0)]


def test_the_command_imports_a_file(cast, tmp_path):
    metric = make_metric(cast)
    path = tmp_path / "values.csv"
    path.write_text("metric,period,value\notif,2026-01,91\n")
    call_command(
        "accord_import",
        str(path),
        partnership=cast.partnership.pk,
        kind="observations",
        email=cast.alice.username,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert stored(metric) == [(date(2026, 1, 1), 91.0)]


def test_the_upload_page_runs_the_import_and_reports(
    cast, client, django_capture_on_commit_callbacks
):
    metric = make_metric(cast)
    client.force_login(cast.amos)
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/partnerships/{cast.partnership.pk}/imports/new/observations/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"file": SimpleUploadedFile("v.csv", b"metric,period,value\notif,2026-01,91\n")}
        )
    assert "Imported 1 rows" in client.get(response.url).content.decode()
    assert stored(metric) == [(date(2026, 1, 1), 91.0)]


def api(client, cast, rows, user=None):
    client.force_login(user or cast.alice)
    return client.post(
        f"/api/v1/partnerships/{cast.partnership.pk}/observations/bulk",
        data=json.dumps(rows),
        content_type="application/json",
    )


def test_bulk_ingest_by_api_is_all_or_nothing_with_row_numbers_from_one(cast, client):
    metric = make_metric(cast)
    bad = api(client, cast, [
        {"metric": "otif", "period": "2026-01", "value": 91},
        {"metric": "otif", "period": "2026-13", "value": 92},
    ])  # fmt: skip
    assert bad.status_code == 400
    assert bad.json()["errors"] == [
        {"row": 2, "column": "period", "reason": parsing.PERIOD_INVALID.format(value="2026-13")}
    ]
    assert stored(metric) == []
    good = api(client, cast, [{"metric": "otif", "period": "2026-01", "value": 91}] * 1)
    assert good.status_code == 200
    assert good.json()["imported"] == 1
    again = api(client, cast, [{"metric": "otif", "period": "2026-01", "value": "91.5"}])
    assert again.status_code == 200
    assert stored(metric) == [(date(2026, 1, 1), 91.5)]


def test_recording_one_value_by_api_replaces_the_period(cast, client):
    metric = make_metric(cast)
    client.force_login(cast.bea)
    url = f"/api/v1/partnerships/{cast.partnership.pk}/metrics/{metric.pk}/observations"
    first = client.post(url, {"period": "2026-Q1", "value": 90}, content_type="application/json")
    second = client.post(
        url, {"period": "2026-01-01", "value": 93}, content_type="application/json"
    )
    assert (first.status_code, second.status_code) == (201, 200)
    assert stored(metric) == [(date(2026, 1, 1), 93.0)]
    bad = client.post(url, {"period": "Q1", "value": 90}, content_type="application/json")
    assert bad.status_code == 400


def test_a_file_larger_than_one_statement_imports_and_reimports_exactly(cast):
    metric = make_metric(cast)
    days = [date(2020, 1, 1).toordinal() + i for i in range(450)]  # 2 full statements + 50
    lines = [f"otif,{date.fromordinal(d)},{i}" for i, d in enumerate(days)]
    assert import_csv(cast, "metric,period,value\n" + "\n".join(lines)).imported == 450
    changed = [line.replace(",7", ",8") if line.endswith(",7") else line for line in lines]
    assert import_csv(cast, "metric,period,value\n" + "\n".join(changed)).ok
    values = dict(Observation.objects.filter(metric=metric).values_list("period", "value"))
    assert len(values) == 450
    assert values[date.fromordinal(days[7])] == 8.0
    assert values[date.fromordinal(days[449])] == 449.0
