import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from accord.imports.engine import (
    FILE_NOT_UTF8,
    FILE_TYPE_UNSUPPORTED,
    MAX_CELL,
    REQUIRED,
    Column,
    ImportFileError,
    RowError,
    choice,
    decimal,
    iso_date,
    read_table,
    run_import,
    text,
)
from accord.partnerships.models import Organization

COLUMNS = [
    Column("name", text(200)),
    Column("slug", text(80)),
    Column("founded", iso_date, required=False),
    Column("size", decimal(minimum=0), required=False),
    Column("kind", choice(["pharma", "biotech"]), required=False),
]


def write_orgs(batch):
    Organization.objects.bulk_create(Organization(name=r["name"], slug=r["slug"]) for r in batch)


def run(data: bytes, filename="orgs.csv", **kwargs):
    return run_import(read_table(io.BytesIO(data), filename), COLUMNS, write_orgs, **kwargs)


@pytest.mark.django_db
def test_a_good_file_imports_completely():
    report = run(b"Name,Slug,Founded,Size,Kind\nAcme,acme,2001-02-03,12.5,Pharma\nBeta,beta,,,\n")
    assert report.ok
    assert report.imported == 2
    assert set(Organization.objects.values_list("slug", flat=True)) == {"acme", "beta"}


@pytest.mark.django_db
def test_one_bad_row_imports_nothing_and_names_every_problem():
    data = (
        b"name,slug,founded,size,kind\n"
        + b"".join(f"Org {i},org-{i},2020-01-01,1,pharma\n".encode() for i in range(30))
        + b"Bad,,2020-13-01,-4,retail\n"
        + b"Fine,fine,,,\n"
    )
    report = run(data, batch_size=7)
    assert not report.ok
    assert report.imported == 0
    assert Organization.objects.count() == 0
    assert [(e.row, e.column) for e in report.errors] == [
        (32, "slug"),
        (32, "founded"),
        (32, "size"),
        (32, "kind"),
    ]
    assert report.errors[0].reason == REQUIRED


@pytest.mark.django_db
def test_cross_row_checks_reject_duplicates_in_the_file():
    seen = set()

    def unique_slug(row, parsed):
        if parsed["slug"] in seen:
            return [RowError(row, "slug", "Duplicate slug in this file.")]
        seen.add(parsed["slug"])
        return []

    report = run(b"name,slug\nA,a\nB,a\n", check_row=unique_slug)
    assert [e.row for e in report.errors] == [3]
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_xlsx_files_import_like_csv():
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "slug", "size"])
    sheet.append(["Acme", "acme", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    report = run(buffer.getvalue(), filename="orgs.xlsx")
    assert report.ok
    assert report.imported == 1


def test_files_that_cannot_be_read_are_refused_whole():
    with pytest.raises(ImportFileError, match=FILE_NOT_UTF8):
        list(read_table(io.BytesIO("name\nMünchen\n".encode("latin-1")), "x.csv"))
    with pytest.raises(ImportFileError, match=FILE_TYPE_UNSUPPORTED):
        list(read_table(io.BytesIO(b"x"), "x.pdf"))
    with pytest.raises(ImportFileError, match="not a readable"):
        list(read_table(io.BytesIO(b"not a zip"), "x.xlsx"))


@pytest.mark.django_db
def test_missing_columns_and_huge_cells_are_reported():
    with pytest.raises(ImportFileError, match="Missing column"):
        run(b"name\nAcme\n")
    report = run(b"name,slug\n" + b"A" * (MAX_CELL + 1) + b",a\n")
    assert report.errors[0].column == "name"


cells = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(cells, min_size=0, max_size=6), max_size=8), raw=st.binary(max_size=200)
)
def test_no_input_raises_anything_but_a_clear_file_error(rows, raw):
    """Any CSV content or bytes: a report or an ImportFileError, never a crash or a half-write."""
    buffer = io.StringIO()
    import csv

    csv.writer(buffer).writerows([["name", "slug", "founded", "size"], *rows])
    for data in (buffer.getvalue().encode(), raw):
        before = Organization.objects.count()
        try:
            report = run(data)
        except ImportFileError:
            assert Organization.objects.count() == before
            continue
        assert Organization.objects.count() == before + report.imported
        assert report.ok or report.imported == 0
        Organization.objects.all().delete()
