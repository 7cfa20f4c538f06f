from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, File, Path, Router, Schema, Status
from ninja.files import UploadedFile

from accord.imports.models import ImportJob
from accord.imports.registry import need_for
from accord.imports.services import import_job_create
from accord.partnerships.access import Need, access_partnership

router = Router(tags=["imports"])
Id = Path(..., ge=1, le=2**53)
Upload = File(...)


class ImportJobOut(Schema):
    id: int
    kind: str
    original_name: str
    status: str
    rows_processed: int = Field(..., description="Rows checked so far (live while running).")

    @staticmethod
    def resolve_rows_processed(obj: ImportJob) -> int:
        return obj.rows_checked()

    report: dict[str, Any]
    created_at: datetime
    finished_at: datetime | None


@router.post("/partnerships/{partnership_id}/imports/{kind}", response={202: ImportJobOut})
def create_import(
    request: HttpRequest, kind: str, file: UploadedFile = Upload, partnership_id: int = Id
) -> Any:
    """Upload a CSV/XLSX file; the import runs in the background, all or nothing."""
    partnership = access_partnership(request.user, partnership_id, need_for(kind))
    job = import_job_create(partnership=partnership, user=request.user, kind=kind, upload=file)
    job.refresh_from_db()
    return Status(202, job)


@router.get("/partnerships/{partnership_id}/import-jobs/{job_id}", response=ImportJobOut)
def get_import(request: HttpRequest, partnership_id: int = Id, job_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.CONTRIBUTE)
    job = ImportJob.objects.visible_to(request.user).filter(partnership=partnership, pk=job_id)
    found = job.first()
    if found is None:
        raise Http404
    return found
