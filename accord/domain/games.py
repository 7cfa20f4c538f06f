"""Incentive analysis: a partnership as a repeated game of contributing or withholding.

Alliances seldom fail because the partners want them to. They fail when withholding pays more
than contributing, when the partnership's future is too short to deter it, and when a misread
move sets off retaliation that echoes into a vicious circle. This module puts a number on each:
the prisoner's-dilemma conditions and the critical continuation probability per party, the stage
game's equilibria, noisy simulations of partner strategies (checked against the axelrod library),
their exact expectation by Markov chain, and what-if mechanisms that change the incentives.

Moves are coded as in axelrod: 0 = contribute (C), 1 = withhold (D). An outcome is coded
2 × first party's move + second party's move: 0 = CC, 1 = CD, 2 = DC, 3 = DD.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

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


# --- Payoffs and the dilemma ------------------------------------------------------------------


@dataclass(frozen=True)
class PartyPayoffs:
    """One party's payoff per review from each outcome; each party may value them differently."""

    party: str
    temptation: float
    """T: this party withholds while the other contributes."""
    reward: float
    """R: both contribute."""
    punishment: float
    """P: both withhold."""
    sucker: float
    """S: this party contributes while the other withholds."""

    def __post_init__(self) -> None:
        if not isinstance(self.party, str) or not self.party.strip():
            raise GameError(NOT_NAMED)
        for what in ("temptation", "reward", "punishment", "sucker"):
            value = _finite(f"The {what} payoff of {self.party}", getattr(self, what))
            object.__setattr__(self, what, value)

    def by_outcome(self) -> FloatArray:
        """Payoff indexed by 2 × own move + other's move (CC, CD, DC, DD)."""
        return np.array([self.reward, self.sucker, self.temptation, self.punishment])


def payoffs_from_ledger(
    party: str,
    *,
    mutual_value: float,
    withholding_gain: float,
    solo_cost: float,
    status_quo: float = 0.0,
) -> PartyPayoffs:
    """Turn a party's ledger figures, all per review period, into its T, R, P, S.

    Every figure is measured against the status quo, the party's position when neither side
    contributes (its outside option, often 0):

    - ``mutual_value``: net value to the party when both contribute, its own investment already
      deducted (value ledger minus investment ledger)  → R = status_quo + mutual_value
    - ``withholding_gain``: net value to the party when it withholds while the other contributes,
      i.e. what it captures of the partner's contribution  → T = status_quo + withholding_gain
    - ``solo_cost``: what contributing alone costs the party (its unrecoverable investment while
      the partner withholds)  → S = status_quo − solo_cost
    - ``status_quo``  → P

    Example: joint work nets A 3, free-riding on B nets A 5, contributing alone costs A 1:
    T, R, P, S = 5, 3, 0, −1.
    """
    status_quo = _finite(f"The status quo of {party}", status_quo)
    return PartyPayoffs(
        party=party,
        temptation=status_quo + _finite(f"The withholding gain of {party}", withholding_gain),
        reward=status_quo + _finite(f"The value of mutual contribution to {party}", mutual_value),
        punishment=status_quo,
        sucker=status_quo - _finite(f"The cost of contributing alone for {party}", solo_cost),
    )


@dataclass(frozen=True)
class StageGame:
    """One review period between two parties; a partnership of more parties is read pair by pair."""

    first: PartyPayoffs
    second: PartyPayoffs

    def __post_init__(self) -> None:
        if self.first.party == self.second.party:
            raise GameError(SAME_NAME.format(name=self.first.party))

    @property
    def symmetric(self) -> bool:
        key = ("temptation", "reward", "punishment", "sucker")
        return all(getattr(self.first, k) == getattr(self.second, k) for k in key)

    def bimatrix(self) -> tuple[FloatArray, FloatArray]:
        """Row = first party's move, column = second's; index 0 = contribute, 1 = withhold."""
        return (
            self.first.by_outcome().reshape(2, 2),
            self.second.by_outcome().reshape(2, 2).T.copy(),
        )


def symmetric_game(
    temptation: float = 5,
    reward: float = 3,
    punishment: float = 1,
    sucker: float = 0,
    *,
    parties: tuple[str, str] = ("A", "B"),
) -> StageGame:
    """Both parties value outcomes alike; the defaults are Axelrod's 5, 3, 1, 0."""
    return StageGame(
        *(PartyPayoffs(party, temptation, reward, punishment, sucker) for party in parties)
    )


class Condition(StrEnum):
    TEMPTATION = "T > R"
    REWARD = "R > P"
    PUNISHMENT = "P > S"
    ALTERNATION = "2R > T + S"


@dataclass(frozen=True)
class ConditionCheck:
    condition: Condition
    holds: bool
    sentence: str


def check_dilemma(
    payoffs: PartyPayoffs, *, other: str = "the partner"
) -> tuple[ConditionCheck, ...]:
    """Which prisoner's-dilemma conditions hold for one party, each said in words."""
    t, r, p, s = payoffs.temptation, payoffs.reward, payoffs.punishment, payoffs.sucker
    me = payoffs.party
    return (
        ConditionCheck(
            Condition.TEMPTATION,
            t > r,
            f"{me} gains by withholding while {other} contributes (T = {_num(t)} > R = {_num(r)})."
            if t > r
            else f"{me} gains nothing by withholding while {other} contributes "
            f"(T = {_num(t)} ≤ R = {_num(r)}).",
        ),
        ConditionCheck(
            Condition.REWARD,
            r > p,
            f"Mutual contribution beats mutual withholding for {me} "
            f"(R = {_num(r)} > P = {_num(p)})."
            if r > p
            else f"Mutual contribution does not beat mutual withholding for {me} "
            f"(R = {_num(r)} ≤ P = {_num(p)}).",
        ),
        ConditionCheck(
            Condition.PUNISHMENT,
            p > s,
            f"Contributing alone is worse for {me} than withholding too "
            f"(P = {_num(p)} > S = {_num(s)})."
            if p > s
            else f"Contributing alone costs {me} no more than withholding too "
            f"(P = {_num(p)} ≤ S = {_num(s)}).",
        ),
        ConditionCheck(
            Condition.ALTERNATION,
            2 * r > t + s,
            f"Taking turns at exploiting each other pays {me} less than contributing together "
            f"(2R = {_num(2 * r)} > T + S = {_num(t + s)})."
            if 2 * r > t + s
            else f"Taking turns at exploiting each other pays {me} at least as much as "
            f"contributing together (2R = {_num(2 * r)} ≤ T + S = {_num(t + s)}).",
        ),
    )


def critical_continuation(payoffs: PartyPayoffs) -> float:
    """δ* = (T − R)/(T − P): the least chance of another review that deters withholding.

    A partner who stops contributing for good after any withholding (grim trigger) makes
    contributing pay when δ ≥ δ*. Without temptation (T ≤ R) δ* is 0; when mutual contribution
    is no better than mutual withholding (R ≤ P) δ* is 1 or more (∞ if T ≤ P): no shadow of
    the future helps.
    """
    t, r, p = payoffs.temptation, payoffs.reward, payoffs.punishment
    if t <= r:
        return 0.0
    if t <= p:
        return math.inf
    return (t - r) / (t - p)


def expected_reviews(*, horizon_days: float, review_interval_days: float) -> float:
    """Reviews left before the partnership's planning horizon, at its review cadence."""
    horizon = _non_negative("The horizon in days", horizon_days)
    interval = _finite("The review interval in days", review_interval_days)
    if interval <= 0:
        raise GameError(NOT_POSITIVE.format(what="The review interval in days", value=interval))
    return horizon / interval


def shadow_of_the_future(reviews: float) -> float:
    """δ = 1 − 1/n for n expected remaining reviews.

    A partnership that continues after each review with probability δ lasts 1/(1 − δ) reviews on
    average, so n expected reviews mean δ = 1 − 1/n. With less than one review left, δ = 0.
    """
    n = _non_negative("The expected number of reviews", reviews)
    return 0.0 if n <= 1 else 1 - 1 / n


@dataclass(frozen=True)
class PartyIncentives:
    payoffs: PartyPayoffs
    checks: tuple[ConditionCheck, ...]
    delta_star: float
    shadow: float
    sentences: tuple[str, ...]

    @property
    def is_dilemma(self) -> bool:
        return all(check.holds for check in self.checks)

    @property
    def self_enforcing(self) -> bool:
        return self.shadow >= self.delta_star


def _delta_sentence(payoffs: PartyPayoffs, delta_star: float, shadow: float) -> str:
    me = payoffs.party
    t, r, p = payoffs.temptation, payoffs.reward, payoffs.punishment
    if delta_star == 0:
        return (
            f"{me} has no temptation to withhold (T = {_num(t)} ≤ R = {_num(r)}), so δ* = 0: "
            f"contributing needs no shadow of the future."
        )
    if delta_star >= 1:
        return (
            f"For {me} mutual contribution is no better than mutual withholding "
            f"(R = {_num(r)} ≤ P = {_num(p)}), so δ* = {_delta(delta_star)}: "
            f"no shadow of the future makes contributing pay."
        )
    verdict = (
        f"so contributing is self-enforcing for {me}"
        if shadow >= delta_star
        else f"so {me} is better off withholding against a partner who retaliates for good"
    )
    return (
        f"{me} needs a shadow of the future of at least δ* = (T − R)/(T − P) = "
        f"({_num(t)} − {_num(r)})/({_num(t)} − {_num(p)}) = {delta_star:.2f}; "
        f"the partnership's is {shadow:.2f}, {verdict}."
    )


@dataclass(frozen=True)
class Equilibrium:
    """A Nash equilibrium of one review: probabilities of contributing and expected payoffs."""

    first_contributes: float
    second_contributes: float
    payoffs: tuple[float, float]
    sentence: str

    @property
    def pure(self) -> bool:
        return self.first_contributes in (0.0, 1.0) and self.second_contributes in (0.0, 1.0)


@dataclass(frozen=True)
class StageEquilibria:
    points: tuple[Equilibrium, ...]
    degenerate: bool
    """Some best replies tie, so further equilibria may mix between the points."""
    sentences: tuple[str, ...]


def stage_equilibria(game: StageGame) -> StageEquilibria:
    """Equilibria of one review by support enumeration, by hand: a 2 × 2 game needs no solver."""
    a, b = game.bimatrix()
    one, two = game.first.party, game.second.party
    word = ("contributes", "withholds")
    points: list[Equilibrium] = []
    for i in (0, 1):
        for j in (0, 1):
            if a[i, j] >= a[1 - i, j] and b[i, j] >= b[i, 1 - j]:
                both = "Both contribute" if i == j == 0 else "Both withhold"
                what = both if i == j else f"{one} {word[i]} while {two} {word[j]}"
                points.append(
                    Equilibrium(
                        float(1 - i),
                        float(1 - j),
                        (float(a[i, j]), float(b[i, j])),
                        f"{what}: neither can gain by changing alone "
                        f"({one} gets {_num(a[i, j])}, {two} gets {_num(b[i, j])}).",
                    )
                )
    da = a[0, 0] - a[0, 1] - a[1, 0] + a[1, 1]
    db = b[0, 0] - b[0, 1] - b[1, 0] + b[1, 1]
    if da != 0 and db != 0:
        x = float((b[1, 1] - b[1, 0]) / db)
        y = float((a[1, 1] - a[0, 1]) / da)
        if 0 < x < 1 and 0 < y < 1:
            rows, cols = np.array([x, 1 - x]), np.array([y, 1 - y])
            pay = (float(rows @ a @ cols), float(rows @ b @ cols))
            points.append(
                Equilibrium(
                    x,
                    y,
                    pay,
                    f"{one} contributes with probability {x:.2f} and {two} with probability "
                    f"{y:.2f}: each leaves the other indifferent "
                    f"({one} expects {_num(pay[0])}, {two} {_num(pay[1])}).",
                )
            )
    degenerate = bool(np.any(a[0] == a[1]) or np.any(b[:, 0] == b[:, 1]))
    sentences = [p.sentence for p in points]
    if degenerate:
        sentences.append("Some payoffs tie, so further equilibria mix between these.")
    return StageEquilibria(tuple(points), degenerate, tuple(sentences))


@dataclass(frozen=True)
class IncentiveReport:
    parties: tuple[PartyIncentives, PartyIncentives]
    shadow: float
    equilibria: StageEquilibria
    sentences: tuple[str, ...]

    @property
    def self_enforcing(self) -> bool:
        """Contribution is an equilibrium of the repeated game under grim-trigger retaliation."""
        return all(party.self_enforcing for party in self.parties)


def analyse_incentives(game: StageGame, *, shadow: float) -> IncentiveReport:
    """Per party: which dilemma conditions hold and whether the future deters withholding."""
    shadow = _share("The shadow of the future", shadow)
    parties = []
    for me, other in ((game.first, game.second), (game.second, game.first)):
        checks = check_dilemma(me, other=other.party)
        delta_star = critical_continuation(me)
        failed = [c.condition.value for c in checks if not c.holds]
        summary = (
            f"For {me.party} the partnership is a prisoner's dilemma: every condition holds."
            if not failed
            else f"For {me.party} it is not a prisoner's dilemma: {', '.join(failed)} fails."
            if len(failed) == 1
            else f"For {me.party} it is not a prisoner's dilemma: {', '.join(failed)} fail."
        )
        sentences = (
            summary,
            *(c.sentence for c in checks),
            _delta_sentence(me, delta_star, shadow),
        )
        parties.append(PartyIncentives(me, checks, delta_star, shadow, sentences))
    first, second = parties
    equilibria = stage_equilibria(game)
    verdict = (
        "Cooperation is self-enforcing: neither party gains by withholding from a partner who "
        "would retaliate."
        if first.self_enforcing and second.self_enforcing
        else "Cooperation is not self-enforcing: it needs mechanisms that change the incentives."
    )
    return IncentiveReport(
        (first, second),
        shadow,
        equilibria,
        (*first.sentences, *second.sentences, *equilibria.sentences, verdict),
    )


# --- Strategies as small state machines -------------------------------------------------------


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


# --- Simulation -------------------------------------------------------------------------------


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


# --- Exact expectation by Markov chain --------------------------------------------------------


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


def _reviews(rounds: int) -> str:
    return "1 review" if rounds == 1 else f"{rounds} reviews"


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


# --- What-if mechanisms -----------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """A partnership's situation: its stage game, expected remaining reviews and noise."""

    game: StageGame
    reviews: float
    noise: float

    def __post_init__(self) -> None:
        _non_negative("The expected number of reviews", self.reviews)
        _share("Noise", self.noise)

    @property
    def shadow(self) -> float:
        return shadow_of_the_future(self.reviews)

    @property
    def rounds(self) -> int:
        """Reviews to simulate: the expected number, at least one."""
        return max(1, round(self.reviews))


class Mechanism(StrEnum):
    LONGER_HORIZON = "longer_horizon"
    TRANSPARENCY = "transparency"
    CREDIBLE_CONSEQUENCES = "credible_consequences"
    BALANCED_HOSTAGES = "balanced_hostages"
    COLLECTIVE_REWARDS = "collective_rewards"


_SETTING = {
    Mechanism.LONGER_HORIZON: "extra_reviews",
    Mechanism.TRANSPARENCY: "noise_reduction",
    Mechanism.CREDIBLE_CONSEQUENCES: "withholding_penalty",
    Mechanism.BALANCED_HOSTAGES: "hostage_bond",
    Mechanism.COLLECTIVE_REWARDS: "joint_bonus",
}


@dataclass(frozen=True)
class Mechanisms:
    """Settings of the what-if mechanisms; zero leaves a mechanism out. Amounts are per review."""

    extra_reviews: float = 0.0
    """Longer horizon: more expected reviews (a longer term, or more frequent reviews)."""
    noise_reduction: float = 0.0
    """Transparency: the share of misread moves that shared reporting removes."""
    withholding_penalty: float = 0.0
    """Credible consequences: a fine on each party each time it withholds (T and P fall)."""
    hostage_bond: float = 0.0
    """Balanced hostages: a bond each party forfeits to the other if it withholds while the
    other contributes (T falls, S rises)."""
    joint_bonus: float = 0.0
    """Collective rewards: a bonus to each party when both contribute (R rises)."""

    def __post_init__(self) -> None:
        _non_negative("The extra reviews", self.extra_reviews)
        _share("The noise reduction", self.noise_reduction)
        _non_negative("The withholding penalty", self.withholding_penalty)
        _non_negative("The hostage bond", self.hostage_bond)
        _non_negative("The joint bonus", self.joint_bonus)

    @property
    def active(self) -> tuple[Mechanism, ...]:
        return tuple(m for m in Mechanism if getattr(self, _SETTING[m]) > 0)

    def only(self, mechanism: Mechanism) -> Mechanisms:
        setting = _SETTING[mechanism]
        return Mechanisms(**{setting: getattr(self, setting)})


def apply_mechanisms(scenario: Scenario, mechanisms: Mechanisms) -> Scenario:
    """The scenario with the mechanisms in force: they move payoffs, noise or the horizon."""
    m = mechanisms

    def moved(p: PartyPayoffs) -> PartyPayoffs:
        return PartyPayoffs(
            p.party,
            temptation=p.temptation - m.withholding_penalty - m.hostage_bond,
            reward=p.reward + m.joint_bonus,
            punishment=p.punishment - m.withholding_penalty,
            sucker=p.sucker + m.hostage_bond,
        )

    return Scenario(
        StageGame(moved(scenario.game.first), moved(scenario.game.second)),
        reviews=scenario.reviews + m.extra_reviews,
        noise=scenario.noise * (1 - m.noise_reduction),
    )


@dataclass(frozen=True)
class Outcome:
    """One scenario's incentives and the cooperation to expect in it."""

    label: str
    mechanisms: Mechanisms
    scenario: Scenario
    delta_star: tuple[float, float]
    shadow: float
    pair_cooperation: tuple[float, float]
    """Expected share of reviews each party contributes, both playing the compared pair."""
    stability: Stability
    """Whether the compared pair holds, and the most cooperative pair that does."""
    sentences: tuple[str, ...]

    @property
    def self_enforcing(self) -> bool:
        return all(self.shadow >= d for d in self.delta_star)


@dataclass(frozen=True)
class MechanismComparison:
    pair: Pair
    base: Outcome
    outcomes: tuple[Outcome, ...]
    """Each active mechanism alone, in `Mechanism` order, then all together if more than one."""


def _verdict(delta_star: float, shadow: float) -> str:
    if delta_star >= 1:
        return "so no shadow of the future makes contributing pay"
    if delta_star <= shadow:
        where = "below" if delta_star < shadow else "equal to"
        return f"{where} the shadow of the future {shadow:.2f}, so cooperation is self-enforcing"
    return f"above the shadow of the future {shadow:.2f}, so cooperation is not self-enforcing"


def _moves(before: float, after: float, what: str) -> str:
    if after == before:
        return f"{what} stays at {_delta(after)}"
    verb = "falls" if after < before else "rises"
    return f"{what} {verb} from {_delta(before)} to {_delta(after)}"


def _worst_delta(game: StageGame) -> float:
    return max(critical_continuation(game.first), critical_continuation(game.second))


def _payoff_sentences(
    mechanism: Mechanism, settings: Mechanisms, base: Scenario, new: Scenario
) -> list[str]:
    lines = []
    for old, now in ((base.game.first, new.game.first), (base.game.second, new.game.second)):
        temptation = f"the temptation from {_num(old.temptation)} to {_num(now.temptation)}"
        if mechanism is Mechanism.CREDIBLE_CONSEQUENCES:
            cause = f"a penalty of {_num(settings.withholding_penalty)} on withholding lowers "
            cause += temptation
        elif mechanism is Mechanism.BALANCED_HOSTAGES:
            cause = (
                f"balanced hostages of {_num(settings.hostage_bond)}, forfeited to the partner "
                f"by whoever withholds alone, lower {temptation} and raise the payoff for "
                f"contributing alone from {_num(old.sucker)} to {_num(now.sucker)}"
            )
        else:
            cause = (
                f"a joint bonus of {_num(settings.joint_bonus)} for mutual contribution raises "
                f"the reward from {_num(old.reward)} to {_num(now.reward)}"
            )
        before, after = critical_continuation(old), critical_continuation(now)
        text = f"{cause}: {_moves(before, after, 'δ*')}, {_verdict(after, new.shadow)}."
        if base.game.symmetric:
            return [text[0].upper() + text[1:]]
        lines.append(f"For {old.party}, {text}")
    return lines


def _lead(
    mechanism: Mechanism | None, settings: Mechanisms, base: Scenario, new: Scenario
) -> list[str]:
    """What the mechanism (None: all of them) moved, and what that does to δ* or the shadow."""
    worst, now = _worst_delta(base.game), _worst_delta(new.game)
    if mechanism is None:
        return [
            f"All {len(settings.active)} mechanisms together: {_moves(worst, now, 'δ*')}, "
            f"{_verdict(now, new.shadow)}."
        ]
    if mechanism is Mechanism.LONGER_HORIZON:
        verdict = (
            "no shadow of the future makes contributing pay"
            if worst >= 1
            else "cooperation is self-enforcing"
            if new.shadow >= worst
            else "still short of it, so cooperation is not self-enforcing"
        )
        return [
            f"{_num(settings.extra_reviews)} more expected reviews (from {_num(base.reviews)} "
            f"to {_num(new.reviews)}) take the shadow of the future from {base.shadow:.2f} to "
            f"{new.shadow:.2f}, against δ* of {_delta(worst)}: {verdict}."
        ]
    if mechanism is Mechanism.TRANSPARENCY:
        return [
            f"Transparency that removes {_pct(settings.noise_reduction)} of misread moves lowers "
            f"noise from {base.noise:.2f} to {new.noise:.2f}; δ* does not depend on noise, but "
            f"fewer misreadings set off fewer retaliation echoes."
        ]
    return _payoff_sentences(mechanism, settings, base, new)


def _outcome(
    label: str,
    settings: Mechanisms,
    scenario: Scenario,
    pair: Pair,
    lead: list[str],
    base: Outcome | None,
) -> Outcome:
    rounds, noise = scenario.rounds, scenario.noise
    together = expect(scenario.game, [pair], rounds=rounds, noise=noise).cooperation[0].mean(axis=0)
    stable = stability(scenario.game, pair, rounds=rounds, noise=noise)
    a, b = pair
    who = f"{a.label} partners" if a == b else f"a {a.label} and a {b.label} partner"
    now = _pct(float(together.mean()))
    was = "" if base is None else _pct(float(np.mean(base.pair_cooperation)))
    lead.append(
        f"Over {_reviews(rounds)} with {_pct(noise)} of moves misread, {who} contribute {now} "
        f"of the time{f' (was {was})' if was not in ('', now) else ''}."
    )
    game = scenario.game
    return Outcome(
        label=label,
        mechanisms=settings,
        scenario=scenario,
        delta_star=(critical_continuation(game.first), critical_continuation(game.second)),
        shadow=scenario.shadow,
        pair_cooperation=(float(together[0]), float(together[1])),
        stability=stable,
        sentences=(*lead, *stable.sentences, *_sustainable(stable, base)),
    )


def _sustainable(now: Stability, base: Outcome | None) -> list[str]:
    """How the most cooperation any stable pair sustains moved against the scenario as it is."""
    if base is None:
        return []
    before, after = (
        float(np.mean(s.cooperation[0])) if s.cooperation else 0.0 for s in (base.stability, now)
    )
    if _pct(before) == _pct(after):
        return [f"The cooperation that can be sustained stays at {_pct(after)}."]
    verb = "rises" if after > before else "falls"
    return [f"The cooperation that can be sustained {verb} from {_pct(before)} to {_pct(after)}."]


def compare_mechanisms(
    scenario: Scenario,
    mechanisms: Mechanisms,
    *,
    pair: tuple[Strategy | str, Strategy | str] = (Strategy.TIT_FOR_TAT, Strategy.TIT_FOR_TAT),
) -> MechanismComparison:
    """Each mechanism alone and all together against the scenario as it is, explained in words."""
    (pair_,) = _pairs([pair])
    game = scenario.game
    first, second = critical_continuation(game.first), critical_continuation(game.second)
    stands = (
        f"As it stands, δ* is {_delta(first)}"
        if first == second
        else f"As it stands, δ* is {_delta(first)} for {game.first.party} and "
        f"{_delta(second)} for {game.second.party}"
    )
    lead = [f"{stands}: {_verdict(max(first, second), scenario.shadow)}."]
    base = _outcome("as it stands", Mechanisms(), scenario, pair_, lead, None)
    plans: list[tuple[Mechanism | None, Mechanisms]] = [
        (m, mechanisms.only(m)) for m in mechanisms.active
    ]
    if len(plans) > 1:
        plans.append((None, mechanisms))
    outcomes = []
    for mechanism, settings in plans:
        label = "all together" if mechanism is None else mechanism.value.replace("_", " ")
        new = apply_mechanisms(scenario, settings)
        lead = _lead(mechanism, settings, scenario, new)
        outcomes.append(_outcome(label, settings, new, pair_, lead, base))
    return MechanismComparison(pair_, base, tuple(outcomes))
