"""Reads for the ledgers, and the bridge from rows to the domain's flat arrays.

Every read is scoped: `viewer` decides which entries count. The indices a person sees are
computed from the entries that person may see — joint entries plus their own organization's
internal ones — so another party's private valuation never moves a figure shown to anyone else.
Without a viewer (the health engine), only joint entries count.

The many-partnership ledgers (`portfolio_ledgers`, `LedgerBatch`) live in ledgers.py;
`portfolio_ledgers` is still importable from here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.db.models import F, Q, QuerySet
from django.http import Http404

from accord.domain import economics as domain
from accord.economics.ledgers import portfolio_ledgers
from accord.economics.models import (
    DEFAULT_BASE_CURRENCY,
    InvestmentEntry,
    LedgerSettings,
    Rate,
    ValueEntry,
)
from accord.partnerships.access import NOT_FOUND, user_organization
from accord.partnerships.models import Partnership, Party


def base_currency(*, partnership: Partnership) -> str:
    found = (
        LedgerSettings.objects.filter(partnership=partnership)
        .values_list("base_currency", flat=True)
        .first()
    )
    return found or DEFAULT_BASE_CURRENCY


def rates(*, partnership: Partnership) -> QuerySet[Rate]:
    """The rate table everyone sees: archived rates (see `rates.rate_delete`) are gone."""
    return Rate.objects.filter(partnership=partnership, archived_at__isnull=True)


def rate_table(*, partnership: Partnership, include_archived: bool = False) -> domain.RateTable:
    """The partnership's rate table as the domain wants it (the base currency at 1). New entries
    choose among the live rates; `include_archived` also converts entries that keep an archived
    unit."""
    chosen = Rate.objects.filter(partnership=partnership)
    if not include_archived:
        chosen = chosen.filter(archived_at__isnull=True)
    return domain.RateTable(
        base=base_currency(partnership=partnership),
        rates={r.unit: r.per_unit for r in chosen},
    )


def parties(*, partnership: Partnership) -> list[Party]:
    return list(partnership.parties.select_related("organization").order_by("pk"))


def party_keys(*, partnership: Partnership) -> set[str]:
    """How the domain names parties: their primary keys as text."""
    return {str(pk) for pk in partnership.parties.values_list("pk", flat=True)}


def _visible(model: Any, *, partnership: Partnership, viewer: Any) -> QuerySet[Any]:
    return model.objects.visible_to(viewer).filter(partnership=partnership)


@dataclass(frozen=True)
class LedgerFilter:
    """What a ledger list is narrowed to; empty fields filter nothing."""

    party: int | None = None
    category: str = ""  # a value source or an investment kind
    status: str = ""  # value: expected/realized; investment: planned/made/late
    visibility: str = ""
    year: int | None = None


def value_entries(
    *, partnership: Partnership, viewer: Any, where: LedgerFilter | None = None
) -> QuerySet[ValueEntry]:
    entries = _visible(ValueEntry, partnership=partnership, viewer=viewer).select_related(
        "beneficiary__organization", "owner_org"
    )
    where = where or LedgerFilter()
    if where.party:
        entries = entries.filter(beneficiary_id=where.party)
    if where.category:
        entries = entries.filter(source=where.category)
    if where.status:
        entries = entries.filter(status=where.status)
    if where.visibility:
        entries = entries.filter(visibility=where.visibility)
    if where.year:
        entries = entries.filter(
            period_start__year__lte=where.year, period_end__year__gte=where.year
        )
    return entries


def investments(
    *, partnership: Partnership, viewer: Any, where: LedgerFilter | None = None, today: date
) -> QuerySet[InvestmentEntry]:
    entries = _visible(InvestmentEntry, partnership=partnership, viewer=viewer).select_related(
        "contributor__organization", "owner_org"
    )
    where = where or LedgerFilter()
    if where.party:
        entries = entries.filter(contributor_id=where.party)
    if where.category:
        entries = entries.filter(kind=where.category)
    if where.status == "made":
        entries = entries.filter(actual_on__isnull=False)
    elif where.status == "planned":
        entries = entries.filter(actual_on__isnull=True, planned_on__gte=today)
    elif where.status == "late":
        entries = entries.filter(
            Q(actual_on__isnull=True, planned_on__lt=today) | Q(actual_on__gt=F("planned_on"))
        )
    if where.visibility:
        entries = entries.filter(visibility=where.visibility)
    if where.year:
        entries = entries.filter(planned_on__year=where.year)
    return entries


def _own(model: Any, *, partnership: Partnership, viewer: Any, entry_id: int) -> Any:
    """An entry the viewer's organization owns, or 404 — a partner's entry and a missing one
    look the same."""
    org = user_organization(viewer)
    entry = (
        _visible(model, partnership=partnership, viewer=viewer)
        .filter(pk=entry_id, owner_org=org)
        .select_related("partnership", "owner_org")
        .first()
    )
    if entry is None:
        raise Http404(NOT_FOUND)
    return entry


def _one(model: Any, *, partnership: Partnership, viewer: Any, entry_id: int) -> Any:
    entry = (
        _visible(model, partnership=partnership, viewer=viewer)
        .filter(pk=entry_id)
        .select_related("owner_org")
        .first()
    )
    if entry is None:
        raise Http404(NOT_FOUND)
    return entry


def value_entry(*, partnership: Partnership, viewer: Any, entry_id: int) -> ValueEntry:
    entry: ValueEntry = _one(ValueEntry, partnership=partnership, viewer=viewer, entry_id=entry_id)
    return entry


def own_value_entry(*, partnership: Partnership, viewer: Any, entry_id: int) -> ValueEntry:
    entry: ValueEntry = _own(ValueEntry, partnership=partnership, viewer=viewer, entry_id=entry_id)
    return entry


def investment(*, partnership: Partnership, viewer: Any, entry_id: int) -> InvestmentEntry:
    entry: InvestmentEntry = _one(
        InvestmentEntry, partnership=partnership, viewer=viewer, entry_id=entry_id
    )
    return entry


def own_investment(*, partnership: Partnership, viewer: Any, entry_id: int) -> InvestmentEntry:
    entry: InvestmentEntry = _own(
        InvestmentEntry, partnership=partnership, viewer=viewer, entry_id=entry_id
    )
    return entry


def is_owner(entry: Any, viewer: Any) -> bool:
    org = user_organization(viewer)
    return org is not None and entry.owner_org_id == org.pk


# From rows to the domain's flat arrays


def _number(value: float) -> float | None:
    """NaN (no evidence) as None, so templates and JSON say "—" / null instead of "nan"."""
    return None if math.isnan(value) else value


@dataclass
class Driver:
    """An entry that weighs in a party's figure, with its amount in base currency."""

    entry: Any
    amount: float


@dataclass
class PartyFigures:
    party: Party
    realized_value: float
    expected_value: float
    invested: float
    committed: float
    realized_value_share: float | None
    invested_share: float | None
    expected_value_share: float | None
    committed_share: float | None
    realized_ratio: float | None
    expected_ratio: float | None
    hostage: float
    mean_slip_days: float | None
    late_amount: float
    late_value_days: float
    realized_drivers: list[Driver]
    expected_drivers: list[Driver]
    invested_drivers: list[Driver]
    committed_drivers: list[Driver]
    hostage_drivers: list[Driver]


@dataclass
class Slip:
    entry: InvestmentEntry
    slip_days: float
    made: bool
    amount: float


@dataclass
class PartnershipEconomics:
    """Everything the indices page and the indices API show for one partnership and viewer."""

    partnership: Partnership
    as_of: date
    base_currency: str
    value_count: int
    investment_count: int
    internal_count: int
    left_out_units: list[str]
    parties: list[PartyFigures]
    realized_imbalance: float | None
    expected_imbalance: float | None
    hostage_balance: float | None
    mean_lateness_days: float | None
    bottleneck: Party | None
    slips: list[Slip]
    explanation: domain.EconomicExplanation


def _shares(values: Iterable[float]) -> list[float | None]:
    values = list(values)
    total = sum(values)
    return [v / total if total > 0 else None for v in values]


def partnership_economics(
    *, partnership: Partnership, viewer: Any, as_of: date, slips_shown: int | None = None
) -> PartnershipEconomics:
    """Build the ledgers the viewer may see, call `economic_indices` once, and attach the rows
    behind each figure so every number can link to its entries. Only the entries some figure
    links to are read as records (drivers and slips); `slips_shown` keeps the first so many
    slips, largest amount × days late first (all of them without it)."""
    batch = portfolio_ledgers([partnership.pk], viewer=viewer)
    indices = domain.economic_indices(batch.ledgers, as_of=as_of)
    base = batch.base_currencies[0]
    party_objects = {p.pk: p for p in parties(partnership=partnership)}
    value_base = batch.ledgers.value_amount * (
        batch.ledgers.value_rate if batch.ledgers.value_rate is not None else 1.0
    )
    investment_base = batch.ledgers.investment_amount * (
        batch.ledgers.investment_rate if batch.ledgers.investment_rate is not None else 1.0
    )
    order = indices.parties_of(0)
    largest_hostages = np.argsort(-indices.entry_hostage, kind="stable")[:50]
    hostage_rows = {
        p: [
            i
            for i in largest_hostages
            if batch.ledgers.investment_party[i] == p and indices.entry_hostage[i] > 0
        ][: domain.DRIVERS_PER_PARTY]
        for p in order
    }
    slip_rows = sorted(
        (i for i in range(len(batch.investment_ids)) if not math.isnan(indices.slip_days[i])),
        key=lambda i: (
            -float(indices.slip_days[i]) * float(investment_base[i]),
            batch.investment_ids[i],
        ),
    )[:slips_shown]

    def linked(lists: Iterable[Iterable[int]], ids: list[int]) -> set[int]:
        return {ids[i] for rows in lists for i in rows if i >= 0}

    values = {
        e.pk: e
        for e in ValueEntry.objects.filter(
            pk__in=linked(
                [indices.realized_drivers[p] for p in order]
                + [indices.expected_drivers[p] for p in order],
                batch.value_ids,
            )
        ).select_related("beneficiary__organization")
    }
    invested = {
        e.pk: e
        for e in InvestmentEntry.objects.filter(
            pk__in=linked(
                [indices.invested_drivers[p] for p in order]
                + [indices.committed_drivers[p] for p in order]
                + list(hostage_rows.values())
                + [slip_rows],
                batch.investment_ids,
            )
        ).select_related("contributor__organization")
    }

    def drivers(rows: np.ndarray, ids: list[int], objects: dict[int, Any], amounts: Any) -> list:
        return [Driver(objects[ids[i]], float(amounts[i])) for i in rows if i >= 0]

    realized_shares = _shares(indices.realized_value[order])
    invested_shares = _shares(indices.invested[order])
    expected_shares = _shares(indices.expected_value[order])
    committed_shares = _shares(indices.committed[order])
    figures = []
    for n, p in enumerate(order):
        figures.append(
            PartyFigures(
                party=party_objects[batch.party_ids[p]],
                realized_value=float(indices.realized_value[p]),
                expected_value=float(indices.expected_value[p]),
                invested=float(indices.invested[p]),
                committed=float(indices.committed[p]),
                realized_value_share=realized_shares[n],
                invested_share=invested_shares[n],
                expected_value_share=expected_shares[n],
                committed_share=committed_shares[n],
                realized_ratio=_number(float(indices.realized_ratio[p])),
                expected_ratio=_number(float(indices.expected_ratio[p])),
                hostage=float(indices.hostage[p]),
                mean_slip_days=_number(float(indices.mean_slip_days[p])),
                late_amount=float(indices.late_amount[p]),
                late_value_days=float(indices.late_value_days[p]),
                realized_drivers=drivers(
                    indices.realized_drivers[p], batch.value_ids, values, value_base
                ),
                expected_drivers=drivers(
                    indices.expected_drivers[p], batch.value_ids, values, value_base
                ),
                invested_drivers=drivers(
                    indices.invested_drivers[p], batch.investment_ids, invested, investment_base
                ),
                committed_drivers=drivers(
                    indices.committed_drivers[p], batch.investment_ids, invested, investment_base
                ),
                hostage_drivers=[
                    Driver(invested[batch.investment_ids[i]], float(indices.entry_hostage[i]))
                    for i in hostage_rows[p]
                ],
            )
        )
    slips = [
        Slip(
            entry=invested[batch.investment_ids[i]],
            slip_days=float(indices.slip_days[i]),
            made=not np.isnat(batch.ledgers.investment_actual[i])
            and batch.ledgers.investment_actual[i] <= np.datetime64(as_of, "D"),
            amount=float(investment_base[i]),
        )
        for i in slip_rows
    ]
    bottleneck = int(indices.bottleneck[0])
    names = [f.party.organization.name for f in figures]
    internal = sum(batch.value_internal) + sum(batch.investment_internal)
    return PartnershipEconomics(
        partnership=partnership,
        as_of=as_of,
        base_currency=base,
        value_count=len(batch.value_ids),
        investment_count=len(batch.investment_ids),
        internal_count=internal,
        left_out_units=sorted(batch.left_out.get(partnership.pk, set())),
        parties=figures,
        realized_imbalance=_number(float(indices.realized_imbalance[0])),
        expected_imbalance=_number(float(indices.expected_imbalance[0])),
        hostage_balance=_number(float(indices.hostage_balance[0])),
        mean_lateness_days=_number(float(indices.mean_lateness_days[0])),
        bottleneck=party_objects[batch.party_ids[bottleneck]] if bottleneck >= 0 else None,
        slips=slips,
        explanation=domain.explain_partnership(indices, 0, names, base),
    )
