"""The archive format: one deterministic zip that a restore can check before it writes anything.

Layout (FORMAT_VERSION 1):

- ``manifest.json`` — format name and version, the scope (whole instance or one organization),
  the applied migrations (a restore needs the same schema), and for every other member its
  SHA-256 and size; for every model its file, fields and row count, in dependency order.
- ``data/<app_label>.<model>.jsonl`` — one JSON object per row, keys are the model's column
  names (``partnership_id``), primary keys preserved, rows ordered by primary key.
- ``files/<storage name>`` — every uploaded file a row points to.

Everything is deterministic — sorted keys, rows by primary key, a fixed time on every zip member,
no export timestamp — so exporting a restored instance gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import IO, Any
from uuid import UUID

FORMAT_NAME = "accord-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: no clock in the archive

NOT_AN_ARCHIVE = "{name} is not a readable Accord archive (not a zip file)."
NO_MANIFEST = "The archive has no readable manifest.json: it is not an Accord backup."
WRONG_FORMAT = "The archive's format is {found!r}; Accord restores {expected!r} archives."
WRONG_VERSION = (
    "The archive has format version {found}; this Accord restores version {expected} only."
)
MEMBER_MISSING = "The archive is incomplete: {member} is listed in the manifest but missing."
MEMBER_CORRUPT = "The archive is corrupt or was altered: {member} does not match its checksum."
MEMBER_UNLISTED = "The archive holds {member}, which its manifest does not list."
UNSAFE_NAME = "The archive names a file outside its own folders: {member}."


class ArchiveError(Exception):
    """The archive cannot be written or restored; the message says why, for a person."""


def encode(value: Any) -> Any:
    """A column value as JSON, losslessly: full microseconds, Decimals as text."""
    if value is None or isinstance(value, (bool, int, float, str, dict, list)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, (bytes, memoryview)):
        return base64.b64encode(bytes(value)).decode()
    raise TypeError(f"Cannot archive a value of type {type(value).__name__}.")


def dump_line(row: dict[str, Any]) -> bytes:
    return (
        json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
    ).encode()


def safe_member_name(name: str) -> bool:
    normal = posixpath.normpath(name)
    return (
        normal == name
        and not name.startswith("/")
        and not name.startswith("../")
        and ".." not in name.split("/")
        and "\\" not in name
        and "\x00" not in name
    )


class ArchiveWriter:
    """Writes members in the order given, each with the same fixed time; the manifest last in
    the file but listing every member before it."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._zip = zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED)
        self.members: list[dict[str, Any]] = []

    def _info(self, name: str) -> zipfile.ZipInfo:
        if not safe_member_name(name):
            raise ArchiveError(UNSAFE_NAME.format(member=name))
        info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    def add_lines(self, name: str, lines: Iterable[bytes]) -> int:
        """Stream lines into a member; returns how many there were."""
        digest = hashlib.sha256()
        size = count = 0
        with self._zip.open(self._info(name), "w") as member:
            for line in lines:
                member.write(line)
                digest.update(line)
                size += len(line)
                count += 1
        self.members.append({"name": name, "sha256": digest.hexdigest(), "size": size})
        return count

    def add_stream(self, name: str, source: IO[bytes]) -> None:
        self.add_lines(name, iter(lambda: source.read(1 << 20), b""))

    def close(self, manifest: dict[str, Any]) -> None:
        manifest = {**manifest, "members": sorted(self.members, key=lambda m: m["name"])}
        body = json.dumps(manifest, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
        self._zip.writestr(self._info(MANIFEST), body.encode())
        self._zip.close()


class ArchiveReader:
    """Opens an archive and checks it whole (format, version, every checksum) before anything
    reads a row from it."""

    def __init__(self, stream: IO[bytes], name: str = "The file") -> None:
        try:
            self._zip = zipfile.ZipFile(stream, "r")
        except (zipfile.BadZipFile, OSError, EOFError):
            raise ArchiveError(NOT_AN_ARCHIVE.format(name=name)) from None
        try:
            self.manifest: dict[str, Any] = json.loads(self._zip.read(MANIFEST))
            if not isinstance(self.manifest, dict):
                raise ValueError
        except (KeyError, ValueError, zipfile.BadZipFile, OSError, EOFError):
            raise ArchiveError(NO_MANIFEST) from None
        self._check_format()
        self._check_members()

    def _check_format(self) -> None:
        found = self.manifest.get("format")
        if found != FORMAT_NAME:
            raise ArchiveError(WRONG_FORMAT.format(found=found, expected=FORMAT_NAME))
        version = self.manifest.get("format_version")
        if version != FORMAT_VERSION:
            raise ArchiveError(WRONG_VERSION.format(found=version, expected=FORMAT_VERSION))

    def _check_members(self) -> None:
        listed = {m["name"]: m for m in self.manifest.get("members", [])}
        present = set(self._zip.namelist()) - {MANIFEST}
        for name in sorted(present - set(listed)):
            raise ArchiveError(MEMBER_UNLISTED.format(member=name))
        for name, member in sorted(listed.items()):
            if not safe_member_name(name):
                raise ArchiveError(UNSAFE_NAME.format(member=name))
            if name not in present:
                raise ArchiveError(MEMBER_MISSING.format(member=name))
            digest = hashlib.sha256()
            size = 0
            try:
                with self._zip.open(name) as stream:
                    for chunk in iter(lambda: stream.read(1 << 20), b""):
                        digest.update(chunk)
                        size += len(chunk)
            except (zipfile.BadZipFile, OSError, EOFError):
                raise ArchiveError(MEMBER_CORRUPT.format(member=name)) from None
            if digest.hexdigest() != member.get("sha256") or size != member.get("size"):
                raise ArchiveError(MEMBER_CORRUPT.format(member=name))

    def rows(self, name: str) -> Iterator[dict[str, Any]]:
        with self._zip.open(name) as stream:
            for number, line in enumerate(stream, start=1):
                try:
                    row = json.loads(line)
                except ValueError:
                    raise ArchiveError(f"{name}, line {number}: not a JSON object.") from None
                if not isinstance(row, dict):
                    raise ArchiveError(f"{name}, line {number}: not a JSON object.")
                yield row

    def open(self, name: str) -> IO[bytes]:
        return self._zip.open(name)

    def close(self) -> None:
        self._zip.close()
