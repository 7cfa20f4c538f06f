"""The "observations" import kind: CSV/XLSX files through the shared engine, all or nothing.

Columns: metric (a code or name the importer can see), period (YYYY-MM-DD, YYYY-MM or
YYYY-Qn), value, note (optional). The natural key is (metric, period): a period twice in one
file is a row error; a re-import updates values that changed and leaves identical rows alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accord.imports.engine import Column, RowError, text
from accord.imports.registry import Importer, RowCheck, Writer, register_importer
from accord.partnerships.models import Visibility
from accord.performance import parsing
from accord.performance.bulk import observation_writer

DUPLICATE_PERIOD = "This metric already has a row for this period earlier in the file."
NO_ERRORS: list[RowError] = []  # shared and never mutated: the engine only iterates it


COLUMNS = [
    Column("metric", text(200)),
    Column("period", parsing.parse_period),
    Column("value", parsing.parse_value),
    Column("note", text(500), required=False),
]


def prepare(partnership: Any, user: Any) -> tuple[Writer, RowCheck]:
    """The writer and row check for one run. The check resolves the metric column against the
    metrics this user can see in this partnership (never another organization's internal ones)
    — per run, so concurrent imports never share a lookup — and refuses a period seen twice.
    """
    from accord.performance.models import Metric

    metrics = list(Metric.objects.visible_to(user).filter(partnership=partnership))
    lookup = parsing.metric_lookup(metrics)
    first_time = parsing.PeriodSeen().add

    def check_row(number: int, row: dict[str, Any]) -> list[RowError]:
        try:
            metric = row["metric"] = lookup(row["metric"])
        except ValueError as error:
            return [RowError(number, "metric", str(error))]
        if first_time(metric, row["period"]):
            return NO_ERRORS
        return [RowError(number, "period", DUPLICATE_PERIOD)]

    return observation_writer(), check_row


def metric_audience(partnership: Any, user: Any) -> Callable[[dict[str, Any]], str]:
    """An observation is as visible as its metric (`check_row` resolved it to the metric's id)."""
    from accord.performance.models import Metric

    internal = set(
        Metric.objects.visible_to(user)
        .filter(partnership=partnership, visibility=Visibility.INTERNAL)
        .values_list("pk", flat=True)
    )

    def audience(row: dict[str, Any]) -> str:
        return Visibility.INTERNAL if row["metric"] in internal else Visibility.JOINT

    return audience


EXAMPLE = """metric,period,value,note
on-time-delivery,2026-01,93.5,
on-time-delivery,2026-02,96,new carrier
partner-satisfaction,2026-Q1,4.1,survey of 14 people
"""

register_importer(
    Importer(
        kind="observations",
        label="Metric observations",
        columns=COLUMNS,
        prepare=prepare,
        example=EXAMPLE,
        audience=metric_audience,
    )
)
