"""The page keeps each row's rendered HTML under everything the row shows, so a row is rendered
again the moment any of it changes: a re-scored health, an alert resolved, a new stage, a new
joint event, a renamed partnership, a partner that joins, another time zone (the language is
part of the key too)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.health.models import Alert, HealthScore
from accord.partnerships.models import Partnership
from accord.portfolio.models import TrustStageSnapshot
from accord.portfolio.tests.helpers import add_partnership, joint_event
from accord.testing.factories import OrganizationFactory, PartyFactory

URL = reverse("portfolio:portfolio")

pytestmark = pytest.mark.django_db


def _row(client, pk: int) -> str:
    """The HTML of one partnership's row (twice in a row: the second comes from the cache)."""
    first = client.get(URL).content.decode()
    html = client.get(URL).content.decode()
    assert html == first.replace(_csrf(first), _csrf(html))
    link = f'href="/partnerships/{pk}/"'
    start = html.index(link)
    return html[html.rindex("<tr>", 0, start) : html.index("</tr>", start)]


def _csrf(html: str) -> str:
    marker = '"X-CSRFToken": "'
    at = html.index(marker) + len(marker)
    return html[at : html.index('"', at)]


def test_every_stored_change_shows_at_once(cast, client):
    beech = add_partnership(cast, "Beech", overall=61.0, trend=-3.0, alerts=2, stage="expansion")
    client.force_login(cast.alice)
    row = _row(client, beech.pk)
    assert ">61<" in row
    assert "2 alerts" in row
    assert "Expansion" in row

    HealthScore.objects.filter(partnership=beech, latest=True).update(overall=74.0, trend=13.0)
    row = _row(client, beech.pk)
    assert ">74<" in row
    assert "up 13 since the previous week" in row

    Alert.objects.filter(partnership=beech).update(state=Alert.State.RESOLVED)
    assert ">none<" in _row(client, beech.pk)

    TrustStageSnapshot.objects.filter(partnership=beech).update(stage="institutionalization")
    assert "Institutionalization" in _row(client, beech.pk)

    assert "none yet" in _row(client, beech.pk)
    joint_event(beech)
    row = _row(client, beech.pk)
    assert "none yet" not in row
    assert f"{timezone.localdate():%Y}" in row

    Partnership.objects.filter(pk=beech.pk).update(name="Beech II", status="intervention")
    row = _row(client, beech.pk)
    assert "Beech II" in row
    assert "Intervention" in row

    PartyFactory(partnership=beech, organization=OrganizationFactory(name="Elm Energy"))
    assert "Elm Energy" in _row(client, beech.pk)


def test_another_time_zone_gets_its_own_rendering(cast, client):
    beech = add_partnership(cast, "Beech", overall=61.0, trend=-3.0)
    client.force_login(cast.alice)
    utc = _row(client, beech.pk)
    with timezone.override("Asia/Tokyo"):
        tokyo = _row(client, beech.pk)
    assert "+00:00" in utc
    assert "+09:00" in tokyo
