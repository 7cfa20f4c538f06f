"""Every import job ends done, rejected or failed with a message a person can act on, and its
rows, its audit event and its "done" commit together or not at all."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook

from accord.economics.models import ValueEntry
from accord.economics.tests.helpers import days_ago, rates
from accord.imports import audit as import_audit
from accord.imports import services
from accord.imports.engine import NUL_CHARACTER, XLSX_CUT_OFF
from accord.imports.lease import IMPORT_TASK_PATH, WORKER_LOST, lease_length, sweep_lost_jobs
from accord.imports.models import ImportJob
from accord.partnerships.audit import AuditEvent
from accord.partnerships.models import Visibility
from accord.performance.models import Observation
from accord.performance.tests.helpers import make_metric

GOOD_ROWS = "metric,period,value,note\notif,2026-01,93.5,\notif,2026-02,96,new carrier\n"
VALUES = (
    "source,beneficiary,amount,currency,status,period_start,period_end,reference\n"
    f"scale,Alder Pharma,250000,EUR,realized,{days_ago(90)},{days_ago(1)},Q-1\n"
)


class Polling(HTMLParser):
    """Collects the hx-trigger of the import status card: present only while it polls."""

    def __init__(self) -> None:
        super().__init__()
        self.status_card: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id") == "import-status":
            self.status_card = found


def status_card(html: str) -> dict[str, str | None]:
    parser = Polling()
    parser.feed(html)
    assert parser.status_card is not None
    return parser.status_card


def upload(cast, client, data: bytes, name: str, kind: str = "observations", capture=None):
    client.force_login(cast.alice)
    url = f"/partnerships/{cast.partnership.pk}/imports/new/{kind}/"
    with capture(execute=True):
        client.post(url, {"file": SimpleUploadedFile(name, data)})
    return ImportJob.objects.get()


def audit_count(cast) -> int:
    return AuditEvent.objects.filter(
        partnership=cast.partnership, action__startswith="import."
    ).count()


def test_a_nul_byte_in_a_note_is_a_row_error_and_nothing_is_imported(
    cast, client, django_capture_on_commit_callbacks
):
    make_metric(cast)
    data = b"metric,period,value,note\notif,2026-01,93.5,fine\notif,2026-02,96,bad\x00note\n"
    job = upload(cast, client, data, "nul.csv", capture=django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.REJECTED
    assert job.report["errors"] == [{"row": 3, "column": "note", "reason": NUL_CHARACTER}]
    assert Observation.objects.count() == 0
    assert audit_count(cast) == 0


def test_the_import_command_reports_a_nul_byte_as_a_row_and_exits_non_zero(cast, tmp_path):
    make_metric(cast)
    path = tmp_path / "nul.csv"
    path.write_bytes(b"metric,period,value,note\notif,2026-01,93.5,bad\x00note\n")
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "accord_import",
            str(path),
            partnership=cast.partnership.pk,
            kind="observations",
            email=cast.alice.username,
            stderr=err,
        )
    assert str(raised.value) == "Nothing imported: 1 problem(s) in nul.csv."
    assert err.getvalue().splitlines() == [f"row 2, note: {NUL_CHARACTER}"]
    assert Observation.objects.count() == 0


def cut_off_workbook(rows: int) -> bytes:
    """A valid zip whose sheet XML stops halfway: openpyxl opens it and fails reading rows."""
    book = Workbook()
    sheet = book.active
    sheet.append(["metric", "period", "value", "note"])
    for i in range(rows):
        sheet.append(["otif", f"20{10 + i // 12:02d}-{i % 12 + 1:02d}", 90 + i % 7, f"row {i}"])
    whole = io.BytesIO()
    book.save(whole)
    cut = io.BytesIO()
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(cut, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    return cut.getvalue()


def test_a_workbook_cut_off_inside_its_sheet_is_refused_whole(
    cast, client, django_capture_on_commit_callbacks
):
    make_metric(cast)
    data = cut_off_workbook(200)
    job = upload(cast, client, data, "cut.xlsx", capture=django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.REJECTED
    read = int(job.report["file_error"].split("after row ")[1].split(" ")[0])
    assert 0 < read < 201
    assert job.report["file_error"] == XLSX_CUT_OFF.format(row=read)
    assert Observation.objects.count() == 0
    page = client.get(f"/partnerships/{cast.partnership.pk}/imports/{job.pk}/")
    assert "hx-trigger" not in status_card(page.content.decode())


def test_an_unexpected_error_fails_the_job_with_a_message_and_keeps_no_rows(
    cast, client, django_capture_on_commit_callbacks, monkeypatch
):
    make_metric(cast)

    def broken(**kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(import_audit, "record_event", broken)
    job = upload(
        cast, client, GOOD_ROWS.encode(), "ok.csv", capture=django_capture_on_commit_callbacks
    )
    assert job.status == ImportJob.Status.FAILED
    assert job.report["failure"] == services.UNEXPECTED_FAILURE
    assert job.finished_at is not None
    # The audit write failed, so the rows written before it in the same transaction are gone.
    assert Observation.objects.count() == 0
    page = client.get(f"/partnerships/{cast.partnership.pk}/imports/{job.pk}/").content.decode()
    assert "hx-trigger" not in status_card(page)
    assert escape(services.UNEXPECTED_FAILURE) in page


@pytest.mark.parametrize("kind", ["observations", "value-entries"])
def test_when_the_audit_event_cannot_be_written_no_imported_row_remains(cast, monkeypatch, kind):
    """The bulk path (executemany on SQLite, COPY on PostgreSQL) and the ORM path alike."""
    make_metric(cast)
    rates(cast)

    def refuse(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(import_audit, "record_event", refuse)
    text = GOOD_ROWS if kind == "observations" else VALUES
    with pytest.raises(RuntimeError, match="audit store down"):
        services.import_file(
            partnership=cast.partnership,
            user=cast.alice,
            kind=kind,
            stream=io.BytesIO(text.encode()),
            filename="f.csv",
        )
    assert Observation.objects.count() == 0
    assert ValueEntry.objects.count() == 0


def test_an_import_writes_its_rows_and_its_audit_event_together(cast):
    make_metric(cast)
    report = services.import_file(
        partnership=cast.partnership,
        user=cast.alice,
        kind="observations",
        stream=io.BytesIO(GOOD_ROWS.encode()),
        filename="f.csv",
    )
    assert report.imported == 2
    assert Observation.objects.count() == 2
    event = AuditEvent.objects.get(partnership=cast.partnership, action="import.observations")
    assert event.summary == "Imported 2 joint rows of Metric observations from f.csv"


def running_job(cast, *, started) -> ImportJob:
    job = ImportJob.objects.create(
        partnership=cast.partnership,
        owner_org=cast.org_a,
        visibility=Visibility.INTERNAL,
        created_by=cast.alice,
        kind="observations",
        original_name="big.csv",
        file=SimpleUploadedFile("big.csv", GOOD_ROWS.encode()),
        status=ImportJob.Status.RUNNING,
        started_at=started,
    )
    job.report_progress(5000, beat=started)
    return job


def test_the_sweep_fails_a_job_whose_lease_ran_out_and_closes_its_task(cast, client):
    started = timezone.now().replace(microsecond=0)
    job = running_job(cast, started=started)
    task = DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [job.pk], "kwargs": {}},
        task_path=IMPORT_TASK_PATH,
        backend_name="default",
        run_after=started,
        started_at=started,
    )
    within = started + lease_length() - timedelta(seconds=1)
    assert sweep_lost_jobs(within) == (0, 0)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING

    after = started + lease_length() + timedelta(seconds=1)
    assert sweep_lost_jobs(after) == (1, 1)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.report["failure"] == WORKER_LOST
    assert job.finished_at == after
    task.refresh_from_db()
    assert task.status == "FAILED"
    assert task.exception_class_path == "accord.imports.lease.WorkerLostError"
    # A second sweep finds nothing left to do.
    assert sweep_lost_jobs(after + timedelta(minutes=5)) == (0, 0)
    client.force_login(cast.alice)
    page = client.get(f"/partnerships/{cast.partnership.pk}/imports/{job.pk}/").content.decode()
    assert "hx-trigger" not in status_card(page)
    assert escape(WORKER_LOST) in page


def test_a_heartbeat_renews_the_lease(cast):
    started = timezone.now().replace(microsecond=0)
    job = running_job(cast, started=started)
    job.report_progress(10_000, beat=started + lease_length())
    assert sweep_lost_jobs(started + lease_length() + timedelta(seconds=30)) == (0, 0)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING
    assert job.rows_checked() == 10_000


def test_a_running_job_is_polled_and_a_finished_one_is_not(cast, client):
    job = running_job(cast, started=timezone.now())
    client.force_login(cast.alice)
    url = f"/partnerships/{cast.partnership.pk}/imports/{job.pk}/"
    assert status_card(client.get(url).content.decode())["hx-trigger"] == "every 1s"
    for status in (ImportJob.Status.DONE, ImportJob.Status.REJECTED, ImportJob.Status.FAILED):
        report = {"ok": False, "rows": 1, "imported": 0, "error_count": 1, "errors": []}
        ImportJob.objects.filter(pk=job.pk).update(status=status, report=report)
        assert "hx-trigger" not in status_card(client.get(url).content.decode()), status


def test_a_periodic_task_running_far_too_long_is_closed_by_the_sweep(cast):
    from accord.imports.lease import MAX_TASK_RUNTIME

    started = timezone.now().replace(microsecond=0)
    task = DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="accord.partnerships.periodic.run_periodic_passes",
        backend_name="default",
        run_after=started,
        started_at=started,
    )
    assert sweep_lost_jobs(started + MAX_TASK_RUNTIME) == (0, 0)
    assert sweep_lost_jobs(started + MAX_TASK_RUNTIME + timedelta(seconds=1)) == (0, 1)
    task.refresh_from_db()
    assert task.status == "FAILED"


def test_when_the_bulk_api_cannot_write_its_audit_event_no_row_remains(cast, monkeypatch):
    from accord.performance import services as performance_services

    make_metric(cast)

    def refuse(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(import_audit, "record_event", refuse)
    rows = [{"metric": "otif", "period": "2026-01", "value": 93.5}]
    with pytest.raises(RuntimeError, match="audit store down"):
        performance_services.observations_ingest(
            partnership=cast.partnership, user=cast.alice, rows=rows
        )
    assert Observation.objects.count() == 0
    monkeypatch.undo()
    report = performance_services.observations_ingest(
        partnership=cast.partnership, user=cast.alice, rows=rows
    )
    assert report.imported == 1
    assert Observation.objects.count() == 1
    assert AuditEvent.objects.filter(action="performance.observations_ingest").count() == 1
