"""Everything offered beyond the cells (roll-ups, trends, asymmetry), computed from the
published cells alone."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.domain.trust._common import (
    ASYMMETRY_FLAG,
    BAD_FLAG_THRESHOLD,
    TrustError,
    _divide,
    _row_codes,
    _sums,
)
from accord.domain.trust.instrument import FORMS, TrustForm
from accord.domain.trust.scoring import TrustScores


@dataclass(frozen=True, slots=True)
class Rollup:
    """How all rater parties together see one party: respondents pooled across the cells.
    ``sd`` is None unless every constituent cell shows its spread: the pooled sd and the
    shown ones would otherwise give a hidden one away."""

    partnership: int
    round: int
    rated: int
    form: TrustForm
    raters: tuple[int, ...]
    n: int
    mean: float
    sd: float | None


@dataclass(frozen=True, slots=True)
class RollupWithheld:
    """At least one constituent cell is withheld, so the total would expose it by subtraction."""

    partnership: int
    round: int
    rated: int
    form: TrustForm
    raters: tuple[int, ...]


def rated_rollups(scores: TrustScores) -> tuple[Rollup | RollupWithheld, ...]:
    """Pooled view of each party by every other party (partnerships of three or more parties).

    Built from the published cells only and offered only when every constituent cell is
    published; with a withheld constituent, total minus the visible cells would reveal it."""
    g = scores.groups
    codes, first = _row_codes((g.partnership, g.round, g.rated))
    size = len(first)
    rater_count = np.bincount(codes, minlength=size)
    order = np.argsort(codes, kind="stable")
    raters = np.split(g.rater[order], np.cumsum(rater_count)[:-1])
    n = scores.n.astype(np.float64)
    mean = np.nan_to_num(scores.mean)
    sd = np.nan_to_num(scores.sd)
    out: list[Rollup | RollupWithheld] = []
    stats = []
    for f in range(len(FORMS)):
        withheld = np.bincount(codes, weights=~scores.visible[:, f], minlength=size) > 0
        hidden_spread = np.bincount(codes, weights=~scores.spread_visible[:, f], minlength=size)
        total_n = _sums(codes, n[:, f], size)
        pooled = _divide(_sums(codes, n[:, f] * mean[:, f], size), total_n)
        spread = (n[:, f] - 1) * sd[:, f] ** 2 + n[:, f] * (mean[:, f] - pooled[codes]) ** 2
        pooled_sd = np.sqrt(_divide(_sums(codes, spread, size), total_n - 1))
        pooled_sd = np.where(hidden_spread > 0, np.nan, pooled_sd)
        stats.append((withheld, total_n, pooled, pooled_sd))
    for code in np.flatnonzero(rater_count >= 2).tolist():
        row = int(first[code])
        key = (int(g.partnership[row]), int(g.round[row]), int(g.rated[row]))
        rater_ids = tuple(sorted(raters[code].tolist()))
        for form, (withheld, total_n, pooled, pooled_sd) in zip(FORMS, stats, strict=True):
            if withheld[code]:
                out.append(RollupWithheld(*key, form, rater_ids))
            else:
                out.append(
                    Rollup(
                        *key,
                        form,
                        rater_ids,
                        int(total_n[code]),
                        float(pooled[code]),
                        None if np.isnan(pooled_sd[code]) else float(pooled_sd[code]),
                    )
                )
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Trend:
    """One direction's trust on one form across the rounds in which it was published."""

    partnership: int
    rater: int
    rated: int
    form: TrustForm
    rounds: tuple[int, ...]
    means: tuple[float, ...]
    change: float | None
    slope: float | None


def trends(scores: TrustScores) -> tuple[Trend, ...]:
    """Per (rater → rated, form): published means by round, the change since the previous
    published round and the least-squares slope per round; withheld rounds are gaps, not
    zeros, and directions never published are left out."""
    g = scores.groups
    direction, first = _row_codes((g.partnership, g.rater, g.rated))
    n_forms = len(FORMS)
    rows, forms = np.nonzero(scores.visible)
    series = direction[rows] * n_forms + forms
    x = g.round[rows].astype(np.float64)
    y = scores.mean[rows, forms]
    order = np.lexsort((x, series))
    series, x, y = series[order], x[order], y[order]
    size = len(first) * n_forms
    count = np.bincount(series, minlength=size).astype(np.float64)
    sx, sy = _sums(series, x, size), _sums(series, y, size)
    sxx, sxy = _sums(series, x * x, size), _sums(series, x * y, size)
    slope = _divide(count * sxy - sx * sy, np.where(count >= 2, count * sxx - sx * sx, 0.0))
    ends = np.cumsum(count[count > 0]).astype(np.int64)
    out: list[Trend] = []
    for key, end in zip(np.flatnonzero(count > 0).tolist(), ends.tolist(), strict=True):
        start = end - int(count[key])
        row = int(first[key // n_forms])
        means = tuple(y[start:end].tolist())
        out.append(
            Trend(
                partnership=int(g.partnership[row]),
                rater=int(g.rater[row]),
                rated=int(g.rated[row]),
                form=FORMS[key % n_forms],
                rounds=tuple(int(r) for r in x[start:end]),
                means=means,
                change=means[-1] - means[-2] if len(means) >= 2 else None,
                slope=float(slope[key]) if len(means) >= 2 else None,
            )
        )
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Asymmetry:
    """A's trust in B against B's trust in A on one form in one round (party_a < party_b)."""

    partnership: int
    round: int
    form: TrustForm
    party_a: int
    party_b: int
    a_in_b: float
    b_in_a: float
    gap: float
    flagged: bool


def asymmetries(scores: TrustScores, threshold: float = ASYMMETRY_FLAG) -> tuple[Asymmetry, ...]:
    """Gap a_in_b − b_in_a wherever both directions are published; flagged when |gap| exceeds
    ``threshold`` scale points, since one-sided trust invites exploitation or resentment."""
    if not threshold > 0:
        raise TrustError(BAD_FLAG_THRESHOLD.format(value=threshold))
    g = scores.groups
    low, high = np.minimum(g.rater, g.rated), np.maximum(g.rater, g.rated)
    pair, _ = _row_codes((g.partnership, g.round, low, high))
    forward = np.full(pair.max(initial=-1) + 1, -1, np.int64)
    backward = forward.copy()
    rows = np.arange(len(g), dtype=np.int64)
    forward[pair[g.rater == low]] = rows[g.rater == low]
    backward[pair[g.rater == high]] = rows[g.rater == high]
    both = np.flatnonzero((forward >= 0) & (backward >= 0))
    ab, ba = forward[both], backward[both]
    out: list[Asymmetry] = []
    for f, form in enumerate(FORMS):
        shown = scores.visible[ab, f] & scores.visible[ba, f]
        for a_row, b_row in zip(ab[shown].tolist(), ba[shown].tolist(), strict=True):
            a_in_b, b_in_a = float(scores.mean[a_row, f]), float(scores.mean[b_row, f])
            gap = a_in_b - b_in_a
            out.append(
                Asymmetry(
                    partnership=int(g.partnership[a_row]),
                    round=int(g.round[a_row]),
                    form=form,
                    party_a=int(g.rater[a_row]),
                    party_b=int(g.rated[a_row]),
                    a_in_b=a_in_b,
                    b_in_a=b_in_a,
                    gap=gap,
                    flagged=abs(gap) > threshold,
                )
            )
    return tuple(out)
