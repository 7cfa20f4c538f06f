"""Shared pieces of the incentive analysis: array types, messages, limits, the error, input
checks and number formatting."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
ByteArray = npt.NDArray[np.uint8]

NOT_NAMED = "Each party needs a name."
SAME_NAME = "The two parties need different names; both are called {name!r}."
NOT_FINITE = "{what} must be a finite number, got {value!r}."
NEGATIVE = "{what} must not be negative, got {value!r}."
NOT_POSITIVE = "{what} must be positive, got {value!r}."
NOT_SHARE = "{what} must lie between 0 and 1, got {value!r}."
NOT_COUNT = "{what} must be a whole number of at least 1, got {value!r}."
TOO_MANY = "{what} must be at most {limit:,}, got {value:,}."
BAD_SEED = "The seed must be a whole number of at least 0, got {value!r}."
UNKNOWN_STRATEGY = "Unknown strategy {name!r}; choose one of: {choices}."
NO_PAIRS = "Name at least one pair of strategies."
TOO_BIG = (
    "{moves:,} moves to simulate exceed the limit of {limit:,}; "
    "use fewer pairs, repetitions or rounds."
)
TOO_LONG = (
    "{steps:,} chain steps (pairs × rounds) exceed the limit of {limit:,}; "
    "use fewer pairs or rounds."
)
ASYMMETRIC_TOURNAMENT = (
    "A tournament ranks strategies on one payoff scale, so both parties need the same payoffs; "
    "simulate ordered pairs instead."
)
FEW_STRATEGIES = "A tournament needs at least two distinct strategies, got {count}."

MAX_MOVES = 20_000_000
"""Largest pairs × repetitions × rounds one simulation may hold (about 20 MB per array)."""
MAX_ROUNDS = 10_000
"""Most rounds (reviews) simulated or expected: both step through them one at a time."""
MAX_CHAIN_STEPS = 1_000_000
"""Most pairs × rounds in one `expect` call (a few seconds; enough for 64 pairs × 10,000)."""


class GameError(ValueError):
    """Bad input to the incentive analysis; the message is written for the person who gave it."""


def _finite(what: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise GameError(NOT_FINITE.format(what=what, value=value))
    return float(value)


def _non_negative(what: str, value: float) -> float:
    if _finite(what, value) < 0:
        raise GameError(NEGATIVE.format(what=what, value=value))
    return float(value)


def _share(what: str, value: float) -> float:
    if not 0 <= _finite(what, value) <= 1:
        raise GameError(NOT_SHARE.format(what=what, value=value))
    return float(value)


def _count(what: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise GameError(NOT_COUNT.format(what=what, value=value))
    return value


def _rounds(value: int) -> int:
    if _count("The number of rounds", value) > MAX_ROUNDS:
        raise GameError(TOO_MANY.format(what="The number of rounds", limit=MAX_ROUNDS, value=value))
    return value


def _num(value: float) -> str:
    """Payoffs as people write them: 5, 2.5, -1."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def _delta(value: float) -> str:
    return "∞" if math.isinf(value) else f"{value:.2f}"


def _reviews(rounds: int) -> str:
    return "1 review" if rounds == 1 else f"{rounds} reviews"
