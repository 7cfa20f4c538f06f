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

from accord.domain.games._common import (
    ASYMMETRIC_TOURNAMENT,
    BAD_SEED,
    FEW_STRATEGIES,
    MAX_CHAIN_STEPS,
    MAX_MOVES,
    MAX_ROUNDS,
    NEGATIVE,
    NO_PAIRS,
    NOT_COUNT,
    NOT_FINITE,
    NOT_NAMED,
    NOT_POSITIVE,
    NOT_SHARE,
    SAME_NAME,
    TOO_BIG,
    TOO_LONG,
    TOO_MANY,
    UNKNOWN_STRATEGY,
    ByteArray,
    FloatArray,
    GameError,
    IntArray,
)
from accord.domain.games.dilemma import (
    Condition,
    ConditionCheck,
    Equilibrium,
    IncentiveReport,
    PartyIncentives,
    StageEquilibria,
    analyse_incentives,
    check_dilemma,
    critical_continuation,
    expected_reviews,
    shadow_of_the_future,
    stage_equilibria,
)
from accord.domain.games.expectation import Deviation, Expectation, Stability, expect, stability
from accord.domain.games.mechanisms import (
    Mechanism,
    MechanismComparison,
    Mechanisms,
    Outcome,
    Scenario,
    apply_mechanisms,
    compare_mechanisms,
)
from accord.domain.games.payoffs import PartyPayoffs, StageGame, payoffs_from_ledger, symmetric_game
from accord.domain.games.simulation import Simulation, Tournament, simulate, tournament
from accord.domain.games.strategies import STRATEGIES, Pair, Strategy, generosity, parse_strategy

__all__ = [
    "ASYMMETRIC_TOURNAMENT",
    "BAD_SEED",
    "FEW_STRATEGIES",
    "MAX_CHAIN_STEPS",
    "MAX_MOVES",
    "MAX_ROUNDS",
    "NEGATIVE",
    "NOT_COUNT",
    "NOT_FINITE",
    "NOT_NAMED",
    "NOT_POSITIVE",
    "NOT_SHARE",
    "NO_PAIRS",
    "SAME_NAME",
    "STRATEGIES",
    "TOO_BIG",
    "TOO_LONG",
    "TOO_MANY",
    "UNKNOWN_STRATEGY",
    "ByteArray",
    "Condition",
    "ConditionCheck",
    "Deviation",
    "Equilibrium",
    "Expectation",
    "FloatArray",
    "GameError",
    "IncentiveReport",
    "IntArray",
    "Mechanism",
    "MechanismComparison",
    "Mechanisms",
    "Outcome",
    "Pair",
    "PartyIncentives",
    "PartyPayoffs",
    "Scenario",
    "Simulation",
    "Stability",
    "StageEquilibria",
    "StageGame",
    "Strategy",
    "Tournament",
    "analyse_incentives",
    "apply_mechanisms",
    "check_dilemma",
    "compare_mechanisms",
    "critical_continuation",
    "expect",
    "expected_reviews",
    "generosity",
    "parse_strategy",
    "payoffs_from_ledger",
    "shadow_of_the_future",
    "simulate",
    "stability",
    "stage_equilibria",
    "symmetric_game",
    "tournament",
]
