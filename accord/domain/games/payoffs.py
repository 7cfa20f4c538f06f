"""Payoffs: what each outcome of one review is worth to each party, and the stage game."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.domain.games._common import NOT_NAMED, SAME_NAME, FloatArray, GameError, _finite


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
