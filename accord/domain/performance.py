"""Performance management over a whole portfolio: delivery, oversight, metrics, feedback loops.

Every function takes plain row arrays (one entry per commitment, request, metric, observation
or action, each carrying the index of its partnership in a :class:`Portfolio`) and returns
arrays indexed by partnership, and by party where the question is per party, so one call covers
thousands of partnerships. "No evidence" is NaN (or :attr:`MetricStatus.NO_EVIDENCE`), never
zero: a partnership without commitments has not missed any.

Each measure is offered to the health engine through one ``*_signal`` function returning a
per-partnership 0–1 float array, NaN where there is no evidence.

Dates are ``datetime64[D]`` arrays (Django ``date`` values convert directly; ``None`` becomes
NaT), and every function takes ``today`` so that history can be recomputed as of any day:
anything dated after ``today`` is not yet known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray

PORTFOLIO_SHAPE = "party_count must be a one-dimensional array of party counts."
PORTFOLIO_PARTY_COUNT = "Every partnership needs at least one party."
ROWS_SHAPE = "Row arrays must be one-dimensional and of equal length."
PARTNERSHIP_OUT_OF_RANGE = "A partnership index lies outside the portfolio."
PARTY_OUT_OF_RANGE = "A party index lies outside its partnership's parties."
METRIC_OUT_OF_RANGE = "An observation refers to a metric index that does not exist."
DATE_MISSING = "Due dates, request dates and observation dates are required."
UNKNOWN_STATUS = "Commitment status must be one of: planned, on_track, at_risk, done, missed."
DONE_WITHOUT_DATE = "A commitment marked done needs the date it was done."
UNKNOWN_CADENCE = "Review cadence must be one of: daily, weekly, monthly, quarterly."
UNKNOWN_CATEGORY = (
    "Metric category must be one of: financial, operational, innovation, market, relationship."
)
UNKNOWN_DIRECTION = "Metric direction must be 'higher' or 'lower' (which way is better)."
METRIC_VALUES_NOT_FINITE = "Targets, thresholds and observed values must be finite numbers."
TARGET_NOT_POSITIVE = (
    "Targets must be positive so attainment can be a ratio; express 'zero defects' as a small "
    "positive target."
)
THRESHOLDS_ORDER_HIGHER = "When higher is better, thresholds must satisfy red ≤ amber ≤ target."
THRESHOLDS_ORDER_LOWER = "When lower is better, thresholds must satisfy red ≥ amber ≥ target."
N_PERIODS_INVALID = "At least one period is needed."
WINDOW_INVALID = "The oversight window must be at least one day."
OVERSIGHT_THRESHOLD_RANGE = (
    "The oversight threshold must be at least 0.5 and below 1, so at most one party can exceed it."
)
MIN_REQUESTS_INVALID = "At least one monitoring request must be required to judge balance."
PARTY_NAMES_MISMATCH = "Give one name for each party of the partnership."
TREND_POINTS_INVALID = "A trend needs at least two observations."
CAP_INVALID = "The attainment cap must be at least 1."
FLAT_TOLERANCE_INVALID = "The flat-trend tolerance cannot be negative."


class PerformanceError(ValueError):
    """Raised for performance input that cannot be measured."""


class CommitmentStatus(StrEnum):
    """A commitment's status as the owner party reports it."""

    PLANNED = "planned"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    DONE = "done"
    MISSED = "missed"


class Period(StrEnum):
    """Calendar bucket for on-time rates over time."""

    MONTH = "month"
    QUARTER = "quarter"


_MONTHS_PER_PERIOD = {Period.MONTH: 1, Period.QUARTER: 3}


class MetricCategory(StrEnum):
    """The five scorecard categories; per-category arrays use this order."""

    FINANCIAL = "financial"
    OPERATIONAL = "operational"
    INNOVATION = "innovation"
    MARKET = "market"
    RELATIONSHIP = "relationship"


CATEGORIES: tuple[MetricCategory, ...] = tuple(MetricCategory)


class Direction(StrEnum):
    """Which way a metric improves."""

    HIGHER = "higher"
    LOWER = "lower"


class MetricStatus(StrEnum):
    """Traffic-light status of a metric's latest observation."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NO_EVIDENCE = "no_evidence"


class Cadence(StrEnum):
    """Review cadences; per-cadence arrays use this order."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


CADENCES: tuple[Cadence, ...] = tuple(Cadence)


def _set(obj: object, name: str, value: object) -> None:
    """Store a coerced array on a frozen dataclass during ``__post_init__``."""
    object.__setattr__(obj, name, value)


def _coerce(obj: object, dtypes: dict[str, Any]) -> None:
    """Coerce each named field to a 1-D array of its dtype and check the lengths agree."""
    lengths = set()
    for name, dtype in dtypes.items():
        array = np.asarray(getattr(obj, name), dtype=dtype)
        if array.ndim != 1:
            raise PerformanceError(ROWS_SHAPE)
        lengths.add(array.shape[0])
        _set(obj, name, array)
    if len(lengths) > 1:
        raise PerformanceError(ROWS_SHAPE)


def _codes(values: NDArray[np.str_], members: Sequence[StrEnum], error: str) -> NDArray[np.int64]:
    """Positions of string values in an enum's member order; unknown values raise ``error``."""
    codes = np.full(values.shape, -1, dtype=np.int64)
    for code, member in enumerate(members):
        codes[values == member.value] = code
    if np.any(codes < 0):
        raise PerformanceError(error)
    return codes


def _rate(numerator: NDArray[Any], denominator: NDArray[Any]) -> NDArray[np.float64]:
    """numerator / denominator, NaN where the denominator is zero (no evidence)."""
    out = np.full(np.broadcast_shapes(np.shape(numerator), np.shape(denominator)), np.nan)
    np.divide(numerator, denominator, out=out, where=np.asarray(denominator) > 0)
    return out


def _day(today: date) -> np.datetime64:
    return np.datetime64(today, "D")


@dataclass(frozen=True, eq=False)
class Portfolio:
    """The partnerships being scored: partnership ``i`` has parties ``0 … party_count[i] − 1``.

    The Django layer numbers partnerships and, within each, its parties (e.g. by primary key)
    and keeps the mapping to turn result rows back into objects.
    """

    party_count: NDArray[np.int64]

    def __post_init__(self) -> None:
        counts = np.asarray(self.party_count, dtype=np.int64)
        if counts.ndim != 1:
            raise PerformanceError(PORTFOLIO_SHAPE)
        if np.any(counts < 1):
            raise PerformanceError(PORTFOLIO_PARTY_COUNT)
        _set(self, "party_count", counts)

    @property
    def n_partnerships(self) -> int:
        return int(self.party_count.shape[0])

    @property
    def max_parties(self) -> int:
        """Width of per-party arrays; columns past a partnership's count stay empty."""
        return int(self.party_count.max(initial=1))

    def check_partnerships(self, partnership: NDArray[np.int64]) -> None:
        """Refuse rows that point at a partnership outside the portfolio."""
        if np.any((partnership < 0) | (partnership >= self.n_partnerships)):
            raise PerformanceError(PARTNERSHIP_OUT_OF_RANGE)

    def check_parties(self, partnership: NDArray[np.int64], party: NDArray[np.int64]) -> None:
        """Refuse rows whose party index is not one of their partnership's parties."""
        self.check_partnerships(partnership)
        if np.any((party < 0) | (party >= self.party_count[partnership])):
            raise PerformanceError(PARTY_OUT_OF_RANGE)


def _kept_and_evaluated(
    due_on: NDArray[np.datetime64],
    done_on: NDArray[np.datetime64],
    declared_missed: NDArray[np.bool_],
    today: np.datetime64,
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Which items were kept (done by their due date) and which can be judged as of ``today``.

    An item is judged once it is done (a completion after ``today`` is not yet known), declared
    missed, or past its due date; an item due today and not yet done still has the day. Late
    completion counts as missed: the question is whether the promise was kept on time.
    """
    done = ~np.isnat(done_on) & (done_on <= today)
    kept = done & (done_on <= due_on)
    evaluated = done | declared_missed | (due_on < today)
    return kept, evaluated


@dataclass(frozen=True, eq=False)
class Commitments:
    """One entry per commitment: owner party, due date, done date (NaT if not done), status.

    A commitment whose status is ``missed`` counts as missed, in the period of its due date,
    even before that date (the owner has said so); one with a done date is judged by its dates,
    whatever its status.
    """

    partnership: NDArray[np.int64]
    party: NDArray[np.int64]
    due_on: NDArray[np.datetime64]
    done_on: NDArray[np.datetime64]
    status: NDArray[np.str_]

    def __post_init__(self) -> None:
        _coerce(
            self,
            {
                "partnership": np.int64,
                "party": np.int64,
                "due_on": "datetime64[D]",
                "done_on": "datetime64[D]",
                "status": np.str_,
            },
        )
        if np.any(np.isnat(self.due_on)):
            raise PerformanceError(DATE_MISSING)
        _codes(self.status, tuple(CommitmentStatus), UNKNOWN_STATUS)
        if np.any((self.status == CommitmentStatus.DONE.value) & np.isnat(self.done_on)):
            raise PerformanceError(DONE_WITHOUT_DATE)


@dataclass(frozen=True, eq=False)
class OnTimeRates:
    """Commitments kept and judged per (partnership, party, period), oldest period first.

    A commitment belongs to the period of its due date; ``period_starts`` gives each period's
    first day, and the last period is the one containing ``today``.
    """

    period: Period
    period_starts: NDArray[np.datetime64]
    kept: NDArray[np.int64]
    evaluated: NDArray[np.int64]

    @property
    def rate_by_period(self) -> NDArray[np.float64]:
        """On-time rate per (partnership, party, period); NaN where nothing was judged."""
        return _rate(self.kept, self.evaluated)

    @property
    def rate(self) -> NDArray[np.float64]:
        """On-time rate per (partnership, party) over all the periods."""
        return _rate(self.kept.sum(axis=2), self.evaluated.sum(axis=2))


def on_time_rates(
    commitments: Commitments,
    portfolio: Portfolio,
    *,
    today: date,
    period: Period = Period.QUARTER,
    n_periods: int = 4,
) -> OnTimeRates:
    """On-time delivery per party over the last ``n_periods`` calendar periods up to ``today``.

    A commitment past its due date and not done counts as missed as of ``today``; commitments
    due outside the window, or not yet due and not done, are left out.
    """
    if n_periods < 1:
        raise PerformanceError(N_PERIODS_INVALID)
    portfolio.check_parties(commitments.partnership, commitments.party)
    today_d = _day(today)
    declared_missed = commitments.status == CommitmentStatus.MISSED.value
    kept, evaluated = _kept_and_evaluated(
        commitments.due_on, commitments.done_on, declared_missed, today_d
    )
    months = _MONTHS_PER_PERIOD[period]
    current = today_d.astype("datetime64[M]").astype(np.int64) // months
    due_period = commitments.due_on.astype("datetime64[M]").astype(np.int64) // months
    bucket = due_period - current + n_periods - 1
    in_window = evaluated & (bucket >= 0) & (bucket < n_periods)

    n, p = portfolio.n_partnerships, portfolio.max_parties
    cell = (commitments.partnership * p + commitments.party) * n_periods + bucket
    size = n * p * n_periods
    shape = (n, p, n_periods)
    kept_count = np.bincount(cell[in_window & kept], minlength=size).reshape(shape)
    evaluated_count = np.bincount(cell[in_window], minlength=size).reshape(shape)
    start_months = (np.arange(current - n_periods + 1, current + 1) * months).astype(
        "datetime64[M]"
    )
    return OnTimeRates(
        period=period,
        period_starts=start_months.astype("datetime64[D]"),
        kept=kept_count.astype(np.int64),
        evaluated=evaluated_count.astype(np.int64),
    )


def on_time_signal(rates: OnTimeRates) -> NDArray[np.float64]:
    """Share of judged commitments kept on time, pooled over all parties and periods.

    Pooling keeps the signal stable when a party has few commitments; the per-party rates in
    :class:`OnTimeRates` show who is behind. Already 0–1; NaN with no judged commitment.
    """
    return _rate(rates.kept.sum(axis=(1, 2)), rates.evaluated.sum(axis=(1, 2)))


@dataclass(frozen=True, eq=False)
class MonitoringRequests:
    """One entry per monitoring request (status check, evidence request) by requesting party."""

    partnership: NDArray[np.int64]
    party: NDArray[np.int64]
    requested_on: NDArray[np.datetime64]

    def __post_init__(self) -> None:
        _coerce(
            self,
            {"partnership": np.int64, "party": np.int64, "requested_on": "datetime64[D]"},
        )
        if np.any(np.isnat(self.requested_on)):
            raise PerformanceError(DATE_MISSING)


@dataclass(frozen=True, eq=False)
class OversightBalance:
    """Monitoring requests per (partnership, requesting party) in the window ending ``today``.

    A partnership is flagged when one party made more than ``threshold`` of the requests and
    there were at least ``min_requests`` of them: a few requests say little about balance.
    """

    today: date
    window_days: int
    threshold: float
    min_requests: int
    party_count: NDArray[np.int64]
    counts: NDArray[np.int64]

    @property
    def total(self) -> NDArray[np.int64]:
        total: NDArray[np.int64] = self.counts.sum(axis=1)
        return total

    @property
    def share(self) -> NDArray[np.float64]:
        """Each party's share of its partnership's requests; NaN without requests."""
        return _rate(self.counts, self.total[:, None])

    @property
    def top_party(self) -> NDArray[np.int64]:
        """The party that made most requests (-1 without requests)."""
        top: NDArray[np.int64] = np.where(self.total > 0, self.counts.argmax(axis=1), -1)
        return top

    @property
    def top_share(self) -> NDArray[np.float64]:
        return _rate(self.counts.max(axis=1, initial=0), self.total)

    @property
    def enough_evidence(self) -> NDArray[np.bool_]:
        enough: NDArray[np.bool_] = self.total >= self.min_requests
        return enough

    @property
    def flagged(self) -> NDArray[np.bool_]:
        flagged: NDArray[np.bool_] = self.enough_evidence & (self.top_share > self.threshold)
        return flagged


def oversight_balance(
    requests: MonitoringRequests,
    portfolio: Portfolio,
    *,
    today: date,
    window_days: int = 91,
    threshold: float = 0.75,
    min_requests: int = 4,
) -> OversightBalance:
    """Count monitoring requests per requesting party over the last ``window_days`` days.

    The window is the ``window_days`` days ending with ``today`` (91: about one quarter);
    requests after ``today`` are not yet known. Falling trust shows up as one side checking on
    the other, so a lopsided count is an early sign of a vicious circle.
    """
    if window_days < 1:
        raise PerformanceError(WINDOW_INVALID)
    if not 0.5 <= threshold < 1:
        raise PerformanceError(OVERSIGHT_THRESHOLD_RANGE)
    if min_requests < 1:
        raise PerformanceError(MIN_REQUESTS_INVALID)
    portfolio.check_parties(requests.partnership, requests.party)
    today_d = _day(today)
    in_window = (requests.requested_on <= today_d) & (
        requests.requested_on > today_d - np.timedelta64(window_days, "D")
    )
    n, p = portfolio.n_partnerships, portfolio.max_parties
    cell = requests.partnership * p + requests.party
    counts = np.bincount(cell[in_window], minlength=n * p).reshape(n, p)
    return OversightBalance(
        today=today,
        window_days=window_days,
        threshold=threshold,
        min_requests=min_requests,
        party_count=portfolio.party_count,
        counts=counts.astype(np.int64),
    )


def _requests(count: int) -> str:
    return f"{count} monitoring request" + ("" if count == 1 else "s")


def oversight_sentence(
    balance: OversightBalance, partnership: int, party_names: Sequence[str]
) -> str:
    """Explain one partnership's oversight balance in a sentence, naming the parties."""
    if len(party_names) != balance.party_count[partnership]:
        raise PerformanceError(PARTY_NAMES_MISMATCH)
    period = f"in the {balance.window_days} days to {balance.today.isoformat()}"
    total = int(balance.total[partnership])
    limit = f"{balance.threshold:.0%}"
    if total == 0:
        return f"No monitoring requests {period}: no evidence about the balance of oversight."
    if not balance.enough_evidence[partnership]:
        return (
            f"Only {_requests(total)} {period}; at least {balance.min_requests} are needed to "
            "judge the balance of oversight."
        )
    if balance.flagged[partnership]:
        top = int(balance.top_party[partnership])
        count = int(balance.counts[partnership, top])
        return (
            f"{party_names[top]} made {count} of {total} monitoring requests "
            f"({balance.top_share[partnership]:.0%}) {period}, more than {limit}: oversight "
            "rests on one side."
        )
    breakdown = ", ".join(
        f"{name} {int(balance.counts[partnership, i])}" for i, name in enumerate(party_names)
    )
    return f"Monitoring requests {period}: {breakdown}; no party made more than {limit}."


def oversight_signal(balance: OversightBalance) -> NDArray[np.float64]:
    """How evenly oversight is shared: 1 when every party makes an equal share, 0 when one
    party makes them all.

    With P parties and the largest share s, the signal is (1 − s)·P/(P − 1). NaN with fewer
    than ``min_requests`` requests (no evidence) or a single party (balance is undefined).
    """
    parties = balance.party_count.astype(np.float64)
    usable = balance.enough_evidence & (parties > 1)
    signal = np.full(parties.shape, np.nan)
    top = balance.top_share
    signal[usable] = (1.0 - top[usable]) * parties[usable] / (parties[usable] - 1.0)
    return signal


@dataclass(frozen=True, eq=False)
class Metrics:
    """One entry per metric definition: partnership, category, direction and thresholds.

    The thresholds mark where the status changes. Higher is better: green at or above
    ``amber``, amber from ``red`` up to ``amber``, red below ``red``. Lower is better: the same
    mirrored (green at or below ``amber``, red above ``red``).
    """

    partnership: NDArray[np.int64]
    category: NDArray[np.str_]
    direction: NDArray[np.str_]
    target: NDArray[np.float64]
    amber: NDArray[np.float64]
    red: NDArray[np.float64]

    def __post_init__(self) -> None:
        _coerce(
            self,
            {
                "partnership": np.int64,
                "category": np.str_,
                "direction": np.str_,
                "target": np.float64,
                "amber": np.float64,
                "red": np.float64,
            },
        )
        _codes(self.category, CATEGORIES, UNKNOWN_CATEGORY)
        _codes(self.direction, tuple(Direction), UNKNOWN_DIRECTION)
        if not np.all(np.isfinite(np.stack([self.target, self.amber, self.red]))):
            raise PerformanceError(METRIC_VALUES_NOT_FINITE)
        if np.any(self.target <= 0):
            raise PerformanceError(TARGET_NOT_POSITIVE)
        higher = self.higher
        if np.any(higher & ((self.red > self.amber) | (self.amber > self.target))):
            raise PerformanceError(THRESHOLDS_ORDER_HIGHER)
        if np.any(~higher & ((self.red < self.amber) | (self.amber < self.target))):
            raise PerformanceError(THRESHOLDS_ORDER_LOWER)

    @property
    def higher(self) -> NDArray[np.bool_]:
        """True where higher values are better."""
        higher: NDArray[np.bool_] = self.direction == Direction.HIGHER.value
        return higher

    @property
    def category_index(self) -> NDArray[np.int64]:
        """Position of each metric's category in :data:`CATEGORIES`."""
        return _codes(self.category, CATEGORIES, UNKNOWN_CATEGORY)


@dataclass(frozen=True, eq=False)
class Observations:
    """One entry per observed value; ``metric`` indexes the rows of :class:`Metrics`."""

    metric: NDArray[np.int64]
    observed_on: NDArray[np.datetime64]
    value: NDArray[np.float64]

    def __post_init__(self) -> None:
        _coerce(self, {"metric": np.int64, "observed_on": "datetime64[D]", "value": np.float64})
        if np.any(np.isnat(self.observed_on)):
            raise PerformanceError(DATE_MISSING)
        if not np.all(np.isfinite(self.value)):
            raise PerformanceError(METRIC_VALUES_NOT_FINITE)


@dataclass(frozen=True, eq=False)
class Attainment:
    """Per-metric status of the latest observation, with roll-ups per partnership and category.

    Per metric (shape (metrics,)): ``latest_value`` and ``latest_on`` (NaN/NaT without
    observations), ``n_observations``, ``status``, ``ratio`` (value/target when higher is
    better, target/value when lower is, clipped to [0, cap]), ``slope`` (units per day over the
    last observations, NaN with fewer than two distinct days) and ``trend`` (+1 improving, −1
    worsening, 0 flat or unknown).
    """

    metrics: Metrics
    n_partnerships: int
    latest_value: NDArray[np.float64]
    latest_on: NDArray[np.datetime64]
    n_observations: NDArray[np.int64]
    status: NDArray[np.str_]
    ratio: NDArray[np.float64]
    slope: NDArray[np.float64]
    trend: NDArray[np.int64]

    @property
    def has_evidence(self) -> NDArray[np.bool_]:
        has: NDArray[np.bool_] = self.n_observations > 0
        return has

    @property
    def with_evidence(self) -> NDArray[np.int64]:
        """Metrics with at least one observation, per (partnership, category)."""
        return _per_category(self, self.has_evidence.astype(np.float64)).astype(np.int64)

    @property
    def green(self) -> NDArray[np.int64]:
        """Metrics whose latest observation is green, per (partnership, category)."""
        is_green = (self.status == MetricStatus.GREEN.value).astype(np.float64)
        return _per_category(self, is_green).astype(np.int64)

    @property
    def green_share(self) -> NDArray[np.float64]:
        """Share of metrics with evidence that are green, per (partnership, category)."""
        return _rate(self.green, self.with_evidence)

    @property
    def green_share_total(self) -> NDArray[np.float64]:
        """Share of metrics with evidence that are green, per partnership."""
        return _rate(self.green.sum(axis=1), self.with_evidence.sum(axis=1))

    @property
    def mean_ratio(self) -> NDArray[np.float64]:
        """Mean attainment ratio of metrics with evidence, per (partnership, category)."""
        ratios = np.where(self.has_evidence, self.ratio, 0.0)
        return _rate(_per_category(self, ratios), self.with_evidence)


def _per_category(attainment: Attainment, weights: NDArray[Any]) -> NDArray[np.float64]:
    """Sum per-metric weights into a (partnerships, categories) array."""
    metrics = attainment.metrics
    cell = metrics.partnership * len(CATEGORIES) + metrics.category_index
    size = attainment.n_partnerships * len(CATEGORIES)
    sums = np.bincount(cell, weights=weights, minlength=size).astype(np.float64)
    return sums.reshape(attainment.n_partnerships, len(CATEGORIES))


def metric_attainment(
    metrics: Metrics,
    observations: Observations,
    portfolio: Portfolio,
    *,
    today: date,
    trend_points: int = 5,
    cap: float = 2.0,
    flat_tolerance: float = 0.01,
) -> Attainment:
    """Status, attainment and trend of every metric from its observations up to ``today``.

    The latest observation is the one with the latest date (the last given, on a tie). The
    trend is the least-squares slope over the last ``trend_points`` observations, read in the
    metric's improving direction; a fitted change of at most ``flat_tolerance`` × target over
    those observations counts as flat, so noise is not reported as movement.
    """
    if trend_points < 2:
        raise PerformanceError(TREND_POINTS_INVALID)
    if cap < 1:
        raise PerformanceError(CAP_INVALID)
    if flat_tolerance < 0:
        raise PerformanceError(FLAT_TOLERANCE_INVALID)
    portfolio.check_partnerships(metrics.partnership)
    n_metrics = metrics.target.shape[0]
    if np.any((observations.metric < 0) | (observations.metric >= n_metrics)):
        raise PerformanceError(METRIC_OUT_OF_RANGE)

    known = observations.observed_on <= _day(today)
    metric = observations.metric[known]
    day = observations.observed_on[known].astype(np.int64)
    value = observations.value[known]
    order = np.lexsort((np.arange(metric.shape[0]), day, metric))
    metric, day, value = metric[order], day[order], value[order]

    count = np.bincount(metric, minlength=n_metrics)
    end = np.cumsum(count)
    has = count > 0
    latest_value = np.full(n_metrics, np.nan)
    latest_value[has] = value[end[has] - 1]
    latest_on = np.full(n_metrics, np.datetime64("NaT"), dtype="datetime64[D]")
    latest_on[has] = day[end[has] - 1].astype("datetime64[D]")

    higher = metrics.higher
    v = latest_value
    green = has & np.where(higher, v >= metrics.amber, v <= metrics.amber)
    amber = has & ~green & np.where(higher, v >= metrics.red, v <= metrics.red)
    status = np.select(
        [~has, green, amber],
        [MetricStatus.NO_EVIDENCE.value, MetricStatus.GREEN.value, MetricStatus.AMBER.value],
        default=MetricStatus.RED.value,
    ).astype(np.str_)

    positive = has & (v > 0)
    lower_ratio = np.full(n_metrics, cap)
    lower_ratio[positive] = metrics.target[positive] / v[positive]
    ratio = np.clip(np.where(higher, v / metrics.target, lower_ratio), 0.0, cap)
    ratio[~has] = np.nan

    slope, change = _recent_slope(metric, day, value, end, trend_points, n_metrics)
    improving = np.where(higher, 1, -1) * np.sign(change)
    flat = np.isnan(change) | (np.abs(change) <= flat_tolerance * metrics.target)
    trend = np.where(flat, 0, improving).astype(np.int64)
    return Attainment(
        metrics=metrics,
        n_partnerships=portfolio.n_partnerships,
        latest_value=latest_value,
        latest_on=latest_on,
        n_observations=count.astype(np.int64),
        status=status,
        ratio=ratio,
        slope=slope,
        trend=trend,
    )


def _recent_slope(
    metric: NDArray[np.int64],
    day: NDArray[np.int64],
    value: NDArray[np.float64],
    end: NDArray[np.int64],
    points: int,
    n_metrics: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Least-squares slope per metric over its last ``points`` observations, and the fitted
    change from the first to the last of them. Inputs are sorted by (metric, day); ``end`` is
    each metric's exclusive end position. NaN where the days do not vary.
    """
    position = np.arange(metric.shape[0])
    recent = end[metric] - 1 - position < points
    group, x, y = metric[recent], day[recent].astype(np.float64), value[recent]
    n = np.bincount(group, minlength=n_metrics)
    mean_x = _rate(np.bincount(group, weights=x, minlength=n_metrics), n)
    mean_y = _rate(np.bincount(group, weights=y, minlength=n_metrics), n)
    dx, dy = x - mean_x[group], y - mean_y[group]
    sxx = np.bincount(group, weights=dx * dx, minlength=n_metrics)
    sxy = np.bincount(group, weights=dx * dy, minlength=n_metrics)
    slope = _rate(sxy, sxx)
    span = np.zeros(n_metrics)
    has = n > 0
    first_recent = day[recent][np.cumsum(n)[has] - n[has]]
    last_recent = day[recent][np.cumsum(n)[has] - 1]
    span[has] = last_recent - first_recent
    return slope, slope * span


def attainment_signal(attainment: Attainment) -> NDArray[np.float64]:
    """Mean attainment, each category weighted equally: per category, the mean over metrics
    with evidence of min(ratio, 1); then the mean over the categories that have any.

    Capping at 1 stops one metric far above target from hiding another below it; weighting
    categories equally keeps ten financial metrics from drowning one relationship metric.
    NaN when no metric of the partnership has an observation.
    """
    met = np.where(attainment.has_evidence, np.minimum(attainment.ratio, 1.0), 0.0)
    category_mean = _rate(_per_category(attainment, met), attainment.with_evidence)
    has_category = ~np.isnan(category_mean)
    return _rate(np.where(has_category, category_mean, 0.0).sum(axis=1), has_category.sum(axis=1))


@dataclass(frozen=True, eq=False)
class ReviewActions:
    """One entry per action agreed in a review: the review's cadence, due and done dates.

    The selector chooses which actions to pass (e.g. those due in the last two quarters).
    """

    partnership: NDArray[np.int64]
    cadence: NDArray[np.str_]
    due_on: NDArray[np.datetime64]
    done_on: NDArray[np.datetime64]

    def __post_init__(self) -> None:
        _coerce(
            self,
            {
                "partnership": np.int64,
                "cadence": np.str_,
                "due_on": "datetime64[D]",
                "done_on": "datetime64[D]",
            },
        )
        _codes(self.cadence, CADENCES, UNKNOWN_CADENCE)
        if np.any(np.isnat(self.due_on)):
            raise PerformanceError(DATE_MISSING)


@dataclass(frozen=True, eq=False)
class LoopClosure:
    """Review actions closed on time and judged, per (partnership, cadence in CADENCES order)."""

    closed_on_time: NDArray[np.int64]
    evaluated: NDArray[np.int64]

    @property
    def rate(self) -> NDArray[np.float64]:
        """Closure rate per (partnership, cadence); NaN where no action was judged."""
        return _rate(self.closed_on_time, self.evaluated)

    @property
    def rate_total(self) -> NDArray[np.float64]:
        """Closure rate per partnership over all cadences."""
        return _rate(self.closed_on_time.sum(axis=1), self.evaluated.sum(axis=1))


def loop_closure(actions: ReviewActions, portfolio: Portfolio, *, today: date) -> LoopClosure:
    """How many review actions were done by their due date, per cadence, as of ``today``.

    Actions are judged like commitments: once done or past due. A feedback loop that creates
    actions nobody closes is a review ritual, not management, so closure is measured itself.
    """
    portfolio.check_partnerships(actions.partnership)
    kept, evaluated = _kept_and_evaluated(
        actions.due_on, actions.done_on, np.zeros(actions.due_on.shape, np.bool_), _day(today)
    )
    n, c = portfolio.n_partnerships, len(CADENCES)
    cell = actions.partnership * c + _codes(actions.cadence, CADENCES, UNKNOWN_CADENCE)
    closed = np.bincount(cell[evaluated & kept], minlength=n * c).reshape(n, c)
    judged = np.bincount(cell[evaluated], minlength=n * c).reshape(n, c)
    return LoopClosure(closed_on_time=closed.astype(np.int64), evaluated=judged.astype(np.int64))


def loop_closure_signal(closure: LoopClosure) -> NDArray[np.float64]:
    """Share of judged review actions closed on time, pooled over cadences (already 0–1);
    NaN when no action was judged."""
    return closure.rate_total
