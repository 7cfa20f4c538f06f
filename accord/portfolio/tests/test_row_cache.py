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


def test_a_page_seen_before_reads_one_fingerprint_for_its_details(cast, client):
    """The details (health, alerts, activity, partners) are kept per state of the page's rows:
    the same page again reads one query for them instead of four; Birch's view of the same
    partnerships lists Alder as the partner, not itself."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        add_partnership(cast, f"Beech {n}", overall=60.0 + n, alerts=1)
    client.force_login(cast.alice)
    with CaptureQueriesContext(connection) as first:
        client.get(URL)
    with CaptureQueriesContext(connection) as second:
        page = client.get(URL).content.decode()
    assert len(second.captured_queries) == len(first.captured_queries) - 4
    assert page.count("with Birch Bio") >= 3
    client.force_login(cast.bob)
    theirs = client.get(URL).content.decode()
    assert theirs.count("with Alder Pharma") >= 3
    assert "with Birch Bio" not in theirs
