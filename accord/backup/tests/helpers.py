"""Shared steps of the backup tests: archive in memory, empty the instance, rewrite a member."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from accord.backup.archive import MANIFEST
from accord.backup.export import export_archive
from accord.backup.scope import Scope


def archive_bytes(scope: Scope | None = None) -> bytes:
    buffer = io.BytesIO()
    export_archive(buffer, scope=scope)
    return buffer.getvalue()


def empty_the_instance() -> None:
    """What a new instance looks like to a restore: tables emptied, uploaded files gone. The
    migration-seeded rows go too, which also shows a restore brings its own copies."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # TRUNCATE refuses while FK checks are pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, verbosity=0)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    shutil.rmtree(Path(settings.MEDIA_ROOT), ignore_errors=True)


def members(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        return {name: zipped.read(name) for name in zipped.namelist()}


def rewrite(
    archive: bytes,
    change: Callable[[dict[str, bytes]], None],
    *,
    fix_checksums: bool,
) -> bytes:
    """A copy of `archive` with `change` applied to its members; with `fix_checksums` the
    manifest is made to agree again (a deliberate tamper rather than corruption)."""
    content = members(archive)
    change(content)
    if fix_checksums:
        manifest: dict[str, Any] = json.loads(content[MANIFEST])
        for member in manifest["members"]:
            data = content[member["name"]]
            member["sha256"] = hashlib.sha256(data).hexdigest()
            member["size"] = len(data)
        content[MANIFEST] = json.dumps(manifest).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        for name, data in content.items():
            zipped.writestr(name, data)
    return buffer.getvalue()
