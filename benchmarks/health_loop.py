"""The same index and detector written as a plain per-partnership Python loop (lists, dicts,
statistics.median) — the baseline the vectorized call is compared with, and a cross-check."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict

from accord.domain.early_warning import DetectorRules, State
from accord.domain.health import DEFAULT_WEIGHTS, GROUPS, SIGNALS, Group, Subject

TRUST, BEHAVIOUR, PERFORMANCE = (
    GROUPS.index(g) for g in (Group.TRUST, Group.BEHAVIOUR, Group.PERFORMANCE)
)


def _scale(signal: int, value: float) -> float:
    spec = SIGNALS[signal]
    share = min(1.0, max(0.0, (value - spec.low) / (spec.high - spec.low)))
    return 100.0 * (share if spec.higher_is_better else 1.0 - share)


def _windowed(cells: dict, periods: int, window: int, keys: list) -> dict:
    out = {}
    for key in keys:
        for t in range(periods):
            s = w = 0.0
            for u in range(max(0, t - window + 1), t + 1):
                cell = cells.get((u, key))
                if cell:
                    s += cell[0]
                    w += cell[1]
            out[(t, key)] = (s / w if w else None, w)
    return out


def _declining(levels: list, weights: list, unit_sd: float, rules: DetectorRules) -> tuple:
    down, has_base = [], []
    for r, level in enumerate(levels):
        lo, hi = max(0, r - rules.gap - rules.baseline), r - rules.gap
        base = [v for v in levels[lo:hi] if v is not None] if hi > 0 else []
        has_base.append(bool(base))
        if len(base) < rules.min_baseline or level is None:
            down.append(False)
            continue
        med = statistics.median(base)
        mad = statistics.median(abs(v - med) for v in base)
        floor = unit_sd / math.sqrt(weights[r]) if weights[r] > 0 else math.inf
        band = max(rules.z * 1.4826 * mad, rules.z * floor)
        drop = med - level
        down.append(drop > band and drop > rules.min_drop)
    sustained = [
        all(down[r - k] for k in range(rules.sustain)) if r >= rules.sustain - 1 else False
        for r in range(len(down))
    ]
    return sustained, has_base


def one_partnership(
    rows: list, periods: int, sides: int = 2, window: int = 13, rules: DetectorRules | None = None
) -> tuple[list, list]:
    """rows: (period, from_side, to_side, signal, value, weight). Returns (overall, states)."""
    rules = rules or DetectorRules()
    groups: dict = defaultdict(lambda: [0.0, 0.0])
    own: dict = defaultdict(lambda: [0.0, 0.0])
    for t, f, to, sig, value, weight in rows:
        spec = SIGNALS[sig]
        if spec.group is None:
            continue
        x, g = _scale(sig, value), GROUPS.index(spec.group)
        groups[(t, g)][0] += x * weight
        groups[(t, g)][1] += weight
        side = f if spec.subject is Subject.FROM else to if spec.subject is Subject.TO else -1
        if side >= 0 and g in (TRUST, BEHAVIOUR):
            key = (side, 0 if g == TRUST else 1)
            own[(t, key)][0] += x * weight
            own[(t, key)][1] += weight
    sub = _windowed(groups, periods, window, list(range(len(GROUPS))))
    weights = [DEFAULT_WEIGHTS[g] for g in GROUPS]
    overall = []
    for t in range(periods):
        have = [
            (sub[(t, g)][0], weights[g]) for g in range(len(GROUPS)) if sub[(t, g)][0] is not None
        ]
        total = sum(w for _v, w in have)
        overall.append(sum(v * w for v, w in have) / total if total else None)
    views = _windowed(own, periods, window, [(s, k) for s in range(sides) for k in (0, 1)])
    ends = list(range(rules.review_periods - 1, periods, rules.review_periods))
    down, based = {}, {}
    for s in range(sides):
        for k, unit in ((0, rules.trust_unit_sd), (1, rules.unit_sd)):
            levels = [views[(t, (s, k))][0] for t in ends]
            weights_sk = [views[(t, (s, k))][1] for t in ends]
            down[(s, k)], based[(s, k)] = _declining(levels, weights_sk, unit, rules)
    perf, _ = _declining(
        [sub[(t, PERFORMANCE)][0] for t in ends],
        [sub[(t, PERFORMANCE)][1] for t in ends],
        rules.unit_sd,
        rules,
    )
    states = []
    for r, t in enumerate(ends):

        def recently(s: int, k: int, r: int = r) -> bool:
            return any(down[(s, k)][q] for q in range(max(0, r - rules.coupling + 1), r + 1))

        side_down = [down[(s, 0)][r] or down[(s, 1)][r] for s in range(sides)]
        recent_sides = sum(recently(s, 0) or recently(s, 1) for s in range(sides))
        circle = (
            any(side_down)
            and recent_sides >= 2
            and any(recently(s, 0) for s in range(sides))
            and any(recently(s, 1) for s in range(sides))
        )
        judged = any(based[key][r] for key in down)  # a baseline exists for some series
        if circle:
            states.append(State.CIRCLE)
        elif any(side_down):
            states.append(State.ONE_SIDED)
        elif perf[r]:
            states.append(State.EXTERNAL_SHOCK)
        elif overall[t] is not None and overall[t] < rules.low_level:
            states.append(State.LOW_STABLE)
        else:
            states.append(State.STEADY if judged else State.UNKNOWN)
    return overall, states
