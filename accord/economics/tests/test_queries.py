"""The economics tab reads a fixed number of queries however many ledger entries there are (no
query per entry), lists only the largest slips, and counts internal entries without reading
them as records."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.economics import selectors
from accord.economics.tests.helpers import days_ago, investment, rates, today, value
from accord.economics.views.indices import SLIPS_SHOWN

# The whole request: session, user, access checks, tab bar and notifications included.
ECONOMICS_PAGE_QUERIES = 17


def add_entries(cast, start: int, count: int) -> None:
    """`count` value entries and `count` late contributions per party, one internal of each."""
    for i in range(start, start + count):
        for party, org in ((cast.party_a, cast.org_a), (cast.party_b, cast.org_b)):
            internal = "internal" if i == 0 else "joint"
            value(
                cast,
                owner=org,
                beneficiary=party,
                amount=Decimal(1000 + i),
                currency="USD",
                visibility=internal,
                description=f"Value {i} to {org.name}",
            )
            investment(
                cast,
                owner=org,
                contributor=party,
                amount=Decimal(5000 + 100 * i),
                planned_on=days_ago(200 - i),
                actual_on=days_ago(190 - 2 * i) if i % 2 else None,
                visibility=internal,
                description=f"Contribution {i} by {org.name}",
            )


def count_queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_economics_tab_reads_as_many_queries_for_4_entries_as_for_40(
    cast, client, django_assert_max_num_queries
):
    rates(cast)
    client.force_login(cast.alice)
    url = reverse("economics:overview", args=[cast.partnership.pk])
    add_entries(cast, 0, 1)
    with django_assert_max_num_queries(ECONOMICS_PAGE_QUERIES):
        few, page = count_queries(client, url)
    add_entries(cast, 1, 9)
    with django_assert_max_num_queries(ECONOMICS_PAGE_QUERIES):
        many, page = count_queries(client, url)
    assert "Contribution 9 by" in page
    assert many == few


def test_the_page_lists_the_largest_slips_and_still_counts_every_entry(cast):
    rates(cast)
    add_entries(cast, 0, 10)
    everything = selectors.partnership_economics(
        partnership=cast.partnership, viewer=cast.alice, as_of=today()
    )
    shown = selectors.partnership_economics(
        partnership=cast.partnership, viewer=cast.alice, as_of=today(), slips_shown=SLIPS_SHOWN
    )
    assert len(everything.slips) > SLIPS_SHOWN
    assert [s.entry.pk for s in shown.slips] == [s.entry.pk for s in everything.slips[:SLIPS_SHOWN]]
    # Alice sees Alder's internal entries (one value, one contribution), not Birch's.
    assert shown.internal_count == everything.internal_count == 2
    assert shown.value_count == everything.value_count == 19
    assert shown.investment_count == everything.investment_count == 19
