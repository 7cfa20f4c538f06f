"""Response models of the incentive analysis and the what-if, so the published schema types every
number a client reads (they were free-form objects before)."""

from __future__ import annotations

from ninja import Field, Schema


class PayoffsOut(Schema):
    temptation: float
    reward: float
    punishment: float
    sucker: float


class ConditionOut(Schema):
    condition: str = Field(..., description="T > R, R > P, P > S or 2R > T + S.")
    holds: bool
    sentence: str


class PartyIncentivesOut(Schema):
    party: str = Field(..., description="The party's name.")
    payoffs: PayoffsOut
    conditions: list[ConditionOut]
    is_dilemma: bool
    delta_star: float | None = Field(
        ..., description="Critical continuation probability δ*; null when it is infinite."
    )
    shadow: float
    self_enforcing: bool
    sentences: list[str]


class HorizonOut(Schema):
    days: int
    review_interval_days: int
    expected_reviews: float
    shadow: float
    sentence: str


class EquilibriumOut(Schema):
    first_contributes: float
    second_contributes: float
    payoffs: list[float] = Field(..., min_length=2, max_length=2)
    sentence: str


class StrategyRowOut(Schema):
    """Both parties playing the same strategy: [first party, second party] per figure."""

    strategy: str
    simulated_cooperation: list[float]
    expected_cooperation: list[float]
    long_run_cooperation: list[float]
    simulated_payoffs: list[float]
    standard_errors: list[float]
    expected_payoffs: list[float]
    echoes_per_match: float
    echo_length: float
    echoes_into_withholding: float
    sentence: str


class SimulationOut(Schema):
    rounds: int
    beyond_horizon: bool
    repetitions: int
    noise: float
    seed: int
    strategies: list[str]
    same_strategy: list[StrategyRowOut]
    expected_payoff_matrix: list[list[list[float]]] = Field(
        ...,
        description="[first party's strategy][second party's] → [first's, second's] expected "
        "payoff per review.",
    )
    expected_cooperation_by_round: dict[str, list[float]] = Field(
        ..., description="Strategy label → expected share of contributions, per round."
    )
    echo_sentences: list[str]


class AnalysisOut(Schema):
    model: int
    parties: list[PartyIncentivesOut]
    horizon: HorizonOut
    self_enforcing: bool
    equilibria: list[EquilibriumOut]
    sentences: list[str]
    simulation: SimulationOut


class WhatIfOutcomeOut(Schema):
    label: str
    delta_star: list[float | None] = Field(
        ..., description="δ* of each party; null when it is infinite."
    )
    shadow: float
    expected_reviews: float
    noise: float
    self_enforcing: bool
    pair_cooperation: float
    most_cooperative_stable_pair: str
    sustainable_cooperation: float | None
    sentences: list[str]


class WhatIfOut(Schema):
    model: int
    pair: list[str]
    outcomes: list[WhatIfOutcomeOut]
