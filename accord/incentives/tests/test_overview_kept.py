"""The incentives tab keeps its pair sections as HTML (``kept_overview``): after each kind of
change made through the app the next request shows it, and one organization's or role's
rendering is never served to another."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accord.incentives import services
from accord.incentives.models import IncentiveModel
from accord.incentives.tests.helpers import make_model
from accord.partnerships.services import partnership_update

pytestmark = pytest.mark.django_db


def page(client, cast, user=None) -> str:
    """The tab's pair sections as ``user`` sees them, tags dropped."""
    client.force_login(user or cast.alice)
    response = client.get(reverse("incentives:overview", args=[cast.partnership.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index('<section class="card" aria-labelledby="pair-1">') :]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_a_new_and_an_edited_joint_model_show_at_once(cast, client):
    assert "No joint incentive model yet" in page(client, cast)
    model = make_model(cast)
    shown = page(client, cast)
    assert "joint model version 1" in shown
    assert "Alder Pharma 5 3 1 0" in shown
    services.incentive_model_update(
        user=cast.alice, model=model, version=model.version, first_temptation=9.0
    )
    shown = page(client, cast)
    assert "joint model version 2" in shown
    assert "Alder Pharma 9 3 1 0" in shown
    services.incentive_model_delete(user=cast.alice, model=IncentiveModel.objects.get())
    assert "No joint incentive model yet" in page(client, cast)


def test_a_private_scenario_stays_with_its_organization(cast, client):
    make_model(cast)
    make_model(cast, visibility="internal", owner=cast.org_b, name="Birch worst case")
    assert "Birch worst case" not in page(client, cast, cast.alice)
    assert "Birch worst case" in page(client, cast, cast.bob)
    assert "Birch worst case" not in page(client, cast, cast.alice)


def test_a_reader_is_not_served_the_managers_buttons(cast, client):
    assert "Set up the joint model" in page(client, cast, cast.alice)
    assert "Set up the joint model" not in page(client, cast, cast.oscar)
    assert "Start a private scenario" in page(client, cast, cast.amos)
    assert "Set up the joint model" not in page(client, cast, cast.amos)
    assert "Set up the joint model" in page(client, cast, cast.alice)


def _shadow(shown: str) -> str:
    return re.search(r"Alder Pharma 5 3 1 0 yes (\S+) (\S+)", shown).group(2)


def test_a_horizon_read_from_the_end_date_follows_the_date_and_the_days(cast, client):
    today = timezone.localdate()
    partnership_update(
        user=cast.alice, partnership=cast.partnership, end_date=today + timedelta(days=400)
    )
    make_model(cast, horizon_source="end_date", horizon_days=None)
    first = _shadow(page(client, cast))
    partnership_update(
        user=cast.alice, partnership=cast.partnership, end_date=today + timedelta(days=3000)
    )
    longer = _shadow(page(client, cast))
    assert longer != first
    with time_machine.travel(timezone.now() + timedelta(days=2900)):
        assert _shadow(page(client, cast)) != longer
