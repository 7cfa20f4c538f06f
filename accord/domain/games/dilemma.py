"""The dilemma: prisoner's-dilemma conditions, δ* against the shadow of the future, and the
stage game's equilibria."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from accord.domain.games._common import (
    NOT_POSITIVE,
    GameError,
    _delta,
    _finite,
    _non_negative,
    _num,
    _share,
)
from accord.domain.games.payoffs import PartyPayoffs, StageGame


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
