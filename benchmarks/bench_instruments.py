"""Instrument scoring at portfolio scale (issue 15): 1,000 partnerships × 8 rounds × 2
directions × 20 respondents on a 30-item instrument over 12 constructs in 4 categories (9.6
million answers) scored in one call, against a plain NumPy reshape/mean of the same construct
means, which knows the layout in advance and checks nothing."""

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accord.domain.instruments.definition import parse_definition
from accord.domain.instruments.scoring import (
    InstrumentAnswers,
    InstrumentGroups,
    compile_definitions,
    score_instruments,
)

PARTNERSHIPS, ROUNDS, RESPONDENTS, ITEMS, CONSTRUCTS, CATEGORIES = 1_000, 8, 20, 30, 12, 4
GOAL_SECONDS = 1.0


def definition():  # type: ignore[no-untyped-def]
    return parse_definition(
        {
            "key": "bench",
            "name": "Benchmark instrument",
            "scale": {"points": 5, "labels": ["1", "2", "3", "4", "5"]},
            "directions": ["other"],
            "categories": [
                {
                    "key": f"cat{c}",
                    "label": f"Category {c}",
                    "constructs": [
                        {"key": f"c{j}", "label": f"Construct {j}"}
                        for j in range(CONSTRUCTS)
                        if j % CATEGORIES == c
                    ],
                }
                for c in range(CATEGORIES)
            ],
            "bands": [
                {"key": "strength", "label": "Strength", "minimum": 4.0},
                {"key": "borderline", "label": "Borderline", "minimum": 3.0},
                {"key": "concern", "label": "Concern", "minimum": 1.0},
            ],
            "items": [
                {"key": f"i{i}", "text": f"Item {i}", "construct": f"c{i % CONSTRUCTS}"}
                for i in range(ITEMS)
            ],
        }
    )


def main() -> None:
    rng = np.random.default_rng(20_261_206)
    compiled = compile_definitions([definition()])
    n_groups = PARTNERSHIPS * ROUNDS * 2
    partnership = np.repeat(np.arange(1, PARTNERSHIPS + 1), ROUNDS * 2)
    round_ = np.tile(np.repeat(np.arange(1, ROUNDS + 1), 2), PARTNERSHIPS)
    direction = np.tile([0, 1], PARTNERSHIPS * ROUNDS)
    rater = 2 * partnership + direction
    groups = InstrumentGroups(
        partnership, round_, rater, 2 * partnership + 1 - direction, np.zeros(n_groups, np.int64)
    )
    values = rng.integers(1, 6, (n_groups, RESPONDENTS, ITEMS))
    responses = n_groups * RESPONDENTS
    answers = InstrumentAnswers(
        response=np.repeat(np.arange(responses), ITEMS),
        group=np.repeat(np.arange(n_groups), RESPONDENTS * ITEMS),
        item=np.tile(np.arange(ITEMS), responses),
        value=values.ravel(),
    )
    k = np.full(n_groups, 3)
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        scores = score_instruments(answers, groups, compiled, k)
        timings.append(time.perf_counter() - start)

    construct = compiled.item_construct
    per_person = np.stack([values[:, :, construct == c].mean(axis=2) for c in range(CONSTRUCTS)], 2)
    start = time.perf_counter()
    reference = per_person.mean(axis=1)
    baseline = time.perf_counter() - start
    assert np.allclose(scores.mean, reference), "scores differ from the plain NumPy means"

    best = min(timings)
    print(
        f"instrument scoring: {len(answers):,} answers, {n_groups:,} groups × {CONSTRUCTS}"
        f" constructs in {CATEGORIES} categories"
    )
    print(f"  score_instruments  best {best:.3f} s, median {statistics.median(timings):.3f} s")
    print(f"  plain NumPy mean   {baseline:.3f} s (ratio {best / max(baseline, 1e-9):.1f}×)")
    print(f"  goal < {GOAL_SECONDS:.1f} s: {'met' if best < GOAL_SECONDS else 'MISSED'}")


if __name__ == "__main__":
    main()
