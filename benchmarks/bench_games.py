"""Noisy tournament of the eight partner strategies: accord's batched NumPy simulation against
axelrod 4.14 run serially, on the same workload in the same run.

    .venv/bin/python benchmarks/bench_games.py

axelrod is run with `processes` unset: it turns processes=1 into a pool of every core, and it
forces the "spawn" start method, hence the __main__ guard.
"""

import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

# Run as a script, so the repository is not on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from accord.domain.games import STRATEGIES, Strategy, symmetric_game, tournament

ROUNDS, REPETITIONS, NOISE, SEED = 200, 50, 0.05, 2026
OUR_RUNS = 7
GAME = symmetric_game(5, 3, 1, 0)


def run_accord() -> tuple[object, float, float]:
    """The tournament, its first (cold) time and the median of the timed runs."""
    times = []
    for run in range(OUR_RUNS):
        start = time.perf_counter()
        result = tournament(
            GAME, rounds=ROUNDS, repetitions=REPETITIONS, noise=NOISE, seed=SEED + run
        )
        times.append(time.perf_counter() - start)
    return result, times[0], statistics.median(times)


def run_axelrod() -> tuple[object, float, float]:
    """axelrod's tournament with its results, then its matches alone (no result set)."""
    import axelrod as axl

    classes = {
        Strategy.TIT_FOR_TAT: axl.TitForTat,
        Strategy.GENEROUS_TIT_FOR_TAT: axl.GTFT,
        Strategy.CONTRITE_TIT_FOR_TAT: axl.ContriteTitForTat,
        Strategy.WIN_STAY_LOSE_SHIFT: axl.WinStayLoseShift,
        Strategy.GRIM_TRIGGER: axl.Grudger,
        Strategy.ALWAYS_DEFECT: axl.Defector,
        Strategy.ALWAYS_COOPERATE: axl.Cooperator,
        Strategy.RANDOM: axl.Random,
    }

    def make() -> object:
        return axl.Tournament(
            [classes[s]() for s in STRATEGIES],
            game=axl.Game(r=3, s=0, t=5, p=1),
            turns=ROUNDS,
            repetitions=REPETITIONS,
            noise=NOISE,
            seed=SEED,
        )

    start = time.perf_counter()
    results = make().play(progress_bar=False)
    full = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        make().play(
            progress_bar=False, build_results=False, filename=str(Path(folder, "matches.csv"))
        )
        matches = time.perf_counter() - start
    return results, full, matches


def main() -> None:
    n = len(STRATEGIES)
    matches = n * (n + 1) // 2
    print(
        f"Noisy tournament: {n} strategies, {matches} matches (self-play included) "
        f"x {REPETITIONS} repetitions x {ROUNDS} rounds, noise {NOISE}"
    )
    ours, cold, warm = run_accord()
    theirs, full, bare = run_axelrod()

    their_means = np.array(theirs.payoff_matrix)
    their_errors = np.array(theirs.payoff_stddevs) / math.sqrt(REPETITIONS)
    z = np.abs(ours.payoff_matrix - their_means) / np.hypot(ours.standard_errors, their_errors)

    print()
    print(f"  accord.domain.games   {warm * 1e3:8.1f} ms  median of {OUR_RUNS} runs")
    print(f"                        {cold * 1e3:8.1f} ms  first run")
    print(f"  axelrod 4.14, serial  {full * 1e3:8.0f} ms  Tournament.play(), results included")
    print(f"                        {bare * 1e3:8.0f} ms  matches only (build_results=False)")
    print()
    print(f"  speed-up              {full / warm:8.0f} x   (goal >= 100 x)")
    print(f"  against matches only  {bare / warm:8.0f} x")
    print(f"  largest |z|           {z.max():8.2f}     over {n * n} mean payoffs (4 = real gap)")
    print()
    width = max(len(s.label) for s in STRATEGIES) + 2
    our_medians = dict(zip(ours.strategies, ours.median_scores(), strict=True))
    their_medians = np.median(np.array(theirs.normalised_scores), axis=1)
    print(f"  {'rank':<6}{'accord':<{width}}{'median':>7}    {'axelrod':<{width}}{'median':>7}")
    for rank, (mine, index) in enumerate(zip(ours.ranking, theirs.ranking, strict=True), 1):
        print(
            f"  {rank:<6}{mine.label:<{width}}{our_medians[mine]:7.3f}    "
            f"{STRATEGIES[index].label:<{width}}{their_medians[index]:7.3f}"
        )


if __name__ == "__main__":
    main()
