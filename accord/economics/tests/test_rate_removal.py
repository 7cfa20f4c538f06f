"""Removing a rate tells the remover nothing about entries it cannot see (issue 10, item 6a).

Before, a rate used by another party's internal entry could not be removed, and the refusal
revealed that such an entry existed. Now only entries the remover can see refuse it; a rate that
only hidden entries use is archived: it leaves the table for everyone, as if deleted, while those
entries keep converting with it.
"""

from __future__ import annotations

import json

from accord.economics.models import Rate
from accord.economics.rates import RATE_IN_USE
from accord.economics.tests.helpers import rates, value
from accord.partnerships.audit import AuditEvent


def _url(cast, tail: str = "") -> str:
    return f"/api/v1/partnerships/{cast.partnership.pk}/economics/{tail}"


def _remove(client, cast, user, unit: str):
    client.force_login(user)
    return client.delete(_url(cast, f"rates/{unit}"))


def _last_joint_event(cast) -> tuple[str, str, dict]:
    event = AuditEvent.objects.filter(partnership=cast.partnership, visibility="joint").first()
    return (event.action, event.summary, event.changes)


def _indices_of(client, cast, user) -> dict:
    client.force_login(user)
    return client.get(_url(cast, "indices")).json()


def test_removing_a_rate_only_hidden_entries_use_looks_like_removing_an_unused_one(cast, client):
    rates(cast, USD="0.9", GBP="1.2")
    value(cast, currency="USD", visibility="internal", amount=1000)
    before = _indices_of(client, cast, cast.alice)

    hidden_use = _remove(client, cast, cast.bob, "USD")
    hidden_event = _last_joint_event(cast)
    unused = _remove(client, cast, cast.bob, "GBP")
    unused_event = _last_joint_event(cast)

    assert (hidden_use.status_code, unused.status_code) == (200, 200)
    assert hidden_use.json() == {
        "base_currency": "EUR",
        "rates": [{"unit": "GBP", "per_unit": "1.20000000"}],
    }
    assert unused.json() == {"base_currency": "EUR", "rates": []}
    assert hidden_event == (
        "economics.rate_delete",
        "Rate for USD removed",
        {"unit": "USD"},
    )
    assert unused_event == ("economics.rate_delete", "Rate for GBP removed", {"unit": "GBP"})
    # The owner's figures are unchanged: its entry still converts with the archived rate.
    assert _indices_of(client, cast, cast.alice) == before


def test_a_rate_an_entry_the_remover_can_see_uses_is_refused(cast, client):
    rates(cast, USD="0.9")
    value(cast, currency="USD", visibility="internal")
    refused = _remove(client, cast, cast.alice, "USD")
    assert refused.status_code == 400
    assert refused.json()["detail"] == RATE_IN_USE.format(unit="USD")
    value(cast, currency="USD", description="joint one")
    refused = _remove(client, cast, cast.bob, "USD")
    assert refused.status_code == 400
    assert Rate.objects.get(unit="USD").archived_at is None


def test_an_archived_unit_cannot_be_chosen_for_a_new_entry_until_it_is_set_again(cast, client):
    rates(cast, USD="0.9")
    entry = value(cast, currency="USD", visibility="internal")
    _remove(client, cast, cast.bob, "USD")
    client.force_login(cast.alice)
    body = {
        "source": "scale",
        "beneficiary_party_id": cast.party_a.pk,
        "amount": "10",
        "currency": "USD",
        "status": "realized",
        "period_start": str(entry.period_start),
        "period_end": str(entry.period_end),
    }
    created = client.post(
        _url(cast, "value-entries"), json.dumps(body), content_type="application/json"
    )
    assert created.status_code == 400
    assert [e["loc"] for e in created.json()["errors"]] == [["currency"]]
    # Its owner can still edit the entry without changing the unit.
    edited = client.patch(
        _url(cast, f"value-entries/{entry.pk}"),
        json.dumps({"description": "renamed"}),
        content_type="application/json",
    )
    assert edited.status_code == 200, edited.content
    # Setting the rate again is an addition, as after a deletion.
    client.force_login(cast.bob)
    again = client.put(
        _url(cast, "rates"),
        json.dumps({"unit": "USD", "per_unit": "0.9"}),
        content_type="application/json",
    )
    assert again.json()["rates"] == [{"unit": "USD", "per_unit": "0.90000000"}]
    assert _last_joint_event(cast) == (
        "economics.rate_set",
        "Rate set: 1 USD = 0.9 EUR",
        {"USD": [None, "0.9"]},
    )
