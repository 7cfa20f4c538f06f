"""Payoffs derived from the economics ledgers for one pair of parties (the model form's
"derive from the ledgers" choice), or why they could not be."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from accord.domain import games
from accord.incentives.selectors import _fmt, _pct
from accord.partnerships.models import Partnership, Party


@dataclass(frozen=True)
class LedgerPayoffs:
    """Payoffs derived from the economics ledgers for one pair, or why they could not be."""

    available: bool
    message: str
    values: dict[str, float]
    unit: str
    sentences: tuple[str, ...]


NO_LEDGERS = "The economics ledgers are not available here yet; enter the payoffs directly."
EMPTY_LEDGERS = (
    "The ledgers hold no value for {party} yet, so there is nothing to derive its payoffs "
    "from; enter the payoffs directly, or record value and contributions under Economics."
)
NO_DATES = (
    "The partnership needs a start and an end date to spread its ledgers over review periods; "
    "set them, or enter the payoffs directly."
)


def ledger_payoffs(
    *,
    partnership: Partnership,
    viewer: Any,
    first: Party,
    second: Party,
    review_interval_days: int,
    today: date,
) -> LedgerPayoffs:
    """Each party's T, R, P, S per review period from the value and investment ledgers the
    viewer may see, through games.payoffs_from_ledger:

    - value V: all value the party receives, realized and expected, per review period;
    - investment I: all it has committed, made or planned, per review period;
    - sunk share: the part of its contributions made that is specific and unrecoverable.

    mutual value = V − I (both contribute: it receives V and pays I); withholding gain = V (it
    keeps receiving what the partner's contribution delivers and saves its own); solo cost =
    I × sunk share (contributing alone, it loses what cannot be recovered or used elsewhere).
    So δ* = I / V: the party needs a shadow of the future at least its cost-to-value ratio.
    """
    try:
        from accord.economics import selectors as economics
    except ImportError:
        return LedgerPayoffs(False, NO_LEDGERS, {}, "", ())
    if not (partnership.start_date and partnership.end_date):
        return LedgerPayoffs(False, NO_DATES, {}, "", ())
    try:
        figures = economics.partnership_economics(
            partnership=partnership, viewer=viewer, as_of=today
        )
        by_party = {f.party.pk: f for f in figures.parties}
        base = str(figures.base_currency)
    except (AttributeError, TypeError, ValueError, LookupError):
        return LedgerPayoffs(False, NO_LEDGERS, {}, "", ())
    days = max(1, (partnership.end_date - partnership.start_date).days)
    periods = max(1.0, days / review_interval_days)
    values: dict[str, float] = {}
    sentences = [
        f"The ledgers cover the partnership from {partnership.start_date:%d %b %Y} to "
        f"{partnership.end_date:%d %b %Y}: {periods:.1f} review periods of "
        f"{review_interval_days} days. Amounts are in {base} per review period, from the "
        f"entries you can see."
    ]
    for seat, party in (("first", first), ("second", second)):
        found = by_party.get(party.pk)
        name = party.organization.name
        value = (found.realized_value + found.expected_value) if found else 0.0
        if value <= 0 or not math.isfinite(value):
            return LedgerPayoffs(False, EMPTY_LEDGERS.format(party=name), {}, "", ())
        invested = found.committed if found else 0.0
        sunk = found.hostage / found.invested if found and found.invested > 0 else 0.0
        v, i = value / periods, invested / periods
        payoffs = games.payoffs_from_ledger(
            name, mutual_value=v - i, withholding_gain=v, solo_cost=i * sunk
        )
        for key in ("temptation", "reward", "punishment", "sucker"):
            values[f"{seat}_{key}"] = round(getattr(payoffs, key), 2)
        sentences.append(
            f"{name} receives {v:,.2f} and invests {i:,.2f} per review; {_pct(sunk)} of what it "
            f"has put in is specific and unrecoverable. Both contributing: R = {v:,.2f} − "
            f"{i:,.2f} = {payoffs.reward:,.2f}. Withholding while the partner contributes keeps "
            f"the value and saves the investment: T = {payoffs.temptation:,.2f}. Both "
            f"withholding: P = 0. Contributing alone loses the sunk part: "
            f"S = −{i * sunk:,.2f}. So δ* = I / V = {_fmt(i / v)}."
        )
    return LedgerPayoffs(True, "", values, f"{base} per review", tuple(sentences))
