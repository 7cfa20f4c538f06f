"""The trust tab reads a fixed number of queries however many rounds, answers and records the
partnership has: no query per row (issue 14, page throughput)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.accountability.tests.helpers import commitment
from accord.trust.tests.helpers import answered_round

# Session, user, partnership and role, notifications, membership: the layout's share; the rest
# is the tab's own: the kept sections' fingerprint, the evidence fingerprint and, while a round
# is open, the viewer's invitations.
MAX_WARM_QUERIES = 8


def _rounds(cast, start: int, count: int) -> None:
    for i in range(start, start + count):
        answered_round(cast, {cast.org_a: 3, cast.org_b: 3}, value=3 + i % 3, title=f"Q{i}")
        commitment(cast, title=f"Deliverable {i}")


def _reads(client, url) -> tuple[int, int]:
    """(queries of a first visit, queries of the next one)."""
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    return len(cold), len(warm)


def test_the_trust_tab_reads_as_many_queries_for_three_times_the_rounds(
    cast, client, django_assert_max_num_queries
):
    client.force_login(cast.alice)
    url = reverse("trust:overview", kwargs={"pk": cast.partnership.pk})
    _rounds(cast, 1, 2)
    few = _reads(client, url)
    _rounds(cast, 3, 4)
    many = _reads(client, url)
    assert many == few
    with django_assert_max_num_queries(MAX_WARM_QUERIES):
        client.get(url)
