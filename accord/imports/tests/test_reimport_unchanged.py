"""Re-importing an identical file says "0 new, 9 unchanged" everywhere — the page, the API, the
command — and writes no second audit event claiming rows were imported (issue 12, forms)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from accord.api.services import token_create
from accord.economics.tests.helpers import days_ago
from accord.imports.models import ImportJob
from accord.partnerships.audit import AuditEvent

HEADER = "source,beneficiary,amount,currency,status,period_start,period_end,description\n"


def nine_rows() -> bytes:
    period = f"{days_ago(90)},{days_ago(1)}"
    rows = [f"scale,Alder Pharma,{100 + n},EUR,realized,{period},Saving {n}\n" for n in range(9)]
    return (HEADER + "".join(rows)).encode()


def upload_and_read(client, cast, capture) -> tuple[ImportJob, str]:
    url = f"/partnerships/{cast.partnership.pk}/imports/new/value-entries/"
    with capture(execute=True):
        response = client.post(url, {"file": SimpleUploadedFile("savings.csv", nine_rows())})
    job = ImportJob.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))
    return job, client.get(response.url).content.decode()


@pytest.fixture
def imported_once(cast, client, django_capture_on_commit_callbacks):
    client.force_login(cast.alice)
    job, page = upload_and_read(client, cast, django_capture_on_commit_callbacks)
    assert job.report["new"] == 9
    assert "Imported 9 rows: 9 new, 0 updated, 0 unchanged." in page
    return set(AuditEvent.objects.values_list("pk", flat=True))


def test_reimporting_the_same_file_reports_nothing_new_on_the_page_and_in_the_api(
    cast, client, imported_once, django_capture_on_commit_callbacks
):
    job, page = upload_and_read(client, cast, django_capture_on_commit_callbacks)

    assert "Nothing changed: 0 new, 9 unchanged — every row was already there." in page
    assert "Imported 9" not in page
    _token, raw = token_create(user=cast.alice, name="read", days=1)
    api = client.get(
        f"/api/v1/partnerships/{cast.partnership.pk}/import-jobs/{job.pk}",
        headers={"Authorization": f"Bearer {raw}"},
    ).json()
    assert (api["report"]["new"], api["report"]["updated"], api["report"]["unchanged"]) == (0, 0, 9)


def test_reimporting_the_same_file_writes_no_second_import_event(
    cast, client, imported_once, django_capture_on_commit_callbacks
):
    upload_and_read(client, cast, django_capture_on_commit_callbacks)

    new_events = AuditEvent.objects.exclude(pk__in=imported_once)
    assert [e.action for e in new_events if e.action.startswith("import.")] == []


def test_the_command_says_nothing_changed_on_a_reimport(cast, imported_once, tmp_path, capsys):
    path = tmp_path / "savings.csv"
    path.write_bytes(nine_rows())
    args = ["--partnership", str(cast.partnership.pk), "--kind", "value-entries"]
    call_command("accord_import", str(path), *args, "--as", cast.alice.username)

    out = capsys.readouterr().out.strip()
    assert out == "Nothing changed in savings.csv: 0 new, 0 updated, 9 unchanged."
    assert not AuditEvent.objects.exclude(pk__in=imported_once).exists()


def test_a_partly_changed_file_names_only_the_changed_rows_as_imported(
    cast, client, imported_once, tmp_path, capsys
):
    path = tmp_path / "savings.csv"
    path.write_bytes(nine_rows().replace(b",108,", b",999,"))
    args = ["--partnership", str(cast.partnership.pk), "--kind", "value-entries"]
    call_command("accord_import", str(path), *args, "--as", cast.alice.username)

    assert capsys.readouterr().out.strip() == (
        "Imported 1 of 9 rows from savings.csv: 1 new, 0 updated, 8 unchanged."
    )
    events = AuditEvent.objects.exclude(pk__in=imported_once)
    assert [e.summary for e in events] == [
        "Imported 1 of 9 joint rows of value entries from savings.csv: "
        "1 new, 0 updated, 8 unchanged"
    ]
