from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.backup.archive import ArchiveError
from accord.backup.export import export_archive
from accord.backup.scope import InstanceScope, Scope

OUT_EXISTS = "{path} already exists; choose a new file name (an archive is never overwritten)."


class Command(BaseCommand):
    help = (
        "Write a backup archive (.zip): the whole instance, or with --organization what one "
        "organization may see. Restore it with accord_restore into an empty instance."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="The archive to write, e.g. accord-2026-12-06.zip.")
        parser.add_argument(
            "--organization",
            help="Slug or id: only this organization's partnerships, joint records and its own "
            "internal ones.",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["out"])
        if path.exists():
            raise CommandError(OUT_EXISTS.format(path=path))
        scope: Scope = InstanceScope()
        if opts["organization"]:
            from accord.backup.scope import organization_scope

            try:
                scope = organization_scope(opts["organization"])
            except LookupError as error:
                raise CommandError(str(error)) from None
        partial = path.with_name(path.name + ".partial")
        try:
            with partial.open("wb") as stream:
                summary = export_archive(stream, scope=scope)
            os.replace(partial, path)
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {path}: {summary.total_rows} rows of {len(summary.rows)} tables, "
                f"{summary.files} files."
            )
        )
