"""Trust results are scored once per round state and read back until that state changes."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.trust import results_cache, selectors
from accord.trust.tests.helpers import answered_round


def _scored(cast):
    return selectors.trust_results.__wrapped__(partnerships=[cast.partnership])[cast.partnership.pk]


def _response_reads(ctx) -> int:
    return sum('FROM "trust_response"' in q["sql"] and "COUNT" not in q["sql"] for q in ctx)


def test_a_second_read_gives_the_same_results_without_reading_answers_again(cast):
    results_cache.cache.clear()
    answered_round(cast, {cast.org_a: 3, cast.org_b: 3}, value=5)
    with CaptureQueriesContext(connection) as first:
        one = selectors.partnership_trust(partnership=cast.partnership)
    with CaptureQueriesContext(connection) as second:
        two = selectors.partnership_trust(partnership=cast.partnership)
    assert (_response_reads(first), _response_reads(second)) == (1, 0)
    fresh = _scored(cast)
    assert two.cells == fresh.cells == one.cells
    assert (two.trends, two.asymmetries, two.rollups) == (
        fresh.trends,
        fresh.asymmetries,
        fresh.rollups,
    )
    assert two.rounds.keys() == fresh.rounds.keys()
    assert two.parties == fresh.parties


def test_a_newly_closed_round_or_a_renamed_party_is_a_new_state(cast):
    results_cache.cache.clear()
    answered_round(cast, {cast.org_a: 3, cast.org_b: 3}, value=5)
    selectors.partnership_trust(partnership=cast.partnership)
    answered_round(cast, {cast.org_a: 3, cast.org_b: 3}, value=2, title="Q2")
    after = selectors.partnership_trust(partnership=cast.partnership)
    assert sorted(after.rounds) == [1, 2]
    assert after.cells == _scored(cast).cells
    cast.org_b.name = "Birch Biologics"
    cast.org_b.save()
    renamed = selectors.partnership_trust(partnership=cast.partnership)
    assert "Birch Biologics" in renamed.parties.values()
