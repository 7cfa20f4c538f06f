"""A value in USD or an investment in FTE-months on a partnership with no such rate is not a dead
end: the same form asks for the rate and saves both together (issue 12, forms)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils.html import escape

from accord.domain.economics import UNIT_NOT_IN_RATE_TABLE
from accord.economics.models import InvestmentEntry, Rate, ValueEntry
from accord.economics.tests.helpers import days_ago
from accord.economics.views.missing_rate import RATE_BELOW
from accord.partnerships.audit import AuditEvent

pytestmark = pytest.mark.django_db


def value_form(cast, **extra) -> dict:
    return {
        "description": "Shared purchasing savings",
        "source": "scale",
        "beneficiary": cast.party_a.pk,
        "status": "realized",
        "amount": "1200",
        "currency": "USD",
        "period_start": days_ago(60).isoformat(),
        "period_end": days_ago(1).isoformat(),
        "visibility": "joint",
        **extra,
    }


def values_url(cast) -> str:
    return f"/partnerships/{cast.partnership.pk}/economics/values/new/"


def test_the_unit_fields_offer_known_and_common_units(cast, client):
    client.force_login(cast.alice)
    page = client.get(f"/partnerships/{cast.partnership.pk}/economics/investments/new/")
    html = page.content.decode()
    for unit in ("EUR", "USD", "FTE_MONTH", "EXEC_HOUR"):
        assert f'<option value="{unit}">' in html
    assert 'list="units"' in html


def test_a_value_in_a_currency_without_a_rate_asks_for_the_rate_in_the_same_form(cast, client):
    client.force_login(cast.alice)

    first = client.post(values_url(cast), value_form(cast))

    html = first.content.decode()
    assert first.status_code == 200
    assert RATE_BELOW in html  # not "add one first": the rate field is right there
    assert escape(UNIT_NOT_IN_RATE_TABLE) not in html
    assert "There is no rate for <strong>USD</strong> yet." in html
    assert 'name="new_rate"' in html
    assert not ValueEntry.objects.exists()
    assert not Rate.objects.filter(unit="USD").exists()

    second = client.post(values_url(cast), value_form(cast, new_rate="0.92"))

    assert second.status_code == 302
    entry = ValueEntry.objects.get()
    assert (entry.currency, entry.amount) == ("USD", Decimal("1200"))
    assert Rate.objects.get(partnership=cast.partnership, unit="USD").per_unit == Decimal("0.92")
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "economics.rate_set" in actions
    assert "economics.value_create" in actions


def test_a_refused_entry_adds_no_rate(cast, client):
    client.force_login(cast.alice)
    bad_period = value_form(cast, new_rate="0.92", period_end=days_ago(90).isoformat())

    response = client.post(values_url(cast), bad_period)

    assert response.status_code == 200
    assert not Rate.objects.filter(unit="USD").exists()
    assert not ValueEntry.objects.exists()


def test_a_bad_rate_is_an_error_on_the_rate_field(cast, client):
    client.force_login(cast.alice)
    response = client.post(values_url(cast), value_form(cast, new_rate="0"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "A rate must be a positive" in html
    assert 'name="new_rate"' in html
    assert not ValueEntry.objects.exists()
    assert not Rate.objects.filter(unit="USD").exists()


def test_someone_who_may_not_set_rates_is_told_who_can(cast, client):
    client.force_login(cast.amos)  # a team member: records entries, does not manage rates

    response = client.post(values_url(cast), value_form(cast, new_rate="0.92"))

    html = response.content.decode()
    assert "only an alliance manager or sponsor can add one" in html
    assert escape(UNIT_NOT_IN_RATE_TABLE) in html
    assert 'name="new_rate"' not in html
    assert not Rate.objects.filter(unit="USD").exists()


def test_an_investment_in_fte_months_gets_its_rate_inline(cast, client):
    client.force_login(cast.bob)
    url = f"/partnerships/{cast.partnership.pk}/economics/investments/new/"
    data = {
        "description": "Two chemists for a quarter",
        "contributor": cast.party_b.pk,
        "kind": "human",
        "amount": "6",
        "unit": "FTE_MONTH",
        "planned_on": days_ago(30).isoformat(),
        "actual_on": days_ago(30).isoformat(),
        "specificity": "0.5",
        "recoverability": "0.1",
        "visibility": "joint",
    }
    assert "There is no rate for <strong>FTE_MONTH</strong> yet." in (
        client.post(url, data).content.decode()
    )

    assert client.post(url, {**data, "new_rate": "14000"}).status_code == 302
    assert InvestmentEntry.objects.get().unit == "FTE_MONTH"
    assert Rate.objects.get(unit="FTE_MONTH").per_unit == Decimal("14000")
