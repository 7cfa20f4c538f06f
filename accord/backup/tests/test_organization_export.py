"""An organization's archive holds what it may see — its partnerships' joint records and its own
internal ones — and never another organization's internal records, people it is not shown, or
survey answers."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from accord.backup.restore import restore_archive
from accord.backup.scope import UNUSABLE_PASSWORD, OrganizationScope, organization_scope
from accord.backup.tests.helpers import archive_bytes, empty_the_instance, members
from accord.economics.services import value_entry_create
from accord.economics.tests.helpers import days_ago, rates
from accord.partnerships.audit import record_event
from accord.partnerships.models import Organization, Partnership, Party
from accord.testing.personas import Cast

PDF = b"%PDF-1.4\n% Birch's own valuation\n"


def _value(cast: Cast, user: Any, *, visibility: str, **extra: Any) -> Any:
    return value_entry_create(
        partnership=cast.partnership,
        user=user,
        source="scale",
        beneficiary=cast.party_a if user == cast.alice else cast.party_b,
        amount=Decimal("1000"),
        currency="EUR",
        status="realized",
        period_start=days_ago(90),
        period_end=days_ago(1),
        description=f"{visibility} by {user.first_name}",
        visibility=visibility,
        **extra,
    )


@pytest.fixture
def two_sides(cast: Cast) -> dict[str, Any]:
    """Joint and internal entries on both sides, Birch's internal one with a file, and a second
    partnership of Birch's that Alder has no part in."""
    rates(cast)
    elsewhere = Partnership.objects.create(name="Birch–Oak Venture")
    Party.objects.create(partnership=elsewhere, organization=cast.org_b)
    Party.objects.create(partnership=elsewhere, organization=cast.org_outsider)
    with transaction.atomic():
        record_event(partnership=elsewhere, action="note", summary="Birch and Oak met")
    return {
        "joint_a": _value(cast, cast.alice, visibility="joint"),
        "internal_a": _value(cast, cast.alice, visibility="internal"),
        "joint_b": _value(cast, cast.bob, visibility="joint"),
        "internal_b": _value(
            cast,
            cast.bob,
            visibility="internal",
            evidence_file=SimpleUploadedFile("birch-valuation.pdf", PDF),
        ),
        "elsewhere": elsewhere,
    }


def _tables(archive: bytes) -> dict[str, list[dict[str, Any]]]:
    content = members(archive)
    return {
        name.removeprefix("data/").removesuffix(".jsonl"): [
            json.loads(line) for line in content[name].decode().splitlines()
        ]
        for name in content
        if name.startswith("data/")
    }


def test_it_never_holds_another_organizations_internal_records(
    cast: Cast, two_sides: dict[str, Any]
) -> None:
    tables = _tables(archive_bytes(OrganizationScope(cast.org_a)))

    scoped_rows = [row for rows in tables.values() for row in rows if "visibility" in row]
    assert scoped_rows  # the check below looks at real rows
    assert not [
        row
        for row in scoped_rows
        if row["visibility"] != "joint" and row.get("owner_org_id") != cast.org_a.pk
    ]
    values = {row["id"] for row in tables["economics.valueentry"]}
    assert values == {two_sides[k].pk for k in ("joint_a", "internal_a", "joint_b")}
    internal_events = [
        e for e in tables["partnerships.auditevent"] if e["visibility"] == "internal"
    ]
    assert internal_events
    assert {e["owner_org_id"] for e in internal_events} == {cast.org_a.pk}


def test_it_holds_no_file_of_another_organizations_internal_record(
    cast: Cast, two_sides: dict[str, Any]
) -> None:
    content = members(archive_bytes(OrganizationScope(cast.org_a)))
    assert [name for name in content if name.startswith("files/")] == []
    birch = members(archive_bytes(OrganizationScope(cast.org_b)))
    assert [name for name in birch if name.startswith("files/")] == [
        f"files/{two_sides['internal_b'].evidence_file.name}"
    ]


def test_it_holds_only_the_organizations_partnerships_and_their_parties(
    cast: Cast, two_sides: dict[str, Any]
) -> None:
    tables = _tables(archive_bytes(OrganizationScope(cast.org_a)))

    assert {row["id"] for row in tables["partnerships.partnership"]} == {cast.partnership.pk}
    assert {row["slug"] for row in tables["partnerships.organization"]} == {
        "alder",
        "birch",
        "fennel",  # the facilitator's organization: Alder sees the facilitator take part
    }
    partnership_ids = {
        row["partnership_id"]
        for rows in tables.values()
        for row in rows
        if row.get("partnership_id") is not None
    }
    assert partnership_ids == {cast.partnership.pk}


def test_it_holds_no_survey_answers_tokens_or_passwords(
    cast: Cast, two_sides: dict[str, Any]
) -> None:
    tables = _tables(archive_bytes(OrganizationScope(cast.org_a)))

    for private in ("trust.response", "trust.invitee", "api.personalaccesstoken"):
        assert private not in tables
    assert {row["password"] for row in tables["auth.user"]} == {UNUSABLE_PASSWORD}
    assert "olga@oak.test" not in {row["username"] for row in tables["auth.user"]}


def test_a_restricted_participant_list_keeps_the_other_sides_people_unnamed(
    cast: Cast, two_sides: dict[str, Any]
) -> None:
    Partnership.objects.filter(pk=cast.partnership.pk).update(restrict_participant_lists=True)
    tables = _tables(archive_bytes(OrganizationScope(cast.org_a)))

    participants = tables["partnerships.participant"]
    assert {row["organization_id"] for row in participants} == {cast.org_a.pk}
    names = {(row["first_name"], row["email"]) for row in tables["auth.user"]}
    alder = {(u.first_name, u.email) for u in (cast.alice, cast.amos, cast.ava, cast.oscar)}
    assert names == alder | {("", "")}  # Bob created entries: kept, but without his name
    assert {row["username"] for row in tables["auth.user"] if row["first_name"] == ""} == {
        f"person-{cast.bob.pk}"
    }


def test_an_unknown_organization_is_refused(db: None) -> None:
    with pytest.raises(LookupError):
        organization_scope("no-such-organization")


def test_an_organizations_demo_archive_restores_and_verifies(db: None) -> None:
    call_command("accord_demo", "--anchor", "2026-11-25", verbosity=0)
    helix = Organization.objects.get(slug="helix")
    first = archive_bytes(organization_scope(helix.slug))

    empty_the_instance()
    summary = restore_archive(io.BytesIO(first))
    call_command("audit_verify", stdout=io.StringIO())  # raises on any broken chain
    again = archive_bytes(organization_scope("helix"))

    assert summary.scope == {
        "kind": "organization",
        "organization": {"id": helix.pk, "slug": "helix"},
    }
    assert again == first
