"""On-time delivery per party and quarter, for one partnership or a whole portfolio."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.utils import timezone

from accord.accountability.models import (
    Commitment,
)
from accord.accountability.selectors._common import (
    _day,
    _num,
    _Portfolio,
    _portfolio,
    _portfolio_of_one,
    parties,
)
from accord.domain import performance as perf
from accord.partnerships.models import Partnership, Party, Visibility

ON_TIME_QUARTERS = 6


def _commitment_arrays(base: _Portfolio, rows: Iterable[tuple[Any, ...]]) -> perf.Commitments:
    p, q, due, done, status = [], [], [], [], []
    for party_id, due_on, done_on, st in rows:
        i, j = base.party_index[party_id]
        p.append(i)
        q.append(j)
        due.append(_day(due_on))
        done.append(_day(done_on))
        status.append(st)
    return perf.Commitments(
        partnership=np.array(p, dtype=np.int64),
        party=np.array(q, dtype=np.int64),
        due_on=np.array(due, dtype="datetime64[D]"),
        done_on=np.array(done, dtype="datetime64[D]"),
        status=np.array(status, dtype=np.str_),
    )


def on_time_rates_for(
    partnership_ids: Sequence[int],
    *,
    today: date,
    n_periods: int = ON_TIME_QUARTERS,
    base: _Portfolio | None = None,
) -> tuple[_Portfolio, perf.OnTimeRates]:
    """On-time rates per party and quarter for many partnerships in one pass. Counts joint
    commitments only: the record both parties share (an organization's internal commitments
    would give each side a different number). ``base`` is their parties when already read."""
    base = base or _portfolio(partnership_ids)
    rows = Commitment.objects.filter(
        partnership_id__in=partnership_ids, visibility=Visibility.JOINT
    ).values_list("owner_party_id", "due_on", "done_on", "status")
    rates = perf.on_time_rates(
        _commitment_arrays(base, rows.iterator(chunk_size=5000)),
        base.portfolio,
        today=today,
        period=perf.Period.QUARTER,
        n_periods=n_periods,
    )
    return base, rates


def _quarter_label(start: np.datetime64) -> str:
    d = start.astype("datetime64[D]").item()
    return f"Q{(d.month - 1) // 3 + 1} {d.year}"


@dataclass
class PartyRate:
    party: Party
    kept: list[int]
    evaluated: list[int]
    rates: list[float | None]
    kept_total: int
    evaluated_total: int
    rate: float | None

    def cells(self) -> list[tuple[int, int, float | None]]:
        return list(zip(self.kept, self.evaluated, self.rates, strict=True))


@dataclass
class OnTime:
    today: date
    quarters: list[str]
    rows: list[PartyRate]
    signal: float | None
    kept: int
    evaluated: int

    def sentence(self) -> str:
        if self.evaluated == 0:
            return (
                f"No joint commitment has fallen due in the last {len(self.quarters)} quarters: "
                "no evidence about on-time delivery yet."
            )
        parts = []
        for row in self.rows:
            if row.evaluated_total:
                parts.append(
                    f"{row.party.organization.name} kept {row.kept_total} of "
                    f"{row.evaluated_total} on time ({row.rate:.0%})"
                )
            else:
                parts.append(f"{row.party.organization.name} had none due")
        return (
            f"Over the last {len(self.quarters)} quarters, {self.kept} of {self.evaluated} joint "
            f"commitments were delivered by their due date ({self.signal:.0%}): "
            + "; ".join(parts)
            + "."
        )


def on_time(
    *, partnership: Partnership, today: date | None = None, party_list: list[Party] | None = None
) -> OnTime:
    """``party_list`` is ``parties(partnership)`` when the caller has read it already."""
    today = today or timezone.localdate()
    party_list = parties(partnership) if party_list is None else party_list
    _base, rates = on_time_rates_for(
        [partnership.pk], today=today, base=_portfolio_of_one(partnership.pk, party_list)
    )
    rate_by_period = rates.rate_by_period
    rate = rates.rate
    rows = []
    for j, party in enumerate(party_list):
        rows.append(
            PartyRate(
                party=party,
                kept=[int(v) for v in rates.kept[0, j]],
                evaluated=[int(v) for v in rates.evaluated[0, j]],
                rates=[_num(v) for v in rate_by_period[0, j]],
                kept_total=int(rates.kept[0, j].sum()),
                evaluated_total=int(rates.evaluated[0, j].sum()),
                rate=_num(rate[0, j]),
            )
        )
    signal = perf.on_time_signal(rates)
    return OnTime(
        today=today,
        quarters=[_quarter_label(s) for s in rates.period_starts],
        rows=rows,
        signal=_num(signal[0]),
        kept=int(rates.kept[0].sum()),
        evaluated=int(rates.evaluated[0].sum()),
    )
