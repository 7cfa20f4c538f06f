"""The incentives overview reads a fixed number of queries however many parties, joint models and
private scenarios the partnership has."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accord.incentives.models import IncentiveModel
from accord.incentives.tests.helpers import make_model
from accord.testing.factories import PartyFactory
from accord.testing.queries import page_queries

pytestmark = pytest.mark.django_db


def test_the_overview_costs_the_same_queries_for_few_or_many_models(
    cast, client, django_assert_max_num_queries
):
    make_model(cast)
    make_model(cast, visibility="internal", name="Alder's worst case")
    url = reverse("incentives:overview", args=[cast.partnership.pk])
    client.force_login(cast.alice)
    few = page_queries(client, url)
    third = PartyFactory(partnership=cast.partnership)
    joint = make_model(cast, visibility="internal", name="Alder–Third", horizon_source="end_date")
    IncentiveModel.objects.filter(pk=joint.pk).update(second_party=third, visibility="joint")
    for n in range(3):
        make_model(cast, visibility="internal", name=f"Alder scenario {n}")
        make_model(cast, visibility="internal", owner=cast.org_b, name=f"Birch scenario {n}")
    with django_assert_max_num_queries(few):
        page = client.get(url).content.decode()
    assert third.organization.name in page
    assert "Alder scenario 2" in page
    assert "Birch scenario" not in page
    assert few <= 12
