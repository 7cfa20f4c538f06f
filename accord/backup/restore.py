"""Load an archive into an empty instance, all or nothing.

Every check that can fail is made before anything is written, or inside the one transaction
that is rolled back when it fails: the archive's format, version and checksums, the schema it
was written at, that this instance is empty, that the audit chains verify after loading. Files
go into storage last, still inside the transaction, and are removed again if anything fails.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from datetime import timedelta
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Q

from accord.backup.archive import ArchiveError, ArchiveReader
from accord.backup.export import applied_migrations
from accord.backup.models_in_scope import (
    NaturalKeys,
    backed_up_models,
    by_natural_key,
    columns,
    label,
)

# Rows a fresh `migrate` writes (built-in questionnaires, the metric catalog). An instance that
# holds only these is empty; the restore replaces them with the archive's own copies.
SEEDED_BY_MIGRATIONS: dict[str, Q] = {
    "performance.catalogmetric": Q(pk__isnull=False),
    "trust.instrument": Q(partnership__isnull=True, organization__isnull=True),
    "trust.item": Q(instrument__partnership__isnull=True, instrument__organization__isnull=True),
}

NOT_EMPTY = (
    "This instance is not empty (it holds {what}). A restore only goes into an empty instance: "
    "create a new database, run `manage.py migrate`, then restore. Nothing was written."
)
SCHEMA_DIFFERS = (
    "The archive was written at another database schema ({count} migration(s) differ, e.g. "
    "{example}). Restore with the Accord version that wrote it, then upgrade. Nothing was written."
)
MODELS_DIFFER = (
    "The archive's tables do not match this Accord's ({detail}). Restore with the Accord "
    "version that wrote it. Nothing was written."
)
BAD_ROW = "{file}, line {line}: {reason}. Nothing was written."
FILE_UNREFERENCED = "The archive holds {member}, which no row points to. Nothing was written."
FILE_NOT_IN_ARCHIVE = (
    "A row points to the uploaded file {name!r}, which the archive does not hold. "
    "Nothing was written."
)
FILE_EXISTS = (
    "The uploaded file {name!r} already exists in this instance's storage; restore into empty "
    "storage. Nothing was written."
)
AUDIT_BROKEN = "The archive's audit trail does not verify ({detail}). Nothing was written."


@dataclass
class RestoreSummary:
    scope: dict[str, Any]
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def rows_present() -> dict[str, int]:
    """Backed-up models that hold rows, other than what migrations seed: empty means {}."""
    found = {}
    for model in backed_up_models():
        queryset = model._base_manager.all()
        seeded = SEEDED_BY_MIGRATIONS.get(label(model))
        if seeded is not None:
            queryset = queryset.exclude(seeded)
        count = queryset.count()
        if count:
            found[label(model)] = count
    return found


def restore_archive(stream: IO[bytes], *, name: str = "The file") -> RestoreSummary:
    reader = ArchiveReader(stream, name)
    try:
        return _restore(reader)
    finally:
        reader.close()


def _restore(reader: ArchiveReader) -> RestoreSummary:
    manifest = reader.manifest
    _check_schema(manifest)
    plan = _plan(manifest)
    summary = RestoreSummary(scope=manifest.get("scope", {}))
    written: list[tuple[Storage, str]] = []
    try:
        with transaction.atomic():
            present = rows_present()
            if present:
                what = ", ".join(f"{n} {m}" for m, n in sorted(present.items())[:3])
                raise ArchiveError(NOT_EMPTY.format(what=what))
            for model_label, seeded in SEEDED_BY_MIGRATIONS.items():
                model = _model(model_label)
                if model is not None and model_label in plan:
                    model._base_manager.filter(seeded).delete()
            keys = NaturalKeys()
            files: dict[str, Storage] = {}
            for model, entry in plan.values():
                summary.rows[label(model)] = _load(reader, model, entry, keys, files)
            _reset_sequences([model for model, _ in plan.values()])
            _verify_audit()
            summary.files = _write_files(reader, files, written)
    except BaseException:
        for storage, stored in written:
            storage.delete(stored)
        raise
    return summary


def _model(model_label: str) -> type[models.Model] | None:
    for model in backed_up_models():
        if label(model) == model_label:
            return model
    return None


def _check_schema(manifest: dict[str, Any]) -> None:
    archived = {tuple(pair) for pair in manifest.get("migrations", [])}
    here = {tuple(pair) for pair in applied_migrations()}
    differ = sorted(archived ^ here)
    if differ:
        example = ".".join(differ[0])
        raise ArchiveError(SCHEMA_DIFFERS.format(count=len(differ), example=example))


def _plan(manifest: dict[str, Any]) -> dict[str, tuple[type[models.Model], dict[str, Any]]]:
    """Manifest entries matched to this instance's models, in this instance's load order."""
    entries = {entry.get("model"): entry for entry in manifest.get("models", [])}
    plan = {}
    for model in backed_up_models():
        entry = entries.pop(label(model), None)
        if entry is None:
            if manifest.get("scope", {}).get("kind") == "instance":
                raise ArchiveError(MODELS_DIFFER.format(detail=f"{label(model)} is missing"))
            continue  # an organization's archive leaves out what it may not see
        wanted = [f.attname for f in columns(model)]
        if entry.get("fields") != wanted:
            raise ArchiveError(MODELS_DIFFER.format(detail=f"the columns of {label(model)}"))
        plan[label(model)] = (model, entry)
    if entries:
        raise ArchiveError(MODELS_DIFFER.format(detail=f"unknown table {sorted(entries)[0]}"))
    return plan


def _decode(f: models.Field[Any, Any], value: Any, keys: NaturalKeys) -> Any:
    if value is None:
        return None
    if by_natural_key(f):
        return keys.pk(f.related_model, value)
    if f.is_relation:
        return _decode(f.target_field, value, keys)
    if isinstance(f, models.JSONField):
        return value
    if isinstance(f, models.BinaryField):
        return base64.b64decode(value)
    if isinstance(f, models.DurationField):
        return timedelta(seconds=value)
    return f.to_python(value)


def _load(
    reader: ArchiveReader,
    model: type[models.Model],
    entry: dict[str, Any],
    keys: NaturalKeys,
    files: dict[str, Storage],
) -> int:
    fields = columns(model)
    names = {f.attname for f in fields}
    file_fields = [f for f in fields if isinstance(f, models.FileField)]
    batch: list[models.Model] = []
    count = 0
    for line, row in enumerate(reader.rows(entry["file"]), start=1):
        if set(row) != names:
            raise ArchiveError(
                BAD_ROW.format(file=entry["file"], line=line, reason="its columns differ")
            )
        try:
            values = {f.attname: _decode(f, row[f.attname], keys) for f in fields}
        except (ValueError, TypeError, LookupError, ValidationError) as error:
            reason = f"a value cannot be read ({error})"
            where = {"file": entry["file"], "line": line}
            raise ArchiveError(BAD_ROW.format(**where, reason=reason)) from None
        for f in file_fields:
            if values[f.attname]:
                files[values[f.attname]] = f.storage
        batch.append(model(**values))
        if len(batch) >= 500:
            _insert(model, fields, batch)
            batch = []
        count += 1
    if batch:
        _insert(model, fields, batch)
    if count != entry.get("rows"):
        raise ArchiveError(
            BAD_ROW.format(file=entry["file"], line=count, reason="the row count differs")
        )
    return count


def _insert(
    model: type[models.Model], fields: list[models.Field[Any, Any]], objs: list[models.Model]
) -> None:
    """Insert as stored: `raw` keeps auto_now fields and primary keys exactly as archived (what
    `loaddata` does row by row, here in batches)."""
    size = max(1, connection.ops.bulk_batch_size(fields, objs))
    for start in range(0, len(objs), size):
        model._base_manager._insert(objs[start : start + size], fields=fields, raw=True)  # type: ignore[attr-defined]


def _reset_sequences(loaded: list[type[models.Model]]) -> None:
    """After explicit primary keys, PostgreSQL's sequences must move past them, or the next
    record created would collide with a restored one."""
    statements = connection.ops.sequence_reset_sql(no_style(), loaded)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _verify_audit() -> None:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except CommandError as error:
        detail = err.getvalue().strip().splitlines()
        raise ArchiveError(AUDIT_BROKEN.format(detail=detail[0] if detail else error)) from None


def _write_files(
    reader: ArchiveReader, files: dict[str, Storage], written: list[tuple[Storage, str]]
) -> int:
    members = sorted(
        m["name"] for m in reader.manifest.get("members", []) if m["name"].startswith("files/")
    )
    held = {member.removeprefix("files/") for member in members}
    for name in sorted(files):
        if name not in held:
            raise ArchiveError(FILE_NOT_IN_ARCHIVE.format(name=name))
        if files[name].exists(name):
            raise ArchiveError(FILE_EXISTS.format(name=name))
    for member in members:
        name = member.removeprefix("files/")
        storage = files.get(name)
        if storage is None:
            raise ArchiveError(FILE_UNREFERENCED.format(member=member))
        with reader.open(member) as source:
            stored = storage.save(name, File(source, name=name))
        written.append((storage, stored))
        if stored != name:
            raise ArchiveError(FILE_EXISTS.format(name=name))
    return len(members)
