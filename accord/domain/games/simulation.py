"""Noisy simulation of strategy pairs, and tournaments built on it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.domain.games._common import (
    ASYMMETRIC_TOURNAMENT,
    BAD_SEED,
    FEW_STRATEGIES,
    MAX_MOVES,
    TOO_BIG,
    ByteArray,
    FloatArray,
    GameError,
    IntArray,
    _count,
    _pct,
    _rounds,
    _share,
)
from accord.domain.games.payoffs import StageGame
from accord.domain.games.strategies import (
    STRATEGIES,
    Pair,
    Strategy,
    _machine,
    _pairs,
    _second_by_outcome,
    parse_strategy,
)


@dataclass(frozen=True, eq=False)
class Simulation:
    """Noisy matches, every pair × repetition played at once; arrays are indexed by pair first."""

    parties: tuple[str, str]
    pairs: tuple[Pair, ...]
    rounds: int
    repetitions: int
    noise: float
    seed: int
    payoffs: FloatArray
    """(pairs, repetitions, 2): each party's mean payoff per round in each match."""
    cooperation: FloatArray
    """(pairs, rounds, 2): share of matches in which each party contributed in that round."""
    mutual_withholding: FloatArray
    """(pairs,): share of rounds in which both withheld."""
    echoes_per_match: FloatArray
    """(pairs,): retaliation echoes per match: runs of two or more rounds of one-sided
    withholding in which the withholder changes every round (each answering the other)."""
    echo_length: FloatArray
    """(pairs,): mean rounds per echo, 0 where there were none."""
    echoes_into_withholding: FloatArray
    """(pairs,): share of echoes that ended in mutual withholding: the vicious circle."""
    moves: ByteArray | None = None
    """(pairs, repetitions, rounds, 2): actual moves, if recorded."""
    intended: ByteArray | None = None
    """(pairs, repetitions, rounds, 2): moves as intended before noise, if recorded."""

    def mean_payoffs(self) -> FloatArray:
        """(pairs, 2): expected payoff per round, estimated."""
        return np.asarray(self.payoffs.mean(axis=1), dtype=np.float64)

    def standard_errors(self) -> FloatArray:
        """(pairs, 2): standard error of `mean_payoffs`."""
        if self.repetitions < 2:
            return np.zeros((len(self.pairs), 2))
        spread = np.asarray(self.payoffs.std(axis=1, ddof=1), dtype=np.float64)
        return spread / math.sqrt(self.repetitions)

    def sentences(self) -> tuple[str, ...]:
        """One line per pair, for the page."""
        one, two = self.parties
        rates = self.cooperation.mean(axis=1)
        lines = []
        for k, (a, b) in enumerate(self.pairs):
            echoes = (
                f"{self.echoes_per_match[k]:.1f} retaliation echoes per {self.rounds} rounds, "
                f"{self.echo_length[k]:.1f} rounds long on average, "
                f"{_pct(self.echoes_into_withholding[k])} of them ending in mutual withholding"
                if self.echoes_per_match[k] > 0
                else "no retaliation echoes"
            )
            lines.append(
                f"{one} playing {a.label} against {two} playing {b.label}, with "
                f"{_pct(self.noise)} of moves misread: {one} contributes {_pct(rates[k, 0])} "
                f"and {two} {_pct(rates[k, 1])} of the time; {echoes}; both withhold in "
                f"{_pct(self.mutual_withholding[k])} of rounds."
            )
        return tuple(lines)


def _tables(game: StageGame, pairs: tuple[Pair, ...]) -> tuple[FloatArray, IntArray, IntArray]:
    """All machines in one table, states premultiplied by 8 so a column code adds on directly.

    Returns P(intend to contribute) at 8 × state, the next 8 × state at 8 × state + code, and
    the opening 8 × state of each pair's two players, shape (2, pairs).
    """
    coop_parts, next_parts = [], []
    opening: dict[tuple[int, Strategy], int] = {}
    offset = 0
    for seat, payoffs in enumerate((game.first, game.second)):
        for strategy in dict.fromkeys(pair[seat] for pair in pairs):
            machine = _machine(strategy, payoffs)
            opening[seat, strategy] = offset
            coop_parts.append(machine.coop)
            next_parts.append(machine.next + offset)
            offset += len(machine.coop)
    coop = np.zeros(8 * offset)
    coop[::8] = np.concatenate(coop_parts)
    nxt = (8 * np.concatenate(next_parts)).ravel()
    starts = np.array([[opening[seat, pair[seat]] for pair in pairs] for seat in (0, 1)])
    return coop, nxt, 8 * starts


def _play(
    game: StageGame,
    pairs: tuple[Pair, ...],
    *,
    rounds: int,
    repetitions: int,
    noise: float,
    rng: np.random.Generator,
    keep_intended: bool,
) -> tuple[ByteArray, ByteArray | None]:
    """Outcome codes (rounds, pairs, repetitions) and, if asked, intended codes alike.

    Each round every player draws its intention (contribute when u < p, as axelrod), then noise
    flips each intended move with probability `noise`, the first round included; strategies see
    only the flipped moves.
    """
    coop, nxt, starts = _tables(game, pairs)
    shape = (len(pairs), repetitions)
    state = np.repeat(starts, repetitions, axis=1).reshape(2, *shape)
    outcomes = np.empty((rounds, *shape), dtype=np.uint8)
    intended = np.empty((rounds, *shape), dtype=np.uint8) if keep_intended else None
    for t in range(rounds):
        u = rng.random((4, *shape))
        want = (u[:2] >= coop[state]).view(np.uint8)
        did = want ^ (u[2:] < noise).view(np.uint8)
        seen = did * 2 + did[::-1]
        state = nxt[state + (want * 4 + seen)]
        outcomes[t] = seen[0]
        if intended is not None:
            intended[t] = want[0] * 2 + want[1]
    return outcomes, intended


def _split(codes: ByteArray) -> ByteArray:
    """(rounds, pairs, repetitions) outcome codes → (pairs, repetitions, rounds, 2) moves."""
    both = np.stack([codes >> 1, codes & 1], axis=-1)
    return np.ascontiguousarray(both.transpose(1, 2, 0, 3))


def simulate(
    game: StageGame,
    pairs: Sequence[tuple[Strategy | str, Strategy | str]],
    *,
    rounds: int,
    repetitions: int,
    noise: float,
    seed: int = 0,
    record_moves: bool = False,
) -> Simulation:
    """Play each (first party's strategy, second's) pair `repetitions` times under noise.

    Reproducible from `seed`. `record_moves` keeps every actual and intended move, to show
    where a misread move set off an echo.
    """
    pairs_ = _pairs(pairs)
    rounds = _rounds(rounds)
    repetitions = _count("The number of repetitions", repetitions)
    noise = _share("Noise", noise)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise GameError(BAD_SEED.format(value=seed))
    moves = len(pairs_) * repetitions * rounds
    if moves > MAX_MOVES:
        raise GameError(TOO_BIG.format(moves=moves, limit=MAX_MOVES))
    codes, intended = _play(
        game,
        pairs_,
        rounds=rounds,
        repetitions=repetitions,
        noise=noise,
        rng=np.random.default_rng(seed),
        keep_intended=record_moves,
    )
    counts = np.stack([(codes == k).sum(axis=0) for k in range(4)], axis=-1)
    payoffs = np.stack(
        [counts @ game.first.by_outcome(), counts @ _second_by_outcome(game)], axis=-1
    )
    cooperation = np.stack([(codes < 2).mean(axis=2), (codes & 1 == 0).mean(axis=2)], axis=-1)
    echoes, echo_rounds, vicious = _echoes(codes)
    return Simulation(
        parties=(game.first.party, game.second.party),
        pairs=pairs_,
        rounds=rounds,
        repetitions=repetitions,
        noise=noise,
        seed=seed,
        payoffs=payoffs / rounds,
        cooperation=cooperation.transpose(1, 0, 2),
        mutual_withholding=counts[..., 3].sum(axis=1) / (repetitions * rounds),
        echoes_per_match=echoes / repetitions,
        echo_length=np.divide(echo_rounds, echoes, out=np.zeros_like(echoes), where=echoes > 0),
        echoes_into_withholding=np.divide(
            vicious, echoes, out=np.zeros_like(echoes), where=echoes > 0
        ),
        moves=_split(codes) if record_moves else None,
        intended=_split(intended) if intended is not None else None,
    )


def _echoes(codes: ByteArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per pair: number of echoes, rounds spent in them, and echoes ending in mutual withholding.

    Round t + 1 answers round t when both are one-sided (CD or DC) and the withholder changed.
    """
    one_sided = (codes == 1) | (codes == 2)
    answers = one_sided[1:] & one_sided[:-1] & (codes[1:] != codes[:-1])
    begins = answers.copy()
    begins[1:] &= ~answers[:-1]
    ends = answers[:-1] & ~answers[1:]
    into_withholding = ends & (codes[2:] == 3)
    echoes = begins.sum(axis=(0, 2)).astype(np.float64)
    rounds_in = answers.sum(axis=(0, 2)) + echoes
    return echoes, rounds_in, into_withholding.sum(axis=(0, 2)).astype(np.float64)


# --- Tournament -------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Tournament:
    """Every strategy against every other and itself, scored as axelrod scores a tournament."""

    strategies: tuple[Strategy, ...]
    payoff_matrix: FloatArray
    """(n, n): mean payoff per round of the row strategy against the column; self-play is the
    mean of both seats."""
    standard_errors: FloatArray
    normalised_scores: FloatArray
    """(n, repetitions): mean payoff per round against the others, self-play left out."""
    ranking: tuple[Strategy, ...]
    """By the median of the normalised scores over repetitions, best first."""
    simulation: Simulation

    def median_scores(self) -> FloatArray:
        return np.median(self.normalised_scores, axis=1)


def tournament(
    game: StageGame,
    strategies: Sequence[Strategy | str] = STRATEGIES,
    *,
    rounds: int = 200,
    repetitions: int = 50,
    noise: float = 0.05,
    seed: int = 0,
) -> Tournament:
    """Which strategies do well in this game under this noise, in one batched simulation."""
    if not game.symmetric:
        raise GameError(ASYMMETRIC_TOURNAMENT)
    chosen = tuple(dict.fromkeys(parse_strategy(s) for s in strategies))
    n = len(chosen)
    if n < 2:
        raise GameError(FEW_STRATEGIES.format(count=n))
    rows, cols = np.triu_indices(n)
    sim = simulate(
        game,
        [(chosen[i], chosen[j]) for i, j in zip(rows, cols, strict=True)],
        rounds=rounds,
        repetitions=repetitions,
        noise=noise,
        seed=seed,
    )
    scores = np.empty((n, n, sim.repetitions))
    scores[rows, cols] = sim.payoffs[..., 0]
    scores[cols, rows] = sim.payoffs[..., 1]
    selfplay = rows == cols
    scores[rows[selfplay], rows[selfplay]] = sim.payoffs[selfplay].mean(axis=2)
    diagonal = scores[np.arange(n), np.arange(n)]
    normalised = (scores.sum(axis=1) - diagonal) / (n - 1)
    medians = np.median(normalised, axis=1)
    spread = scores.std(axis=2, ddof=1) if sim.repetitions > 1 else np.zeros((n, n))
    return Tournament(
        strategies=chosen,
        payoff_matrix=scores.mean(axis=2),
        standard_errors=spread / math.sqrt(sim.repetitions),
        normalised_scores=normalised,
        ranking=tuple(chosen[i] for i in sorted(range(n), key=lambda i: -medians[i])),
        simulation=sim,
    )
