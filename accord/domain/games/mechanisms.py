"""What-if mechanisms that change the incentives, compared against the scenario as it is."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from accord.domain.games._common import _delta, _non_negative, _num, _pct, _reviews, _share
from accord.domain.games.dilemma import critical_continuation, shadow_of_the_future
from accord.domain.games.expectation import Stability, expect, stability
from accord.domain.games.payoffs import PartyPayoffs, StageGame
from accord.domain.games.strategies import Pair, Strategy, _pairs


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
