"""The development stage, judged from evidence by explicit rules."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from accord.domain.trust._common import OUT_OF_RANGE, TrustError
from accord.domain.trust.instrument import TrustForm


class Stage(StrEnum):
    ASSESSMENT = "assessment"
    VERIFICATION = "verification"
    REINFORCEMENT = "reinforcement"
    EXPANSION = "expansion"
    INSTITUTIONALIZATION = "institutionalization"


STAGES: tuple[Stage, ...] = tuple(Stage)


class StageRule(StrEnum):
    SMALL_EXCHANGES = "small_exchanges"
    COMPETENCE_TRUST = "competence_trust"
    ON_TIME_RECORD = "on_time_record"
    REGULAR_COMMUNICATION = "regular_communication"
    CONTRACTUAL_TRUST = "contractual_trust"
    SCOPE_GROWTH = "scope_growth"
    GOODWILL_TRUST = "goodwill_trust"
    PEOPLE_PER_PARTY = "people_per_party"
    UNITS_PER_PARTY = "units_per_party"
    STAFF_CHANGE = "staff_change"


class RuleStatus(StrEnum):
    HOLDS = "holds"
    FAILS = "fails"
    NO_EVIDENCE = "no evidence yet"


def _check_range(owner: object, name: str, low: float, high: float) -> None:
    value = getattr(owner, name)
    if value is not None and not low <= value <= high:
        raise TrustError(
            OUT_OF_RANGE.format(
                owner=type(owner).__name__, name=name, value=value, bounds=f"[{low}, {high}]"
            )
        )


@dataclass(frozen=True)
class StageRules:
    """Thresholds of the stage rules. Trust levels are on the 1–7 scale; rates are shares."""

    min_small_exchanges: int = 2
    min_competence_trust: float = 4.0
    min_on_time_rate: float = 0.8
    min_on_time_periods: int = 3
    max_communication_gap_days: int = 30
    min_contractual_trust: float = 4.5
    min_scope_growth: float = 0.1
    min_goodwill_trust: float = 5.0
    min_people_per_party: int = 3
    min_units_per_party: int = 2
    max_trust_drop_after_staff_change: float = 0.5

    def __post_init__(self) -> None:
        for name in ("min_competence_trust", "min_contractual_trust", "min_goodwill_trust"):
            _check_range(self, name, 1, 7)
        _check_range(self, "min_on_time_rate", 0, 1)
        _check_range(self, "max_trust_drop_after_staff_change", 0, 6)
        _check_range(self, "min_scope_growth", -1, np.inf)
        for name in ("min_small_exchanges", "max_communication_gap_days"):
            _check_range(self, name, 0, np.inf)
        for name in ("min_on_time_periods", "min_people_per_party", "min_units_per_party"):
            _check_range(self, name, 1, np.inf)


@dataclass(frozen=True)
class Evidence:
    """What is known about one partnership; None means the source has nothing yet.

    Trust levels are the lowest published mean across directions in the latest round, mapped
    onto 1–7 (a 5-point mean m becomes 1 + (m − 1) · 6/4). ``on_time_rates`` holds, per review
    period from oldest to newest, the lowest party's share of due commitments met on time.
    ``scope_growth`` is the relative growth of joint scope over the last year (0.25 = 25 %).
    People and units count, for the party with fewest, those who work with the other parties.
    ``trust_drop_after_staff_change`` is the largest fall in trust from the round before to the
    round after a sponsor or alliance manager left; None until someone has left."""

    completed_small_exchanges: int | None = None
    competence_trust: float | None = None
    contractual_trust: float | None = None
    goodwill_trust: float | None = None
    on_time_rates: tuple[float, ...] | None = None
    longest_communication_gap_days: int | None = None
    scope_growth: float | None = None
    fewest_people_per_party: int | None = None
    fewest_units_per_party: int | None = None
    trust_drop_after_staff_change: float | None = None

    def __post_init__(self) -> None:
        for name in ("competence_trust", "contractual_trust", "goodwill_trust"):
            _check_range(self, name, 1, 7)
        for name in (
            "completed_small_exchanges",
            "longest_communication_gap_days",
            "fewest_people_per_party",
            "fewest_units_per_party",
        ):
            _check_range(self, name, 0, np.inf)
        _check_range(self, "scope_growth", -1, np.inf)
        _check_range(self, "trust_drop_after_staff_change", -6, 6)
        for rate in self.on_time_rates or ():
            if not 0 <= rate <= 1:
                raise TrustError(
                    OUT_OF_RANGE.format(
                        owner="Evidence", name="on_time_rates", value=rate, bounds="[0, 1]"
                    )
                )


@dataclass(frozen=True, slots=True)
class RuleResult:
    rule: StageRule
    stage: Stage
    status: RuleStatus
    explanation: str


@dataclass(frozen=True, slots=True)
class StageJudgement:
    """The stage reached, every rule's verdict, and the unmet rules of the next stage."""

    stage: Stage
    rules: tuple[RuleResult, ...]
    next_stage: Stage | None
    missing: tuple[RuleResult, ...]


def _verdict(
    rule: StageRule, stage: Stage, holds: bool | None, observed: str, requirement: str
) -> RuleResult:
    status = {True: RuleStatus.HOLDS, False: RuleStatus.FAILS, None: RuleStatus.NO_EVIDENCE}
    return RuleResult(rule, stage, status[holds], f"{observed}; {stage} needs {requirement}.")


def _at_least(value: float | None, minimum: float) -> bool | None:
    return None if value is None else value >= minimum


def _at_most(value: float | None, maximum: float) -> bool | None:
    return None if value is None else value <= maximum


def _trust_rule(
    rule: StageRule, stage: Stage, form: TrustForm, level: float | None, minimum: float
) -> RuleResult:
    observed = (
        f"No published {form} trust result yet"
        if level is None
        else f"The lowest {form} trust between the parties is {level:.1f} of 7"
    )
    return _verdict(rule, stage, _at_least(level, minimum), observed, f"at least {minimum:.1f}")


def _on_time_rule(rates: tuple[float, ...] | None, rules: StageRules) -> RuleResult:
    periods, minimum = rules.min_on_time_periods, rules.min_on_time_rate
    requirement = f"{periods} periods in a row with at least {minimum:.0%} delivered on time"
    if not rates:
        return _verdict(
            StageRule.ON_TIME_RECORD,
            Stage.REINFORCEMENT,
            None,
            "No commitments have come due yet",
            requirement,
        )
    recent = rates[-periods:]
    shown = ", ".join(f"{rate:.0%}" for rate in recent)
    holds = len(recent) == periods and min(recent) >= minimum
    return _verdict(
        StageRule.ON_TIME_RECORD,
        Stage.REINFORCEMENT,
        holds,
        f"On-time delivery in the last {len(recent)} of {len(rates)} periods: {shown}",
        requirement,
    )


def _stage_rules(e: Evidence, r: StageRules) -> tuple[RuleResult, ...]:
    def counted(value: int | None, noun: str, none: str) -> str:
        return none if value is None else f"{value} {noun}"

    return (
        _verdict(
            StageRule.SMALL_EXCHANGES,
            Stage.VERIFICATION,
            _at_least(e.completed_small_exchanges, r.min_small_exchanges),
            counted(
                e.completed_small_exchanges,
                "small exchanges completed",
                "No small exchange has been recorded yet",
            ),
            f"at least {r.min_small_exchanges} completed",
        ),
        _trust_rule(
            StageRule.COMPETENCE_TRUST,
            Stage.VERIFICATION,
            TrustForm.COMPETENCE,
            e.competence_trust,
            r.min_competence_trust,
        ),
        _on_time_rule(e.on_time_rates, r),
        _verdict(
            StageRule.REGULAR_COMMUNICATION,
            Stage.REINFORCEMENT,
            _at_most(e.longest_communication_gap_days, r.max_communication_gap_days),
            counted(
                e.longest_communication_gap_days,
                "days was the longest silence between the parties",
                "No communication has been recorded yet",
            ),
            f"no silence longer than {r.max_communication_gap_days} days",
        ),
        _trust_rule(
            StageRule.CONTRACTUAL_TRUST,
            Stage.REINFORCEMENT,
            TrustForm.CONTRACTUAL,
            e.contractual_trust,
            r.min_contractual_trust,
        ),
        _verdict(
            StageRule.SCOPE_GROWTH,
            Stage.EXPANSION,
            _at_least(e.scope_growth, r.min_scope_growth),
            "No scope history yet"
            if e.scope_growth is None
            else f"Joint scope changed by {e.scope_growth:+.0%} over the last year",
            f"growth of at least {r.min_scope_growth:.0%}",
        ),
        _trust_rule(
            StageRule.GOODWILL_TRUST,
            Stage.EXPANSION,
            TrustForm.GOODWILL,
            e.goodwill_trust,
            r.min_goodwill_trust,
        ),
        _verdict(
            StageRule.PEOPLE_PER_PARTY,
            Stage.INSTITUTIONALIZATION,
            _at_least(e.fewest_people_per_party, r.min_people_per_party),
            counted(
                e.fewest_people_per_party,
                "people carry the relationship in the party with fewest",
                "No record yet of who works across the parties",
            ),
            f"at least {r.min_people_per_party} in each party",
        ),
        _verdict(
            StageRule.UNITS_PER_PARTY,
            Stage.INSTITUTIONALIZATION,
            _at_least(e.fewest_units_per_party, r.min_units_per_party),
            counted(
                e.fewest_units_per_party,
                "units are involved in the party with fewest",
                "No record yet of which units take part",
            ),
            f"at least {r.min_units_per_party} units in each party",
        ),
        _verdict(
            StageRule.STAFF_CHANGE,
            Stage.INSTITUTIONALIZATION,
            _at_most(e.trust_drop_after_staff_change, r.max_trust_drop_after_staff_change),
            "No sponsor or alliance manager has left yet, so survival of a change is untested"
            if e.trust_drop_after_staff_change is None
            else f"Trust fell by {e.trust_drop_after_staff_change:.1f} points"
            " after a sponsor or alliance manager left",
            f"a fall of no more than {r.max_trust_drop_after_staff_change:.1f} points",
        ),
    )


def judge_stage(evidence: Evidence, rules: StageRules | None = None) -> StageJudgement:
    """Highest stage whose rules, and those of every earlier stage, all hold; assessment has no
    rules and is where every partnership starts. Missing evidence never counts as holding."""
    results = _stage_rules(evidence, rules or StageRules())
    reached = Stage.ASSESSMENT
    for stage in STAGES[1:]:
        if any(r.status is not RuleStatus.HOLDS for r in results if r.stage is stage):
            break
        reached = stage
    position = STAGES.index(reached)
    next_stage = STAGES[position + 1] if position + 1 < len(STAGES) else None
    missing = tuple(
        r for r in results if r.stage is next_stage and r.status is not RuleStatus.HOLDS
    )
    return StageJudgement(reached, results, next_stage, missing)
