import json

import pytest

from accord.domain import economics as domain
from accord.economics.models import InvestmentEntry, ValueEntry
from accord.economics.tests.helpers import days_ago, investment, today, value


def base(cast):
    return f"/api/v1/partnerships/{cast.partnership.pk}/economics"


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def value_body(cast, **overrides):
    return {
        "source": "risk_sharing",
        "beneficiary_party_id": cast.party_b.pk,
        "amount": "1000.25",
        "currency": "EUR",
        "status": "realized",
        "period_start": str(days_ago(30)),
        "period_end": str(days_ago(1)),
        **overrides,
    }


def investment_body(cast, **overrides):
    return {
        "contributor_party_id": cast.party_a.pk,
        "kind": "financial",
        "amount": "5000",
        "unit": "EUR",
        "planned_on": str(days_ago(30)),
        "specificity": "0.4",
        "recoverability": "0.5",
        **overrides,
    }


def test_the_api_creates_reads_updates_and_deletes_value_entries(cast, client):
    client.force_login(cast.alice)
    created = post(client, f"{base(cast)}/value-entries", value_body(cast))
    assert created.status_code == 201
    entry_id = created.json()["id"]
    assert created.json()["beneficiary"] == "Birch Bio"
    path = f"{base(cast)}/value-entries/{entry_id}"
    patched = client.patch(
        path, json.dumps({"status": "expected"}), content_type="application/json"
    )
    assert patched.json()["status"] == "expected"
    assert patched.json()["amount"] == "1000.2500"
    assert client.get(f"{base(cast)}/value-entries").json()["count"] == 1
    assert client.delete(path).status_code == 204
    assert not ValueEntry.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"amount": "-10"}, "amount", domain.AMOUNT_NEGATIVE),
        ({"currency": "XYZ"}, "currency", domain.UNIT_NOT_IN_RATE_TABLE),
        ({"currency": "EURO"}, "currency", domain.CURRENCY_CODE_INVALID),
        ({"period_end": str(days_ago(60))}, "period_end", domain.PERIOD_ENDS_BEFORE_IT_STARTS),
        ({"beneficiary_party_id": 999999}, "beneficiary", domain.PARTY_NOT_IN_PARTNERSHIP),
    ],
)
def test_bad_value_entries_are_rejected_with_the_rule(cast, client, change, field, message):
    client.force_login(cast.alice)
    response = post(client, f"{base(cast)}/value-entries", value_body(cast, **change))
    assert response.status_code == 400
    assert response.json()["code"] == "rejected"
    assert {"loc": [field], "msg": message} in response.json()["errors"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"amount": "-1"}, "amount", domain.AMOUNT_NEGATIVE),
        ({"kind": "human"}, "unit", domain.UNIT_DOES_NOT_FIT_KIND),
        ({"specificity": "1.2"}, "specificity", domain.SPECIFICITY_OUT_OF_RANGE),
        ({"recoverability": "-0.5"}, "recoverability", domain.RECOVERABILITY_OUT_OF_RANGE),
        (
            {"actual_on": str(today().replace(year=today().year + 1))},
            "actual_on",
            domain.CONTRIBUTION_MADE_IN_FUTURE,
        ),
    ],
)
def test_bad_investments_are_rejected_with_the_rule(cast, client, change, field, message):
    client.force_login(cast.alice)
    response = post(client, f"{base(cast)}/investments", investment_body(cast, **change))
    assert response.status_code == 400
    assert {"loc": [field], "msg": message} in response.json()["errors"]
    assert not InvestmentEntry.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"amount": "abc"},
        {"amount": "1e30"},
        {"amount": "NaN"},
        {"kind": "charity"},
        {"planned_on": "2026-13-01"},
        {"unit": "€"},
    ],
)
def test_malformed_input_is_invalid_not_a_server_error(cast, client, change):
    client.force_login(cast.alice)
    response = post(client, f"{base(cast)}/investments", investment_body(cast, **change))
    assert response.status_code == 422


def test_the_partner_never_gets_our_internal_entries_from_the_api(cast, client):
    value(cast, description="joint one")
    secret = value(cast, description="internal one", visibility="internal")
    hidden = investment(cast, visibility="internal")
    client.force_login(cast.bob)
    listed = client.get(f"{base(cast)}/value-entries").json()["items"]
    assert [e["description"] for e in listed] == ["joint one"]
    assert client.get(f"{base(cast)}/value-entries/{secret.pk}").status_code == 404
    assert client.get(f"{base(cast)}/investments/{hidden.pk}").status_code == 404
    assert client.get(f"{base(cast)}/investments").json()["count"] == 0


def test_the_rate_table_is_kept_through_the_api(cast, client):
    client.force_login(cast.bob)
    response = client.put(
        f"{base(cast)}/rates",
        json.dumps({"unit": "usd", "per_unit": "0.9"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "base_currency": "EUR",
        "rates": [{"unit": "USD", "per_unit": "0.90000000"}],
    }
    bad = client.put(
        f"{base(cast)}/rates",
        json.dumps({"unit": "BANANA", "per_unit": "1"}),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["msg"] == domain.UNIT_UNKNOWN
    value(cast, currency="USD")
    in_use = client.delete(f"{base(cast)}/rates/USD")
    assert in_use.status_code == 400
    assert "USD" in in_use.json()["detail"]


def test_the_indices_api_explains_itself_with_driving_entries(cast, client):
    a_value = value(cast, amount=1000)
    value(cast, amount=3000, beneficiary=cast.party_b)
    a_investment = investment(cast, amount=3000)
    investment(cast, amount=1000, contributor=cast.party_b, specificity=0)
    client.force_login(cast.oscar)
    body = client.get(f"{base(cast)}/indices").json()
    alder = body["parties"][0]
    assert alder["organization"] == "Alder Pharma"
    assert alder["realized_ratio"] == pytest.approx(0.25 / 0.75)
    assert alder["realized_drivers"] == [a_value.pk]
    assert alder["invested_drivers"] == [a_investment.pk]
    assert body["realized_imbalance"] == pytest.approx(0.5)
    assert "Alder Pharma is exposed" in body["hostages"]
