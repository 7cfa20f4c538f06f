"""The trust development stage's evidence, read from the registry (accord.trust.evidence's
``evidence_provider`` interface stays the one door; these providers fill the rules that had no
source: delivery record, completed small commitments, scope growth, staff changes, and — until
the communication capability provides it — regular joint activity)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from django.apps import apps
from django.db.models import Sum
from django.utils import timezone

from accord.health import registry
from accord.health.registry import EvidenceRow
from accord.partnerships.models import Participant, Partnership, Visibility
from accord.trust.evidence import evidence_provider

KEY_ROLES = (Participant.Role.SPONSOR, Participant.Role.ALLIANCE_MANAGER)


def _rows(partnership: Partnership, names: tuple[str, ...], weeks: int) -> list[EvidenceRow]:
    end = timezone.localdate()
    start = end - timedelta(weeks=weeks)
    rows: list[EvidenceRow] = []
    for name in names:
        if name in registry.SOURCES:
            rows.extend(registry.SOURCES[name]([partnership.pk], start=start, end=end))
    return rows


def on_time_by_quarter(partnership: Partnership, today: date) -> tuple[float, ...] | None:
    """Per quarter (oldest first), the lowest party's share of joint commitments kept on time,
    from accountability's own on-time selector; quarters where nothing was judged are left out."""
    from accord.accountability.selectors.on_time import on_time_rates_for

    _base, rates = on_time_rates_for([partnership.pk], today=today)
    per_quarter = rates.rate_by_period[0]  # (parties, quarters)
    lowest = [float(np.nanmin(column)) for column in per_quarter.T if not np.isnan(column).all()]
    return tuple(round(rate, 4) for rate in lowest) or None


@evidence_provider("health.registry")
def registry_stage_evidence(partnership: Partnership) -> dict[str, Any]:
    today = timezone.localdate()
    rows = _rows(partnership, ("accountability", "trust"), weeks=78)
    out: dict[str, Any] = {"on_time_rates": on_time_by_quarter(partnership, today)}
    small = sum(int(r.value) for r in rows if r.signal == "small_exchanges")
    out["completed_small_exchanges"] = (
        small if any(r.signal == "small_exchanges" for r in rows) else None
    )
    out["scope_growth"] = scope_growth(partnership, today)
    out["trust_drop_after_staff_change"] = trust_drop_after_staff_change(partnership, rows)
    if not apps.is_installed("accord.communication"):
        out["longest_communication_gap_days"] = longest_joint_silence(partnership, rows, today)
    return {k: v for k, v in out.items() if v is not None}


def scope_growth(partnership: Partnership, today: date) -> float | None:
    """Joint investment planned in the last year against the year before (0.25 = +25 %)."""
    from accord.economics.models import InvestmentEntry

    def total(since: date, until: date) -> Decimal:
        got = InvestmentEntry.objects.filter(
            partnership=partnership,
            visibility=Visibility.JOINT,
            planned_on__gt=since,
            planned_on__lte=until,
        ).aggregate(total=Sum("amount"))["total"]
        return got or Decimal(0)

    year = timedelta(days=365)
    last, before = total(today - year, today), total(today - 2 * year, today - year)
    if not before:
        return None
    return round(float(last / before) - 1.0, 4)


def trust_drop_after_staff_change(
    partnership: Partnership, rows: list[EvidenceRow]
) -> float | None:
    """A sponsor or alliance manager who joined after the partnership's first weeks replaced
    someone: the largest fall of mean published trust from the round before their arrival to the
    round after (1–7 points, 0 when it held or rose). None until such a change and rounds on
    both sides of it exist."""
    joined = list(
        Participant.objects.filter(partnership=partnership, role__in=KEY_ROLES).values_list(
            "joined_at", flat=True
        )
    )
    if not joined:
        return None
    first = min(joined)
    changes = [j.date() for j in joined if j - first > timedelta(days=60)]
    by_round: dict[date, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in rows:
        if r.signal.startswith("trust_"):
            by_round[r.period_start][0] += r.value * r.weight
            by_round[r.period_start][1] += r.weight
    levels = sorted((week, s / w) for week, (s, w) in by_round.items() if w)
    drops = []
    for change in changes:
        before = [v for week, v in levels if week <= change]
        after = [v for week, v in levels if week > change]
        if before and after:
            drops.append(max(0.0, before[-1] - after[0]))
    return round(max(drops), 3) if drops else None


def longest_joint_silence(
    partnership: Partnership, rows: list[EvidenceRow], today: date
) -> int | None:
    """Until the communication capability is installed: the longest run of days without any
    joint activity the registry sees (deliveries, requests, published rounds), over the last
    half year."""
    start = today - timedelta(days=182)
    days = sorted({r.period_start for r in rows if r.period_start >= start})
    if not days:
        return None
    edges = [start, *days, today]
    return max(0, max((b - a).days for a, b in itertools.pairwise(edges)) - 6)
