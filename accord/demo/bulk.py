"""Fast inserts for the demo generator's bulk rows.

`bulk_create` builds an INSERT per batch through the SQL compiler, preparing every value of every
row field by field; at portfolio scale (hundreds of thousands of rows) that costs several times
the database's own work. `insert_objects` writes the same model instances with one prepared
statement and `executemany`, converting only the values whose Python type the database driver
does not take as it is. It does not set primary keys on the objects: use it only for rows
nothing later refers to by id.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connections, models, router

BATCH = 5_000
# Field types whose values the drivers (sqlite3, psycopg) take as they are.
AS_IS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "EmailField",
    "FloatField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
    "URLField",
}


def _plan(model: type[models.Model], connection: Any) -> tuple[str, list[Any]]:
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField))
    ]
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (quoted identifiers)
    return sql, fields


def _converter(field: Any, connection: Any) -> Callable[[Any], Any]:
    """Reads one field's database value from an instance, the way `bulk_create` would."""
    attname = field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)
    if field.get_internal_type() in AS_IS:
        return lambda obj: getattr(obj, attname)
    prep = field.get_db_prep_save
    return lambda obj: prep(getattr(obj, attname), connection)


def insert_objects(objs: Iterable[models.Model], *, batch_size: int = BATCH) -> int:
    """Insert unsaved instances of one model; returns how many. Primary keys stay unset."""
    rows = iter(objs)
    first = next(rows, None)
    if first is None:
        return 0
    model = type(first)
    connection = connections[router.db_for_write(model)]
    sql, fields = _plan(model, connection)
    read = [_converter(f, connection) for f in fields]
    count = 0
    every = itertools.chain([first], rows)
    with connection.cursor() as cursor:
        while chunk := list(itertools.islice(every, batch_size)):
            cursor.executemany(sql, [tuple(r(obj) for r in read) for obj in chunk])
            count += len(chunk)
    return count


def insert_rows(
    model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert plain tuples in the order of `names` (field names), each converted like
    `insert_objects` does; for rows too many to build model instances for."""
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in names]
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)  # type: ignore[union-attr]
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (quoted identifiers)
    convert = [
        None if f.get_internal_type() in AS_IS else f.get_db_prep_save  # type: ignore[union-attr]
        for f in fields
    ]

    def prepared() -> Iterator[tuple[Any, ...]]:
        for row in rows:
            yield tuple(
                v if c is None or v is None else c(v, connection)
                for c, v in zip(convert, row, strict=True)
            )

    stream = prepared()
    with connection.cursor() as cursor:
        while chunk := list(itertools.islice(stream, BATCH)):
            cursor.executemany(sql, chunk)


@contextmanager
def quiet_queries() -> Iterator[None]:
    """Loading runs with Django's query log off: with DEBUG on, the debug cursor formats every
    statement with its parameters (a tenth of the demo's time at portfolio scale)."""
    before = settings.DEBUG
    settings.DEBUG = False
    try:
        yield
    finally:
        settings.DEBUG = before
