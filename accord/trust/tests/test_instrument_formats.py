"""Any valid instrument definition exported as YAML, JSON, CSV or XLSX imports back unchanged,
and a bad sheet gets a row-level report from the import engine (issue 15)."""

import io

import pytest
from hypothesis import HealthCheck, given, settings

from accord.domain.instruments.definition import UNKNOWN_CONSTRUCT, parse_definition
from accord.domain.tests.test_instruments import definitions, thirty_items
from accord.imports.engine import ImportFileError
from accord.trust.definitions import (
    DefinitionFileError,
    export_definition,
    read_definition,
)

SUFFIX = {"yaml": "x.yaml", "json": "x.json", "csv": "x.csv", "xlsx": "x.xlsx"}


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(definitions())
def test_any_definition_round_trips_through_every_file_format(definition):
    for fmt, name in SUFFIX.items():
        exported = export_definition(definition, fmt)
        assert read_definition(io.BytesIO(exported), name) == definition, fmt


@pytest.mark.django_db
def test_a_sheet_names_the_row_of_an_item_on_an_unknown_construct():
    data = thirty_items()
    definition = parse_definition(data)
    sheet = export_definition(definition, "csv").decode().splitlines()
    row = next(n for n, line in enumerate(sheet, start=1) if line.startswith("item,c03-1,"))
    sheet[row - 1] = sheet[row - 1].replace(",c03,", ",nope,")
    with pytest.raises(DefinitionFileError) as caught:
        read_definition(io.BytesIO("\n".join(sheet).encode()), "bad.csv")
    errors = caught.value.report.errors
    assert [(e.row, e.reason) for e in errors] == [(row, UNKNOWN_CONSTRUCT.format(value="nope"))]


@pytest.mark.django_db
def test_yaml_problems_are_named_by_their_path():
    with pytest.raises(DefinitionFileError) as caught:
        read_definition(io.BytesIO(b"key: x\nname: X\nscale: {points: 12}\n"), "x.yaml")
    columns = {e.column for e in caught.value.report.errors}
    assert {"scale.points", "directions", "categories", "items"} <= columns


def test_an_unsupported_file_type_is_refused_whole():
    with pytest.raises(ImportFileError):
        read_definition(io.BytesIO(b"{}"), "x.txt")
