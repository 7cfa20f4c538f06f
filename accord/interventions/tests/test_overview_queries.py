"""The intervention tab reads a fixed number of queries however many interventions the
partnership has had."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.interventions.models import Intervention
from accord.interventions.tests.helpers import open_intervention
from accord.testing.queries import page_queries

pytestmark = pytest.mark.django_db


def _closed(cast, n: int) -> None:
    now = timezone.now()
    for i in range(n):
        Intervention.objects.create(
            partnership=cast.partnership,
            reason=f"Old trouble {i}",
            opened_at=now - timedelta(days=400 + 30 * i),
            revealed_at=now - timedelta(days=390 + 30 * i),
            closed_at=now - timedelta(days=300 + 30 * i),
        )


def test_the_tab_costs_the_same_queries_for_few_or_many_interventions(
    cast, client, django_assert_max_num_queries
):
    url = reverse("interventions:overview", args=[cast.partnership.pk])
    client.force_login(cast.alice)
    _closed(cast, 1)
    few = page_queries(client, url)
    _closed(cast, 4)
    open_intervention(cast)
    with django_assert_max_num_queries(few):
        page = client.get(url).content.decode()
    assert page.count("Opened ") == 6
    assert page.count("closed ") == 5
    assert few <= 11
