"""Exact expectation by Markov chain, and which strategy pairs hold under it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.domain.games._common import (
    MAX_CHAIN_STEPS,
    TOO_LONG,
    FloatArray,
    GameError,
    _pct,
    _reviews,
    _rounds,
    _share,
)
from accord.domain.games.payoffs import StageGame
from accord.domain.games.strategies import (
    STRATEGIES,
    Pair,
    Strategy,
    _Machine,
    _machine,
    _pairs,
    _second_by_outcome,
    parse_strategy,
)


@dataclass(frozen=True, eq=False)
class Expectation:
    """What to expect, not what one sample gave: exact over the horizon and in the long run."""

    pairs: tuple[Pair, ...]
    rounds: int
    noise: float
    payoffs: FloatArray
    """(pairs, 2): expected mean payoff per round over `rounds` rounds."""
    cooperation: FloatArray
    """(pairs, rounds, 2): probability that each party contributes in each round."""
    long_run_payoffs: FloatArray
    """(pairs, 2): mean payoff per round as the number of rounds grows without end."""
    long_run_cooperation: FloatArray
    """(pairs, 2): share of rounds in which each party contributes, in the long run."""


def _chain(
    a: _Machine, b: _Machine, game: StageGame, noise: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Transition matrix over the joint states reachable from the opening (state 0), with each
    state's expected payoffs and contribution probabilities for the coming round."""
    na, nb = len(a.coop), len(b.coop)
    want_a, flip_a, want_b, flip_b = (np.arange(16) >> k & 1 for k in (3, 2, 1, 0))
    did_a, did_b = want_a ^ flip_a, want_b ^ flip_b
    p_a = np.where(want_a == 0, a.coop[:, None], 1 - a.coop[:, None])
    p_b = np.where(want_b == 0, b.coop[:, None], 1 - b.coop[:, None])
    p_noise = np.where(flip_a == 1, noise, 1 - noise) * np.where(flip_b == 1, noise, 1 - noise)
    prob = (p_a[:, None, :] * p_b[None, :, :] * p_noise).reshape(na * nb, 16)
    next_a = a.next[:, 4 * want_a + 2 * did_a + did_b]
    next_b = b.next[:, 4 * want_b + 2 * did_b + did_a]
    target = (next_a[:, None, :] * nb + next_b[None, :, :]).reshape(na * nb, 16)
    n = na * nb
    source = np.repeat(np.arange(n), 16)
    flat = np.bincount(source * n + target.ravel(), prob.ravel(), n * n)
    matrix = flat.reshape(n, n).astype(np.float64)
    outcome = 2 * did_a + did_b
    pay = np.stack(
        [prob @ game.first.by_outcome()[outcome], prob @ _second_by_outcome(game)[outcome]], -1
    ).astype(np.float64)
    coop = np.stack([prob @ (did_a == 0), prob @ (did_b == 0)], axis=-1).astype(np.float64)
    reach = np.zeros(n, dtype=bool)
    reach[0] = True
    while True:
        grown = reach | (matrix[reach] > 0).any(axis=0)
        if (grown == reach).all():
            break
        reach = grown
    keep = np.flatnonzero(reach)
    return matrix[np.ix_(keep, keep)], pay[keep], coop[keep]


def _long_run(matrix: FloatArray) -> FloatArray:
    """Cesàro limit of the state distribution from state 0 (handles periodic, reducible chains).

    It is the spectral projector onto eigenvalue 1, R (L R)⁻¹ L, from right and left null
    vectors of I − M; eigenvalue 1 of a stochastic matrix is always semisimple.
    """
    n = len(matrix)
    u, s, vh = np.linalg.svd(np.eye(n) - matrix)
    null = s <= 1e-10
    right, left = vh[null].T, u[:, null].T
    return np.asarray((right @ np.linalg.solve(left @ right, left))[0], dtype=np.float64)


def expect(
    game: StageGame,
    pairs: Sequence[tuple[Strategy | str, Strategy | str]],
    *,
    rounds: int,
    noise: float,
) -> Expectation:
    """Exact expected payoffs and contribution, by Markov chain over the strategies' states."""
    pairs_ = _pairs(pairs)
    rounds = _rounds(rounds)
    noise = _share("Noise", noise)
    if len(pairs_) * rounds > MAX_CHAIN_STEPS:
        raise GameError(TOO_LONG.format(steps=len(pairs_) * rounds, limit=MAX_CHAIN_STEPS))
    payoffs = np.empty((len(pairs_), 2))
    cooperation = np.empty((len(pairs_), rounds, 2))
    long_pay = np.empty((len(pairs_), 2))
    long_coop = np.empty((len(pairs_), 2))
    for k, (a, b) in enumerate(pairs_):
        matrix, pay, coop = _chain(_machine(a, game.first), _machine(b, game.second), game, noise)
        dist = np.zeros(len(matrix))
        dist[0] = 1.0
        visits = np.zeros(len(matrix))
        for t in range(rounds):
            cooperation[k, t] = dist @ coop
            visits += dist
            dist = dist @ matrix
        payoffs[k] = visits @ pay / rounds
        limit = _long_run(matrix)
        long_pay[k], long_coop[k] = limit @ pay, limit @ coop
    return Expectation(pairs_, rounds, noise, payoffs, cooperation, long_pay, long_coop)


@dataclass(frozen=True)
class Deviation:
    """A party's best switch away from a pair of strategies, and what it gains per review."""

    party: str
    to: Strategy
    payoff_before: float
    payoff_after: float


@dataclass(frozen=True)
class Stability:
    """Which pairs of strategies neither party would leave, over the horizon and under noise.

    The pairs are the pure Nash equilibria of the game whose moves are the strategies and whose
    payoffs are their exact expected payoffs per review. Unlike δ*, this accounts for noise, a
    finite horizon and strategies other than grim trigger.
    """

    pair: Pair
    deviations: tuple[Deviation, ...]
    """Each party's most profitable switch away from `pair`; empty when the pair holds."""
    equilibria: tuple[Pair, ...]
    """Every pair neither party gains by leaving, the most cooperative first."""
    cooperation: tuple[tuple[float, float], ...]
    """Each party's expected share of reviews contributing, per pair in `equilibria`."""
    sentences: tuple[str, ...]

    @property
    def holds(self) -> bool:
        return not self.deviations


def _pair_label(pair: Pair, names: tuple[str, str]) -> str:
    a, b = pair
    return (
        f"{a.label} on both sides"
        if a == b
        else f"{a.label} ({names[0]}) and {b.label} ({names[1]})"
    )


def _shares(cooperation: tuple[float, float]) -> str:
    one, two = (_pct(c) for c in cooperation)
    return f"each contribute {one}" if one == two else f"contribute {one} and {two}"


def stability(
    game: StageGame,
    pair: tuple[Strategy | str, Strategy | str],
    *,
    rounds: int,
    noise: float,
    strategies: Sequence[Strategy | str] = STRATEGIES,
) -> Stability:
    """Whether a pair of strategies holds when each party may switch to any of `strategies`,
    and the most cooperative pair that does. Gains below 1e-9 of the payoff range count as none.
    """
    ((a, b),) = _pairs([pair])
    chosen = tuple(dict.fromkeys([a, b, *(parse_strategy(s) for s in strategies)]))
    n = len(chosen)
    exact = expect(game, [(x, y) for x in chosen for y in chosen], rounds=rounds, noise=noise)
    pay = exact.payoffs.reshape(n, n, 2)
    coop = exact.cooperation.mean(axis=1).reshape(n, n, 2)
    tolerance = 1e-9 * max(1.0, float(np.ptp(pay)))
    best_a, best_b = pay[:, :, 0].max(axis=0), pay[:, :, 1].max(axis=1)
    stable = (pay[:, :, 0] >= best_a[None, :] - tolerance) & (
        pay[:, :, 1] >= best_b[:, None] - tolerance
    )
    order = sorted(zip(*np.nonzero(stable), strict=True), key=lambda k: -coop[k].mean())
    names = (game.first.party, game.second.party)
    i, j = chosen.index(a), chosen.index(b)
    deviations = []
    if pay[i, j, 0] < best_a[j] - tolerance:
        to = int(np.argmax(pay[:, j, 0]))
        deviations.append(Deviation(names[0], chosen[to], pay[i, j, 0], pay[to, j, 0]))
    if pay[i, j, 1] < best_b[i] - tolerance:
        to = int(np.argmax(pay[i, :, 1]))
        deviations.append(Deviation(names[1], chosen[to], pay[i, j, 1], pay[i, to, 1]))
    setting = f"over {_reviews(rounds)} with {_pct(noise)} of moves misread"
    label = _pair_label((a, b), names)
    lines = [
        f"Neither party gains by leaving {label} {setting}."
        if not deviations
        else f"{label[0].upper()}{label[1:]} does not hold {setting}: "
        + "; ".join(
            f"{d.party} gains {d.payoff_after - d.payoff_before:.2g} per review by switching "
            f"to {d.to.label}"
            for d in deviations
        )
        + "."
    ]
    equilibria = tuple((chosen[x], chosen[y]) for x, y in order)
    cooperation = tuple((float(coop[k][0]), float(coop[k][1])) for k in order)
    if equilibria:
        lines.append(
            f"The most cooperative pair neither party would leave is "
            f"{_pair_label(equilibria[0], names)}: they {_shares(cooperation[0])} of the time."
        )
    else:
        lines.append("No pair of these strategies holds: one party always gains by switching.")
    return Stability((a, b), tuple(deviations), equilibria, cooperation, tuple(lines))
