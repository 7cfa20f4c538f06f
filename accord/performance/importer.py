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


_NOTE = text(500)


def note(value: str) -> str:
    """The export writes a note a spreadsheet would run as a formula with a leading apostrophe;
    it is read back without it, so an exported file goes back in unchanged."""
    value = _NOTE(value)
    if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@"):
        return value[1:]
    return value


COLUMNS = [
    Column("metric", text(200)),
    Column("period", parsing.parse_period),
    Column("value", parsing.parse_value),
    Column("note", note, required=False),
]


def prepare(partnership: Any, user: Any) -> tuple[Writer, RowCheck]:
    """The writer and row check for one run. The check resolves the metric column against the
    metrics this user can see in this partnership (never another organization's internal ones)
    — per run, so concurrent imports never share a lookup — and refuses a period seen twice.
    """
    from accord.performance.feeds import FED_METRIC
    from accord.performance.models import Metric

    metrics = list(Metric.objects.visible_to(user).filter(partnership=partnership))
    lookup = parsing.metric_lookup(metrics)
    fed = {m.pk for m in metrics if m.feed}  # computed from the registry, never imported
    first_time = parsing.PeriodSeen().add

    def check_row(number: int, row: dict[str, Any]) -> list[RowError]:
        try:
            metric = row["metric"] = lookup(row["metric"])
        except ValueError as error:
            return [RowError(number, "metric", str(error))]
        if metric in fed:
            return [RowError(number, "metric", FED_METRIC)]
        if first_time(metric, row["period"]):
            return NO_ERRORS
        return [RowError(number, "period", DUPLICATE_PERIOD)]

    return CountingWriter(observation_writer(), partnership), check_row


class CountingWriter:
    """Counts what a run did — new rows, changed ones, identical ones left alone — around the
    fast bulk writer: new = stored rows after − before, and the writer reports how many rows it
    inserted or changed. Without that figure (a database other than SQLite or PostgreSQL) no
    counts are given."""

    def __init__(self, inner: Any, partnership: Any) -> None:
        self.inner = inner
        self.partnership = partnership
        self.rows = 0
        self.before: int | None = None

    def _stored(self) -> int:
        from accord.performance.models import Observation

        return Observation.objects.filter(metric__partnership=self.partnership).count()

    def __call__(self, batch: list[dict[str, Any]]) -> None:
        if self.before is None:
            self.before = self._stored()
        self.rows += len(batch)
        self.inner(batch)

    def finish(self) -> None:
        finish = getattr(self.inner, "finish", None)
        if finish is not None:
            finish()

    @property
    def counts(self) -> dict[str, int] | None:
        """Read by the engine once the run succeeded (never inside a failed transaction)."""
        touched = getattr(self.inner, "touched", None)
        if touched is None:
            return None
        new = self._stored() - self.before if self.before is not None else 0
        return {"new": new, "updated": touched - new, "unchanged": self.rows - touched}


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
