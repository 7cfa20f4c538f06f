"""Oversight balance (who monitors whom) and the monitoring requests behind it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.db.models import Q, QuerySet
from django.utils import timezone

from accord.accountability.models import (
    MonitoringRequest,
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

OVERSIGHT_WINDOW_DAYS = 91
OVERSIGHT_THRESHOLD = 0.75


@dataclass
class Oversight:
    sentence: str
    flagged: bool
    signal: float | None
    total: int
    rows: list[tuple[Party, int, float | None]]
    window_days: int
    threshold: float


def oversight_balance_for(
    partnership_ids: Sequence[int], *, today: date, base: _Portfolio | None = None
) -> tuple[_Portfolio, perf.OversightBalance]:
    """``base`` is the partnerships' parties when already read."""
    base = base or _portfolio(partnership_ids)
    since = today - timedelta(days=OVERSIGHT_WINDOW_DAYS)
    p, q, day = [], [], []
    for party_id, requested_on in (
        MonitoringRequest.objects.filter(
            partnership_id__in=partnership_ids, requested_on__gt=since, requested_on__lte=today
        )
        .values_list("requesting_party_id", "requested_on")
        .iterator(chunk_size=5000)
    ):
        i, j = base.party_index[party_id]
        p.append(i)
        q.append(j)
        day.append(_day(requested_on))
    requests = perf.MonitoringRequests(
        partnership=np.array(p, dtype=np.int64),
        party=np.array(q, dtype=np.int64),
        requested_on=np.array(day, dtype="datetime64[D]"),
    )
    balance = perf.oversight_balance(
        requests,
        base.portfolio,
        today=today,
        window_days=OVERSIGHT_WINDOW_DAYS,
        threshold=OVERSIGHT_THRESHOLD,
    )
    return base, balance


def oversight(
    *, partnership: Partnership, today: date | None = None, party_list: list[Party] | None = None
) -> Oversight:
    """Monitoring requests are always joint, so every reader sees the same balance.
    ``party_list`` is ``parties(partnership)`` when the caller has read it already."""
    today = today or timezone.localdate()
    party_rows = parties(partnership) if party_list is None else party_list
    _base, balance = oversight_balance_for(
        [partnership.pk], today=today, base=_portfolio_of_one(partnership.pk, party_rows)
    )
    names = [p.organization.name for p in party_rows] or ["—"]
    share = balance.share
    return Oversight(
        sentence=perf.oversight_sentence(balance, 0, names),
        flagged=bool(balance.flagged[0]),
        signal=_num(perf.oversight_signal(balance)[0]),
        total=int(balance.total[0]),
        rows=[
            (party, int(balance.counts[0, j]), _num(share[0, j]))
            for j, party in enumerate(party_rows)
        ],
        window_days=balance.window_days,
        threshold=balance.threshold,
    )


def monitoring_requests(
    *, partnership: Partnership, viewer: Any, open_only: bool = False
) -> QuerySet[MonitoringRequest]:
    rows = (
        MonitoringRequest.objects.visible_to(viewer)
        .filter(partnership=partnership)
        .filter(Q(commitment__visibility=Visibility.JOINT))
        .select_related("commitment__owner_party__organization", "requesting_party__organization")
        .select_related("created_by", "answered_by")
    )
    if open_only:
        rows = rows.filter(answered_at__isnull=True)
    return rows
