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
        if n and not np.isfinite(self.value).all():
            raise HealthError("Evidence values must be finite numbers.")
        if n and (self.weight <= 0).any():
            raise HealthError("Evidence weights count observations and must be positive.")


@dataclass(frozen=True)
class HealthIndex:
    """Per (partnership, period): sub-scores (…, group), overall, trend; per side: own view.

    NaN everywhere means "no evidence yet"."""

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
    share = value * _SLOPE[signal]
    share += _INTERCEPT[signal]
    np.clip(share, 0.0, 1.0, out=share)
    share *= 100.0
    return np.asarray(share, dtype=np.float64)


def subject_side(ev: EvidenceArrays) -> Ints:
    """The side each row is evidence about (−1: the partnership as a whole)."""
    kind = _SUBJECT[ev.signal]
    return np.where(kind == 0, ev.from_side, np.where(kind == 1, ev.to_side, -1))


def _rolling(sums: Floats, window: int) -> Floats:
    """Trailing sums over the period axis (axis 1). The values are whole micro-units held in
    float64, so the cumulative sums stay exact (below 2**53) and independent of row order."""
    total = np.cumsum(sums, axis=1, out=sums)  # in place: the arrays are large
    if window < sums.shape[1]:
        # from the end backwards, so each subtraction reads totals not yet overwritten
        for t in range(sums.shape[1] - 1, window - 1, -1):
            total[:, t] -= total[:, t - window]
    return total


def _accumulate(
    index: Ints, score_micro: Floats, weight_micro: Floats, size: int
) -> tuple[Floats, Floats]:
    """Per-bin sums of score × weight and of weight, both in whole micro-units."""
    sums = np.bincount(index, weights=score_micro, minlength=size).astype(np.float64, copy=False)
    weights = np.bincount(index, weights=weight_micro, minlength=size)
    return sums, weights.astype(np.float64, copy=False)


def _mean(sums: Floats, weights: Floats) -> tuple[Floats, Floats]:
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = sums / weights  # 0/0 → NaN: no evidence yet
    return mean, weights / MICRO


def health_index(
    ev: EvidenceArrays, weights: Floats | None = None, *, window: int = 13
) -> HealthIndex:
    """Sub-scores, overall and trend for every partnership and period in one pass.

    ``weights`` is (G,) or (P, G) with non-negative group weights (``DEFAULT_WEIGHTS`` when
    None); a group without evidence drops out and the others are re-weighted."""
    if window < 1:
        raise HealthError("The window must cover at least one period.")
    n_p, n_t, n_s, n_g = ev.partnerships, ev.periods, ev.sides, len(GROUPS)
    w = np.array([DEFAULT_WEIGHTS[g] for g in GROUPS]) if weights is None else weights
    w = np.broadcast_to(np.asarray(w, dtype=np.float64), (n_p, n_g))
    if (w < 0).any() or not np.isfinite(w).all():
        raise HealthError("Group weights must be non-negative numbers.")

    # One accumulation pass. Each (partnership, period) cell has G group slots and S × 2 own
    # slots; a row about a side's trust or behaviour goes to its own slot only, every other
    # scored row to its group's slot, and unscored rows to one extra bin that is dropped. The
    # group sums add the own slots back, in whole micro-units, so nothing depends on row order.
    n_slots = n_g + n_s * 2
    side = subject_side(ev)
    own_kind = _OWN_KIND[ev.signal]
    slot = np.where((own_kind >= 0) & (side >= 0), n_g + side * 2 + own_kind, _GROUP[ev.signal])
    size = n_p * n_t * n_slots
    bins = (ev.partnership * n_t + ev.period) * n_slots + slot
    bins[slot < 0] = size
    weight_micro = np.rint(ev.weight * MICRO)
    score_micro = np.rint(scaled(ev.signal, ev.value) * weight_micro)
    sums, wsum = _accumulate(bins, score_micro, weight_micro, size + 1)
    sums = _rolling(sums[:size].reshape(n_p, n_t, n_slots), window)
    wsum = _rolling(wsum[:size].reshape(n_p, n_t, n_slots), window)
    g_sums, g_w = sums[..., :n_g].copy(), wsum[..., :n_g].copy()
    o_sums = sums[..., n_g:].reshape(n_p, n_t, n_s, 2)
    o_w = wsum[..., n_g:].reshape(n_p, n_t, n_s, 2)
    for kind, group in ((0, Group.TRUST), (1, Group.BEHAVIOUR)):
        g = GROUPS.index(group)
        g_sums[..., g] += o_sums[..., kind].sum(axis=2)
        g_w[..., g] += o_w[..., kind].sum(axis=2)
    sub, sub_weight = _mean(g_sums, g_w)

    present = ~np.isnan(sub)
    gw = np.where(present, w[:, None, :], 0.0)
    denom = gw.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        overall = np.where(denom > 0, (np.nan_to_num(sub) * gw).sum(axis=2) / denom, np.nan)
    trend = np.full_like(overall, np.nan)
    trend[:, 1:] = overall[:, 1:] - overall[:, :-1]
    own_view, own_weight = _mean(o_sums, o_w)
    return HealthIndex(
        subscores=sub,
        evidence_weight=sub_weight,
        overall=overall,
        trend=trend,
        own_view=own_view,
        own_weight=own_weight,
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
