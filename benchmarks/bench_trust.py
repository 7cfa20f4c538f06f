"""Trust scoring at portfolio scale: 1,000 partnerships × 8 rounds × 2 directions × 20
respondents × 12 items (3.84 million answers) scored in one call, against a plain NumPy
reshape/mean of the same means, which knows the layout in advance and checks nothing."""

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accord.domain.trust import (
    DEFAULT_TRUST_INSTRUMENT,
    FORMS,
    Answers,
    Groups,
    asymmetries,
    score_trust,
    trends,
)

PARTNERSHIPS, ROUNDS, RESPONDENTS = 1_000, 8, 20
GOAL_SECONDS = 1.0
ITEMS = DEFAULT_TRUST_INSTRUMENT.items
T = TypeVar("T")


def portfolio(seed: int = 20_240_601) -> tuple[Answers, Groups, np.ndarray]:
    """Two parties per partnership rating each other every round; answers scatter around a
    per-respondent trust level, and reverse-worded items are answered mirrored."""
    rng = np.random.default_rng(seed)
    n_groups = PARTNERSHIPS * ROUNDS * 2
    partnership = np.repeat(np.arange(PARTNERSHIPS), ROUNDS * 2)
    round_ = np.tile(np.repeat(np.arange(1, ROUNDS + 1), 2), PARTNERSHIPS)
    direction = np.tile([0, 1], PARTNERSHIPS * ROUNDS)
    groups = Groups(
        partnership, round_, 2 * partnership + direction, 2 * partnership + 1 - direction
    )

    form = np.array([FORMS.index(item.form) for item in ITEMS])
    reversed_ = np.array([item.reverse for item in ITEMS])
    level = rng.normal(5.0, 0.8, (n_groups, 1, len(FORMS)))
    person = level + rng.normal(0, 0.7, (n_groups, RESPONDENTS, len(FORMS)))
    raw = person[:, :, form] + rng.normal(0, 0.8, (n_groups, RESPONDENTS, len(ITEMS)))
    values = np.clip(np.rint(raw), 1, 7).astype(np.int64)
    values = np.where(reversed_, 8 - values, values)

    responses = n_groups * RESPONDENTS
    answers = Answers(
        response=np.repeat(np.arange(responses), len(ITEMS)),
        group=np.repeat(np.arange(n_groups), RESPONDENTS * len(ITEMS)),
        item=np.tile(np.arange(len(ITEMS)), responses),
        value=values.ravel(),
    )
    return answers, groups, values


def baseline(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The same means with the layout known: reshape, mirror, average."""
    reversed_ = np.array([item.reverse for item in ITEMS])
    scored = np.where(reversed_, 8 - values, values).astype(np.float64)
    per_form = scored.reshape(*values.shape[:2], len(FORMS), -1).mean(axis=3)
    return per_form.mean(axis=1), per_form.std(axis=1, ddof=1)


def timed(run: Callable[[], T], repeat: int = 5) -> tuple[list[float], T]:
    """(seconds per run, result)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return times, result


def main() -> None:
    answers, groups, values = portfolio()
    print(
        f"Portfolio: {PARTNERSHIPS:,} partnerships × {ROUNDS} rounds × 2 directions"
        f" × {RESPONDENTS} respondents × {len(ITEMS)} items = {len(answers):,} answers,"
        f" {len(groups):,} groups, {len(groups) * len(FORMS):,} cells"
    )

    runs, scores = timed(lambda: score_trust(answers, groups, ITEMS))
    first, median, best = runs[0], statistics.median(runs), min(runs)
    base_runs, (mean, sd) = timed(lambda: baseline(values))
    base = statistics.median(base_runs)
    assert np.allclose(scores.mean, mean)
    assert np.allclose(scores.sd, sd)

    order = np.random.default_rng(1).permutation(len(answers))
    shuffled = Answers(
        answers.response[order], answers.group[order], answers.item[order], answers.value[order]
    )
    shuffled_runs, _ = timed(lambda: score_trust(shuffled, groups, ITEMS), repeat=3)
    record_runs, _ = timed(scores.aggregates, repeat=3)
    derived_runs, _ = timed(lambda: (trends(scores), asymmetries(scores)), repeat=3)

    print("  (median of runs unless stated)")
    rows = [
        ("score_trust, one call, first run", first),
        ("score_trust, one call, median of 5", median),
        ("score_trust, one call, best of 5", best),
        ("score_trust, answers in random order", statistics.median(shuffled_runs)),
        ("plain NumPy reshape/mean baseline", base),
        ("records for storage (.aggregates())", statistics.median(record_runs)),
        ("trends + asymmetries", statistics.median(derived_runs)),
    ]
    for label, seconds in rows:
        print(f"  {label:<40} {seconds * 1000:8.1f} ms")
    print(f"  score_trust / baseline (medians): {median / base:.1f}×  (means and sds agree)")
    verdict = "met" if median < GOAL_SECONDS else "MISSED"
    print(f"  goal: one call under {GOAL_SECONDS:.0f} s — {verdict} (median {median:.2f} s)")


if __name__ == "__main__":
    main()
