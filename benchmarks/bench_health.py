"""Health index and early warning at portfolio scale: 10,000 partnerships × 156 weekly periods
(every archetype's story, ~25 million evidence rows) in one call, against a per-partnership
Python loop calling the same functions on the same rows. The loop runs on a subset and is
extrapolated to the whole portfolio (stated in the output)."""

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accord.domain.early_warning import detect
from accord.domain.health import EvidenceArrays, health_index
from accord.domain.health_stories import STORIES, story_evidence

PARTNERSHIPS, WEEKS, LOOP_SUBSET = 10_000, 156, 200
GOAL_SECONDS, GOAL_SPEEDUP = 2.0, 50.0


def portfolio() -> EvidenceArrays:
    """Stories are generated per block of 100 and tiled (each block has its own seed)."""
    blocks = []
    for b in range(PARTNERSHIPS // 100):
        stories = [STORIES[(b + i) % len(STORIES)] for i in range(100)]
        blocks.append(story_evidence(stories, weeks=WEEKS, seed=b))
    cols = {}
    for name in ("period", "from_side", "to_side", "signal", "value", "weight"):
        cols[name] = np.concatenate([getattr(e, name) for e in blocks])
    offsets = [np.full(e.partnership.shape, 100 * b) for b, e in enumerate(blocks)]
    partnership = np.concatenate([e.partnership for e in blocks]) + np.concatenate(offsets)
    return EvidenceArrays(partnership=partnership, partnerships=PARTNERSHIPS, periods=WEEKS, **cols)


def one_call(ev: EvidenceArrays) -> tuple[np.ndarray, np.ndarray]:
    index = health_index(ev)
    return index.overall, detect(index).state


def per_partnership(ev: EvidenceArrays, rows: list[np.ndarray]) -> list[np.ndarray]:
    out = []
    for p, take in enumerate(rows):
        single = EvidenceArrays(
            partnership=np.zeros(take.shape, dtype=np.int64),
            period=ev.period[take],
            from_side=ev.from_side[take],
            to_side=ev.to_side[take],
            signal=ev.signal[take],
            value=ev.value[take],
            weight=ev.weight[take],
            partnerships=1,
            periods=ev.periods,
        )
        overall, state = one_call(single)
        assert np.array_equal(state[0], STATE[p])
        out.append(overall[0])
    return out


STATE = np.empty(0)


def main() -> None:
    global STATE
    start = time.perf_counter()
    ev = portfolio()
    print(
        f"Portfolio: {PARTNERSHIPS:,} partnerships × {WEEKS} weeks, {len(ev.value):,} evidence"
        f" rows (built in {time.perf_counter() - start:.1f} s, not timed)"
    )
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        overall, STATE = one_call(ev)
        runs.append(time.perf_counter() - t0)
    median = statistics.median(runs)

    order = np.argsort(ev.partnership, kind="stable")
    bounds = np.searchsorted(ev.partnership[order], np.arange(LOOP_SUBSET + 1))
    rows = [order[bounds[p] : bounds[p + 1]] for p in range(LOOP_SUBSET)]
    t0 = time.perf_counter()
    looped = per_partnership(ev, rows)
    loop_subset = time.perf_counter() - t0
    loop_all = loop_subset * PARTNERSHIPS / LOOP_SUBSET
    assert np.allclose(np.array(looped), overall[:LOOP_SUBSET], equal_nan=True)

    print(f"  health_index + detect, one call, median of 3: {median:8.2f} s  (runs {runs})")
    print(
        f"  per-partnership loop: {loop_subset:.2f} s for {LOOP_SUBSET} partnerships,"
        f" extrapolated to {PARTNERSHIPS:,}: {loop_all:.1f} s"
    )
    speedup = loop_all / median
    print(f"  speed-up: {speedup:.0f}×  (same results on the subset)")
    verdict = "met" if median < GOAL_SECONDS and speedup >= GOAL_SPEEDUP else "MISSED"
    print(f"  goal: under {GOAL_SECONDS:.0f} s and ≥ {GOAL_SPEEDUP:.0f}× — {verdict}")


if __name__ == "__main__":
    main()
