"""Helpers shared by the accountability demo's parts: bulk inserts, people, times."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Any

from django.db import connection
from django.utils import timezone

from accord.demo.generator import LoadedPartnership


def _insert(model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert plain rows with executemany: the demo writes hundreds of thousands of rows at
    portfolio scale, and building model instances costs ten times the insert itself. Fields a row
    leaves out take their model default (or NULL)."""
    if not rows:
        return
    ops = connection.ops
    now = timezone.now()
    adapt = {
        "DateTimeField": ops.adapt_datetimefield_value,
        "DateField": ops.adapt_datefield_value,
        "TimeField": ops.adapt_timefield_value,
        "JSONField": json.dumps,
    }
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    plan = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            default: Any = now
        else:
            default = f.get_default()  # "" for text without a default, None when nullable
        plan.append((f.attname, default, adapt.get(f.get_internal_type())))
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (quoted identifiers)
    values = [
        tuple(
            (fn(v) if fn is not None and v is not None else v)
            for name, default, fn in plan
            for v in [row.get(name, default)]
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(values), 5000):
            cursor.executemany(sql, values[start : start + 5000])


def _people(loaded: LoadedPartnership) -> dict[int, list[Any]]:
    by_org: dict[int, list[Any]] = {}
    for p in loaded.participants:
        if p.role in ("member", "alliance_manager"):
            by_org.setdefault(p.organization_id, []).append(p)
    return by_org


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _on_time_probability(archetype: str, party_index: int, days_ago: int) -> float:
    """Chance that a commitment due `days_ago` days before the anchor was kept on time."""
    if archetype == "healthy":
        return 0.98  # reliable enough that its delivery record supports reinforcement
    if archetype == "drifting":
        # Delivery slips before the metrics do: the second party from eleven months ago, the
        # first answering in kind two months later, both down to about one in three by now.
        onset = 330 if party_index == 1 else 270
        slip = max(0.0, (onset - days_ago) / onset)
        return 0.94 - 0.6 * slip
    if archetype == "one_sided":
        return 0.9 if party_index == 0 else 0.35
    if archetype == "recovering":
        return 0.45 if 150 < days_ago < 400 else 0.85
    return 0.8
