"""Export → restore into an empty instance → export gives the same bytes, on the demo portfolio,
on whichever database the suite runs (SQLite, then PostgreSQL)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from accord.accountability.models import Commitment, Evidence
from accord.accountability.services.commitments import commitment_add_evidence
from accord.backup.restore import restore_archive, rows_present
from accord.backup.tests.helpers import archive_bytes, empty_the_instance, members
from accord.partnerships.audit import AuditEvent, record_event
from accord.partnerships.models import Organization, Partnership

PDF = b"%PDF-1.4\n% minutes of the steering committee\n"


@pytest.fixture
def demo_with_a_file(db: None) -> Evidence:
    call_command("accord_demo", "--anchor", "2026-11-25", verbosity=0)
    commitment = Commitment.objects.order_by("pk").first()
    assert commitment is not None
    return commitment_add_evidence(
        commitment=commitment,
        user=commitment.created_by,
        note="Signed minutes",
        file=SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf"),
    )


def test_a_freshly_migrated_instance_counts_as_empty(db: None) -> None:
    assert rows_present() == {}


def test_export_restore_export_is_byte_equal(demo_with_a_file: Evidence) -> None:
    first = archive_bytes()
    rows_before = _row_counts(first)

    empty_the_instance()
    assert rows_present() == {}
    summary = restore_archive(io.BytesIO(first))
    second = archive_bytes()

    assert second == first
    assert summary.rows == rows_before
    assert summary.files == 1
    restored = Evidence.objects.get(pk=demo_with_a_file.pk)
    assert (Path(settings.MEDIA_ROOT) / restored.file.name).read_bytes() == PDF


def test_every_audit_chain_verifies_after_restore(demo_with_a_file: Evidence) -> None:
    archive = archive_bytes()
    events = AuditEvent.objects.count()
    empty_the_instance()
    restore_archive(io.BytesIO(archive))

    out = io.StringIO()
    call_command("audit_verify", stdout=out)  # raises CommandError on any broken link
    assert AuditEvent.objects.count() == events > 0
    assert "intact" in out.getvalue()


def test_new_records_after_restore_get_fresh_keys(demo_with_a_file: Evidence) -> None:
    """On PostgreSQL this fails unless the sequences were moved past the restored keys."""
    archive = archive_bytes()
    highest_org = Organization.objects.order_by("-pk").values_list("pk", flat=True)[0]
    highest_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True)[0]
    empty_the_instance()
    restore_archive(io.BytesIO(archive))

    organization = Organization.objects.create(name="Cedar Data", slug="cedar-data")
    partnership = Partnership.objects.order_by("pk").first()
    with transaction.atomic():
        event = record_event(
            partnership=partnership, action="note", summary="First change after the restore"
        )
    assert organization.pk > highest_org
    assert event.pk > highest_event
    call_command("audit_verify", stdout=io.StringIO())


def test_the_archive_lists_every_member_with_its_checksum(demo_with_a_file: Evidence) -> None:
    archive = archive_bytes()
    content = members(archive)
    manifest = json.loads(content["manifest.json"])
    assert manifest["format"] == "accord-backup"
    assert manifest["format_version"] == 1
    assert manifest["scope"] == {"kind": "instance"}
    assert {m["name"] for m in manifest["members"]} == set(content) - {"manifest.json"}
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        assert {info.date_time for info in zipped.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def _row_counts(archive: bytes) -> dict[str, int]:
    manifest = json.loads(members(archive)["manifest.json"])
    return {entry["model"]: entry["rows"] for entry in manifest["models"]}
