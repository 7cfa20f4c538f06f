import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from accord.imports.engine import Column, text
from accord.imports.models import ImportJob
from accord.imports.registry import IMPORTERS, Importer
from accord.partnerships.models import Organization


@pytest.fixture
def orgs_importer(monkeypatch):
    def prepare(partnership, user):
        def write(batch):
            Organization.objects.bulk_create(
                Organization(name=r["name"], slug=r["slug"]) for r in batch
            )

        return write, None

    importer = Importer(
        "orgs",
        "organizations",
        [Column("name", text(50)), Column("slug", text(50))],
        prepare,
        "name,slug\nAcme,acme",
    )
    monkeypatch.setitem(IMPORTERS, "orgs", importer)
    return importer


def upload(client, cast, data, name="orgs.csv"):
    url = f"/partnerships/{cast.partnership.pk}/imports/new/orgs/"
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def test_an_upload_runs_as_a_job_and_shows_the_result(
    cast, client, orgs_importer, django_capture_on_commit_callbacks
):
    client.force_login(cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, cast, b"name,slug\nAcme,acme\n")
    job = ImportJob.objects.get()
    assert response.url == f"/partnerships/{cast.partnership.pk}/imports/{job.pk}/"
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert "Imported 1 rows" in client.get(response.url).content.decode()
    assert Organization.objects.filter(slug="acme").exists()


def test_a_rejected_upload_lists_the_bad_rows(
    cast, client, orgs_importer, django_capture_on_commit_callbacks
):
    client.force_login(cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, cast, b"name,slug\nAcme,\n")
    page = client.get(response.url).content.decode()
    assert "Nothing was imported" in page
    assert "A value is required." in page


def test_the_partner_cannot_see_my_import_job(cast, client, orgs_importer):
    client.force_login(cast.alice)
    response = upload(client, cast, b"name,slug\nAcme,acme\n")
    client.force_login(cast.bob)
    assert client.get(response.url).status_code == 404


def test_the_api_takes_a_file_and_reports(
    cast, client, orgs_importer, django_capture_on_commit_callbacks
):
    client.force_login(cast.alice)
    url = f"/api/v1/partnerships/{cast.partnership.pk}/imports/orgs"
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(url, {"file": SimpleUploadedFile("o.csv", b"name,slug\nA,a\n")})
    assert created.status_code == 202
    jobs = f"/api/v1/partnerships/{cast.partnership.pk}/import-jobs"
    job = client.get(f"{jobs}/{created.json()['id']}").json()
    assert job["status"] == "done"
    assert job["report"]["imported"] == 1


def test_the_command_imports_or_exits_non_zero(cast, orgs_importer, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text("name,slug\nAcme,acme\n")
    call_command(
        "accord_import",
        str(good),
        "--partnership",
        str(cast.partnership.pk),
        "--kind",
        "orgs",
        "--as",
        cast.alice.username,
    )
    assert "Imported 1 rows" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("name,slug\nBeta,\n")
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command(
            "accord_import",
            str(bad),
            "--partnership",
            str(cast.partnership.pk),
            "--kind",
            "orgs",
            "--as",
            cast.alice.username,
        )
    with pytest.raises(CommandError, match="may not import"):
        call_command(
            "accord_import",
            str(good),
            "--partnership",
            str(cast.partnership.pk),
            "--kind",
            "orgs",
            "--as",
            cast.olga.username,
        )


def test_progress_is_visible_while_the_import_transaction_is_still_open(cast, orgs_importer):
    job = ImportJob.objects.create(
        partnership=cast.partnership,
        owner_org=cast.org_a,
        created_by=cast.alice,
        kind="orgs",
        original_name="big.csv",
        file=SimpleUploadedFile("big.csv", b"name,slug\n"),
    )
    job.start()
    job.report_progress(40_000)
    assert ImportJob.objects.get(pk=job.pk).rows_checked() == 40_000
    job.clear_progress()
    assert ImportJob.objects.get(pk=job.pk).rows_checked() == 0
