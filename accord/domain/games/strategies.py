"""Partner strategies as small state machines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from accord.domain.games._common import NO_PAIRS, UNKNOWN_STRATEGY, FloatArray, GameError, IntArray
from accord.domain.games.payoffs import PartyPayoffs, StageGame


class Strategy(StrEnum):
    """Partner strategies, defined as in axelrod 4.14 (class names in the comments)."""

    TIT_FOR_TAT = "tit_for_tat"  # TitForTat
    GENEROUS_TIT_FOR_TAT = "generous_tit_for_tat"  # GTFT
    CONTRITE_TIT_FOR_TAT = "contrite_tit_for_tat"  # ContriteTitForTat
    WIN_STAY_LOSE_SHIFT = "win_stay_lose_shift"  # WinStayLoseShift
    GRIM_TRIGGER = "grim_trigger"  # Grudger
    ALWAYS_DEFECT = "always_defect"  # Defector
    ALWAYS_COOPERATE = "always_cooperate"  # Cooperator
    RANDOM = "random"  # Random (p = 0.5)

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Strategy.TIT_FOR_TAT: "tit-for-tat",
    Strategy.GENEROUS_TIT_FOR_TAT: "generous tit-for-tat",
    Strategy.CONTRITE_TIT_FOR_TAT: "contrite tit-for-tat",
    Strategy.WIN_STAY_LOSE_SHIFT: "win-stay-lose-shift",
    Strategy.GRIM_TRIGGER: "grim trigger",
    Strategy.ALWAYS_DEFECT: "always withhold",
    Strategy.ALWAYS_COOPERATE: "always contribute",
    Strategy.RANDOM: "random",
}

STRATEGIES = tuple(Strategy)


def parse_strategy(name: str) -> Strategy:
    try:
        return Strategy(name)
    except ValueError:
        choices = ", ".join(s.value for s in Strategy)
        raise GameError(UNKNOWN_STRATEGY.format(name=name, choices=choices)) from None


def generosity(payoffs: PartyPayoffs) -> float:
    """Generous tit-for-tat's chance of forgiving: min(1 − (T−R)/(R−S), (R−P)/(T−P)).

    This is axelrod's GTFT (1/3 for 5, 3, 1, 0): the most forgiveness that still leaves
    exploiting it unprofitable. Terms with a non-positive denominator are dropped, and the result
    is kept within [0, 1] so that any payoffs give a strategy.
    """
    t, r, p, s = payoffs.temptation, payoffs.reward, payoffs.punishment, payoffs.sucker
    terms = [1 - (t - r) / (r - s)] if r > s else []
    if t > p:
        terms.append((r - p) / (t - p))
    return min(1.0, max(0.0, min(terms, default=1.0)))


_CODES = np.arange(8)
"""Column of a transition table: 4 × intended own move + 2 × own move + other's move."""


@dataclass(frozen=True, eq=False)
class _Machine:
    """P(intend to contribute) per state, and the next state per (state, column code)."""

    coop: FloatArray
    next: IntArray


def _memory_one(first: float, *after: float) -> _Machine:
    """States: opening, then the last outcome CC, CD, DC, DD (as seen by this player)."""
    return _Machine(np.array([first, *after]), np.tile(1 + (_CODES & 3), (5, 1)))


def _memory_zero(p: float) -> _Machine:
    return _Machine(np.array([p]), np.zeros((1, 8), dtype=np.int64))


def _grim_trigger() -> _Machine:
    """Triggered by the other's actual withholding, however it came about (axelrod's Grudger)."""
    return _Machine(np.array([1.0, 0.0]), np.vstack([_CODES & 1, np.ones(8, dtype=np.int64)]))


def _contrite_tit_for_tat() -> _Machine:
    """State 0 opens; state 1 + 8c + code remembers contrition c and the last round's code.

    As in axelrod: it turns contrite only when noise turned its intended contribution into
    withholding while the other contributed; while contrite it still copies the other, until
    its own last actual move was a contribution: then it contributes and drops contrition.
    """
    coop = np.zeros(17)
    nxt = np.zeros((17, 8), dtype=np.int64)
    coop[0], nxt[0] = 1.0, 1 + _CODES
    for state in range(16):
        contrite, intended, own, other = state >> 3, state >> 2 & 1, state >> 1 & 1, state & 1
        apologise = contrite == 1 and own == 0
        coop[1 + state] = 1.0 if apologise or other == 0 else 0.0
        provoked = intended == 0 and own == 1 and other == 0
        now_contrite = 0 if apologise else contrite | provoked
        nxt[1 + state] = 1 + 8 * now_contrite + _CODES
    return _Machine(coop, nxt)


def _machine(strategy: Strategy, payoffs: PartyPayoffs) -> _Machine:
    match strategy:
        case Strategy.TIT_FOR_TAT:
            return _memory_one(1, 1, 0, 1, 0)
        case Strategy.GENEROUS_TIT_FOR_TAT:
            g = generosity(payoffs)
            return _memory_one(1, 1, g, 1, g)
        case Strategy.CONTRITE_TIT_FOR_TAT:
            return _contrite_tit_for_tat()
        case Strategy.WIN_STAY_LOSE_SHIFT:
            return _memory_one(1, 1, 0, 0, 1)
        case Strategy.GRIM_TRIGGER:
            return _grim_trigger()
        case Strategy.ALWAYS_DEFECT:
            return _memory_zero(0.0)
        case Strategy.ALWAYS_COOPERATE:
            return _memory_zero(1.0)
        case Strategy.RANDOM:
            return _memory_zero(0.5)


Pair = tuple[Strategy, Strategy]


def _pairs(pairs: Sequence[tuple[Strategy | str, Strategy | str]]) -> tuple[Pair, ...]:
    if not pairs:
        raise GameError(NO_PAIRS)
    return tuple((parse_strategy(a), parse_strategy(b)) for a, b in pairs)


def _second_by_outcome(game: StageGame) -> FloatArray:
    """The second party's payoff indexed by the first party's outcome code."""
    return game.second.by_outcome()[[0, 2, 1, 3]]
