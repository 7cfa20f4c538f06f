"""All-or-nothing CSV/XLSX imports with a row-level report.

One streaming pass inside one transaction: rows are parsed and validated one at a time, valid
rows are written in bounded batches, and if any row is bad the transaction is rolled back at the
end — so a file either imports completely or not at all, and is never held in memory whole.
After the first bad row nothing more is written, but every row is still checked so the report
names them all.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction

MAX_CELL = 10_000
MAX_REPORTED_ERRORS = 200
FILE_TYPE_UNSUPPORTED = "Upload a .csv or .xlsx file."
FILE_NOT_UTF8 = "The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again."
FILE_NOT_XLSX = "The file is not a readable .xlsx workbook."
XLSX_CUT_OFF = (
    "The workbook is damaged after row {row} (the sheet is cut off or corrupt); nothing was "
    "imported. Save it again from your spreadsheet program and upload it again."
)
FILE_EMPTY = "The file has no header row."
MISSING_COLUMNS = "Missing column(s): {names}. The first row must name the columns."
CELL_TOO_LARGE = f"The cell is longer than {MAX_CELL} characters."
REQUIRED = "A value is required."
NUL_CHARACTER = "The text contains a NUL character (\\0), which cannot be stored; remove it."

csv.field_size_limit(MAX_CELL * 10)


class ImportFileError(ValueError):
    """The file as a whole cannot be read; no row is looked at."""


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[str], Any]
    required: bool = True


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    # What the writer did with the imported rows ("new", "updated", "unchanged"), for writers
    # that count (a `counts` attribute): a re-import of an export reads "0 new, N unchanged".
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(error)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "imported": self.imported,
            "error_count": self.error_count,
            "errors": [e.__dict__ for e in self.errors],
            **self.counts,
        }


# Parsers: each takes the cell's text and returns a value or raises ValueError(reason).


def text(max_length: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise ValueError(f"At most {max_length} characters.")
        if "\x00" in value:  # PostgreSQL cannot store it: the bulk load would fail whole
            raise ValueError(NUL_CHARACTER)
        return value

    return parse


def decimal(*, minimum: Decimal | None = None, places: int = 6) -> Callable[[str], Decimal]:
    def parse(value: str) -> Decimal:
        try:
            number = Decimal(value.replace(",", "").replace(" ", ""))
        except InvalidOperation:
            raise ValueError(f"'{value[:40]}' is not a number.") from None
        if not number.is_finite():
            raise ValueError("The number must be finite.")
        if minimum is not None and number < minimum:
            raise ValueError(f"Must be at least {minimum}.")
        if abs(number) >= Decimal(10) ** 15:
            raise ValueError("The number is too large.")
        return round(number, places)

    return parse


def number(*, minimum: float | None = None, maximum: float | None = None) -> Callable[[str], float]:
    def parse(value: str) -> float:
        try:
            result = float(value.replace(",", ""))
        except ValueError:
            raise ValueError(f"'{value[:40]}' is not a number.") from None
        if result != result or result in (float("inf"), float("-inf")):
            raise ValueError("The number must be finite.")
        if minimum is not None and result < minimum:
            raise ValueError(f"Must be at least {minimum}.")
        if maximum is not None and result > maximum:
            raise ValueError(f"Must be at most {maximum}.")
        return result

    return parse


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value[:10] if "T" in value or " " in value else value)
    except ValueError:
        raise ValueError(f"'{value[:40]}' is not a date (use YYYY-MM-DD).") from None


def choice(options: Iterable[str]) -> Callable[[str], str]:
    allowed = {o.lower(): o for o in options}

    def parse(value: str) -> str:
        try:
            return allowed[value.lower()]
        except KeyError:
            raise ValueError(
                f"'{value[:40]}' is not one of: {', '.join(allowed.values())}."
            ) from None

    return parse


_HEADER = re.compile(r"[^a-z0-9]+")


def header_key(name: str) -> str:
    return _HEADER.sub("_", name.strip().lower()).strip("_")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(stream: IO[bytes], filename: str) -> Iterator[list[str]]:
    """Yield the rows of a CSV or XLSX file as lists of cell text, the header first."""
    lowered = filename.lower()
    if lowered.endswith(".csv"):
        wrapper = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        strip = str.strip
        try:
            for row in csv.reader(wrapper):
                yield list(map(strip, row))
        except UnicodeDecodeError:
            raise ImportFileError(FILE_NOT_UTF8) from None
        except csv.Error as error:
            raise ImportFileError(f"The CSV cannot be read: {error}.") from None
        finally:
            wrapper.detach()
    elif lowered.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(stream, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many types for a broken file
            raise ImportFileError(FILE_NOT_XLSX) from None
        read = 0
        try:
            # A sheet cut off inside the zip only shows once its rows are read: openpyxl raises
            # zip, XML or value errors of many types from inside the iteration.
            for row in workbook.worksheets[0].iter_rows(values_only=True):
                cells = [_cell_text(cell) for cell in row]
                read += 1
                yield cells
        except Exception:
            raise ImportFileError(XLSX_CUT_OFF.format(row=read)) from None
        finally:
            workbook.close()
    else:
        raise ImportFileError(FILE_TYPE_UNSUPPORTED)


def run_import(
    table: Iterable[list[str]],
    columns: Sequence[Column],
    write: Callable[[list[dict[str, Any]]], None],
    *,
    check_row: Callable[[int, dict[str, Any]], list[RowError]] | None = None,
    batch_size: int = 5_000,
    progress: Callable[[int], None] | None = None,
    on_success: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Parse, check and write every row atomically; see the module docstring.

    `on_success(report)` runs inside the same transaction once every row is written (and only
    if the file is clean): the caller writes its audit event and marks its job done there, so
    the rows, the event and the job's state commit together or not at all.

    `check_row` sees each parsed row (with its row number) for rules across columns or rows
    (duplicates in the file, unknown references) and returns its errors. A `write` object with
    a `finish()` method (e.g. one that writes in the background) has it called before the
    transaction ends, on success and on failure alike; one with a `complete()` method has it
    called once every row of a clean file is written, and the row errors it returns reject the
    file (rules across the whole file).
    """
    report = ImportReport()
    rows = iter(table)
    header = next(rows, None)
    if not header or not any(header):
        raise ImportFileError(FILE_EMPTY)
    positions = {header_key(name): i for i, name in enumerate(header) if name}
    missing = [c.name for c in columns if c.required and header_key(c.name) not in positions]
    if missing:
        raise ImportFileError(MISSING_COLUMNS.format(names=", ".join(missing)))
    # The hot loop of every import: locals only, one pass over the plan per row. A column the
    # file lacks gets position -1 and so reads as an empty cell.
    plan = [(c.name, c.parse, c.required, positions.get(header_key(c.name), -1)) for c in columns]
    batch: list[dict[str, Any]] = []
    add = report.add
    clean = True  # no error yet: rows are still written
    rows_seen = 0
    finish = getattr(write, "finish", None)
    with transaction.atomic():
        try:
            for number_, cells in enumerate(rows, start=2):
                if not any(cells):
                    continue
                rows_seen += 1
                width = len(cells)
                parsed: dict[str, Any] = {}
                row_ok = True
                for name, parse, required, position in plan:
                    raw = cells[position] if width > position >= 0 else ""
                    if not raw:
                        if required:
                            add(RowError(number_, name, REQUIRED))
                            row_ok = False
                        parsed[name] = None
                    elif len(raw) > MAX_CELL:
                        add(RowError(number_, name, CELL_TOO_LARGE))
                        row_ok = False
                    else:
                        try:
                            parsed[name] = parse(raw)
                        except ValueError as error:
                            add(RowError(number_, name, str(error)))
                            row_ok = False
                if row_ok and check_row is not None:
                    for error in check_row(number_, parsed):
                        add(error)
                        row_ok = False
                if not row_ok:
                    clean = False
                elif clean:
                    batch.append(parsed)
                    if len(batch) >= batch_size:
                        write(batch)
                        report.imported += len(batch)
                        batch = []
                if progress is not None and rows_seen % batch_size == 0:
                    report.rows = rows_seen
                    progress(rows_seen)
            report.rows = rows_seen
            if report.ok and batch:
                write(batch)
                report.imported += len(batch)
            complete = getattr(write, "complete", None)
            if report.ok and complete is not None:
                # Rules over the whole file (an instrument's rows only make sense together).
                for problem in complete():
                    add(problem)
            if report.ok:
                if finish is not None:
                    finish()  # every batch must be in before the counts and the audit event
                counted = getattr(write, "counts", None)
                if counted is not None:
                    report.counts = dict(counted)
                if on_success is not None:
                    on_success(report)
            if not report.ok:
                report.imported = 0
                transaction.set_rollback(True)
        finally:
            if finish is not None:
                finish()  # a writer with work in flight completes it inside the transaction

    if progress is not None:
        progress(report.rows)
    return report
