"""The objectives tab and the overview's objectives card read a fixed number of queries however
many objectives, linked metrics and linked commitments there are (no query per row)."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accord.accountability.services.commitments import commitment_create
from accord.interventions import services
from accord.performance.models import Observation
from accord.performance.tests.helpers import make_metric

# The whole request: session, user, access checks, tab bar and notifications included.
OBJECTIVES_PAGE_QUERIES = 13
OVERVIEW_PAGE_QUERIES = 15


def add_objectives(cast, start: int, count: int) -> None:
    """`count` joint objectives, each linked to a new metric with observations and to a new
    commitment, alternating the parties so both own some."""
    today = timezone.localdate()
    for i in range(start, start + count):
        org = "a" if i % 2 else "b"
        user = cast.alice if org == "a" else cast.bob
        metric = make_metric(cast, code=f"m-{i}", org=org)
        for weeks in range(3):
            Observation.objects.create(
                metric=metric, period=today - timedelta(weeks=weeks), value=80.0 + i
            )
        commitment = commitment_create(
            partnership=cast.partnership,
            user=user,
            title=f"Deliverable {i}",
            owner_party=cast.party_a if org == "a" else cast.party_b,
            due_on=today + timedelta(days=i - 3),
        )
        services.objective_create(
            partnership=cast.partnership,
            user=user,
            title=f"Objective {i}",
            metric_ids=[metric.pk],
            commitment_ids=[commitment.pk],
        )


def count_queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_objectives_tab_reads_as_many_queries_for_3_objectives_as_for_9(
    cast, client, django_assert_max_num_queries
):
    client.force_login(cast.alice)
    url = reverse("objectives:list", args=[cast.partnership.pk])
    add_objectives(cast, 0, 3)
    with django_assert_max_num_queries(OBJECTIVES_PAGE_QUERIES):
        few, page = count_queries(client, url)
    assert page.count('class="obj-row"') == 3
    add_objectives(cast, 3, 6)
    with django_assert_max_num_queries(OBJECTIVES_PAGE_QUERIES):
        many, page = count_queries(client, url)
    assert page.count('class="obj-row"') == 9
    assert "Deliverable 8" in page
    assert many == few


def test_the_overview_reads_as_many_queries_for_3_objectives_as_for_9(
    cast, client, django_assert_max_num_queries
):
    client.force_login(cast.bob)
    url = reverse("partnership_detail", args=[cast.partnership.pk])
    add_objectives(cast, 0, 3)
    with django_assert_max_num_queries(OVERVIEW_PAGE_QUERIES):
        few, page = count_queries(client, url)
    add_objectives(cast, 3, 6)
    with django_assert_max_num_queries(OVERVIEW_PAGE_QUERIES):
        many, page = count_queries(client, url)
    assert "Objective 8" in page
    assert many == few


def test_a_read_only_observer_sees_the_objectives_without_the_form_or_its_choices(
    cast, client, django_assert_max_num_queries
):
    add_objectives(cast, 0, 3)
    client.force_login(cast.oscar)
    url = reverse("objectives:list", args=[cast.partnership.pk])
    with django_assert_max_num_queries(OBJECTIVES_PAGE_QUERIES - 3):
        _, page = count_queries(client, url)
    assert page.count('class="obj-row"') == 3
    assert "Record an objective" not in page
    assert "Deliverable 2" in page
