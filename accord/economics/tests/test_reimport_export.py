"""Importing a ledger's own export back into the same partnership changes nothing: every entry
is recognised by its exported id — those made with the form too — and the report says
"0 new, N unchanged" (issue 11, item 8)."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.economics.importers import DUPLICATE_ID, ENTRY_UNKNOWN, NOT_THE_OWNER
from accord.economics.models import InvestmentEntry, ValueEntry
from accord.economics.services import investment_create, value_entry_create
from accord.economics.tests.helpers import days_ago, rates
from accord.imports.engine import ImportReport
from accord.imports.services import import_file
from accord.partnerships.models import Partnership, Party
from accord.testing.personas import Cast

VALUE_FILE = (
    "source,beneficiary,amount,currency,status,period_start,period_end,description,"
    "visibility,reference\n"
    f"scale,Alder Pharma,250000,EUR,realized,{days_ago(90)},{days_ago(1)},Savings,joint,Q-1\n"
    f"Knowledge exchange,birch,1200000,USD,expected,{days_ago(0)},{days_ago(-365)},"
    "Know-how,internal,\n"
)
INVESTMENT_FILE = (
    "contributor,kind,amount,unit,planned_on,actual_on,specificity,recoverability,"
    "description,reference\n"
    f"Alder Pharma,financial,2000000,EUR,{days_ago(30)},{days_ago(20)},0.8,0.1,Milestone,MS-1\n"
    f"Birch Bio,human,36,FTE_MONTH,{days_ago(10)},,0.6,0,-3 FTE for a year,\n"
)


def _import(cast: Cast, kind: str, data: bytes, *, user: Any = None, name: str) -> ImportReport:
    return import_file(
        partnership=cast.partnership,
        user=user or cast.alice,
        kind=kind,
        stream=BytesIO(data),
        filename=name,
    )


def _export(cast: Cast, url_name: str, fmt: str, user: Any = None) -> bytes:
    client = Client()
    client.force_login(user or cast.alice)
    url = reverse(f"economics:{url_name}", args=[cast.partnership.pk])
    response = client.get(url, {"format": fmt})
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _value_by_form(cast: Cast, user: Any, visibility: str, description: str) -> ValueEntry:
    return value_entry_create(
        partnership=cast.partnership,
        user=user,
        source="network_effects",
        beneficiary=cast.party_a if user == cast.alice else cast.party_b,
        amount=Decimal("1234.5"),
        currency="EUR",
        status="expected",
        period_start=days_ago(30),
        period_end=days_ago(0),
        description=description,
        visibility=visibility,
    )


def _investment_by_form(cast: Cast, user: Any, visibility: str) -> InvestmentEntry:
    return investment_create(
        partnership=cast.partnership,
        user=user,
        contributor=cast.party_a if user == cast.alice else cast.party_b,
        kind="financial",
        amount=Decimal("5000"),
        unit="EUR",
        planned_on=days_ago(60),
        actual_on=days_ago(50),
        specificity=Decimal("0.5"),
        recoverability=Decimal("0.25"),
        description=f"{visibility} tranche",
        visibility=visibility,
    )


@pytest.fixture
def value_ledger(cast: Cast) -> None:
    """Entries from forms on both sides (joint and internal), and from an import."""
    rates(cast)
    _value_by_form(cast, cast.alice, "joint", "=SUM(A1:A3) looks like a formula")
    _value_by_form(cast, cast.alice, "internal", "Our own estimate")
    _value_by_form(cast, cast.bob, "joint", "Birch's shared savings")
    _value_by_form(cast, cast.bob, "internal", "Birch's private view")
    assert _import(cast, "value-entries", VALUE_FILE.encode(), name="v.csv").ok


@pytest.fixture
def investment_ledger(cast: Cast) -> None:
    rates(cast)
    for user in (cast.alice, cast.bob):
        for visibility in ("joint", "internal"):
            _investment_by_form(cast, user, visibility)
    assert _import(cast, "investments", INVESTMENT_FILE.encode(), name="i.csv").ok


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimporting_the_value_ledger_export_changes_nothing(
    cast: Cast, value_ledger: None, fmt: str
) -> None:
    before = list(ValueEntry.objects.order_by("pk").values())
    seen_by_alice = ValueEntry.objects.visible_to(cast.alice).count()

    exported = _export(cast, "values_export", fmt)
    report = _import(cast, "value-entries", exported, name=f"export.{fmt}")

    assert report.ok, report.errors
    assert report.counts == {"new": 0, "updated": 0, "unchanged": seen_by_alice}
    assert seen_by_alice == 5  # two of hers by form, Birch's joint one, two imported
    assert list(ValueEntry.objects.order_by("pk").values()) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimporting_the_investment_ledger_export_changes_nothing(
    cast: Cast, investment_ledger: None, fmt: str
) -> None:
    before = list(InvestmentEntry.objects.order_by("pk").values())
    seen_by_bob = InvestmentEntry.objects.visible_to(cast.bob).count()

    exported = _export(cast, "investments_export", fmt, user=cast.bob)
    report = _import(cast, "investments", exported, user=cast.bob, name=f"export.{fmt}")

    assert report.ok, report.errors
    assert report.counts == {"new": 0, "updated": 0, "unchanged": seen_by_bob}
    assert seen_by_bob == 5  # his two by form, Alder's joint one, Alder's two imported joint
    assert list(InvestmentEntry.objects.order_by("pk").values()) == before


def test_an_edited_row_of_ones_own_entry_updates_it(cast: Cast, value_ledger: None) -> None:
    mine = ValueEntry.objects.get(description="Our own estimate")
    exported = _export(cast, "values_export", "csv").decode("utf-8-sig")
    edited = exported.replace("Our own estimate", "Our revised estimate").encode()

    report = _import(cast, "value-entries", edited, name="edited.csv")

    assert report.counts == {"new": 0, "updated": 1, "unchanged": 4}
    mine.refresh_from_db()
    assert mine.description == "Our revised estimate"


def test_an_edited_row_of_another_organizations_entry_is_refused(
    cast: Cast, value_ledger: None
) -> None:
    theirs = ValueEntry.objects.get(description="Birch's shared savings")
    exported = _export(cast, "values_export", "csv").decode("utf-8-sig")
    edited = exported.replace("Birch's shared savings", "Alder rewrote this").encode()

    report = _import(cast, "value-entries", edited, name="edited.csv")

    assert not report.ok
    assert [(e.column, e.reason) for e in report.errors] == [
        ("id", NOT_THE_OWNER.format(id=theirs.pk, organization="Birch Bio"))
    ]
    theirs.refresh_from_db()
    assert theirs.description == "Birch's shared savings"


def test_an_id_alice_cannot_see_reads_like_one_that_does_not_exist(
    cast: Cast, value_ledger: None
) -> None:
    hidden = ValueEntry.objects.get(description="Birch's private view")
    other = Partnership.objects.create(name="Alder–Oak")
    Party.objects.create(partnership=other, organization=cast.org_a)
    elsewhere = ValueEntry.objects.create(
        partnership=other,
        owner_org=cast.org_a,
        beneficiary=Party.objects.get(partnership=other),
        source="scale",
        amount=Decimal(1),
        currency="EUR",
        status="realized",
        period_start=days_ago(10),
        period_end=days_ago(1),
    )
    missing = max(hidden.pk, elsewhere.pk) + 100
    rows = "".join(
        f"{pk},scale,Alder Pharma,10,EUR,realized,{days_ago(9)},{days_ago(1)}\n"
        for pk in (hidden.pk, elsewhere.pk, missing)
    )
    data = (
        "id,source,beneficiary,amount,currency,status,period_start,period_end\n" + rows
    ).encode()

    report = _import(cast, "value-entries", data, name="ids.csv")

    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (2, "id", ENTRY_UNKNOWN.format(id=hidden.pk)),
        (3, "id", ENTRY_UNKNOWN.format(id=elsewhere.pk)),
        (4, "id", ENTRY_UNKNOWN.format(id=missing)),
    ]
    assert ValueEntry.objects.count() == 7  # six in the ledger and the one elsewhere: none added


def test_the_same_id_twice_in_a_file_is_a_row_error(cast: Cast, value_ledger: None) -> None:
    exported = _export(cast, "values_export", "csv").decode("utf-8-sig")
    header, first, *_ = exported.splitlines()
    entry_id = first.split(",")[header.split(",").index("id")]

    report = _import(cast, "value-entries", f"{header}\n{first}\n{first}\n".encode(), name="x.csv")

    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (3, "id", DUPLICATE_ID.format(id=int(entry_id), row=2))
    ]
