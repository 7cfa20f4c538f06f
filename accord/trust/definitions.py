"""Instrument definitions in and out of storage and files (YAML, JSON, CSV, XLSX).

CSV and XLSX go through the import engine (accord.imports.engine), so a bad sheet gets the same
row-level report as every import; YAML and JSON report each problem at its path in the file.
Reading never writes: a caller stores a definition only once it parsed whole."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import IO, Any

import yaml
from openpyxl import Workbook

from accord.domain.instruments.definition import Definition, DefinitionError, parse_definition
from accord.domain.instruments.rows import COLUMNS, definition_rows, row_of, rows_to_data
from accord.imports.engine import (
    Column,
    ImportFileError,
    ImportReport,
    RowError,
    read_table,
    run_import,
    text,
)

FORMATS = ("yaml", "json", "csv", "xlsx")
CONTENT_TYPES = {
    "yaml": "application/yaml",
    "json": "application/json",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_FILE_BYTES = 2 * 1024 * 1024
FILE_TOO_LARGE = "The file is larger than 2 MB; an instrument definition is far smaller."
FILE_TYPE = "Upload a .yaml, .yml, .json, .csv or .xlsx file."
NOT_YAML = "The file is not valid YAML or JSON: {error}"
COLUMNS_SPEC = [Column("record", text(40))] + [
    Column(name, text(4_000), required=False) for name in COLUMNS[1:]
]


def definition_of(instrument: Any, items: Iterable[Any] | None = None) -> Definition:
    """The stored instrument (a trust.Instrument and its items) as the domain's Definition."""
    rows = list(items if items is not None else instrument.items.all())
    data = dict(instrument.definition)
    data.update(key=instrument.key, name=instrument.name)
    if instrument.description:
        data["description"] = instrument.description
    data["items"] = [
        {
            key: value
            for key, value in (
                ("key", item.key),
                ("text", item.text),
                ("construct", item.construct),
                ("reverse", item.reverse),
                ("low_anchor", item.low_anchor),
                ("high_anchor", item.high_anchor),
            )
            if value != ""
        }
        for item in sorted(rows, key=lambda i: i.position)
    ]
    return parse_definition(data)


def definition_storage(definition: Definition) -> dict[str, Any]:
    """What Instrument.definition holds: the definition without the fields stored elsewhere."""
    from accord.domain.instruments.definition import definition_to_data

    data = definition_to_data(definition)
    for name in ("key", "name", "description", "items"):
        data.pop(name, None)
    return data


# ---------------------------------------------------------------------------- export


def export_definition(definition: Definition, fmt: str) -> bytes:
    from accord.domain.instruments.definition import definition_to_data

    if fmt == "yaml":
        dumped: str = yaml.safe_dump(
            definition_to_data(definition), sort_keys=False, allow_unicode=True
        )
        return dumped.encode()
    if fmt == "json":
        return json.dumps(definition_to_data(definition), indent=2, ensure_ascii=False).encode()
    rows = definition_rows(definition)
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return out.getvalue().encode()
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "instrument"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            cell.data_type = "s"  # never a formula, whatever the text starts with
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------- import


class DefinitionFileError(ValueError):
    """The file does not hold a storable definition; ``report`` names each problem."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__("; ".join(f"row {e.row} {e.column}: {e.reason}" for e in report.errors))


def read_definition(stream: IO[bytes], filename: str) -> Definition:
    """Parse an uploaded definition; raises DefinitionFileError (row-level report) or
    ImportFileError (the file as a whole is unreadable). Stores nothing."""
    lowered = filename.lower()
    if lowered.endswith((".csv", ".xlsx")):
        return _read_sheet(read_table(stream, filename))
    if not lowered.endswith((".yaml", ".yml", ".json")):
        raise ImportFileError(FILE_TYPE)
    raw = stream.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise ImportFileError(FILE_TOO_LARGE)
    return read_data(raw)


def read_data(raw: bytes | str) -> Definition:
    """A YAML (or JSON, which YAML reads) document as a definition; problems by path."""
    try:
        data = yaml.safe_load(raw)
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        # ValueError: a well-formed scalar YAML cannot construct (e.g. the date 2001-02-30).
        raise ImportFileError(NOT_YAML.format(error=str(error)[:300])) from None
    try:
        return parse_definition(data)
    except DefinitionError as error:
        report = ImportReport()
        for path, message in error.problems:
            report.add(RowError(0, path or "file", message))
        raise DefinitionFileError(report) from None


class SheetWriter:
    """Collects an instrument sheet's rows (the engine hands over clean rows only) and, once
    all are in, parses them as one definition, reporting problems at their rows."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, dict[str, str]]] = []
        self.definition: Definition | None = None
        self.next_row = 2  # the engine numbers data rows from 2 (row 1 is the header)

    def check_row(self, number: int, row: dict[str, Any]) -> list[RowError]:
        self.rows.append((number, {k: v or "" for k, v in row.items()}))
        return []

    def __call__(self, batch: list[dict[str, Any]]) -> None:
        """Rows were already kept by ``check_row``, with their numbers."""

    def complete(self) -> list[RowError]:
        data, where, problems = rows_to_data(self.rows)
        errors = [RowError(row, column, message) for row, column, message in problems]
        if errors:
            return errors
        try:
            self.definition = parse_definition(data)
        except DefinitionError as error:
            return [
                RowError(row_of(path, where), path or "record", message)
                for path, message in error.problems
            ]
        return []


def _read_sheet(table: Iterable[list[str]]) -> Definition:
    writer = SheetWriter()
    report = run_import(table, COLUMNS_SPEC, writer, check_row=writer.check_row)
    if not report.ok or writer.definition is None:
        raise DefinitionFileError(report)
    return writer.definition
