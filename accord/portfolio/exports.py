"""The portfolio as CSV or XLSX: every row the page would list under the same filters (not only
the current page), with the same figures and the time each was computed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from accord.portfolio.selectors import SUBSCORES, Row

COLUMNS = [
    "partnership_id",
    "partnership",
    "partners",
    "status",
    "trust_stage",
    "health",
    "health_band",
    *SUBSCORES,
    "trend",
    "trend_words",
    "active_alerts",
    "last_joint_activity",
    "health_week",
    "health_computed_at",
    "trust_stage_judged_at",
]


def _when(value: Any) -> str:
    return value.isoformat(timespec="seconds") if value is not None else ""


def table(rows: Iterable[Row]) -> Iterator[list[Any]]:
    yield COLUMNS
    for r in rows:
        p = r.partnership
        yield [
            p.pk,
            p.name,
            "; ".join(r.partners),
            p.get_status_display(),
            r.stage_label,
            r.overall if r.overall is not None else "",
            r.band_label,
            *(r.subscores.get(g) if r.subscores.get(g) is not None else "" for g in SUBSCORES),
            r.trend if r.trend is not None else "",
            r.trend_words,
            r.active_alerts,
            _when(r.last_activity),
            r.week.isoformat() if r.week else "",
            _when(r.computed_at),
            _when(r.stage_judged_at),
        ]
