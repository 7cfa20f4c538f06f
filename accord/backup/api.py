"""An organization admin downloads the archive of what their organization may see."""

from __future__ import annotations

import tempfile
from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest
from ninja import Path, Router

from accord.backup.archive import ArchiveError
from accord.backup.export import export_archive
from accord.backup.scope import OrganizationScope
from accord.partnerships.access import access_organization

router = Router(tags=["backup"])
Slug = Path(..., min_length=1, max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")
ZIP = {
    "responses": {
        200: {
            "description": "The organization's archive (see docs/operations.md, Backups).",
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get("/organizations/{slug}/export", openapi_extra=ZIP)
def export_organization(request: HttpRequest, slug: str = Slug) -> Any:
    """Its partnerships' joint records, its own internal ones, its people; restore it with
    `manage.py accord_restore` into an empty instance. Organization admins only (404 otherwise)."""
    organization = access_organization(request.user, slug, admin=True)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it when sent
    try:
        export_archive(spool, scope=OrganizationScope(organization))
    except ArchiveError as error:
        spool.close()
        raise ValidationError(str(error)) from None
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"accord-{organization.slug}.zip",
        content_type="application/zip",
    )
