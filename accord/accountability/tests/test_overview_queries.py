"""The accountability overview reads a fixed number of queries however many commitments, missed
ones (each judged for escalation), actions and reviews the partnership has: no query per row."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accord.accountability.tests.helpers import action, commitment, request, review


def _add_rows(cast, n: int, offset: int) -> None:
    today = timezone.localdate()
    for i in range(offset, offset + n):
        party = "a" if i % 2 else "b"
        # Two misses on one workstream each (escalable), one re-planned miss, one open row.
        stream = f"Stream {i}"
        commitment(
            cast, party=party, status="missed", due_on=today - timedelta(days=60), workstream=stream
        )
        commitment(
            cast,
            party=party,
            status="missed",
            due_on=today - timedelta(days=30),
            workstream=stream.upper(),
            visibility="internal" if i % 3 == 0 else "joint",
        )
        first = commitment(cast, party=party, status="missed", due_on=today - timedelta(days=90))
        commitment(
            cast,
            party=party,
            status="missed",
            due_on=today - timedelta(days=10),
            replanned_from=first,
        )
        due = commitment(cast, party=party, status="on_track", due_on=today + timedelta(days=3))
        request(cast, due, by="b" if party == "a" else "a", on=today - timedelta(days=5))
        action(cast, due_on=today - timedelta(days=40 + i))
        review(cast, when=timezone.now() + timedelta(days=7 + i), status="scheduled")


def _render(client, cast) -> tuple[int, bytes]:
    url = reverse("accountability:overview", kwargs={"pk": cast.partnership.pk})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content


def test_the_overview_query_count_does_not_grow_with_its_rows(
    cast, client, django_assert_max_num_queries
):
    client.force_login(cast.alice)
    _add_rows(cast, 3, 0)
    small, page = _render(client, cast)
    assert b"Second miss by" in page
    assert b"Missed, re-planned and missed again" in page
    _add_rows(cast, 6, 3)
    with django_assert_max_num_queries(small):
        large, _page = _render(client, cast)
    assert large == small
    hit, _page = _render(client, cast)  # the summary sections kept: see overview_kept.py
    assert small <= 17
    assert hit <= 6
