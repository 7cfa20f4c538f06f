"""The communication overview reads a fixed number of queries however many threads, notices and
concerns the partnership has: no query per row can come back unnoticed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.communication import services
from accord.communication.models import Concern
from accord.testing.queries import page_queries

pytestmark = pytest.mark.django_db


def _add_rows(cast, start: int, n: int) -> None:
    today = timezone.localdate()
    for i in range(start, start + n):
        services.thread_start(
            partnership=cast.partnership, user=cast.alice, title=f"Plan {i}", body="First."
        )
        services.thread_start(
            partnership=cast.partnership,
            user=cast.bob,
            title=f"Birch only {i}",
            body="Ours.",
            visibility="internal",
        )
        notice = services.notice_give(
            partnership=cast.partnership,
            user=cast.alice,
            category="staffing",
            summary=f"New lead {i}",
            effective_on=today + timedelta(days=60),
        )
        services.notice_acknowledge(notice=notice, user=cast.bob)
        services.notice_report(
            partnership=cast.partnership,
            user=cast.bob,
            changing_party_id=cast.party_a.pk,
            category="budget",
            summary=f"Budget cut {i}",
            effective_on=today,
        )
        concern = services.concern_raise(
            partnership=cast.partnership, user=cast.bob, title=f"Late {i}", body="Again."
        )
        services.concern_respond(concern=concern, user=cast.alice, body="On it.")


def test_the_overview_costs_the_same_queries_for_few_or_many_rows(
    cast, client, django_assert_max_num_queries
):
    url = reverse("communication:overview", args=[cast.partnership.pk])
    client.force_login(cast.alice)
    _add_rows(cast, 0, 2)
    few = page_queries(client, url)
    _add_rows(cast, 2, 4)
    with django_assert_max_num_queries(few):
        page = client.get(url).content.decode()
    assert few <= 14
    assert "Plan 5" in page
    assert "Birch only" not in page
    assert "Feedback forum (6 open)" in page
    assert Concern.objects.filter(partnership=cast.partnership).count() == 6
