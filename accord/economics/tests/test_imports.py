import csv
import io
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accord.domain import economics as domain
from accord.economics.importers import DUPLICATE_ROW, PARTY_UNKNOWN
from accord.economics.models import InvestmentEntry, ValueEntry
from accord.economics.tests.helpers import days_ago, rates, today
from accord.imports.models import ImportJob
from accord.imports.services import import_file

VALUES = (
    "source,beneficiary,amount,currency,status,period_start,period_end,description,"
    "visibility,reference\n"
    f"scale,Alder Pharma,250000,EUR,realized,{days_ago(90)},{days_ago(1)},Savings,joint,Q-1\n"
    f"Knowledge exchange,birch,1200000,USD,expected,{days_ago(0)},{days_ago(-365)},"
    "Know-how,internal,\n"
)


def run(cast, kind, text, user=None, name="ledger.csv"):
    return import_file(
        partnership=cast.partnership,
        user=user or cast.alice,
        kind=kind,
        stream=BytesIO(text.encode()),
        filename=name,
    )


def test_a_clean_file_imports_every_row_owned_by_the_importer(cast):
    rates(cast)
    report = run(cast, "value-entries", VALUES)
    assert report.ok
    assert report.imported == 2
    internal = ValueEntry.objects.get(visibility="internal")
    assert internal.owner_org == cast.org_a
    assert internal.beneficiary == cast.party_b
    assert internal.source == "knowledge_exchange"
    assert internal.currency == "USD"


def test_importing_the_same_file_again_updates_instead_of_duplicating(cast):
    rates(cast)
    run(cast, "value-entries", VALUES)
    report = run(cast, "value-entries", VALUES.replace("250000", "260000"))
    assert report.ok
    assert ValueEntry.objects.count() == 2
    assert ValueEntry.objects.get(reference="Q-1").amount == 260000


def test_domain_rules_become_row_errors_and_nothing_is_imported(cast):
    rates(cast)
    next_year = today().replace(year=today().year + 1)
    bad = (
        "contributor,kind,amount,unit,planned_on,actual_on,specificity,recoverability\n"
        f"Alder Pharma,financial,1000,EUR,{days_ago(10)},{days_ago(5)},0.5,0.5\n"
        f"Alder Pharma,financial,-5,EUR,{days_ago(10)},,0.5,0.5\n"
        f"Birch Bio,human,10,EUR,{days_ago(10)},,1.5,0\n"
        f"Oak Labs,financial,10,EUR,{days_ago(10)},,0.1,0\n"
        f"Birch Bio,attentional,10,EXEC_HOUR,{days_ago(10)},{next_year},0.1,0\n"
        f"Birch Bio,financial,10,EUR,10/01/2026,,0.1,0\n"
    )
    report = run(cast, "investments", bad)
    assert not report.ok
    assert report.imported == 0
    found = {(e.row, e.column, e.reason) for e in report.errors}
    assert (3, "amount", domain.AMOUNT_NEGATIVE) in found
    assert (4, "unit", domain.UNIT_DOES_NOT_FIT_KIND) in found
    assert (4, "specificity", domain.SPECIFICITY_OUT_OF_RANGE) in found
    assert (5, "contributor", PARTY_UNKNOWN.format(name="Oak Labs")) in found
    assert (6, "unit", domain.UNIT_NOT_IN_RATE_TABLE) in found
    assert (6, "actual_on", domain.CONTRIBUTION_MADE_IN_FUTURE) in found
    assert any(e.row == 7 and e.column == "planned_on" for e in report.errors)
    assert not InvestmentEntry.objects.exists()


def test_a_row_repeated_in_the_file_is_reported(cast):
    row = f"Alder Pharma,financial,1000,EUR,{days_ago(10)},,0.5,0.5\n"
    report = run(
        cast,
        "investments",
        "contributor,kind,amount,unit,planned_on,actual_on,specificity,recoverability\n"
        + row
        + row,
    )
    assert [(e.row, e.reason) for e in report.errors] == [(3, DUPLICATE_ROW.format(row=2))]


def test_an_xlsx_workbook_imports_through_the_upload_page(
    cast, client, django_capture_on_commit_callbacks
):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["contributor", "kind", "amount", "unit", "planned_on", "specificity", "recoverability"]
    )
    sheet.append(["Birch Bio", "Financial", 2_000_000, "EUR", days_ago(20), 0.8, 0.1])
    buffer = BytesIO()
    workbook.save(buffer)
    client.force_login(cast.bob)
    upload = SimpleUploadedFile("plan.xlsx", buffer.getvalue())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/partnerships/{cast.partnership.pk}/imports/new/investments/", {"file": upload}
        )
    assert ImportJob.objects.get().status == ImportJob.Status.DONE, client.get(response.url).content
    entry = InvestmentEntry.objects.get()
    assert entry.owner_org == cast.org_b
    assert entry.amount == 2_000_000
    assert entry.actual_on is None


def test_an_export_goes_back_in_unchanged(cast, client):
    rates(cast)
    run(cast, "value-entries", VALUES)
    client.force_login(cast.alice)
    exported = b"".join(
        client.get(
            f"/partnerships/{cast.partnership.pk}/economics/values/export/"
        ).streaming_content
    )
    before = sorted(
        ValueEntry.objects.values_list("amount", "currency", "beneficiary", "visibility")
    )
    ValueEntry.objects.all().delete()
    # Re-creating deleted entries (or copying them to another partnership): without the id
    # column, rows are new entries; with it, the ids would name entries that no longer exist.
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    drop = rows[0].index("id")
    without_ids = io.StringIO()
    csv.writer(without_ids).writerows([c for i, c in enumerate(r) if i != drop] for r in rows)
    report = run(cast, "value-entries", without_ids.getvalue())
    assert report.ok, report.errors
    assert (
        sorted(ValueEntry.objects.values_list("amount", "currency", "beneficiary", "visibility"))
        == before
    )
