"""What economics offers the health engine: one call for many partnerships."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils import timezone

from accord.domain.economics import EconomicSignals, economic_signals
from accord.economics.selectors import portfolio_ledgers


def economic_signals_for(
    partnership_ids: Sequence[int], *, as_of: date | None = None
) -> EconomicSignals:
    """The domain's `economic_signals` for these partnerships, position i for partnership_ids[i]
    (duplicates dropped, first kept). Only joint entries count: the health index is shown to
    every party, so no organization's internal valuation may move it. Three queries, then one
    vectorized pass, whatever the number of partnerships."""
    batch = portfolio_ledgers(partnership_ids)
    return economic_signals(batch.ledgers, as_of=as_of or timezone.localdate())
