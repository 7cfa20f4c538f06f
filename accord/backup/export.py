"""Write an archive of the whole instance, or of what one organization may see.

See accord.backup.archive for the format. The export reads inside one transaction (REPEATABLE
READ on PostgreSQL), so an archive is a consistent snapshot even while people keep working.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

from django.core.files.storage import Storage
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from accord.backup.archive import (
    FORMAT_NAME,
    FORMAT_VERSION,
    ArchiveError,
    ArchiveWriter,
    dump_line,
    encode,
)
from accord.backup.models_in_scope import (
    NaturalKeys,
    backed_up_models,
    by_natural_key,
    columns,
    label,
)
from accord.backup.scope import InstanceScope, Scope

FILE_MISSING = (
    "{model} {pk} points to the uploaded file {name!r}, which is not in storage; restore the "
    "file or clear the field, then export again."
)


@dataclass
class ExportSummary:
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def applied_migrations() -> list[list[str]]:
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted([app, name] for app, name in applied)


def export_archive(stream: IO[bytes], *, scope: Scope | None = None) -> ExportSummary:
    """Write the archive to `stream` (a file opened for binary writing)."""
    scope = scope or InstanceScope()
    summary = ExportSummary()
    writer = ArchiveWriter(stream)
    keys = NaturalKeys()
    files: dict[str, tuple[Storage, str, Any]] = {}
    described: list[dict[str, Any]] = []
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            connection.cursor().execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        scope.prepare()
        for model in backed_up_models():
            queryset = scope.rows(model)
            if queryset is None:
                continue
            fields = columns(model)
            name = f"data/{label(model)}.jsonl"
            lines = (
                dump_line(_row(model, fields, values, keys, files, scope))
                for values in queryset.order_by("pk")
                .values_list(*(f.attname for f in fields))
                .iterator(chunk_size=2000)
            )
            count = writer.add_lines(name, lines)
            summary.rows[label(model)] = count
            described.append(
                {
                    "model": label(model),
                    "file": name,
                    "fields": [f.attname for f in fields],
                    "rows": count,
                }
            )
        for name in sorted(files):
            storage, owner, pk = files[name]
            if not storage.exists(name):
                raise ArchiveError(FILE_MISSING.format(model=owner, pk=pk, name=name))
            with storage.open(name, "rb") as source:
                writer.add_stream(f"files/{name}", source)
            summary.files += 1
        writer.close(
            {
                "format": FORMAT_NAME,
                "format_version": FORMAT_VERSION,
                "scope": scope.describe(),
                "migrations": applied_migrations(),
                "models": described,
            }
        )
    return summary


def _row(
    model: type[models.Model],
    fields: list[models.Field[Any, Any]],
    values: tuple[Any, ...],
    keys: NaturalKeys,
    files: dict[str, tuple[Storage, str, Any]],
    scope: Scope,
) -> dict[str, Any]:
    row: dict[str, Any] = {}
    pk = values[fields.index(model._meta.pk)] if model._meta.pk in fields else None
    for f, value in zip(fields, values, strict=True):
        if by_natural_key(f):
            row[f.attname] = keys.key(f.related_model, value)
        else:
            if isinstance(f, models.FileField) and value:
                files[value] = (f.storage, label(model), pk)
            row[f.attname] = encode(value)
    return scope.transform(model, row)
