from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.economics import rates as rate_table
from accord.economics import selectors
from accord.economics.models import InvestmentEntry, ValueEntry
from accord.economics.signals import economic_signals_for
from accord.economics.tests.helpers import days_ago, investment, rates, today, value
from accord.testing.factories import PartnershipFactory, PartyFactory


def page(cast, client, user):
    client.force_login(user)
    return client.get(
        reverse("economics:overview", kwargs={"pk": cast.partnership.pk})
    ).content.decode()


def lopsided(cast):
    rates(cast)
    value(cast, amount=Decimal(400_000), description="Alder's share of sales")
    value(
        cast, amount=Decimal(1_200_000), beneficiary=cast.party_b, description="Birch's royalties"
    )
    investment(
        cast,
        amount=Decimal(3_000_000),
        specificity=Decimal("0.9"),
        recoverability=Decimal("0"),
        description="Plant retrofit",
    )
    investment(
        cast,
        owner=cast.org_b,
        contributor=cast.party_b,
        amount=Decimal(1_000_000),
        specificity=Decimal("0.4"),
        recoverability=Decimal("0"),
        planned_on=days_ago(100),
        actual_on=days_ago(40),
        description="Licence fee",
    )


def test_the_page_says_who_is_exposed_and_links_each_figure_to_its_entries(cast, client):
    lopsided(cast)
    html = page(cast, client, cast.alice)
    assert (
        "Birch Bio could walk away losing €400k, Alder Pharma would lose €2.7M: "
        "Alder Pharma is exposed." in html
    )
    assert "Alder Pharma receives 25% for putting in 75% (0.33×)" in html
    assert "Birch Bio holds the partnership up" in html
    retrofit = InvestmentEntry.objects.get(description="Plant retrofit")
    assert (
        reverse(
            "economics:investment_detail",
            kwargs={"pk": cast.partnership.pk, "entry_id": retrofit.pk},
        )
        in html
    )
    assert 'class="chart"' in html


def test_an_internal_valuation_moves_only_its_owners_figures(cast, client):
    lopsided(cast)
    before = selectors.partnership_economics(
        partnership=cast.partnership, viewer=cast.bob, as_of=today()
    )
    value(cast, amount=Decimal(50_000_000), description="Our private upside", visibility="internal")
    after = selectors.partnership_economics(
        partnership=cast.partnership, viewer=cast.bob, as_of=today()
    )
    assert [f.realized_value for f in after.parties] == [f.realized_value for f in before.parties]
    assert after.explanation == before.explanation
    assert after.value_count == before.value_count
    bob_page = page(cast, client, cast.bob)
    assert "Our private upside" not in bob_page
    assert "€50" not in bob_page
    assert "internal to" not in bob_page
    for_alice = selectors.partnership_economics(
        partnership=cast.partnership, viewer=cast.alice, as_of=today()
    )
    assert for_alice.parties[0].realized_value == 50_400_000
    assert "1 of them internal to Alder Pharma" in page(cast, client, cast.alice)


def test_health_signals_count_joint_entries_only(cast):
    lopsided(cast)
    joint_only = economic_signals_for([cast.partnership.pk])
    value(cast, amount=Decimal(50_000_000), visibility="internal")
    again = economic_signals_for([cast.partnership.pk])
    assert (
        again.realized_proportionality[0]
        == joint_only.realized_proportionality[0]
        == pytest.approx(0.5)
    )
    assert 0 < again.hostage_balance[0] < 1


def test_signals_keep_the_order_asked_for_across_partnerships(cast):
    lopsided(cast)
    other = PartnershipFactory()
    PartyFactory(partnership=other)
    signals = economic_signals_for([other.pk, cast.partnership.pk])
    assert signals.realized_proportionality.shape == (2,)
    assert signals.realized_proportionality[1] == pytest.approx(0.5)
    assert signals.hostage_balance[0] != signals.hostage_balance[0]  # NaN: no evidence yet


def test_a_past_as_of_date_shows_the_indices_as_they_stood(cast, client):
    lopsided(cast)
    client.force_login(cast.alice)
    url = reverse("economics:overview", kwargs={"pk": cast.partnership.pk})
    then = client.get(url, {"as_of": str(days_ago(50))}).content.decode()
    assert "Back to today" in then
    assert "Birch Bio could walk away losing nothing" in then  # its fee was not paid yet
    assert client.get(url, {"as_of": "garbage"}).status_code == 200


def test_an_empty_ledger_invites_the_first_entry(cast, client):
    html = page(cast, client, cast.alice)
    assert "No ledger entries yet" in html
    assert "Add a contribution" in html


# From 100 up, rounding the converted amounts to the ledger's 4 decimal places moves no share by
# more than a few parts in a million.
amounts = st.decimals(min_value=100, max_value=10_000_000, places=2)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    values=st.lists(st.tuples(st.booleans(), st.booleans(), amounts), min_size=1, max_size=6),
    investments=st.lists(
        st.tuples(
            st.booleans(), amounts, st.integers(0, 100), st.integers(0, 100), st.integers(-30, 30)
        ),
        min_size=1,
        max_size=6,
    ),
    usd=st.decimals(min_value="0.2", max_value="5", places=4),
)
def test_indices_are_unchanged_when_every_amount_is_recorded_in_another_currency(
    cast, values, investments, usd
):
    """Record the ledgers in EUR, then convert every amount to USD at the table's rate: the
    shares, ratios, hostage balance and timing must not move."""
    with transaction.atomic():
        rates(cast, USD=str(usd))
        for to_b, realized, amount in values:
            value(
                cast,
                beneficiary=cast.party_b if to_b else cast.party_a,
                amount=amount,
                status="realized" if realized else "expected",
                period_start=days_ago(60) if realized else today(),
                period_end=days_ago(30) if realized else today(),
            )
        for by_b, amount, spec, rec, slip in investments:
            investment(
                cast,
                contributor=cast.party_b if by_b else cast.party_a,
                amount=amount,
                specificity=Decimal(spec) / 100,
                recoverability=Decimal(rec) / 100,
                planned_on=days_ago(100),
                actual_on=days_ago(100 - slip),
            )
        before = selectors.partnership_economics(
            partnership=cast.partnership, viewer=cast.alice, as_of=today()
        )
        for entry in ValueEntry.objects.all():
            entry.amount, entry.currency = (entry.amount / usd).quantize(Decimal("0.0001")), "USD"
            entry.save()
        for entry in InvestmentEntry.objects.all():
            entry.amount, entry.unit = (entry.amount / usd).quantize(Decimal("0.0001")), "USD"
            entry.save()
        after = selectors.partnership_economics(
            partnership=cast.partnership, viewer=cast.alice, as_of=today()
        )
        transaction.set_rollback(True)
    for one, two in zip(before.parties, after.parties, strict=True):
        for name in ("realized_ratio", "expected_ratio"):
            x, y = getattr(one, name), getattr(two, name)
            assert (x is None and y is None) or x == pytest.approx(y, rel=1e-4)
    for name in (
        "realized_imbalance",
        "expected_imbalance",
        "hostage_balance",
        "mean_lateness_days",
    ):
        x, y = getattr(before, name), getattr(after, name)
        assert (x is None and y is None) or x == pytest.approx(y, rel=1e-4, abs=1e-6)


def test_changing_the_base_currency_keeps_every_index(cast):
    lopsided(cast)
    value(cast, amount=Decimal(100_000), currency="USD")
    before = selectors.partnership_economics(
        partnership=cast.partnership, viewer=cast.alice, as_of=today()
    )
    rate_table.base_currency_set(partnership=cast.partnership, user=cast.alice, currency="USD")
    after = selectors.partnership_economics(
        partnership=cast.partnership, viewer=cast.alice, as_of=today()
    )
    assert after.base_currency == "USD"
    assert after.realized_imbalance == pytest.approx(before.realized_imbalance, rel=1e-6)
    assert after.hostage_balance == pytest.approx(before.hostage_balance, rel=1e-6)
    assert after.parties[0].hostage == pytest.approx(before.parties[0].hostage / 0.92, rel=1e-6)
