"""The indices page keeps its body per ledger state (economics/indices_cache.py): every kind of
change made through the app shows on the next request, and one organization's body, which
counts its internal entries, is never served to another."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse

from accord.economics import indices_cache, services
from accord.economics import rates as rate_table
from accord.economics.models import InvestmentEntry, ValueEntry
from accord.economics.tests.helpers import days_ago, investment, rates, today, value
from accord.imports.services import import_file


@pytest.fixture
def page(cast, client):
    rates(cast)
    value(cast, description="Shared purchasing savings", amount=Decimal(1000))
    investment(cast, description="Funding tranche", amount=Decimal(5000))
    url = reverse("economics:overview", args=[cast.partnership.pk])

    def get(user=cast.alice, query: str = "") -> str:
        client.force_login(user)
        response = client.get(url + query)
        assert response.status_code == 200
        return response.content.decode()

    return get


def body(html: str) -> str:
    """The kept part of a page (the head carries the per-request CSRF token)."""
    return html[html.index('<p class="scope">') : html.index("</main>")]


def test_the_second_request_reads_the_kept_body(cast, page):
    first = page()
    assert len(indices_cache.cache.items) == 1
    assert body(page()) == body(first)


def test_a_new_value_entry_shows(cast, page):
    page()
    services.value_entry_create(
        partnership=cast.partnership,
        user=cast.alice,
        source="scale",
        beneficiary=cast.party_b,
        amount=Decimal(777000),
        currency="EUR",
        status="realized",
        period_start=days_ago(30),
        period_end=days_ago(1),
        visibility="joint",
        description="Brand new savings",
    )
    assert "Brand new savings" in page()


def test_an_edited_amount_and_description_show(cast, page):
    before = page()
    entry = InvestmentEntry.objects.get()
    services.investment_update(
        entry=entry, user=cast.alice, amount=Decimal(9000), description="Bigger tranche"
    )
    after = page()
    assert "Bigger tranche" in after
    assert body(after) != body(before)


def test_a_status_change_shows(cast, page):
    before = page()
    services.value_entry_update(entry=ValueEntry.objects.get(), user=cast.alice, status="expected")
    assert body(page()) != body(before)


def test_a_contribution_made_late_shows_in_the_slippage(cast, page):
    planned = investment(cast, description="Late tranche", planned_on=days_ago(30), actual_on=None)
    assert '<span class="rag-red">not made' in page()
    services.investment_update(entry=planned, user=cast.alice, actual_on=days_ago(2))
    assert '<span class="rag-red">not made' not in page()


def test_a_deleted_entry_is_gone(cast, page):
    assert "Funding tranche" in page()
    services.investment_delete(entry=InvestmentEntry.objects.get(), user=cast.alice)
    assert "Funding tranche" not in page()


def test_a_reimport_that_changes_an_amount_shows(cast, page):
    text = (
        "source,beneficiary,amount,currency,status,period_start,period_end,description,"
        f"visibility,reference\nscale,Alder Pharma,250000,EUR,realized,{days_ago(90)},"
        f"{days_ago(1)},Imported savings,joint,Q-1\n"
    )

    def run(body: str) -> None:
        report = import_file(
            partnership=cast.partnership,
            user=cast.alice,
            kind="value-entries",
            stream=BytesIO(body.encode()),
            filename="values.csv",
        )
        assert report.ok

    run(text)
    before = page()
    assert "Imported savings" in before
    # Same reference, same row count, a changed figure: the importer's bulk_update.
    run(text.replace("250000", "260000").replace("Imported savings", "Imported savings!"))
    after = page()
    assert "Imported savings!" in after


def test_another_organizations_internal_entry_reaches_only_it(cast, page):
    alice_before = page(cast.alice)
    page(cast.bob)
    value(
        cast,
        owner=cast.org_b,
        beneficiary=cast.party_b,
        visibility="internal",
        amount=Decimal(424242),
        description="Birch private valuation",
    )
    assert "Birch private valuation" in page(cast.bob)
    alice_after = page(cast.alice)
    assert "Birch private valuation" not in alice_after
    assert body(alice_after) == body(alice_before)


def test_one_organizations_body_is_not_served_to_another(cast, page):
    value(cast, visibility="internal", description="Alder private valuation")
    assert "Alder private valuation" in page(cast.alice)
    assert "Alder private valuation" not in page(cast.bob)


def test_a_changed_rate_and_base_currency_show(cast, page):
    investment(cast, unit="USD", amount=Decimal(1000), description="Dollar tranche")
    before = page()
    rate_table.rate_set(
        partnership=cast.partnership, user=cast.alice, unit="USD", per_unit=Decimal(2)
    )
    after_rate = page()
    assert body(after_rate) != body(before)
    rate_table.base_currency_set(partnership=cast.partnership, user=cast.alice, currency="USD")
    assert "in USD" in page()


def test_a_renamed_organization_shows(cast, page):
    page()
    cast.org_b.name = "Birch Biologics"
    cast.org_b.save()
    assert "Birch Biologics" in page()


def test_another_day_is_another_body(cast, page):
    today_page = page()
    earlier = page(query=f"?as_of={(today() - timedelta(days=400)).isoformat()}")
    assert "Back to today" in earlier
    assert "Back to today" not in today_page
