"""Ledger entries for tests, owned by Alder (party A) unless told otherwise."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accord.economics.models import InvestmentEntry, Rate, ValueEntry


def today() -> date:
    return timezone.localdate()


def days_ago(n: int) -> date:
    return today() - timedelta(days=n)


def rates(cast, **units):
    for unit, per_unit in (units or {"USD": "0.92", "FTE_MONTH": "14000"}).items():
        Rate.objects.update_or_create(
            partnership=cast.partnership, unit=unit, defaults={"per_unit": Decimal(per_unit)}
        )


def value(cast, *, owner=None, beneficiary=None, **fields):
    owner = owner or cast.org_a
    values = {
        "source": "scale",
        "amount": Decimal(1000),
        "currency": "EUR",
        "status": "realized",
        "period_start": days_ago(90),
        "period_end": days_ago(1),
        "visibility": "joint",
        "description": "Shared purchasing savings",
        **fields,
    }
    return ValueEntry.objects.create(
        partnership=cast.partnership,
        owner_org=owner,
        beneficiary=beneficiary or cast.party_a,
        **values,
    )


def investment(cast, *, owner=None, contributor=None, **fields):
    owner = owner or cast.org_a
    values = {
        "kind": "financial",
        "amount": Decimal(5000),
        "unit": "EUR",
        "planned_on": days_ago(60),
        "actual_on": days_ago(60),
        "specificity": Decimal("0.5"),
        "recoverability": Decimal("0.2"),
        "visibility": "joint",
        "description": "Funding tranche",
        **fields,
    }
    return InvestmentEntry.objects.create(
        partnership=cast.partnership,
        owner_org=owner,
        contributor=contributor or cast.party_a,
        **values,
    )
