"""Payoffs derived from the economics ledgers: the mapping, and internal entries kept apart."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accord.economics.models import InvestmentEntry, ValueEntry
from accord.incentives import ledger_payoffs

pytestmark = pytest.mark.django_db


def value(cast, party, amount, owner, visibility="joint"):
    return ValueEntry.objects.create(
        partnership=cast.partnership,
        owner_org=owner,
        visibility=visibility,
        beneficiary=party,
        source="scale",
        status="realized",
        amount=Decimal(amount),
        currency="EUR",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )


def invest(cast, party, amount, owner):
    return InvestmentEntry.objects.create(
        partnership=cast.partnership,
        owner_org=owner,
        contributor=party,
        kind="financial",
        amount=Decimal(amount),
        unit="EUR",
        planned_on=date(2026, 2, 1),
        actual_on=date(2026, 2, 1),
        specificity=Decimal("0.5"),
        recoverability=Decimal("0.2"),
    )


@pytest.fixture
def ledgers(cast):
    cast.partnership.start_date, cast.partnership.end_date = date(2026, 1, 1), date(2026, 12, 31)
    cast.partnership.save()
    value(cast, cast.party_a, "4000", cast.org_a)
    value(cast, cast.party_b, "4000", cast.org_b)
    invest(cast, cast.party_a, "1000", cast.org_a)
    invest(cast, cast.party_b, "3000", cast.org_b)
    return cast


def derive(cast, viewer):
    return ledger_payoffs.ledger_payoffs(
        partnership=cast.partnership,
        viewer=viewer,
        first=cast.party_a,
        second=cast.party_b,
        review_interval_days=91,
        today=date(2026, 6, 1),
    )


def test_payoffs_follow_value_and_investment_per_review(ledgers):
    derived = derive(ledgers, ledgers.alice)
    assert derived.available, derived.message
    periods = 364 / 91
    v = 4000 / periods
    assert derived.values["first_temptation"] == pytest.approx(v, abs=0.01)
    assert derived.values["first_reward"] == pytest.approx(v - 1000 / periods, abs=0.01)
    assert derived.values["first_punishment"] == 0
    sunk = 0.5 * (1 - 0.2)
    assert derived.values["second_sucker"] == pytest.approx(-3000 / periods * sunk, abs=0.01)
    assert derived.unit == "EUR per review"
    assert any("δ* = I / V = 0.25" in s for s in derived.sentences)
    assert any("δ* = I / V = 0.75" in s for s in derived.sentences)


def test_a_partner_s_internal_valuation_does_not_move_my_payoffs(ledgers):
    before = derive(ledgers, ledgers.alice).values
    value(ledgers, ledgers.party_b, "90000", ledgers.org_b, visibility="internal")
    assert derive(ledgers, ledgers.alice).values == before
    assert derive(ledgers, ledgers.bob).values["second_temptation"] > before["second_temptation"]


def test_without_value_for_a_party_the_page_asks_for_payoffs(cast):
    cast.partnership.start_date, cast.partnership.end_date = date(2026, 1, 1), date(2026, 12, 31)
    cast.partnership.save()
    derived = derive(cast, cast.alice)
    assert not derived.available
    assert "Alder Pharma" in derived.message
