from __future__ import annotations

import logging
from collections.abc import Callable
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from accord.imports.audit import AudienceCount, record_import_events, row_visibility
from accord.imports.engine import ImportFileError, ImportReport, read_table, run_import
from accord.imports.lease import fail_job, failed_report, heartbeat
from accord.imports.models import ImportJob
from accord.imports.registry import IMPORTERS
from accord.partnerships.access import user_organization
from accord.partnerships.models import Partnership, Visibility

UNKNOWN_KIND = "Unknown import kind '{kind}'."
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
TOO_LARGE = "The file is larger than 200 MB."
UNEXPECTED_FAILURE = (
    "The import stopped on an unexpected error; nothing was imported. Run it again, and if it "
    "fails again, tell your administrator (the error is in the worker's log)."
)
SWEPT_MEANWHILE = "The job was marked failed while it ran (its lease had expired)."
CONCURRENT_CHANGE = (
    "Another change to the same records was saved while this import ran; nothing was "
    "imported — run the import again."
)

log = logging.getLogger(__name__)


class JobSweptError(RuntimeError):
    """The sweep failed this job while it was still running: its rows must not commit."""


def import_file(
    *,
    partnership: Partnership,
    user: Any,
    kind: str,
    stream: IO[bytes],
    filename: str,
    progress: Any = None,
    on_success: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import a file now, all or nothing. Raises ImportFileError for an unreadable file.

    The rows and their audit event commit in one transaction (the engine calls back inside it),
    and so does whatever `on_success` writes (a job's "done")."""
    importer = IMPORTERS.get(kind)
    if importer is None:
        raise ValidationError(UNKNOWN_KIND.format(kind=kind))
    write, check_row = importer.prepare(partnership, user)
    audience = importer.audience(partnership, user) if importer.audience else row_visibility
    counted = AudienceCount(write, audience)

    def record(report: ImportReport) -> None:
        """Inside the import's transaction: the rows and their audit events commit together."""
        if report.imported:
            record_import_events(
                partnership=partnership,
                user=user,
                action=f"import.{kind}",
                label=importer.label,
                counted=counted,
                source=f"from {filename}",
            )
        if on_success is not None:
            on_success(report)

    return run_import(
        read_table(stream, filename),
        importer.columns,
        counted,
        check_row=check_row,
        progress=progress,
        on_success=record,
    )


@transaction.atomic
def import_job_create(
    *, partnership: Partnership, user: Any, kind: str, upload: UploadedFile
) -> ImportJob:
    """Store the upload and queue the import; a worker runs it (inline under the test backend)."""
    if kind not in IMPORTERS:
        raise ValidationError(UNKNOWN_KIND.format(kind=kind))
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_LARGE)
    name = upload.name or "upload"
    if not name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError("Upload a .csv or .xlsx file.")
    job = ImportJob.objects.create(
        partnership=partnership,
        owner_org=user_organization(user),
        visibility=Visibility.INTERNAL,
        created_by=user,
        kind=kind,
        original_name=name[:255],
        file=upload,
        size=upload.size or 0,
    )
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def _finish_job(job: ImportJob, report: ImportReport) -> None:
    """Inside the import's transaction: "done" commits with the rows or not at all. A job the
    sweep already failed stays failed, and its rows roll back (the user was told so)."""
    done = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(
        status=ImportJob.Status.DONE,
        rows_processed=report.rows,
        report=report.as_dict(),
        finished_at=timezone.now(),
    )
    if not done:
        raise JobSweptError(SWEPT_MEANWHILE)


def _run(job: ImportJob) -> dict[str, Any] | None:
    """Run the import; return the report of a rejected file, or None once "done" committed."""
    rows = [0]

    def progress(count: int) -> None:
        rows[0] = count
        job.report_progress(count)

    with job.file.open("rb") as stream, heartbeat(job, lambda: rows[0]):
        try:
            report = import_file(
                partnership=job.partnership,
                user=job.created_by,
                kind=job.kind,
                stream=stream,
                filename=job.original_name,
                progress=progress,
                on_success=lambda report: _finish_job(job, report),
            )
        except (ImportFileError, ValidationError) as error:
            message = error.messages[0] if isinstance(error, ValidationError) else str(error)
            return {**failed_report(message), "file_error": message, "failure": ""}
    return None if report.ok else report.as_dict()


@task()
def run_import_job(job_id: int) -> str:
    """Every way out of this task leaves the job done, rejected or failed with a message; a
    worker that dies instead is caught by the lease sweep (accord/imports/lease.py)."""
    job = ImportJob.objects.select_related("partnership", "created_by").get(pk=job_id)
    if job.is_finished():
        return job.status
    job.start()
    try:
        rejected = _run(job)
    except JobSweptError:
        return ImportJob.Status.FAILED
    except IntegrityError:
        log.exception("import job %s: a unique key was taken meanwhile", job.pk)
        fail_job(job, CONCURRENT_CHANGE, now=timezone.now())
        return ImportJob.Status.FAILED
    except Exception:
        log.exception("import job %s failed unexpectedly", job.pk)
        fail_job(job, UNEXPECTED_FAILURE, now=timezone.now())
        return ImportJob.Status.FAILED
    if rejected is not None:
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(
            status=ImportJob.Status.REJECTED,
            rows_processed=rejected["rows"],
            report=rejected,
            finished_at=timezone.now(),
        )
    job.clear_progress()
    job.refresh_from_db(fields=["status"])
    return job.status
