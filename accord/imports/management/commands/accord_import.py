from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, IntegrityError
from tqdm import tqdm

from accord.imports.engine import ImportFileError, ImportReport
from accord.imports.registry import IMPORTERS, need_for
from accord.imports.services import CONCURRENT_CHANGE, import_file
from accord.partnerships.access import can
from accord.partnerships.models import Partnership


class Command(BaseCommand):
    help = "Import a CSV/XLSX file into a partnership, all or nothing, with a row-level report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--partnership", type=int, required=True, help="Partnership id.")
        parser.add_argument("--kind", required=True, help=f"One of: {', '.join(sorted(IMPORTERS))}")
        parser.add_argument("--as", dest="email", required=True, help="Import as this user.")

    def handle(self, *args: Any, **opts: Any) -> None:
        path: Path = opts["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user = get_user_model().objects.filter(username=opts["email"]).first()
        partnership = Partnership.objects.filter(pk=opts["partnership"]).first()
        if (
            user is None
            or partnership is None
            or not can(user, partnership, need_for(opts["kind"]))
        ):
            raise CommandError("Unknown user or partnership, or the user may not import into it.")
        size = os.path.getsize(path)
        with path.open("rb") as stream, tqdm(total=size, unit="B", unit_scale=True) as bar:

            def progress(_rows: int) -> None:
                bar.update(stream.tell() - bar.n)

            try:
                report = import_file(
                    partnership=partnership,
                    user=user,
                    kind=opts["kind"],
                    stream=stream,
                    filename=path.name,
                    progress=progress,
                )
            except ImportFileError as error:
                raise CommandError(str(error)) from None
            except ValidationError as error:
                raise CommandError(error.messages[0]) from None
            except IntegrityError:
                raise CommandError(CONCURRENT_CHANGE) from None
            except DatabaseError as error:  # nothing was written: the import is one transaction
                reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
                raise CommandError(f"The database refused the import ({reason}); nothing was "
                                   "imported.") from None  # fmt: skip
        if not report.ok:
            for error in report.errors:
                self.stderr.write(f"row {error.row}, {error.column}: {error.reason}")
            raise CommandError(f"Nothing imported: {report.error_count} problem(s) in {path.name}.")
        self.stdout.write(self.style.SUCCESS(import_summary(report, path.name) + "."))


def import_summary(report: ImportReport, name: str) -> str:
    """ "Nothing changed" when a re-import found every row already there (no audit event either)."""
    counts = report.counts
    if not counts:
        return f"Imported {report.imported} rows from {name}"
    figures = ", ".join(f"{n} {what}" for what, n in counts.items())
    changed = counts.get("new", 0) + counts.get("updated", 0)
    if not changed:
        return f"Nothing changed in {name}: {figures}"
    if counts.get("unchanged"):
        return f"Imported {changed} of {report.imported} rows from {name}: {figures}"
    return f"Imported {report.imported} rows from {name}: {figures}"
