"""The one evidence registry: every capability's signals, per party direction and ISO week.

A source is a function ``(partnership_ids, *, start, end) -> list[EvidenceRow]`` registered by
name with ``@signal_source("accountability")``. Rows name the partnership, the Monday of the
week, the parties (``from_party`` acted or trusts, ``to_party`` received or is trusted; None
for party-level signals), the signal (one of accord.domain.health.SIGNALS) and the value, with
the number of observations behind it (respondents, commitments due…).

A signal no source registers, or a source without rows for a partnership, is "no evidence yet":
nothing is ever filled in with zero.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from accord.domain.health import SIGNAL_INDEX


class EvidenceRow(NamedTuple):
    partnership_id: int
    period_start: date
    from_party_id: int | None
    to_party_id: int | None
    signal: str
    value: float
    weight: float = 1.0


Source = Callable[..., list[EvidenceRow]]
SOURCES: dict[str, Source] = {}


class UnknownSignalError(ValueError):
    pass


def signal_source(name: str) -> Callable[[Source], Source]:
    """Register a source once, under the name the pages show as the origin of its rows."""

    def register(fn: Source) -> Source:
        SOURCES[name] = fn
        return fn

    return register


def week_of(day: date) -> date:
    """The Monday of the ISO week that contains ``day``."""
    return day - timedelta(days=day.weekday())


def collect(
    partnership_ids: Sequence[int], *, start: date, end: date
) -> list[tuple[str, EvidenceRow]]:
    """Every registered source's rows in [start, end], tagged with the source's name."""
    rows: list[tuple[str, EvidenceRow]] = []
    ids = list(partnership_ids)
    for name in sorted(SOURCES):
        for row in SOURCES[name](ids, start=start, end=end):
            if row.signal not in SIGNAL_INDEX:
                raise UnknownSignalError(f"Source {name} gave an unknown signal: {row.signal}.")
            if start <= row.period_start <= end:
                rows.append((name, row._replace(period_start=week_of(row.period_start))))
    return rows
