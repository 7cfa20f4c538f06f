"""One query that fingerprints the rows a kept page section was drawn from.

A section kept in an ``accord.kept.Memory`` is keyed by everything it shows; the rows' part of
that key is read here as aggregates, one derived table per table (one scan each), all in a
single round trip: the row count, the sum and highest of the ids (a delete, an insert or a
delete-and-reinsert moves at least one of them), the latest change stamp (every edit through the
services saves ``updated_at``) and, for columns that can change without a stamp, a checksum the
caller names (``SUM(LENGTH(name))``…). Plain SQL that SQLite and PostgreSQL both run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

ROWS = ("COUNT(*)", "SUM(t.id)", "MAX(t.id)")


def part(table: str, where: str, params: Sequence[Any], figures: Sequence[str]) -> tuple:
    """``figures`` (aggregates over rows aliased ``t``) of ``table`` (may carry joins) where
    ``where`` holds: one derived table of one row, for :func:`read` (one scan per table)."""
    # Table names, conditions and figures are the callers' constants; values are parameters.
    sql = f"(SELECT {', '.join(figures)} FROM {table} WHERE {where})"  # noqa: S608
    return ((sql, list(params)),)


def read(*parts: tuple) -> tuple:
    """Every figure of ``parts`` in one query, in order (a cross join of one-row tables)."""
    pieces = [piece for p in parts for piece in p]
    sql = "SELECT * FROM " + ", ".join(f"{s} AS f{i}" for i, (s, _) in enumerate(pieces))  # noqa: S608
    params = [value for _, ps in pieces for value in ps]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return tuple(str(value) for value in row)
