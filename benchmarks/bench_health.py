"""Health index and early warning at portfolio scale: 10,000 partnerships × 156 weekly periods
(all six archetype stories, ~6 million evidence rows) in one call, against a plain
per-partnership Python loop (benchmarks/health_loop.py: lists, dicts, statistics.median) on the
same rows. The loop runs on a subset and is extrapolated to the whole portfolio (said in the
output); on that subset both give the same states and overall scores to 1e-5."""

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from health_loop import one_partnership

from accord.domain.early_warning import detect
from accord.domain.health import EvidenceArrays, health_index
from accord.domain.health_stories import STORIES, story_evidence

PARTNERSHIPS, WEEKS, LOOP_SUBSET = 10_000, 156, 60
GOAL_SECONDS, GOAL_SPEEDUP = 2.0, 50.0


def portfolio() -> EvidenceArrays:
    """Stories are generated per block of 100 partnerships, each block with its own seed."""
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


def main() -> None:
    start = time.perf_counter()
    ev = portfolio()
    print(
        f"Portfolio: {PARTNERSHIPS:,} partnerships × {WEEKS} weeks, {len(ev.value):,} evidence"
        f" rows (built in {time.perf_counter() - start:.1f} s, not timed)"
    )
    runs, cpu = [], []
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        overall, state = one_call(ev)
        runs.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    median = statistics.median(runs)

    order = np.argsort(ev.partnership, kind="stable")
    bounds = np.searchsorted(ev.partnership[order], np.arange(LOOP_SUBSET + 1))
    subsets = []
    for p in range(LOOP_SUBSET):
        take = order[bounds[p] : bounds[p + 1]]
        subsets.append(
            list(
                zip(
                    ev.period[take].tolist(),
                    ev.from_side[take].tolist(),
                    ev.to_side[take].tolist(),
                    ev.signal[take].tolist(),
                    ev.value[take].tolist(),
                    ev.weight[take].tolist(),
                    strict=True,
                )
            )
        )
    t0, c0 = time.perf_counter(), time.process_time()
    looped = [one_partnership(rows, WEEKS) for rows in subsets]
    loop_subset = time.perf_counter() - t0
    loop_cpu = (time.process_time() - c0) * PARTNERSHIPS / LOOP_SUBSET
    for p, (loop_overall, loop_states) in enumerate(looped):
        as_array = np.array([np.nan if v is None else v for v in loop_overall])
        assert np.allclose(as_array, overall[p], atol=1e-5, equal_nan=True)
        assert [int(s) for s in loop_states] == state[p].tolist()
    loop_all = loop_subset * PARTNERSHIPS / LOOP_SUBSET

    shown = ", ".join(f"{r:.2f}" for r in runs)
    print(f"  health_index + detect, one call, median of 3: {median:.2f} s  (runs: {shown})")
    print(
        f"  per-partnership Python loop: {loop_subset:.2f} s for {LOOP_SUBSET} partnerships,"
        f" extrapolated to {PARTNERSHIPS:,}: {loop_all:.0f} s (same states and scores)"
    )
    speedup = loop_all / median
    print(f"  speed-up: {speedup:.0f}×")
    cpu_median = statistics.median(cpu)
    print(
        f"  CPU time (less sensitive to a busy machine): one call {cpu_median:.2f} s, loop"
        f" {loop_cpu:.0f} s, {loop_cpu / cpu_median:.0f}×; load average"
        f" {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    verdict = "met" if median < GOAL_SECONDS and speedup >= GOAL_SPEEDUP else "MISSED"
    print(f"  goal: under {GOAL_SECONDS:.0f} s and ≥ {GOAL_SPEEDUP:.0f}× — {verdict}")


if __name__ == "__main__":
    main()
