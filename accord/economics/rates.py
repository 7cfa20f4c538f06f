"""The rate table: each unit's rate against the partnership's base currency, and the base
currency itself. Rates are joint: every party reads every figure through them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accord.domain import economics as domain
from accord.economics import selectors
from accord.economics.models import (
    InvestmentEntry,
    LedgerSettings,
    Rate,
    ValueEntry,
)
from accord.economics.services import _show
from accord.partnerships.audit import record_event
from accord.partnerships.models import Partnership

RATE_IN_USE = "Entries are recorded in {unit}; change them before removing its rate."
BASE_RATE_FIXED = "The base currency's rate is always 1; choose another base currency first."
NEW_BASE_NOT_IN_TABLE = "Add a rate for {unit} before making it the base currency."
RATE_TOO_LARGE = "The rate is too large or has too many decimal places."
MAX_RATE = Decimal(10) ** 16
RATE_PLACES = Decimal("1e-8")


def _check_rate(unit: str, per_unit: Decimal) -> None:
    if not per_unit.is_finite() or per_unit >= MAX_RATE or per_unit.as_tuple().exponent < -8:  # type: ignore[operator]
        raise ValidationError({"per_unit": [RATE_TOO_LARGE]})
    try:
        domain.RateTable(base="XXX", rates={unit: per_unit})
    except domain.EconomicsError as error:
        field = "unit" if error.message == domain.UNIT_UNKNOWN else "per_unit"
        raise ValidationError({field: [error.message]}) from None


@transaction.atomic
def rate_set(*, partnership: Partnership, user: Any, unit: str, per_unit: Decimal) -> Rate:
    """Add or change the value of one unit in the base currency."""
    unit = unit.strip().upper().replace("-", "_")
    base = selectors.base_currency(partnership=partnership)
    if unit == base:
        raise ValidationError({"unit": [BASE_RATE_FIXED]})
    _check_rate(unit, per_unit)
    rate, created = Rate.objects.get_or_create(
        partnership=partnership, unit=unit, defaults={"per_unit": per_unit}
    )
    # An archived rate reads as absent (see rate_delete): setting it again is adding it.
    before = None if created or rate.archived_at else rate.per_unit
    if before is not None and before == per_unit:
        return rate
    rate.per_unit = per_unit
    rate.archived_at = None
    rate.save()
    record_event(
        partnership=partnership,
        actor=user,
        action="economics.rate_set",
        summary=f"Rate set: 1 {unit} = {per_unit.normalize():f} {base}",
        target=rate,
        changes={unit: [_show(before), _show(per_unit)]},
    )
    return rate


def _units_in_use(partnership: Partnership, viewer: Any = None) -> set[str]:
    """Units the entries use — only those `viewer` may see when one is given."""
    values = ValueEntry.objects.filter(partnership=partnership)
    invested = InvestmentEntry.objects.filter(partnership=partnership)
    if viewer is not None:
        values, invested = values.visible_to(viewer), invested.visible_to(viewer)
    return set(values.values_list("currency", flat=True).distinct()) | set(
        invested.values_list("unit", flat=True).distinct()
    )


@transaction.atomic
def rate_delete(*, partnership: Partnership, user: Any, unit: str) -> None:
    """Remove a rate from the table.

    Only entries the remover can see may refuse it (joint ones and its own organization's
    internal ones): a refusal caused by another party's internal entry would tell the remover
    that such an entry exists. When only entries the remover cannot see use the unit, the rate
    is archived instead of deleted: it leaves the table for everyone and no new entry can choose
    it, but those entries keep converting with it, so their owner's indices do not change. To
    the remover both outcomes look the same.
    """
    if unit in _units_in_use(partnership, viewer=user):
        raise ValidationError(RATE_IN_USE.format(unit=unit))
    rate = Rate.objects.filter(partnership=partnership, unit=unit, archived_at__isnull=True).first()
    if rate is None:
        return
    if unit in _units_in_use(partnership):
        rate.archived_at = timezone.now()
        rate.save(update_fields=["archived_at"])
    else:
        rate.delete()
    record_event(
        partnership=partnership,
        actor=user,
        action="economics.rate_delete",
        summary=f"Rate for {unit} removed",
        changes={"unit": unit},
    )


@transaction.atomic
def base_currency_set(*, partnership: Partnership, user: Any, currency: str) -> LedgerSettings:
    """Make another currency of the table the base; every rate is re-expressed in it, so the
    figures keep their meaning: rate(u) becomes rate(u) ÷ rate(new base)."""
    currency = currency.strip().upper()
    settings, _ = LedgerSettings.objects.select_for_update().get_or_create(partnership=partnership)
    old = settings.base_currency
    if currency == old:
        return settings
    if not domain.is_currency_code(currency):
        raise ValidationError({"currency": [domain.CURRENCY_CODE_INVALID]})
    rates = {r.unit: r for r in Rate.objects.filter(partnership=partnership)}
    if currency not in rates or rates[currency].archived_at is not None:
        raise ValidationError({"currency": [NEW_BASE_NOT_IN_TABLE.format(unit=currency)]})
    pivot = rates.pop(currency).per_unit
    for rate in rates.values():
        rate.per_unit = (rate.per_unit / pivot).quantize(RATE_PLACES)
    old_rate = (Decimal(1) / pivot).quantize(RATE_PLACES)
    if not 0 < old_rate < MAX_RATE or any(not 0 < r.per_unit < MAX_RATE for r in rates.values()):
        raise ValidationError({"currency": [RATE_TOO_LARGE]})
    Rate.objects.filter(partnership=partnership, unit=currency).delete()
    Rate.objects.bulk_update(rates.values(), ["per_unit"])
    Rate.objects.create(partnership=partnership, unit=old, per_unit=old_rate)
    settings.base_currency = currency
    settings.save()
    record_event(
        partnership=partnership,
        actor=user,
        action="economics.base_currency_set",
        summary=f"Base currency changed from {old} to {currency}; every rate re-expressed in it",
        target=partnership,
        changes={"base_currency": [old, currency]},
    )
    return settings
