"""What a metric's latest value says in words, and whether it is still current.

The traffic-light status of :func:`accord.domain.performance.metric_attainment` is green from
the target to the *amber* threshold, so "green" alone cannot be read as "on target": a budget
variance of 5.94% against a target of ≤ 5% is green when amber starts at 6%. The standing
separates the two, and staleness says when the latest value is too old to describe the present.

Both are vectorized over every metric of a portfolio, like the rest of the domain.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from accord.domain.performance import CADENCES, UNKNOWN_CADENCE, Cadence, Metrics, PerformanceError

VALUES_SHAPE = "Give one value per metric."


class Standing(StrEnum):
    """A value's standing against its metric's target and thresholds."""

    ON_TARGET = "on_target"  # meets the target
    WITHIN_TOLERANCE = "within_tolerance"  # misses the target, not past the amber threshold
    OFF_TARGET = "off_target"  # past the amber threshold, not past the red one
    FAR_OFF_TARGET = "far_off_target"  # past the red threshold
    NO_EVIDENCE = "no_evidence"


# How many periods old the latest value may be: the period it describes, plus one period in
# which to report it. A monthly value for July (period 1 July) is current through August and
# stale from 1 September; a quarterly one for Q1 is stale from 1 July.
ALLOWED_PERIODS = 2


def standing(metrics: Metrics, values: NDArray[np.float64]) -> NDArray[np.str_]:
    """The standing of ``values[i]`` against metric ``i`` (NaN → no evidence).

    Higher is better: on target at or above the target; within tolerance from the amber
    threshold up to the target; off target from the red threshold up to the amber one; far off
    target below red. Lower is better mirrors it. Matches the traffic light: on target and
    within tolerance are green, off target amber, far off target red.
    """
    v = np.asarray(values, dtype=np.float64)
    if v.shape != metrics.target.shape:
        raise PerformanceError(VALUES_SHAPE)
    has = ~np.isnan(v)
    higher = metrics.higher
    with np.errstate(invalid="ignore"):
        met = has & np.where(higher, v >= metrics.target, v <= metrics.target)
        tolerated = has & np.where(higher, v >= metrics.amber, v <= metrics.amber)
        amber = has & np.where(higher, v >= metrics.red, v <= metrics.red)
    return np.select(
        [~has, met, tolerated, amber],
        [
            Standing.NO_EVIDENCE.value,
            Standing.ON_TARGET.value,
            Standing.WITHIN_TOLERANCE.value,
            Standing.OFF_TARGET.value,
        ],
        default=Standing.FAR_OFF_TARGET.value,
    ).astype(np.str_)


def stale_from(
    latest_on: NDArray[np.datetime64], cadence: NDArray[np.str_]
) -> NDArray[np.datetime64]:
    """The first day on which each latest value is stale (NaT where there is none).

    ``latest_on`` is the first day of the period the value describes (how observations are
    stored); a value stays current for :data:`ALLOWED_PERIODS` periods of its cadence.
    """
    day = np.asarray(latest_on, dtype="datetime64[D]")
    kind = np.asarray(cadence, dtype=np.str_)
    if day.shape != kind.shape:
        raise PerformanceError(VALUES_SHAPE)
    known = np.isin(kind, [c.value for c in CADENCES])
    if not np.all(known):
        raise PerformanceError(UNKNOWN_CADENCE)
    days = (
        np.select([kind == Cadence.DAILY.value, kind == Cadence.WEEKLY.value], [1, 7], default=0)
        * ALLOWED_PERIODS
    )
    months = (
        np.select(
            [kind == Cadence.MONTHLY.value, kind == Cadence.QUARTERLY.value], [1, 3], default=0
        )
        * ALLOWED_PERIODS
    )
    by_month = (day.astype("datetime64[M]") + months.astype("timedelta64[M]")).astype(
        "datetime64[D]"
    ) + (day - day.astype("datetime64[M]").astype("datetime64[D]"))
    limit = np.where(months > 0, by_month, day + days.astype("timedelta64[D]"))
    result: NDArray[np.datetime64] = limit.astype("datetime64[D]")
    return result


def is_stale(
    latest_on: NDArray[np.datetime64], cadence: NDArray[np.str_], *, today: date
) -> NDArray[np.bool_]:
    """True where a latest value exists and is older than its cadence allows on ``today``."""
    limit = stale_from(latest_on, cadence)
    stale: NDArray[np.bool_] = ~np.isnat(limit) & (limit <= np.datetime64(today, "D"))
    return stale
