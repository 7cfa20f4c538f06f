"""CSV/XLSX exports of the ledgers, in the import's column layout so a file can go back in.

The caller passes entries already scoped to the viewer (selectors), so an export holds exactly
what its reader may see on the page.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse

from accord.economics.importers import INVESTMENT_COLUMNS, VALUE_COLUMNS
from accord.economics.models import InvestmentEntry, ValueEntry

EXTRA = ["id", "recorded_by_organization", "created_at", "updated_at"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "organization"):  # a Party
        return value.organization.name
    return value


def value_rows(entries: Iterable[ValueEntry]) -> Iterator[list[Any]]:
    yield [*VALUE_COLUMNS, *EXTRA]
    for entry in entries:
        yield [
            *(_cell(getattr(entry, name)) for name in VALUE_COLUMNS),
            entry.pk,
            entry.owner_org.name,
            entry.created_at.isoformat(timespec="seconds"),
            entry.updated_at.isoformat(timespec="seconds"),
        ]


def investment_rows(entries: Iterable[InvestmentEntry]) -> Iterator[list[Any]]:
    yield [*INVESTMENT_COLUMNS, *EXTRA]
    for entry in entries:
        yield [
            *(_cell(getattr(entry, name)) for name in INVESTMENT_COLUMNS),
            entry.pk,
            entry.owner_org.name,
            entry.created_at.isoformat(timespec="seconds"),
            entry.updated_at.isoformat(timespec="seconds"),
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
    for row in rows:
        yield writer.writerow([_text(cell) for cell in row])


def _text(cell: Any) -> Any:
    """Cells that a spreadsheet would run as a formula are written as text."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@"):
        return "'" + cell
    return cell


def respond(rows: Iterable[Sequence[Any]], *, filename: str, fmt: str) -> HttpResponse:
    """`fmt` "xlsx" for a workbook (numbers stay numbers), anything else for CSV."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(filename)
        for row in rows:
            sheet.append([_text(cell) for cell in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    streaming = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    streaming["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return streaming  # type: ignore[return-value]
