"""Communication signals at portfolio scale: 10,000 two-party partnerships × 156 ISO weeks × 2
directions from raw rows (messages in arrival order, change notices, concerns) in one call,
against the plain per-partnership Python loop in the domain tests (run on a subset of
partnerships and extrapolated linearly — it is far too slow to run on all 10,000)."""

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accord.domain.communication import (
    NO_PARTY,
    SIGNALS,
    Concerns,
    Directions,
    Messages,
    Notices,
    communication_signals,
)
from accord.domain.tests.communication_reference import PartnershipRows, reference_signals

PARTNERSHIPS, WEEKS, THREADS = 10_000, 156, 12
MESSAGES_PER_DIRECTION_WEEK = 1.0
NOTICES, CONCERNS = 8, 4
LOOP_SUBSET = 20
GOAL_SECONDS = 1.0
FIRST_MONDAY = 19_358  # 2023-01-02
T = TypeVar("T")


def portfolio(seed: int = 20_261_206) -> tuple[Directions, Messages, Notices, Concerns]:
    rng = np.random.default_rng(seed)
    p = np.arange(PARTNERSHIPS)
    span = 7.0 * WEEKS
    start = FIRST_MONDAY + rng.uniform(-60, 200, PARTNERSHIPS)
    directions = Directions(
        np.r_[2 * p, 2 * p + 1].astype(np.int64),
        np.r_[2 * p + 1, 2 * p].astype(np.int64),
        np.r_[start, start],
        np.full(2 * PARTNERSHIPS, FIRST_MONDAY + span),
    )
    n = int(PARTNERSHIPS * 2 * WEEKS * MESSAGES_PER_DIRECTION_WEEK)
    owner = rng.integers(0, PARTNERSHIPS, n)
    at = start[owner] + rng.uniform(0, span, n)
    order = np.argsort(at)  # rows arrive in time order across the whole portfolio, as in a DB
    owner, at = owner[order], at[order]
    messages = Messages(
        owner * THREADS + rng.integers(0, THREADS, n),
        2 * owner + rng.integers(0, 2, n),
        at,
    )
    k = PARTNERSHIPS * NOTICES
    giver = rng.integers(0, 2 * PARTNERSHIPS, k)
    given = (FIRST_MONDAY + rng.uniform(0, span, k)).astype(np.int64)
    notices = Notices(
        giver,
        given,
        given + rng.integers(-10, 60, k),
        np.full(k, 30, dtype=np.int64),
        rng.random(k) < 0.1,
    )
    c = PARTNERSHIPS * CONCERNS
    raiser = rng.integers(0, 2 * PARTNERSHIPS, c)
    raised = FIRST_MONDAY + rng.uniform(0, span, c)
    answered = rng.random(c) < 0.6
    concerns = Concerns(
        np.where(rng.random(c) < 0.9, raiser, NO_PARTY),
        raised,
        np.where(answered, raiser ^ 1, NO_PARTY),
        np.where(answered, raised + rng.uniform(0, 14, c), np.nan),
    )
    return directions, messages, notices, concerns


def per_partnership(
    arrays: tuple[Directions, Messages, Notices, Concerns], count: int
) -> list[PartnershipRows]:
    """The first ``count`` partnerships' rows, grouped as a per-partnership loop would fetch them
    (grouping is not timed)."""
    d, m, n, c = arrays
    out = []
    for i in range(count):
        parties = {2 * i, 2 * i + 1}
        rows = PartnershipRows(
            directions=[
                (
                    int(d.from_party[j]),
                    int(d.to_party[j]),
                    float(d.window_start[j]),
                    float(d.window_end[j]),
                )
                for j in (i, PARTNERSHIPS + i)
            ]
        )
        sel = np.isin(m.party, list(parties))
        rows.messages = list(
            zip(m.thread[sel].tolist(), m.party[sel].tolist(), m.at[sel].tolist(), strict=True)
        )
        sel = np.isin(n.party, list(parties))
        rows.notices = list(
            zip(
                n.party[sel].tolist(),
                n.given_on[sel].tolist(),
                n.effective_on[sel].tolist(),
                n.agreed_days[sel].tolist(),
                n.unannounced[sel].tolist(),
                strict=True,
            )
        )
        sel = np.isin(c.party, list(parties)) | np.isin(c.answered_by, list(parties))
        rows.concerns = list(
            zip(
                c.party[sel].tolist(),
                c.raised_at[sel].tolist(),
                c.answered_by[sel].tolist(),
                c.answered_at[sel].tolist(),
                strict=True,
            )
        )
        out.append(rows)
    return out


def timed(run: Callable[[], T], repeat: int = 5) -> tuple[list[float], T]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return times, result


def main() -> None:
    arrays = portfolio()
    d, m, n, c = arrays
    print(
        f"Portfolio: {PARTNERSHIPS:,} partnerships × {WEEKS} weeks × 2 directions = "
        f"{len(d.from_party) * WEEKS:,} cells × {len(SIGNALS)} signals; raw rows: "
        f"{len(m.at):,} messages, {len(n.party):,} notices, {len(c.party):,} concerns"
    )
    runs, result = timed(
        lambda: communication_signals(*arrays, first_monday=FIRST_MONDAY, weeks=WEEKS)
    )
    first, median, best = runs[0], statistics.median(runs), min(runs)

    subset = per_partnership(arrays, LOOP_SUBSET)
    loop_start = time.perf_counter()
    expected = [reference_signals(rows, first_monday=FIRST_MONDAY, weeks=WEEKS) for rows in subset]
    loop = time.perf_counter() - loop_start
    loop_all = loop / LOOP_SUBSET * PARTNERSHIPS
    for i, series in enumerate(expected):
        for j, row in ((0, i), (1, PARTNERSHIPS + i)):
            for name in SIGNALS:
                assert np.allclose(result.values[name][row], series[j][name], equal_nan=True), name

    print("  (median of runs unless stated)")
    for label, seconds in (
        ("communication_signals, one call, first run", first),
        ("communication_signals, one call, median of 5", median),
        ("communication_signals, one call, best of 5", best),
        (f"per-partnership Python loop, {LOOP_SUBSET} partnerships", loop),
        (f"  extrapolated to {PARTNERSHIPS:,} partnerships", loop_all),
    ):
        print(f"  {label:<48} {seconds * 1000:12.1f} ms")
    print(
        f"  loop / one call (medians, loop extrapolated linearly from {LOOP_SUBSET}): "
        f"{loop_all / median:,.0f}×  (the subset's values agree)"
    )
    verdict = "met" if median < GOAL_SECONDS else "MISSED"
    print(f"  goal: one call under {GOAL_SECONDS:.0f} s — {verdict} (median {median:.2f} s)")


if __name__ == "__main__":
    main()
