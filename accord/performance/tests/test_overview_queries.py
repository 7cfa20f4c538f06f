"""The scorecard page reads a fixed number of queries however many metrics, values, reviews
that looked at them and review actions the partnership has."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accord.accountability.tests.helpers import action, review
from accord.performance.tests.helpers import make_metric, observe


def _add(cast, n: int, offset: int) -> None:
    today = timezone.localdate()
    for i in range(offset, offset + n):
        metric = make_metric(
            cast,
            code=f"m-{i}",
            category="operational" if i % 2 else "financial",
            internal=i % 3 == 0,
        )
        observe(
            metric,
            *[(str(today - timedelta(days=30 * k)), 80.0 + i + k) for k in range(6)],
        )
        meeting = review(cast, title=f"Review {i}")
        meeting.metrics_reviewed.add(metric)
        action(cast, review=meeting, due_on=today - timedelta(days=10 + i))


def _render(client, cast, category: str) -> tuple[int, str]:
    url = reverse("performance:overview", kwargs={"pk": cast.partnership.pk})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"category": category} if category else {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_scorecard_query_count_does_not_grow_with_its_rows(
    cast, client, django_assert_max_num_queries
):
    client.force_login(cast.alice)
    _add(cast, 3, 0)
    small = {c: _render(client, cast, c)[0] for c in ("", "financial")}
    _add(cast, 6, 3)
    for category in ("", "financial"):
        with django_assert_max_num_queries(small[category]):
            large, page = _render(client, cast, category)
        assert large == small[category] <= 16
    assert "Review 8 —" in page  # the latest review that looked at a metric is named
    assert small["financial"] == small[""]  # a category reuses the whole card
