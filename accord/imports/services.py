from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from accord.imports.audit import AudienceCount, record_import_events, row_visibility
from accord.imports.engine import ImportFileError, ImportReport, read_table, run_import
from accord.imports.models import ImportJob
from accord.imports.registry import IMPORTERS
from accord.partnerships.access import user_organization
from accord.partnerships.models import Partnership, Visibility

UNKNOWN_KIND = "Unknown import kind '{kind}'."
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
TOO_LARGE = "The file is larger than 200 MB."


def import_file(
    *,
    partnership: Partnership,
    user: Any,
    kind: str,
    stream: IO[bytes],
    filename: str,
    progress: Any = None,
) -> ImportReport:
    """Import a file now, all or nothing. Raises ImportFileError for an unreadable file."""
    importer = IMPORTERS.get(kind)
    if importer is None:
        raise ValidationError(UNKNOWN_KIND.format(kind=kind))
    write, check_row = importer.prepare(partnership, user)
    audience = importer.audience(partnership, user) if importer.audience else row_visibility
    counted = AudienceCount(write, audience)
    report = run_import(
        read_table(stream, filename),
        importer.columns,
        counted,
        check_row=check_row,
        progress=progress,
    )
    if report.ok and report.imported:
        record_import_events(
            partnership=partnership,
            user=user,
            action=f"import.{kind}",
            label=importer.label,
            counted=counted,
            source=f"from {filename}",
        )
    return report


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


@task()
def run_import_job(job_id: int) -> str:
    job = ImportJob.objects.select_related("partnership", "created_by").get(pk=job_id)
    if job.is_finished():
        return job.status
    job.start()
    with job.file.open("rb") as stream:
        try:
            report = import_file(
                partnership=job.partnership,
                user=job.created_by,
                kind=job.kind,
                stream=stream,
                filename=job.original_name,
                progress=job.report_progress,
            )
            result = report.as_dict()
        except (ImportFileError, ValidationError) as error:
            message = error.messages[0] if isinstance(error, ValidationError) else str(error)
            result = {
                "ok": False,
                "rows": 0,
                "imported": 0,
                "error_count": 1,
                "file_error": message,
                "errors": [],
            }
    job.mark(
        status=ImportJob.Status.DONE if result["ok"] else ImportJob.Status.REJECTED,
        rows_processed=result["rows"],
        report=result,
        finished_at=timezone.now(),
    )
    job.clear_progress()
    return job.status
