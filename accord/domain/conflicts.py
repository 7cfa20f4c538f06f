"""Conflict resolution measures over a whole portfolio: which issues are due to escalate, and the
signals the health engine reads (open issues, their tiers, time to resolution, escalation rate).

Every function takes plain row arrays, one entry per issue, so one call covers thousands of
partnerships. Times are seconds since the epoch as float64 (NaN for "not yet"); windows are days
as float64 (NaN for a tier without a window, such as the exit procedure, which never escalates).

Rules, stated once:

- An issue is *due* when ``now ≥ entered_at + window_days × 1 day``; a tier with no window is
  never due.
- *Time to resolution* counts from raising to resolution, in days, over resolved issues only
  (a withdrawn issue was not resolved, and an open one has no end yet); the median is reported,
  because one long dispute should not hide a usually fast ladder.
- *Escalation rate* is the share of all raised issues that climbed above the first tier at least
  once (by its window passing or by hand). With no issues there is no rate (None), not 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

SECONDS_PER_DAY = 86_400.0

ROWS_SHAPE = "Issue arrays must be one-dimensional and of equal length."
TIER_OUT_OF_RANGE = "A tier lies outside the ladder (tiers are numbered from 1)."
ESCALATIONS_NEGATIVE = "An issue cannot have escalated a negative number of times."
WINDOW_NEGATIVE = "Escalation windows cannot be negative."
RAISED_MISSING = "Every issue needs the time it was raised."
CLOSED_BEFORE_RAISED = "An issue cannot close before it was raised."
TIERS_INVALID = "A ladder needs at least one tier."


class ConflictsError(ValueError):
    """Raised for conflict data that cannot be measured."""


def escalation_deadlines(
    entered_at: NDArray[np.float64], window_days: NDArray[np.float64]
) -> NDArray[np.float64]:
    """When each issue's current window passes (epoch seconds); NaN where the tier has none."""
    entered = np.asarray(entered_at, dtype=np.float64)
    window = np.asarray(window_days, dtype=np.float64)
    if entered.ndim != 1 or entered.shape != window.shape:
        raise ConflictsError(ROWS_SHAPE)
    if np.any(window < 0):
        raise ConflictsError(WINDOW_NEGATIVE)
    return entered + window * SECONDS_PER_DAY


def escalation_due(
    entered_at: NDArray[np.float64], window_days: NDArray[np.float64], now: float
) -> NDArray[np.bool_]:
    """True for each issue whose tier window has passed at ``now`` (NaN windows never pass)."""
    deadline = escalation_deadlines(entered_at, window_days)
    with np.errstate(invalid="ignore"):
        due: NDArray[np.bool_] = np.isfinite(deadline) & (deadline <= now)
    return due


@dataclass(frozen=True)
class ConflictSignals:
    """One partnership's conflict signals, each explaining itself through its counts."""

    partnership_id: int
    issues: int
    open_issues: int
    resolved: int
    escalated: int
    escalation_rate: float | None
    median_days_to_resolution: float | None
    open_by_tier: tuple[int, ...]
    current_tiers: tuple[tuple[int, int], ...]

    @property
    def highest_open_tier(self) -> int:
        """The highest tier an open issue sits at; 0 when nothing is open."""
        return max((tier for _, tier in self.current_tiers), default=0)


def _group_medians(
    groups: NDArray[np.int64], values: NDArray[np.float64], n_groups: int
) -> NDArray[np.float64]:
    """Median of ``values`` per group index in ``0..n_groups-1``; NaN for empty groups."""
    medians = np.full(n_groups, np.nan)
    if values.size == 0:
        return medians
    order = np.lexsort((values, groups))
    g, v = groups[order], values[order]
    counts = np.bincount(g, minlength=n_groups)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    present = counts > 0
    lo = starts + (counts - 1) // 2
    hi = starts + counts // 2
    medians[present] = (v[lo[present]] + v[hi[present]]) / 2.0
    return medians


def conflict_signals(
    *,
    partnership_ids: NDArray[np.int64],
    issue_partnership: NDArray[np.int64],
    issue_id: NDArray[np.int64],
    tier: NDArray[np.int64],
    raised_at: NDArray[np.float64],
    closed_at: NDArray[np.float64],
    resolved: NDArray[np.bool_],
    escalations: NDArray[np.int64],
    n_tiers: int = 5,
) -> dict[int, ConflictSignals]:
    """Signals for each requested partnership, from one row per issue.

    ``tier`` is the 1-based current tier; ``closed_at`` is NaN while an issue is open;
    ``resolved`` tells a resolution from a withdrawal; ``escalations`` counts tier climbs.
    Issues of partnerships not requested are ignored; a requested partnership without issues
    gets zero counts and no rates.
    """
    if n_tiers < 1:
        raise ConflictsError(TIERS_INVALID)
    wanted = np.asarray(partnership_ids, dtype=np.int64)
    arrays = [
        np.asarray(issue_partnership, dtype=np.int64),
        np.asarray(issue_id, dtype=np.int64),
        np.asarray(tier, dtype=np.int64),
        np.asarray(raised_at, dtype=np.float64),
        np.asarray(closed_at, dtype=np.float64),
        np.asarray(resolved, dtype=bool),
        np.asarray(escalations, dtype=np.int64),
    ]
    if wanted.ndim != 1 or any(a.ndim != 1 or a.shape != arrays[0].shape for a in arrays):
        raise ConflictsError(ROWS_SHAPE)
    owner, ids, tiers, raised, closed, is_resolved, climbs = arrays
    if np.any((tiers < 1) | (tiers > n_tiers)):
        raise ConflictsError(TIER_OUT_OF_RANGE)
    if np.any(climbs < 0):
        raise ConflictsError(ESCALATIONS_NEGATIVE)
    if np.any(~np.isfinite(raised)):
        raise ConflictsError(RAISED_MISSING)
    with np.errstate(invalid="ignore"):
        if np.any(closed < raised):
            raise ConflictsError(CLOSED_BEFORE_RAISED)

    unique_wanted = np.unique(wanted)
    n = unique_wanted.size
    position = np.searchsorted(unique_wanted, owner)
    known = (position < n) & (unique_wanted[np.minimum(position, max(n - 1, 0))] == owner)
    if n == 0:
        known = np.zeros(owner.shape, dtype=bool)
    group = position[known]
    ids, tiers, raised, closed = ids[known], tiers[known], raised[known], closed[known]
    is_resolved, climbs = is_resolved[known], climbs[known]

    is_open = np.isnan(closed)
    done = is_resolved & ~is_open
    total = np.bincount(group, minlength=n)
    open_count = np.bincount(group[is_open], minlength=n)
    resolved_count = np.bincount(group[done], minlength=n)
    escalated = np.bincount(group[climbs > 0], minlength=n)
    days = (closed[done] - raised[done]) / SECONDS_PER_DAY
    medians = _group_medians(group[done], days, n)
    by_tier = np.zeros((n, n_tiers), dtype=np.int64)
    np.add.at(by_tier, (group[is_open], tiers[is_open] - 1), 1)

    open_order = np.lexsort((ids[is_open], group[is_open]))
    open_groups = group[is_open][open_order]
    open_pairs = np.stack([ids[is_open][open_order], tiers[is_open][open_order]], axis=1)
    bounds = np.searchsorted(open_groups, np.arange(n + 1))

    result: dict[int, ConflictSignals] = {}
    for index, pid in enumerate(unique_wanted.tolist()):
        count = int(total[index])
        pairs = open_pairs[bounds[index] : bounds[index + 1]].tolist()
        median = float(medians[index])
        result[int(pid)] = ConflictSignals(
            partnership_id=int(pid),
            issues=count,
            open_issues=int(open_count[index]),
            resolved=int(resolved_count[index]),
            escalated=int(escalated[index]),
            escalation_rate=float(escalated[index] / count) if count else None,
            median_days_to_resolution=None if np.isnan(median) else median,
            open_by_tier=tuple(int(c) for c in by_tier[index]),
            current_tiers=tuple((int(i), int(t)) for i, t in pairs),
        )
    return result
