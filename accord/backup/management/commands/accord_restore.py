from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.backup.archive import ArchiveError
from accord.backup.restore import restore_archive


class Command(BaseCommand):
    help = (
        "Restore an archive written by accord_export into an EMPTY instance (freshly migrated). "
        "All or nothing: any problem leaves the instance as it was, with exit code 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="The .zip written by accord_export.")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["archive"])
        if not path.is_file():
            raise CommandError(f"{path} does not exist or is not a file.")
        try:
            with path.open("rb") as stream:
                summary = restore_archive(stream, name=str(path))
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {summary.total_rows} rows of {len(summary.rows)} tables and "
                f"{summary.files} files from {path}; every audit chain verifies."
            )
        )
