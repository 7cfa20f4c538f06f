"""Culture readings and their charts are assessed once per state of the latest closed round and
read back until it changes; the tab reads a fixed number of queries (issue 14)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.culture import selectors, services
from accord.domain import culture as domain
from accord.trust import results_cache
from accord.trust.tests.helpers import answered_round

# The layout's share (session, user, partnership, role x3, notifications, membership,
# organization) and the tab's: rounds, parties, the round's state, the catalog, invitations.
MAX_QUERIES = 14


def _round(cast, value=4, title="Q1"):
    return answered_round(
        cast, {cast.org_a: 3, cast.org_b: 3}, value=value, kind="culture", title=title
    )


def _fresh(cast):
    return selectors._assess(
        cast.partnership,
        selectors.culture_results(partnership=cast.partnership).survey,
        selectors.culture_results(partnership=cast.partnership).parties,
        None,
    )


def _response_reads(ctx) -> int:
    return sum('FROM "trust_response"' in q["sql"] and "COUNT" not in q["sql"] for q in ctx)


def test_a_second_read_gives_the_same_readings_without_reading_answers(cast):
    results_cache.cache.clear()
    _round(cast)
    with CaptureQueriesContext(connection) as first:
        one = selectors.culture_results(partnership=cast.partnership)
    with CaptureQueriesContext(connection) as second:
        two = selectors.culture_results(partnership=cast.partnership)
    assert (_response_reads(first), _response_reads(second)) == (1, 0)
    assert two.assessment is one.assessment
    assert two.assessment == _fresh(cast)


def test_a_newer_round_or_a_renamed_party_is_a_new_state(cast):
    results_cache.cache.clear()
    _round(cast, value=2)
    before = selectors.culture_results(partnership=cast.partnership)
    _round(cast, value=6, title="Q2")
    after = selectors.culture_results(partnership=cast.partnership)
    assert after.survey.title == "Q2"
    assert after.assessment == _fresh(cast) != before.assessment
    cast.org_b.name = "Birch Biologics"
    cast.org_b.save()
    renamed = selectors.culture_results(partnership=cast.partnership)
    assert renamed.cache_key != after.cache_key
    assert "Birch Biologics" in renamed.parties.values()


def test_other_rules_are_assessed_directly_and_not_kept(cast):
    _round(cast)
    strict = domain.CultureRules(aligned_max_distance=0.1)
    results = selectors.culture_results(partnership=cast.partnership, rules=strict)
    assert results.cache_key is None
    assert results.assessment.rules == strict


def test_the_culture_tab_reads_as_many_queries_for_three_times_the_rounds_and_practices(
    cast, client, django_assert_max_num_queries
):
    client.force_login(cast.alice)
    url = reverse("culture:overview", kwargs={"pk": cast.partnership.pk})

    def add(start, count):
        for i in range(start, start + count):
            _round(cast, value=2 + i % 5, title=f"Q{i}")
            services.practice_save(
                user=cast.alice,
                partnership=cast.partnership,
                practice_id=None,
                dimension="formality",
                fit="friction",
                title=f"Practice {i}",
                description="Agree on it.",
            )

    def reads() -> int:
        client.get(url)  # the first visit of a round state assesses it
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    add(1, 1)
    few = reads()
    add(2, 2)
    assert reads() == few
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(url)


def test_the_kept_page_follows_an_edited_catalog(cast, client):
    """The readings' HTML is kept, but the practices under them are the catalog's of now."""

    def value(party, item):
        return 2 if party == cast.party_a else 6  # friction on every dimension

    answered_round(cast, {cast.org_a: 3, cast.org_b: 3}, value=value, kind="culture")
    client.force_login(cast.alice)
    url = reverse("culture:overview", kwargs={"pk": cast.partnership.pk})
    assert "Shared glossary" not in client.get(url).content.decode()
    services.practice_save(
        user=cast.alice,
        partnership=cast.partnership,
        practice_id=None,
        dimension="formality",
        fit="friction",
        title="Shared glossary",
        description="Write down what approved means on each side.",
    )
    assert "Shared glossary" in client.get(url).content.decode()
