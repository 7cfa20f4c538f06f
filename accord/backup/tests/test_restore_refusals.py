"""A restore that cannot be done completely writes nothing and says why (exit code 1)."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from accord.accountability.services.commitments import commitment_add_evidence, commitment_create
from accord.backup import archive as fmt
from accord.backup import restore
from accord.backup.archive import ArchiveError
from accord.backup.restore import restore_archive, rows_present
from accord.backup.tests.helpers import archive_bytes, empty_the_instance, rewrite
from accord.partnerships.models import Organization
from accord.testing.personas import Cast

PDF = b"%PDF-1.4\n% evidence\n"


@pytest.fixture
def archive(cast: Cast) -> bytes:
    """A small instance with an audit trail and one uploaded file, archived."""
    commitment = commitment_create(
        partnership=cast.partnership,
        user=cast.alice,
        title="Share the assay protocol",
        owner_party=cast.party_a,
        due_on=date(2026, 6, 30),
    )
    commitment_add_evidence(
        commitment=commitment,
        user=cast.alice,
        file=SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"),
    )
    return archive_bytes()


def _restore_fails_with(archive: bytes, message: str) -> None:
    with pytest.raises(ArchiveError) as refused:
        restore_archive(io.BytesIO(archive))
    assert str(refused.value) == message


def _nothing_written() -> None:
    assert rows_present() == {}
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_it_refuses_a_non_empty_instance_and_changes_nothing(
    archive: bytes, tmp_path: Path
) -> None:
    before = rows_present()
    path = tmp_path / "backup.zip"
    path.write_bytes(archive)
    with pytest.raises(CommandError) as refused:
        call_command("accord_restore", str(path))
    assert str(refused.value).startswith("This instance is not empty")
    assert rows_present() == before


def test_it_refuses_a_corrupt_member(archive: bytes) -> None:
    def flip(content: dict[str, bytes]) -> None:
        data = bytearray(content["data/partnerships.organization.jsonl"])
        data[10] ^= 1
        content["data/partnerships.organization.jsonl"] = bytes(data)

    broken = rewrite(archive, flip, fix_checksums=False)
    empty_the_instance()
    member = "data/partnerships.organization.jsonl"
    _restore_fails_with(broken, fmt.MEMBER_CORRUPT.format(member=member))
    _nothing_written()


def test_it_refuses_an_audit_trail_edited_with_matching_checksums(archive: bytes) -> None:
    """Checksums catch damage; the hash chains catch a deliberate edit that fixed them."""

    def edit_an_event(content: dict[str, bytes]) -> None:
        name = "data/partnerships.auditevent.jsonl"
        lines = content[name].decode().splitlines()
        event = json.loads(lines[0])
        event["summary"] = "Nothing happened here"
        lines[0] = json.dumps(event, sort_keys=True)
        content[name] = ("\n".join(lines) + "\n").encode()

    tampered = rewrite(archive, edit_an_event, fix_checksums=True)
    empty_the_instance()
    with pytest.raises(ArchiveError) as refused:
        restore_archive(io.BytesIO(tampered))
    assert str(refused.value).startswith("The archive's audit trail does not verify")
    assert "its contents no longer match its hash" in str(refused.value)
    _nothing_written()


def test_it_refuses_another_format_version(archive: bytes) -> None:
    def bump(content: dict[str, bytes]) -> None:
        manifest = json.loads(content[fmt.MANIFEST])
        manifest["format_version"] = 2
        content[fmt.MANIFEST] = json.dumps(manifest).encode()

    empty_the_instance()
    _restore_fails_with(
        rewrite(archive, bump, fix_checksums=False), fmt.WRONG_VERSION.format(found=2, expected=1)
    )
    _nothing_written()


def test_it_refuses_an_archive_of_another_schema(archive: bytes) -> None:
    def add_migration(content: dict[str, bytes]) -> None:
        manifest = json.loads(content[fmt.MANIFEST])
        manifest["migrations"].append(["economics", "9999_from_the_future"])
        content[fmt.MANIFEST] = json.dumps(manifest).encode()

    empty_the_instance()
    _restore_fails_with(
        rewrite(archive, add_migration, fix_checksums=False),
        restore.SCHEMA_DIFFERS.format(count=1, example="economics.9999_from_the_future"),
    )
    _nothing_written()


def test_it_refuses_a_file_that_is_not_an_archive(db: None, tmp_path: Path) -> None:
    path = tmp_path / "notes.zip"
    path.write_bytes(b"organization,partnership\n")
    with pytest.raises(CommandError) as refused:
        call_command("accord_restore", str(path))
    assert str(refused.value) == fmt.NOT_AN_ARCHIVE.format(name=str(path))


def test_it_refuses_a_file_an_archive_does_not_explain(archive: bytes) -> None:
    def smuggle(content: dict[str, bytes]) -> None:
        content["files/extra.pdf"] = PDF

    empty_the_instance()
    _restore_fails_with(
        rewrite(archive, smuggle, fix_checksums=False),
        fmt.MEMBER_UNLISTED.format(member="files/extra.pdf"),
    )
    _nothing_written()


def test_export_refuses_to_overwrite_an_archive(db: None, tmp_path: Path) -> None:
    path = tmp_path / "backup.zip"
    path.write_bytes(b"keep me")
    with pytest.raises(CommandError):
        call_command("accord_export", str(path))
    assert path.read_bytes() == b"keep me"


def test_the_commands_write_and_restore_an_archive(archive: bytes, tmp_path: Path) -> None:
    path = tmp_path / "backup.zip"
    call_command("accord_export", str(path), stdout=io.StringIO())
    assert path.read_bytes() == archive
    organizations = list(Organization.objects.order_by("pk").values_list("pk", "slug"))
    empty_the_instance()
    call_command("accord_restore", str(path), stdout=io.StringIO())
    assert list(Organization.objects.order_by("pk").values_list("pk", "slug")) == organizations
