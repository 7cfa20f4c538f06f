"""The vicious-circle detector: coupled deterioration across parties, beyond each partnership's
own noise, for a whole portfolio at once.

The health index's own views — the trust each side receives and each side's behaviour as the
other experiences it — are read at the end of every review period. A series *deteriorates* at a
review when it lies below the robust baseline of its own previous reviews (median of the last
``baseline`` reviews before the one just before it) by more than ``z`` robust deviations
(1.4826 · MAD), and by more than ``min_drop`` points. The band never gets narrower than the
sampling noise ``unit_sd / √observations``: few respondents widen it. Two consecutive
deteriorating reviews make a sustained decline; a single bad review is noise.

Each review gets one state:

- ``circle``: at least two sides decline, in both trust and behaviour — the self-reinforcing
  circle of mistrust;
- ``one_sided``: one side's conduct or standing declines while the other side holds;
- ``external_shock``: performance falls while trust and behaviour hold;
- ``low_stable``: nothing declines, but the overall level is below ``low_level`` — a low level
  is not a trend;
- ``steady``: nothing of the above; ``unknown`` when there is not yet a baseline.

Alerts open on ``circle`` and ``one_sided`` and are cleared by recovery after ``clear_after``
consecutive reviews without either.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from accord.domain.health import GROUPS, Floats, Group, HealthError, HealthIndex

Bools = NDArray[np.bool_]
Ints = NDArray[np.int64]
States = NDArray[np.int8]


class State(IntEnum):
    UNKNOWN = 0
    STEADY = 1
    LOW_STABLE = 2
    EXTERNAL_SHOCK = 3
    ONE_SIDED = 4
    CIRCLE = 5


ALERTING = (State.ONE_SIDED, State.CIRCLE)


@dataclass(frozen=True, slots=True)
class DetectorRules:
    review_periods: int = 4  # index periods per review period
    baseline: int = 24  # reviews in the robust baseline
    gap: int = 8  # reviews between the baseline and the review judged (slow drifts show)
    min_baseline: int = 3  # reviews needed before judging
    coupling: int = 3  # reviews within which the other side's decline counts as coupled
    z: float = 3.0
    sustain: int = 3  # consecutive deteriorating reviews that make a decline
    min_drop: float = 6.0  # points on 0–100
    unit_sd: float = 40.0  # spread of one behaviour observation (a commitment), points
    trust_unit_sd: float = 25.0  # spread of one respondent's answer, points
    low_level: float = 45.0
    clear_after: int = 2

    def __post_init__(self) -> None:
        if self.review_periods < 1 or self.baseline < self.min_baseline or self.min_baseline < 2:
            raise HealthError("Review length and baseline must be positive, baseline ≥ 2.")
        if self.z <= 0 or self.min_drop < 0 or self.unit_sd < 0 or self.clear_after < 1:
            raise HealthError("Detector thresholds must be positive.")


@dataclass(frozen=True)
class Detection:
    """Per (partnership, review): the state, and per side which series declined."""

    review_end: NDArray[np.int64]  # (R,) index period at which each review ends
    state: States  # (P, R)
    trust_down: Bools  # (P, R, S) trust received by the side, sustained decline
    behaviour_down: Bools  # (P, R, S) the side's behaviour, sustained decline
    performance_down: Bools  # (P, R)
    onset: NDArray[np.int64]  # (P, R, S) review where the side's current decline began, −1
    level: Floats  # (P, R, S, 2) the own-view values judged
    baseline: Floats  # (P, R, S, 2) their baseline medians
    alert_open: Bools  # (P, R) whether an alert is open after each review


CHUNK = 1024  # series sorted at a time: each chunk's windows (~3 MB) stay in cache


def _median_of_sorted(sorted_win: NDArray[np.floating[Any]], n: Ints) -> Floats:
    """Median of the first ``n`` values of each sorted row (NaN where n = 0)."""
    lo = np.take_along_axis(sorted_win, np.maximum((n - 1) // 2, 0)[..., None], -1)[..., 0]
    hi = np.take_along_axis(sorted_win, (n // 2)[..., None], -1)[..., 0]
    return np.where(n > 0, (lo.astype(np.float64) + hi) / 2, np.nan)


def _window_stats(x: Floats, baseline: int, gap: int) -> tuple[Floats, Floats, Ints]:
    """Per value of the rows of x (N, R): median, MAD and count of the ``baseline`` values
    ending ``gap`` values before it, ignoring NaN (windows in float32, sorted: NaN goes last).
    The first ``gap`` positions have no values before them and are not sorted at all."""
    n_rows, length = x.shape
    med, mad = np.full(x.shape, np.nan), np.full(x.shape, np.nan)
    count = np.zeros(x.shape, dtype=np.int64)
    judged = max(length - gap, 0)
    if not judged:
        return med, mad, count
    # window of position r ≥ gap: x[r − gap − baseline … r − gap − 1], NaN before the start
    padded = np.full((n_rows, baseline + judged - 1), np.nan, dtype=np.float32)
    padded[:, baseline:] = x[:, : judged - 1]
    valid = np.zeros((n_rows, baseline + judged), dtype=np.int64)
    np.cumsum(~np.isnan(padded), axis=1, out=valid[:, 1:])
    count[:, gap:] = valid[:, baseline:] - valid[:, :judged]
    for start in range(0, n_rows, CHUNK):
        rows = slice(start, start + CHUNK)
        win = np.sort(sliding_window_view(padded[rows], baseline, axis=-1), axis=-1)
        n = count[rows, gap:]
        m = med[rows, gap:]
        m[...] = _median_of_sorted(win, n)
        dev = win.astype(np.float64)
        dev -= m[..., None]
        np.abs(dev, out=dev)
        dev.sort(axis=-1)
        mad[rows, gap:] = _median_of_sorted(dev, n)
    return med, mad, count


def _declining(
    level: Floats, weight: Floats, rules: DetectorRules, unit_sd: Floats | float
) -> tuple[Bools, Floats]:
    """Sustained decline along the last axis; returns it and the baseline median."""
    rows = level.reshape(-1, level.shape[-1])
    med, mad, n = _window_stats(rows, rules.baseline, rules.gap)
    med, mad, n = med.reshape(level.shape), mad.reshape(level.shape), n.reshape(level.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        floor = np.where(weight > 0, unit_sd / np.sqrt(weight), np.inf)
    band = np.maximum(rules.z * 1.4826 * mad, rules.z * floor)
    drop = med - level
    down = (n >= rules.min_baseline) & (drop > band) & (drop > rules.min_drop)
    sustained = down.copy()
    for lag in range(1, rules.sustain):
        sustained[..., :lag] = False
        sustained[..., lag:] &= down[..., :-lag]
    return sustained, med


def _onsets(down: Bools) -> NDArray[np.int64]:
    """For each review, where the current run of declines began (−1 outside a run)."""
    r = down.shape[-1]
    idx = np.broadcast_to(np.arange(r), down.shape)
    starts = np.where(
        down & ~np.concatenate([np.zeros_like(down[..., :1]), down[..., :-1]], -1), idx, -1
    )
    running = np.maximum.accumulate(starts, axis=-1)
    return np.where(down, running, -1)


def _recently(down: Bools, reviews: int) -> Bools:
    """Declined in any of the last ``reviews`` reviews (axis 1), this one included."""
    out = down.copy()
    for lag in range(1, reviews):
        out[:, lag:] |= down[:, :-lag]
    return out


def alert_lifecycle(state: States, clear_after: int) -> Bools:
    """Open on an alerting state; cleared after ``clear_after`` reviews without one."""
    alerting = np.isin(state, [int(s) for s in ALERTING])
    open_ = np.zeros_like(alerting)
    quiet = np.zeros(state.shape[0], dtype=np.int64)
    current = np.zeros(state.shape[0], dtype=bool)
    for r in range(state.shape[1]):
        quiet = np.where(alerting[:, r], 0, quiet + 1)
        current = alerting[:, r] | (current & (quiet < clear_after))
        open_[:, r] = current
    return open_


def detect(index: HealthIndex, rules: DetectorRules | None = None) -> Detection:
    """Judge every partnership at the end of every review period."""
    rules = rules or DetectorRules()
    n_t = index.overall.shape[1]
    ends = np.arange(rules.review_periods - 1, n_t, rules.review_periods, dtype=np.int64)
    # (P, R, S, 2) → judged along the review axis, moved last
    own = np.moveaxis(index.own_view[:, ends], 1, -1)
    own_w = np.moveaxis(index.own_weight[:, ends], 1, -1)
    unit = np.array([rules.trust_unit_sd, rules.unit_sd])[None, None, :, None]
    own_down, own_med = _declining(own, own_w, rules, unit)
    trust_down = np.moveaxis(own_down[:, :, 0], -1, 1)
    behaviour_down = np.moveaxis(own_down[:, :, 1], -1, 1)

    g_perf = GROUPS.index(Group.PERFORMANCE)
    perf = index.subscores[:, ends, g_perf]
    perf_down, _ = _declining(perf, index.evidence_weight[:, ends, g_perf], rules, rules.unit_sd)

    side_down = trust_down | behaviour_down
    recent_side = _recently(side_down, rules.coupling)
    recent_trust = _recently(trust_down, rules.coupling).any(axis=2)
    recent_beh = _recently(behaviour_down, rules.coupling).any(axis=2)
    sides_down = side_down.sum(axis=2)
    circle = (sides_down >= 1) & (recent_side.sum(axis=2) >= 2) & recent_trust & recent_beh
    one_sided = (sides_down >= 1) & ~circle
    shock = perf_down & (sides_down == 0)
    overall = index.overall[:, ends]
    low = (sides_down == 0) & ~perf_down & (overall < rules.low_level)
    judged = np.asarray((~np.isnan(own_med)).any(axis=(1, 2)), dtype=bool)
    state = np.where(judged, int(State.STEADY), int(State.UNKNOWN)).astype(np.int8)
    state[low] = State.LOW_STABLE
    state[shock] = State.EXTERNAL_SHOCK
    state[one_sided] = State.ONE_SIDED
    state[circle] = State.CIRCLE
    return Detection(
        review_end=ends,
        state=state,
        trust_down=trust_down,
        behaviour_down=behaviour_down,
        performance_down=perf_down,
        onset=np.moveaxis(_onsets(np.moveaxis(side_down, 1, -1)), -1, 1),
        level=np.moveaxis(own, -1, 1),
        baseline=np.moveaxis(own_med, -1, 1),
        alert_open=alert_lifecycle(state, rules.clear_after),
    )
