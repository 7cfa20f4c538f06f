"""The ledgers of many partnerships at once, as the domain's flat arrays (`PortfolioLedgers`),
with what links each position back to its row: what the health engine, the review pack, the
demo check and the indices page read. Split from selectors.py, which keeps the per-partnership
reads and the figures built on them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import QuerySet

from accord.domain import economics as domain
from accord.economics.models import (
    DEFAULT_BASE_CURRENCY,
    InvestmentEntry,
    LedgerSettings,
    Rate,
    ValueEntry,
)
from accord.partnerships.models import Party, Visibility


@dataclass
class LedgerBatch:
    """`ledgers` plus what links its positions back to rows: `partnership_ids[i]` is partnership
    i, `party_ids[p]`/`party_names[p]` party p, `value_ids[j]`/`investment_ids[j]` entry j.
    `left_out` counts entries whose unit has no rate (they cannot be converted);
    `value_internal[j]`/`investment_internal[j]` say whether entry j is internal to one
    organization."""

    ledgers: domain.PortfolioLedgers
    partnership_ids: list[int]
    base_currencies: list[str]
    party_ids: list[int]
    party_names: list[str]
    value_ids: list[int]
    investment_ids: list[int]
    left_out: dict[int, set[str]] = field(default_factory=dict)
    value_internal: list[bool] = field(default_factory=list)
    investment_internal: list[bool] = field(default_factory=list)


def portfolio_ledgers(partnership_ids: Sequence[int], *, viewer: Any = None) -> LedgerBatch:
    """The ledgers of many partnerships as one `PortfolioLedgers`, in a few queries. With a
    viewer, the entries that viewer may see; without, joint entries only."""
    ids = list(dict.fromkeys(partnership_ids))
    position = {pid: i for i, pid in enumerate(ids)}
    party_rows = sorted(
        Party.objects.filter(partnership_id__in=ids).values_list(
            "pk", "partnership_id", "organization__name"
        ),
        key=lambda row: (position[row[1]], row[0]),
    )
    party_index = {pk: i for i, (pk, _, _) in enumerate(party_rows)}
    bases = dict(
        LedgerSettings.objects.filter(partnership_id__in=ids).values_list(
            "partnership_id", "base_currency"
        )
    )
    base_of = [bases.get(pid, DEFAULT_BASE_CURRENCY) for pid in ids]
    rate_of: dict[tuple[int, str], float] = {
        (pid, unit): float(per_unit)
        for pid, unit, per_unit in Rate.objects.filter(partnership_id__in=ids).values_list(
            "partnership_id", "unit", "per_unit"
        )
    }
    for pid, base in zip(ids, base_of, strict=True):
        rate_of[(pid, base)] = 1.0

    def scoped(model: Any) -> QuerySet[Any]:
        rows = model.objects.filter(partnership_id__in=ids)
        if viewer is None:
            return rows.filter(visibility=Visibility.JOINT)
        return rows.filter(pk__in=model.objects.visible_to(viewer).values("pk"))

    left_out: dict[int, set[str]] = {}
    value_rows, value_internal = [], []
    for pk, pid, party, amount, unit, status, visibility in (
        scoped(ValueEntry)
        .order_by("pk")
        .values_list(
            "pk", "partnership_id", "beneficiary_id", "amount", "currency", "status", "visibility"
        )
    ):
        rate = rate_of.get((pid, unit))
        if rate is None or party not in party_index:
            left_out.setdefault(pid, set()).add(unit)
            continue
        value_rows.append((pk, party_index[party], float(amount), rate, status == "realized"))
        value_internal.append(visibility == Visibility.INTERNAL)
    investment_rows, investment_internal = [], []
    for pk, pid, party, amount, unit, planned, actual, specificity, recoverability, vis in (
        scoped(InvestmentEntry)
        .order_by("pk")
        .values_list(
            "pk",
            "partnership_id",
            "contributor_id",
            "amount",
            "unit",
            "planned_on",
            "actual_on",
            "specificity",
            "recoverability",
            "visibility",
        )
    ):
        rate = rate_of.get((pid, unit))
        if rate is None or party not in party_index:
            left_out.setdefault(pid, set()).add(unit)
            continue
        investment_internal.append(vis == Visibility.INTERNAL)
        investment_rows.append(
            (
                pk,
                party_index[party],
                float(amount),
                rate,
                planned,
                actual,
                float(specificity),
                float(recoverability),
            )
        )
    values = list(zip(*value_rows, strict=True)) or [()] * 5
    invested = list(zip(*investment_rows, strict=True)) or [()] * 8
    ledgers = domain.PortfolioLedgers(
        n_partnerships=len(ids),
        party_partnership=np.array([position[row[1]] for row in party_rows], dtype=np.intp),
        value_party=np.array(values[1], dtype=np.intp),
        value_amount=np.array(values[2], dtype=np.float64),
        value_rate=np.array(values[3], dtype=np.float64),
        value_realized=np.array(values[4], dtype=np.bool_),
        investment_party=np.array(invested[1], dtype=np.intp),
        investment_amount=np.array(invested[2], dtype=np.float64),
        investment_rate=np.array(invested[3], dtype=np.float64),
        investment_planned=np.array(invested[4], dtype="datetime64[D]"),
        investment_actual=np.array(invested[5], dtype="datetime64[D]"),
        investment_specificity=np.array(invested[6], dtype=np.float64),
        investment_recoverability=np.array(invested[7], dtype=np.float64),
    )
    return LedgerBatch(
        ledgers=ledgers,
        partnership_ids=ids,
        base_currencies=base_of,
        party_ids=[row[0] for row in party_rows],
        party_names=[row[2] for row in party_rows],
        value_ids=list(values[0]),
        investment_ids=list(invested[0]),
        left_out=left_out,
        value_internal=value_internal,
        investment_internal=investment_internal,
    )


# The indices page
