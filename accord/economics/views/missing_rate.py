"""No dead end for a unit without a rate: the ledger forms offer the missing rate in place.

When an entry is refused because its currency or unit has no rate, the form shows one more
field, "value of one <unit> in <base>"; saving again adds the rate and records the entry in one
transaction (both or neither). Only people who may manage the rate table get the field (the same
rule as the rate table page); others are told who can add it. The unit fields offer the
partnership's rates plus common units from a list; a unit outside the list still works through
the same rate field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import Form

from accord.domain.economics import EXEC_HOUR, FTE_MONTH, UNIT_NOT_IN_RATE_TABLE
from accord.economics import rates, selectors
from accord.partnerships.access import Need, can

RATE_BELOW = "No rate for this unit yet: give it below."
COMMON_UNITS = ("EUR", "USD", "GBP", "CHF", "JPY", "CNY", "SEK", "DKK", FTE_MONTH, EXEC_HOUR)


def _unit(raw: str) -> str:
    """As the services store an entry's unit."""
    return raw.strip().upper()


def unit_choices(partnership: Any) -> tuple[list[str], list[str]]:
    """(every unit to offer, the units that have a rate): the rate table's first, then common."""
    rated = sorted(selectors.rate_table(partnership=partnership).rates)
    return rated + [u for u in COMMON_UNITS if u not in rated], rated


def save_with_rate(
    request: Any, partnership: Any, form: Form, unit_field: str, save: Callable[[], Any]
) -> Any:
    """Run `save()`; first, when the form brings a rate for a unit that has none yet and the user
    may set rates, add that rate — in the same transaction, so a refused entry adds no rate."""
    per_unit = form.cleaned_data.get("new_rate")
    unit = _unit(form.cleaned_data.get(unit_field) or "")
    with transaction.atomic():
        if (
            per_unit is not None
            and unit not in selectors.rate_table(partnership=partnership).rates
            and can(request.user, partnership, Need.MANAGE)
        ):
            try:
                rates.rate_set(
                    partnership=partnership, user=request.user, unit=unit, per_unit=per_unit
                )
            except ValidationError as error:
                raise ValidationError({"new_rate": error.messages}) from None
        return save()


def rate_context(request: Any, partnership: Any, form: Form, unit_field: str) -> dict[str, Any]:
    """What the form template needs: the unit lists and, when a unit lacks a rate, that unit."""
    units, rated = unit_choices(partnership)
    missing = ""
    if form.is_bound and (
        UNIT_NOT_IN_RATE_TABLE in form.errors.get(unit_field, []) or form.errors.get("new_rate")
    ):
        missing = _unit(form.data.get(unit_field, ""))[:12]
        if can(request.user, partnership, Need.MANAGE) and unit_field in form.errors:
            # "add one first" would send them away: the rate field is right below
            form.errors[unit_field] = form.error_class([RATE_BELOW])
    return {
        "units": units,
        "rated_units": rated,
        "missing_rate": missing,
        "can_set_rate": can(request.user, partnership, Need.MANAGE),
        "base": selectors.base_currency(partnership=partnership),
    }
