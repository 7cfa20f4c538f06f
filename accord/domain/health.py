"""The health index: evidence rows in, sub-scores and an overall 0–100 out, for a whole portfolio.

Evidence arrives in long format, one row per (partnership, period, from side, to side, signal,
value, weight), where a side is a party's position in its partnership (−1: party-level) and the
weight counts the observations behind the value (respondents, commitments due…). Each signal is
scaled onto 0–100 by its documented rule (``SIGNALS``), so "better" is always higher.

The sub-score of a group at period t is the weight-averaged scaled value of that group's rows in
the trailing ``window`` periods (t − window, t]; a group with no rows there is NaN — "no evidence
yet" — and the overall index re-weights the groups that have evidence. Sums are accumulated in
integer micro-points so the result does not depend on the order of the rows.

"Own behaviour as the other party experiences it" is the same average restricted to the rows
whose subject is that side (its delivery, its notice, the other side's trust in it), so evidence
about one side can never move another side's view.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
MICRO = 1_000_000


class Group(StrEnum):
    TRUST = "trust"
    BEHAVIOUR = "behaviour"
    ECONOMICS = "economics"
    GOVERNANCE = "governance"
    PERFORMANCE = "performance"
    COMMUNICATION = "communication"


GROUPS: tuple[Group, ...] = tuple(Group)
DEFAULT_WEIGHTS: dict[Group, float] = {
    Group.TRUST: 0.25,
    Group.BEHAVIOUR: 0.25,
    Group.ECONOMICS: 0.1,
    Group.GOVERNANCE: 0.1,
    Group.PERFORMANCE: 0.15,
    Group.COMMUNICATION: 0.15,
}


class Subject(StrEnum):
    """Whose conduct a row is evidence about."""

    FROM = "from"  # the party that acted (delivered, gave notice, replied)
    TO = "to"  # the party that is trusted or monitored
    PARTY = "party"  # the partnership as a whole


@dataclass(frozen=True, slots=True)
class SignalSpec:
    name: str
    group: Group | None  # None: registered and shown, but not scored
    low: float  # the value that scales to 0 (or to 100 when lower is better)
    high: float
    higher_is_better: bool
    subject: Subject
    label: str

    def scale(self, value: Floats) -> Floats:
        share = np.clip((value - self.low) / (self.high - self.low), 0.0, 1.0)
        return np.asarray(100.0 * (share if self.higher_is_better else 1.0 - share))


def _s(
    name: str,
    group: Group | None,
    low: float,
    high: float,
    higher: bool,
    subject: Subject,
    label: str,
) -> SignalSpec:
    return SignalSpec(name, group, low, high, higher, subject, label)


T, B, E, G, P, C = GROUPS
FROM, TO, PARTY = Subject.FROM, Subject.TO, Subject.PARTY
SIGNALS: tuple[SignalSpec, ...] = (
    _s("trust_competence", T, 1, 7, True, TO, "competence trust (1–7)"),
    _s("trust_contractual", T, 1, 7, True, TO, "contractual trust (1–7)"),
    _s("trust_goodwill", T, 1, 7, True, TO, "goodwill trust (1–7)"),
    _s("monitoring_requests", T, 0, 6, False, TO, "monitoring requests"),
    _s("on_time", B, 0, 1, True, FROM, "share delivered on time"),
    _s("slippage_days", B, 0, 30, False, FROM, "days late on average"),
    _s("small_exchanges", None, 0, 1, True, FROM, "small exchanges completed"),
    _s("notice_lead_days", B, 0, 60, True, FROM, "notice lead time (days)"),
    _s("short_notice_share", B, 0, 1, False, FROM, "share of notices shorter than agreed"),
    _s("decision_cycle_days", B, 0, 60, False, PARTY, "decision cycle time (days)"),
    _s("escalations", B, 0, 3, False, FROM, "escalations raised"),
    _s("open_conflicts", G, 0, 5, False, PARTY, "open conflicts"),
    _s("proportionality", E, 0, 1, True, PARTY, "proportionality of value to contribution"),
    _s("hostage_balance", E, 0, 1, True, PARTY, "balance of mutual hostages"),
    _s("metric_attainment", P, 0.4, 1.0, True, PARTY, "metric attainment"),
    _s("loop_closure", G, 0, 1, True, PARTY, "review actions closed on time"),
    _s("participant_turnover", G, 0, 0.5, False, PARTY, "share of key people who left"),
    _s("reply_hours_median", C, 0, 96, False, FROM, "median reply time (hours)"),
    _s("messages", None, 0, 1, True, FROM, "messages sent"),
    _s("notices", None, 0, 1, True, FROM, "change notices given"),
    _s("short_notices", None, 0, 1, True, FROM, "notices shorter than agreed"),
    _s("notice_lead_days_median", B, 0, 60, True, FROM, "median notice lead time (days)"),
    _s("concerns_raised", None, 0, 1, True, FROM, "concerns raised"),
    _s("concerns_answered", None, 0, 1, True, FROM, "concerns answered"),
    _s("longest_silence_days", C, 0, 60, False, PARTY, "longest silence (days)"),
)
SIGNAL_INDEX: dict[str, int] = {s.name: i for i, s in enumerate(SIGNALS)}


class HealthError(ValueError):
    pass


@dataclass(frozen=True)
class EvidenceArrays:
    """Long-format evidence for ``partnerships`` partnerships over ``periods`` periods."""

    partnership: Ints
    period: Ints
    from_side: Ints  # −1: none
    to_side: Ints  # −1: none
    signal: Ints  # index into SIGNALS
    value: Floats
    weight: Floats
    partnerships: int
    periods: int
    sides: int = 2

    def __post_init__(self) -> None:
        n = self.partnership.shape[0]
        for name in ("period", "from_side", "to_side", "signal", "value", "weight"):
            if getattr(self, name).shape != (n,):
                raise HealthError(f"Evidence column {name} must have {n} rows.")
        if n and (self.partnership.min() < 0 or self.partnership.max() >= self.partnerships):
            raise HealthError("A row names a partnership outside the portfolio.")
        if n and (self.period.min() < 0 or self.period.max() >= self.periods):
            raise HealthError("A row names a period outside the range.")
        if n and (self.signal.min() < 0 or self.signal.max() >= len(SIGNALS)):
            raise HealthError("A row names an unknown signal.")
        if n and (max(self.from_side.max(), self.to_side.max()) >= self.sides):
            raise HealthError("A row names a side beyond the partnership's parties.")
        if n and (min(self.from_side.min(), self.to_side.min()) < -1):
            raise HealthError("A row names a side below −1 (−1: none).")
        if n and not np.isfinite(self.value).all():
            raise HealthError("Evidence values must be finite numbers.")
        if n and (self.weight <= 0).any():
            raise HealthError("Evidence weights count observations and must be positive.")


@dataclass(frozen=True)
class HealthIndex:
    """Per (partnership, period): sub-scores (…, group), overall, trend; per side: own view.

    NaN everywhere means "no evidence yet". The per-period arrays may be strided views of one
    period-major block; index them as usual."""

    subscores: Floats  # (P, T, G)
    evidence_weight: Floats  # (P, T, G) observations behind each sub-score
    overall: Floats  # (P, T)
    trend: Floats  # (P, T) change of overall since the previous period
    own_view: Floats  # (P, T, S, 2): trust in the side, the side's behaviour
    own_weight: Floats  # (P, T, S, 2)


_SCALE_LOW = np.array([s.low for s in SIGNALS])
_SCALE_HIGH = np.array([s.high for s in SIGNALS])
_HIGHER = np.array([s.higher_is_better for s in SIGNALS])
_GROUP = np.array([-1 if s.group is None else GROUPS.index(s.group) for s in SIGNALS])
_SUBJECT = np.array([(FROM, TO, PARTY).index(s.subject) for s in SIGNALS])
# which own view a signal feeds: 0 trust placed in the side, 1 the side's behaviour, −1 none
_OWN_KIND = np.array(
    [{Group.TRUST: 0, Group.BEHAVIOUR: 1}.get(s.group, -1) if s.group else -1 for s in SIGNALS]
)


# value → share of the way from worst to best: value × slope + intercept, per signal
_SLOPE = np.where(_HIGHER, 1.0, -1.0) / (_SCALE_HIGH - _SCALE_LOW)
_INTERCEPT = np.where(_HIGHER, -_SCALE_LOW, _SCALE_HIGH) / (_SCALE_HIGH - _SCALE_LOW)


def scaled(signal: Ints, value: Floats) -> Floats:
    """Each row's value on 0–100, higher is better, by its signal's rule."""
    share = np.take(_SLOPE, signal)
    share *= value
    share += np.take(_INTERCEPT, signal)
    np.clip(share, 0.0, 1.0, out=share)
    share *= 100.0
    return np.asarray(share, dtype=np.float64)


def subject_side(ev: EvidenceArrays) -> Ints:
    """The side each row is evidence about (−1: the partnership as a whole)."""
    kind = _SUBJECT[ev.signal]
    return np.where(kind == 0, ev.from_side, np.where(kind == 1, ev.to_side, -1))


def _slot_table(n_s: int) -> Ints:
    """The slot of every (signal, from side, to side), flattened in that order with sides
    shifted by one (−1 → 0). Slots: the G groups, then S × 2 own slots (trust placed in a
    side, that side's behaviour), then one slot for unscored rows, which is dropped. A row about
    a side's trust or behaviour goes to that side's own slot only, every other scored row to
    its group's slot."""
    n_g, dropped = len(GROUPS), len(GROUPS) + 2 * n_s
    sides = np.arange(-1, n_s)
    about = (sides[:, None], sides[None, :], np.full((1, 1), -1))  # by subject kind
    table = np.empty((len(SIGNALS), n_s + 1, n_s + 1), dtype=np.int64)
    for i in range(len(SIGNALS)):
        side = np.broadcast_to(about[_SUBJECT[i]], (n_s + 1, n_s + 1))
        group = _GROUP[i] if _GROUP[i] >= 0 else dropped
        own = (_OWN_KIND[i] >= 0) & (side >= 0)
        table[i] = np.where(own, n_g + side * 2 + _OWN_KIND[i], group)
    return table.ravel()


def _bins(ev: EvidenceArrays, n_slots: int) -> Ints:
    """Each row's bin in a period-major (period, slot, partnership) block."""
    s1 = ev.sides + 1
    code = ev.signal * s1
    code += ev.from_side
    code *= s1
    code += ev.to_side
    code += s1 + 1  # both sides shifted by one
    slot = np.take(_slot_table(ev.sides), code)
    bins = np.multiply(ev.period, n_slots + 1, out=code)
    bins += slot
    bins *= ev.partnerships
    bins += ev.partnership
    return bins


def _trailing(sums: Floats, window: int) -> Floats:
    """Trailing sums over the first (period) axis, in place, one contiguous period at a time
    (faster than ``np.cumsum`` along an axis). The values are whole micro-units held in
    float64, so the cumulative sums stay exact (below 2**53) and independent of row order."""
    for t in range(1, sums.shape[0]):
        sums[t] += sums[t - 1]
    end = sums.shape[0]
    while end > window:  # blocks of at most ``window`` periods from the end backwards, so
        start = max(end - window, window)  # each block reads totals not yet overwritten
        sums[start:end] -= sums[start - window : end - window]
        end = start
    return sums


def health_index(
    ev: EvidenceArrays, weights: Floats | None = None, *, window: int = 13
) -> HealthIndex:
    """Sub-scores, overall and trend for every partnership and period in one pass.

    ``weights`` is (G,) or (P, G) with non-negative group weights (``DEFAULT_WEIGHTS`` when
    None); a group without evidence drops out and the others are re-weighted.

    One accumulation into a period-major block (period, slot, partnership): the G group
    slots, then S × 2 own slots. The trailing sums add whole contiguous periods; the group sums
    add the own slots back, in whole micro-units, so nothing depends on row order. The arrays
    returned are views of that block, in the shapes documented on ``HealthIndex``."""
    if window < 1:
        raise HealthError("The window must cover at least one period.")
    n_p, n_t, n_s, n_g = ev.partnerships, ev.periods, ev.sides, len(GROUPS)
    w = np.array([DEFAULT_WEIGHTS[g] for g in GROUPS]) if weights is None else weights
    w = np.broadcast_to(np.asarray(w, dtype=np.float64), (n_p, n_g))
    if (w < 0).any() or not np.isfinite(w).all():
        raise HealthError("Group weights must be non-negative numbers.")

    n_slots = n_g + n_s * 2
    bins = _bins(ev, n_slots)
    weight_micro = ev.weight * MICRO
    np.rint(weight_micro, out=weight_micro)
    score_micro = scaled(ev.signal, ev.value)
    score_micro *= weight_micro
    np.rint(score_micro, out=score_micro)
    shape, size = (n_t, n_slots + 1, n_p), n_t * (n_slots + 1) * n_p
    # the last slot of each period holds the unscored rows and is dropped (float64 even for
    # no rows at all, when bincount answers in integers)
    sums, wsum = (
        np.bincount(bins, weights=x, minlength=size).astype(np.float64, copy=False)
        for x in (score_micro, weight_micro)
    )
    del bins, weight_micro, score_micro
    sums, wsum = sums.reshape(shape)[:, :n_slots], wsum.reshape(shape)[:, :n_slots]
    sums, wsum = _trailing(sums, window), _trailing(wsum, window)
    for kind, group in ((0, Group.TRUST), (1, Group.BEHAVIOUR)):
        g = GROUPS.index(group)
        sums[:, g] += sums[:, n_g + kind :: 2].sum(axis=1)
        wsum[:, g] += wsum[:, n_g + kind :: 2].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        np.divide(sums, wsum, out=sums)  # 0/0 → NaN: no evidence yet
    wsum /= MICRO

    num, denom = np.zeros((n_t, n_p)), np.zeros((n_t, n_p))
    for g in range(n_g):
        present = ~np.isnan(sums[:, g])
        gw = np.where(present, w[:, g], 0.0)
        denom += gw
        gw *= np.where(present, sums[:, g], 0.0)
        num += gw
    with np.errstate(invalid="ignore", divide="ignore"):
        overall = np.where(denom > 0, num / denom, np.nan)
    trend = np.full_like(overall, np.nan)
    trend[1:] = overall[1:] - overall[:-1]
    own = (n_t, n_s, 2, n_p)
    return HealthIndex(
        subscores=np.moveaxis(sums[:, :n_g], 2, 0),
        evidence_weight=np.moveaxis(wsum[:, :n_g], 2, 0),
        overall=overall.T,
        trend=trend.T,
        own_view=np.moveaxis(sums[:, n_g:].reshape(own), 3, 0),
        own_weight=np.moveaxis(wsum[:, n_g:].reshape(own), 3, 0),
    )


def evidence_arrays(
    rows: list[tuple[int, int, int, int, str, float, float]],
    *,
    partnerships: int,
    periods: int,
    sides: int = 2,
) -> EvidenceArrays:
    """Build the arrays from (partnership, period, from_side, to_side, signal, value, weight)
    tuples; unknown signal names are refused."""
    unknown = sorted({r[4] for r in rows} - set(SIGNAL_INDEX))
    if unknown:
        raise HealthError(f"Unknown signal(s): {', '.join(unknown)}.")
    cols = list(zip(*rows, strict=True)) if rows else [()] * 7
    return EvidenceArrays(
        partnership=np.array(cols[0], dtype=np.int64),
        period=np.array(cols[1], dtype=np.int64),
        from_side=np.array(cols[2], dtype=np.int64),
        to_side=np.array(cols[3], dtype=np.int64),
        signal=np.array([SIGNAL_INDEX[s] for s in cols[4]], dtype=np.int64),
        value=np.array(cols[5], dtype=np.float64),
        weight=np.array(cols[6], dtype=np.float64),
        partnerships=partnerships,
        periods=periods,
        sides=sides,
    )
