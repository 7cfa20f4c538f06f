"""The portfolio page: whose partnerships it lists, what it shows, and how it filters, sorts and
pages — reading stored results only, at a constant number of queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.health.models import Alert
from accord.partnerships.models import Partnership
from accord.portfolio.tests.helpers import add_partnership, joint_event
from accord.testing.factories import OrganizationFactory, ParticipantFactory

URL = reverse("portfolio:portfolio")


def names(response) -> list[str]:
    return [r.partnership.name for r in response.context["rows"]]


@pytest.fixture
def portfolio(cast):
    add_partnership(cast, "Ash", overall=82.0, trend=2.4, stage="expansion")
    add_partnership(cast, "Beech", overall=61.0, trend=-3.0, alerts=2, stage="verification")
    add_partnership(
        cast, "Cedar", overall=35.0, trend=0.0, alerts=1, status=Partnership.Status.INTERVENTION
    )
    add_partnership(cast, "Dogwood")  # no health yet
    return cast


def test_it_lists_only_partnerships_of_the_viewers_organization(portfolio, client):
    stranger = OrganizationFactory(name="Elm Energy")
    add_partnership(portfolio, "Birch and Elm", overall=90.0, orgs=(portfolio.org_b, stranger))
    client.force_login(portfolio.alice)
    shown = names(client.get(URL))
    assert "Birch and Elm" not in shown
    assert sorted(shown) == ["Alder–Birch Alliance", "Ash", "Beech", "Cedar", "Dogwood"]


def test_a_member_sees_only_the_partnerships_they_may_read(portfolio, client):
    client.force_login(portfolio.amos)  # a team member of Alder in the cast's partnership only
    assert names(client.get(URL)) == ["Alder–Birch Alliance"]
    ParticipantFactory(
        partnership=Partnership.objects.get(name="Ash"),
        organization=portfolio.org_a,
        user=portfolio.amos,
        role="member",
    )
    assert names(client.get(URL)) == ["Alder–Birch Alliance", "Ash"]


def test_a_facilitator_outside_every_party_gets_an_empty_portfolio(portfolio, client):
    client.force_login(portfolio.fiona)
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == []


def test_each_row_shows_stored_health_trend_alerts_stage_and_when_computed(portfolio, client):
    client.force_login(portfolio.alice)
    response = client.get(URL)
    rows = {r.partnership.name: r for r in response.context["rows"]}
    beech = rows["Beech"]
    assert (beech.overall, beech.band, beech.active_alerts, beech.stage) == (
        61.0,
        "watch",
        2,
        "verification",
    )
    assert beech.subscores["trust"] == 56.0
    assert beech.subscores["behaviour"] is None
    assert beech.trend_words == "down 3 since the previous week"
    assert beech.trend_arrow == "↓"
    assert rows["Ash"].trend_words == "up 2.4 since the previous week"
    assert rows["Cedar"].trend_words == "unchanged since the previous week"
    assert rows["Dogwood"].overall is None
    assert rows["Dogwood"].band == "none"
    assert beech.partners == ["Birch Bio"]
    html = response.content.decode()
    assert "computed" in html
    assert 'datetime="2026-11-24T03:00:00+00:00"' in html
    alerts_url = reverse("health:alerts", kwargs={"pk": beech.partnership.pk})
    assert re.search(rf'href="{alerts_url}">2 alerts</a>', html)


def test_resolved_alerts_do_not_count(portfolio, client):
    Alert.objects.filter(partnership__name="Beech").update(state=Alert.State.RESOLVED)
    client.force_login(portfolio.alice)
    response = client.get(URL, {"alerts": "yes"})
    assert names(response) == ["Cedar"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "intervention"}, ["Cedar"]),
        ({"stage": "expansion"}, ["Ash"]),
        ({"alerts": "yes"}, ["Beech", "Cedar"]),
        ({"alerts": "no"}, ["Alder–Birch Alliance", "Ash", "Dogwood"]),
        ({"band": "good"}, ["Ash"]),
        ({"band": "watch"}, ["Beech"]),
        ({"band": "poor"}, ["Cedar"]),
        ({"band": "none"}, ["Alder–Birch Alliance", "Dogwood"]),
        ({"q": "ced"}, ["Cedar"]),
        ({"q": "ced", "band": "good"}, []),
    ],
)
def test_it_filters(portfolio, client, query, expected):
    client.force_login(portfolio.alice)
    assert names(client.get(URL, query)) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("health", ["Cedar", "Beech", "Ash", "Alder–Birch Alliance", "Dogwood"]),
        ("-health", ["Ash", "Beech", "Cedar", "Alder–Birch Alliance", "Dogwood"]),
        ("trend", ["Beech", "Cedar", "Ash", "Alder–Birch Alliance", "Dogwood"]),
        ("-alerts", ["Beech", "Cedar", "Alder–Birch Alliance", "Ash", "Dogwood"]),
        ("-stage", ["Ash", "Beech", "Alder–Birch Alliance", "Cedar", "Dogwood"]),
        ("status", ["Alder–Birch Alliance", "Ash", "Beech", "Dogwood", "Cedar"]),
        ("-name", ["Dogwood", "Cedar", "Beech", "Ash", "Alder–Birch Alliance"]),
    ],
)
def test_it_sorts_with_missing_values_last(portfolio, client, sort, expected):
    client.force_login(portfolio.alice)
    assert names(client.get(URL, {"sort": sort})) == expected


def test_it_sorts_by_the_last_joint_activity_ignoring_another_partys_internal_events(
    portfolio, client
):
    ash, beech = Partnership.objects.get(name="Ash"), Partnership.objects.get(name="Beech")
    joint_event(beech)
    joint_event(ash)
    joint_event(beech, visibility="internal", owner_org=portfolio.org_b)
    client.force_login(portfolio.alice)
    response = client.get(URL, {"sort": "-activity"})
    assert names(response)[:2] == ["Ash", "Beech"]
    rows = {r.partnership.name: r for r in response.context["rows"]}
    assert rows["Ash"].last_activity > rows["Beech"].last_activity


def test_an_invalid_filter_is_shown_as_an_error_and_ignored(portfolio, client):
    client.force_login(portfolio.alice)
    response = client.get(URL, {"band": "splendid", "status": "intervention"})
    assert response.status_code == 200
    assert names(response) == ["Cedar"]
    assert response.context["form"].errors["band"]


def test_it_pages_by_25_and_keeps_the_filters_in_the_links(cast, client):
    for i in range(30):
        add_partnership(cast, f"P{i:02}", overall=60.0)
    client.force_login(cast.alice)
    first = client.get(URL, {"band": "watch"})
    assert first.context["page"].paginator.count == 30
    assert len(names(first)) == 25
    assert "band=watch&amp;page=2" in first.content.decode()
    second = client.get(URL, {"band": "watch", "page": 2})
    assert names(second) == [f"P{i:02}" for i in range(25, 30)]


def test_htmx_gets_only_the_results(portfolio, client):
    client.force_login(portfolio.alice)
    response = client.get(URL, {"status": "intervention"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "<form" not in html


def _queries(client, n_partnerships, cast, path, prefix) -> int:
    for i in range(n_partnerships):
        joint_event(
            add_partnership(
                cast, f"{prefix}{i:03}", overall=40.0 + i % 50, alerts=i % 3, stage="verification"
            )
        )
    client.force_login(cast.alice)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, {"sort": "-health"})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", [URL, reverse("portfolio:export") + "?format=xlsx"])
def test_the_query_count_does_not_grow_with_the_portfolio(cast, client, path):
    small = _queries(client, 5, cast, path, "S")
    large = _queries(client, 45, cast, path, "L")  # 50 in all
    assert small == large <= 12
