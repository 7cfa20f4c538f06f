"""On-time delivery per party and quarter, computed by accord.domain.performance."""

import re
from datetime import UTC, date, datetime

import time_machine

from accord.accountability import selectors
from accord.accountability.tests.helpers import commitment

TODAY = date(2026, 6, 15)  # Q2 2026


def test_it_counts_kept_and_judged_commitments_per_party_and_quarter(cast):
    # Alder: two kept in Q1, one late in Q2 → 2 of 3.
    commitment(cast, due_on=date(2026, 2, 1), status="done", done_on=date(2026, 1, 30))
    commitment(cast, due_on=date(2026, 3, 1), status="done", done_on=date(2026, 3, 1))
    commitment(cast, due_on=date(2026, 4, 10), status="done", done_on=date(2026, 4, 20))
    # Birch: one missed in Q2, one open and not yet due (not judged).
    commitment(cast, party="b", due_on=date(2026, 5, 1), status="missed")
    commitment(cast, party="b", due_on=date(2026, 7, 1))
    data = selectors.on_time(partnership=cast.partnership, today=TODAY)
    assert data.quarters[-2:] == ["Q1 2026", "Q2 2026"]
    alder, birch = data.rows
    assert alder.party == cast.party_a
    assert birch.party == cast.party_b
    assert (alder.kept[-2:], alder.evaluated[-2:]) == ([2, 0], [2, 1])
    assert (alder.kept_total, alder.evaluated_total) == (2, 3)
    assert alder.rate == 2 / 3
    assert (birch.kept_total, birch.evaluated_total, birch.rate) == (0, 1, 0.0)
    assert data.signal == 2 / 4
    assert "2 of 4 joint commitments" in data.sentence()


def test_a_commitment_past_due_and_not_yet_marked_counts_as_missed(cast):
    commitment(cast, due_on=date(2026, 6, 1), status="on_track")
    data = selectors.on_time(partnership=cast.partnership, today=TODAY)
    assert (data.rows[0].kept_total, data.rows[0].evaluated_total) == (0, 1)


def test_internal_commitments_are_left_out_so_both_sides_see_the_same_numbers(cast):
    commitment(cast, due_on=date(2026, 5, 1), status="missed", visibility="internal")
    data = selectors.on_time(partnership=cast.partnership, today=TODAY)
    assert data.evaluated == 0
    assert data.signal is None
    assert "no evidence" in data.sentence()


@time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=UTC), tick=False)  # the page reads today
def test_the_page_shows_the_chart_and_the_numbers(cast, client):
    commitment(cast, due_on=date(2026, 5, 1), status="done", done_on=date(2026, 4, 1))
    commitment(cast, party="b", due_on=date(2026, 5, 1), status="missed")
    client.force_login(cast.bob)
    response = client.get(f"/partnerships/{cast.partnership.pk}/accountability/on-time/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="chart"' in body
    # Each party's row and its all-quarters total, read from the table (a bare "0/1" could
    # also be found inside a URL or a date).
    totals = dict(
        re.findall(
            r'<th scope="row">([^<]+)</th>.*?<strong>[^<]*</strong> '
            r'<small class="muted">(\d+/\d+)</small></td></tr>',
            body,
            flags=re.DOTALL,
        )
    )
    assert totals == {"Alder Pharma": "1/1", "Birch Bio": "0/1"}


def test_signals_for_a_portfolio_come_from_one_pass(cast):
    commitment(cast, due_on=date(2026, 5, 1), status="done", done_on=date(2026, 4, 1))
    signals = selectors.signals_for([cast.partnership.pk], today=TODAY)
    assert signals[cast.partnership.pk]["on_time"] == 1.0
    assert signals[cast.partnership.pk]["oversight"] is None
    assert signals[cast.partnership.pk]["loop_closure"] is None
