"""Economic indices for a whole portfolio in one call, against a loop over partnerships.

Goal (issue): 10,000 partnerships × 50 ledger entries scored in one call under 0.5 s. The loop
calls the same function once per partnership, as a worker without batching would; it is timed
on a subset and extrapolated, because running it in full takes long.

The portfolio is random (seeded) arrays shaped like real ledgers: 2–4 parties per partnership,
20 value and 30 investment entries each, a mix of units and rates, a third of contributions
not made yet. The deterministic demo generator makes realistic partnerships, but building
500,000 entries through it would time the generator, not the indices.
"""

import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

# Run as a script (`python benchmarks/bench_economics.py`), so the repository is not on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from accord.domain.economics import (
    PortfolioLedgers,
    economic_indices,
    economic_signals,
)

PARTNERSHIPS = 10_000
VALUE_ENTRIES = 20
INVESTMENT_ENTRIES = 30
LOOP_SUBSET = 500
GOAL_SECONDS = 0.5
AS_OF = date(2025, 6, 30)


def portfolio(n: int, rng: np.random.Generator) -> PortfolioLedgers:
    parties = rng.integers(2, 5, size=n)
    first_party = np.cumsum(parties) - parties

    def party_of(entries_each: int) -> np.ndarray:
        partnership = np.repeat(np.arange(n), entries_each)
        local = (rng.random(partnership.size) * parties[partnership]).astype(np.intp)
        return first_party[partnership] + local

    n_investments = n * INVESTMENT_ENTRIES
    # Units: EUR, USD, FTE-months, executive hours, with their rates in EUR.
    unit = rng.choice(4, size=n_investments, p=[0.4, 0.2, 0.25, 0.15])
    unit_rate = np.array([1.0, 0.92, 12_000.0, 400.0])[unit]
    unit_scale = np.array([200_000.0, 200_000.0, 6.0, 40.0])[unit]
    planned = np.datetime64("2024-01-01") + rng.integers(0, 730, size=n_investments)
    actual = planned + rng.integers(-20, 120, size=n_investments)
    actual[rng.random(n_investments) < 1 / 3] = np.datetime64("NaT")
    return PortfolioLedgers(
        n_partnerships=n,
        party_partnership=np.repeat(np.arange(n), parties),
        value_party=party_of(VALUE_ENTRIES),
        value_amount=rng.lognormal(12, 1.5, size=n * VALUE_ENTRIES),
        value_rate=rng.choice([1.0, 0.92], size=n * VALUE_ENTRIES),
        value_realized=rng.random(n * VALUE_ENTRIES) < 0.5,
        investment_party=party_of(INVESTMENT_ENTRIES),
        investment_amount=rng.lognormal(0, 1, size=n_investments) * unit_scale,
        investment_rate=unit_rate,
        investment_planned=planned,
        investment_actual=actual,
        investment_specificity=rng.random(n_investments),
        investment_recoverability=rng.random(n_investments),
    )


def one_partnership(ledgers: PortfolioLedgers, k: int) -> PortfolioLedgers:
    """Partnership k alone, as a per-partnership query would return it (entries are generated
    partnership by partnership, so its entries are one contiguous slice)."""
    parties = np.flatnonzero(ledgers.party_partnership == k)
    first = parties[0]
    values = slice(k * VALUE_ENTRIES, (k + 1) * VALUE_ENTRIES)
    investments = slice(k * INVESTMENT_ENTRIES, (k + 1) * INVESTMENT_ENTRIES)
    assert ledgers.value_rate is not None
    assert ledgers.investment_rate is not None
    return replace(
        ledgers,
        n_partnerships=1,
        party_partnership=np.zeros(parties.size, dtype=np.intp),
        value_party=ledgers.value_party[values] - first,
        value_amount=ledgers.value_amount[values],
        value_rate=ledgers.value_rate[values],
        value_realized=ledgers.value_realized[values],
        investment_party=ledgers.investment_party[investments] - first,
        investment_amount=ledgers.investment_amount[investments],
        investment_rate=ledgers.investment_rate[investments],
        investment_planned=ledgers.investment_planned[investments],
        investment_actual=ledgers.investment_actual[investments],
        investment_specificity=ledgers.investment_specificity[investments],
        investment_recoverability=ledgers.investment_recoverability[investments],
    )


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rng = np.random.default_rng(20240601)
    ledgers = portfolio(PARTNERSHIPS, rng)
    entries = ledgers.value_party.size + ledgers.investment_party.size
    print(
        f"Portfolio: {PARTNERSHIPS:,} partnerships, {ledgers.party_partnership.size:,} parties, "
        f"{entries:,} ledger entries ({VALUE_ENTRIES} value + {INVESTMENT_ENTRIES} investment "
        "each)"
    )

    indices = best_of(5, lambda: economic_indices(ledgers, as_of=AS_OF))
    signals = best_of(5, lambda: economic_signals(ledgers, as_of=AS_OF))
    checks = best_of(5, lambda: replace(ledgers))
    print(f"  economic_indices, one call:      {indices:7.3f} s (best of 5)")
    print(f"  economic_signals, one call:      {signals:7.3f} s (best of 5, indices included)")
    print(f"  PortfolioLedgers checks:         {checks:7.3f} s (on construction, not in the above)")

    subset = [one_partnership(ledgers, k) for k in range(LOOP_SUBSET)]
    start = time.perf_counter()
    for one in subset:
        economic_indices(one, as_of=AS_OF)
    loop = (time.perf_counter() - start) / LOOP_SUBSET * PARTNERSHIPS
    print(
        f"  loop, one call per partnership:  {loop:7.3f} s "
        f"(timed on {LOOP_SUBSET} partnerships, extrapolated ×{PARTNERSHIPS // LOOP_SUBSET})"
    )
    print(f"  one call is {loop / indices:,.0f}× faster than the loop")
    verdict = "met" if indices < GOAL_SECONDS else "MISSED"
    print(f"  goal: one call under {GOAL_SECONDS} s: {verdict}")


if __name__ == "__main__":
    main()
