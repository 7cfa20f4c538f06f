"""Cell parsers for observations: period, value and metric references.

Periods are stored as the date their period starts. Accepted spellings:
``YYYY-MM-DD`` (a day, stored as given), ``YYYY-MM`` (the month's 1st) and ``YYYY-Qn`` (the
quarter's first day), so ``2026-04``, ``2026-04-01`` and ``2026-Q2`` name the same period.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

PERIOD_INVALID = "'{value}' is not a period: use YYYY-MM-DD, YYYY-MM or YYYY-Qn."
PERIOD_OUT_OF_RANGE = "The period must lie between 1900 and 2199."
VALUE_INVALID = "'{value}' is not a number."
VALUE_DECIMAL_COMMA = "'{value}' is ambiguous: use a dot for decimals (1234.5 or 1,234.5)."
VALUE_NOT_FINITE = "The value must be a finite number."
VALUE_TOO_LARGE = "The value is too large (at most 10^15 in size)."
METRIC_UNKNOWN = "Unknown metric '{value}': use a metric's code or name from the Metrics page."
METRIC_AMBIGUOUS = "'{value}' names more than one metric: use the metric's code."

FIRST_YEAR, LAST_YEAR = 1900, 2199
LIMIT = 1e15
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER = re.compile(r"(\d{4})-?[Qq]([1-4])")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?([eE][+-]?\d+)?")
BASE_ORDINAL = date(FIRST_YEAR, 1, 1).toordinal()
SPAN_DAYS = date(LAST_YEAR, 12, 31).toordinal() - BASE_ORDINAL + 1


def _short(value: str) -> str:
    return value[:40]


_PERIODS: dict[str, date] = {}
PERIOD_CACHE_LIMIT = 120_000  # every day from 1900 to 2199 fits: a file's periods repeat a lot


def parse_period(value: str) -> date:
    """A period's first day from YYYY-MM-DD, YYYY-MM or YYYY-Qn; ValueError with a reason.

    Valid spellings are remembered (a plain dict, not an LRU: a file cycling through more
    periods than an LRU holds would miss every time)."""
    day = _PERIODS.get(value)
    if day is None:
        day = _parse_period(value)
        if len(_PERIODS) < PERIOD_CACHE_LIMIT:
            _PERIODS[value] = day
    return day


def _parse_period(value: str) -> date:
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
        elif match := _MONTH.fullmatch(text):
            day = date(int(match[1]), int(match[2]), 1)
        elif match := _QUARTER.fullmatch(text):
            day = date(int(match[1]), 3 * int(match[2]) - 2, 1)
        else:
            raise ValueError
    except ValueError:
        raise ValueError(PERIOD_INVALID.format(value=_short(text))) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(PERIOD_OUT_OF_RANGE)
    return day


def parse_value(value: str) -> float:
    """A finite number; '1,234.5' is read as thousands, '1,5' is refused as ambiguous."""
    try:
        number = float(value)
    except ValueError:
        if "," not in value:
            raise ValueError(VALUE_INVALID.format(value=_short(value))) from None
        if not _THOUSANDS.fullmatch(value.strip()):
            raise ValueError(VALUE_DECIMAL_COMMA.format(value=_short(value))) from None
        number = float(value.replace(",", ""))
    if not math.isfinite(number):
        raise ValueError(VALUE_NOT_FINITE)
    if abs(number) >= LIMIT:
        raise ValueError(VALUE_TOO_LARGE)
    return number


def metric_lookup(metrics: Iterable[Any]) -> Callable[[str], int]:
    """A parser from a metric's code or name (any case) to its id, over the given metrics (those
    the importer can see)."""
    ids: dict[str, int | None] = {}
    for metric in metrics:
        for key in {metric.code.lower(), metric.name.strip().lower()}:
            ids[key] = None if ids.get(key, metric.pk) != metric.pk else metric.pk
    # A code always wins over another metric's identical name. A joint metric may share its
    # code with the importer's own internal one (codes are unique per audience): the internal
    # one, which the importer named, wins, so its existing files keep their meaning.
    codes = {
        metric.code.lower(): metric.pk
        for metric in sorted(metrics, key=lambda m: getattr(m, "visibility", "") == "internal")
    }
    ids.update(codes)

    exact: dict[str, int] = {}  # cells as written, resolved once

    def parse(value: str) -> int:
        found = exact.get(value)
        if found is not None:
            return found
        key = value.strip().lower()
        try:
            found = ids[key]
        except KeyError:
            raise ValueError(METRIC_UNKNOWN.format(value=_short(value))) from None
        if found is None:
            raise ValueError(METRIC_AMBIGUOUS.format(value=_short(value)))
        if len(exact) < 10_000:
            exact[value] = found
        return found

    return parse


class PeriodSeen:
    """Remembers (metric, period) pairs in a bitmap per metric: 1M rows cost a few kB, not the
    ~100 MB a set of tuples would."""

    def __init__(self) -> None:
        self._bits: dict[int, bytearray] = {}

    def add(self, metric: int, period: date) -> bool:
        """Record the pair; False if it was already there."""
        bits = self._bits.get(metric)
        if bits is None:
            bits = self._bits[metric] = bytearray((SPAN_DAYS + 7) // 8)
        offset = period.toordinal() - BASE_ORDINAL
        byte, mask = offset >> 3, 1 << (offset & 7)
        if bits[byte] & mask:
            return False
        bits[byte] |= mask
        return True
