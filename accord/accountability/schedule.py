"""When a review cadence meets: plain date arithmetic, no Django.

Daily reviews meet on working days (Monday to Friday); weekly ones on the start date's weekday;
monthly ones on the start date's day of the month (the last day in shorter months); quarterly
ones every three months the same way.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta

HORIZON_DAYS = {"daily": 14, "weekly": 63, "monthly": 120, "quarterly": 370}
PERIOD_DAYS = {"daily": 1, "weekly": 7, "monthly": 30, "quarterly": 91}
UNKNOWN_FREQUENCY = "Frequency must be one of: daily, weekly, monthly, quarterly."


def _add_months(start: date, months: int) -> date:
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def occurrences(
    frequency: str, starts_on: date, *, first: date, last: date, ended_on: date | None = None
) -> Iterator[date]:
    """Meeting dates of a cadence that fall in [first, last] (and not after ``ended_on``)."""
    if frequency not in HORIZON_DAYS:
        raise ValueError(UNKNOWN_FREQUENCY)
    stop = min(last, ended_on) if ended_on else last
    begin = max(first, starts_on)
    if begin > stop:
        return
    if frequency == "daily":
        day = begin
        while day <= stop:
            if day.weekday() < 5:
                yield day
            day += timedelta(days=1)
        return
    if frequency == "weekly":
        offset = (begin - starts_on).days
        day = starts_on + timedelta(days=-(-offset // 7) * 7)
        while day <= stop:
            yield day
            day += timedelta(days=7)
        return
    step = 1 if frequency == "monthly" else 3
    months = max(
        0, ((begin.year - starts_on.year) * 12 + begin.month - starts_on.month) // step - 1
    )
    n = months
    while True:
        day = _add_months(starts_on, n * step)
        if day > stop:
            return
        if day >= begin:
            yield day
        n += 1
