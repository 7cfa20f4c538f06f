"""The Health tab reads a fixed number of queries however many weeks of history and alerts it
shows (no query per week or per alert), and draws its history from the stored weeks."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accord.health.models import Alert, HealthScore

# The whole request: session, user, access checks, tab bar and notifications included.
HEALTH_PAGE_QUERIES = 13


def add_weeks(cast, start: int, count: int) -> None:
    """`count` more stored weeks going back from this week's Monday, the newest marked latest,
    and an open alert per three weeks."""
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    HealthScore.objects.filter(partnership=cast.partnership).update(latest=False)
    for i in range(start, start + count):
        HealthScore.objects.create(
            partnership=cast.partnership,
            period_start=monday - timedelta(weeks=i),
            overall=60.0 + i,
            trust=55.0,
            behaviour=70.0 - i,
            own_views={
                str(cast.party_a.pk): {"trust": 50.0, "behaviour": 60.0},
                str(cast.party_b.pk): {"trust": 65.0, "behaviour": None},
            },
            movements=[f"Week {i} moved"],
            latest=False,
        )
        if i % 3 == 0:
            Alert.objects.create(
                partnership=cast.partnership,
                kind=Alert.Kind.choices[0][0],
                summary=f"Alert {i}",
                raised_for=monday - timedelta(weeks=i),
            )
    newest = HealthScore.objects.filter(partnership=cast.partnership).order_by("-period_start")
    newest.filter(pk=newest[0].pk).update(latest=True)


def count_queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_health_tab_reads_as_many_queries_for_3_weeks_as_for_9(
    cast, client, django_assert_max_num_queries
):
    client.force_login(cast.alice)
    url = reverse("health:overview", args=[cast.partnership.pk])
    add_weeks(cast, 0, 3)
    with django_assert_max_num_queries(HEALTH_PAGE_QUERIES):
        few, page = count_queries(client, url)
    assert "Week 0 moved" in page
    add_weeks(cast, 3, 6)
    with django_assert_max_num_queries(HEALTH_PAGE_QUERIES):
        many, page = count_queries(client, url)
    assert page.count('class="card rag-bg-red"') == 3
    assert "Alert 6" in page
    assert "Week 0 moved" in page  # the latest week's movements, not an older week's
    assert many == few
