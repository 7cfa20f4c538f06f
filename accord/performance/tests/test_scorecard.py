from datetime import date

import pytest

from accord.performance import selectors

from .helpers import make_metric, observe

TODAY = date(2026, 6, 30)


@pytest.fixture
def metrics(cast):
    otif = make_metric(cast, code="otif")  # higher: green ≥ 90, amber ≥ 80, red below
    cycle = make_metric(
        cast, code="cycle", direction="lower", target=30, amber_threshold=40, red_threshold=55
    )
    nps = make_metric(
        cast, code="nps", category="market", target=40, amber_threshold=30, red_threshold=20
    )
    margin = make_metric(
        cast,
        code="margin",
        internal=True,
        category="financial",
        target=10,
        amber_threshold=8,
        red_threshold=5,
    )
    observe(otif, ("2026-01-01", 80), ("2026-02-01", 85), ("2026-03-01", 92))
    observe(cycle, ("2026-02-01", 35), ("2026-03-01", 45))
    observe(nps, ("2026-03-01", 10), ("2099-01-01", 50))  # a future value is not known yet
    observe(margin, ("2026-03-01", 12))
    return {"otif": otif, "cycle": cycle, "nps": nps, "margin": margin}


def by_code(card):
    return {row.metric.code: row for row in card.rows}


def test_statuses_follow_the_thresholds_in_each_direction(cast, metrics):
    rows = by_code(
        selectors.scorecard(partnership=cast.partnership, viewer=cast.alice, today=TODAY)
    )
    assert {code: row.status for code, row in rows.items()} == {
        "otif": "green",
        "cycle": "amber",
        "nps": "red",
        "margin": "green",
    }
    assert (rows["otif"].latest_value, rows["otif"].trend) == (92, 1)
    assert rows["cycle"].ratio == pytest.approx(30 / 45)
    assert rows["cycle"].trend == -1  # lower is better and it rose


def test_a_metric_without_values_has_no_evidence(cast):
    make_metric(cast, code="empty")
    card = selectors.scorecard(partnership=cast.partnership, viewer=cast.alice, today=TODAY)
    assert card.rows[0].status == "no_evidence"
    assert card.attainment is None


def test_attainment_weights_categories_equally(cast, metrics):
    card = selectors.scorecard(partnership=cast.partnership, viewer=cast.alice, today=TODAY)
    operational = (min(92 / 95, 1) + 30 / 45) / 2
    expected = (operational + 10 / 40 + 1.0) / 3  # operational, market, financial (capped)
    assert card.attainment == pytest.approx(expected)
    market = next(c for c in card.categories if c.category == "market")
    assert (market.metrics, market.with_evidence, market.green) == (1, 1, 0)


def test_internal_metrics_are_invisible_to_the_other_party(cast, metrics, client):
    bob = selectors.scorecard(partnership=cast.partnership, viewer=cast.bob, today=TODAY)
    assert "margin" not in by_code(bob)
    client.force_login(cast.bob)
    base = f"/partnerships/{cast.partnership.pk}/performance/"
    for url in (
        base,
        base + "metrics/",
        f"/api/v1/partnerships/{cast.partnership.pk}/scorecard",
        f"/api/v1/partnerships/{cast.partnership.pk}/metrics",
    ):
        body = client.get(url).content.decode()
        assert "margin" not in body.lower(), url
    assert client.get(f"{base}metrics/{metrics['margin'].pk}/").status_code == 404
    client.force_login(cast.oscar)  # Alder's observer sees Alder's internal metric
    assert "Margin" in client.get(base).content.decode()


def test_off_target_metrics_lists_amber_and_red_worst_first(cast, metrics):
    items = selectors.off_target_metrics(
        partnership=cast.partnership, viewer=cast.alice, today=TODAY
    )
    assert [(i["metric"].code, i["status"]) for i in items] == [("nps", "red"), ("cycle", "amber")]
    assert items[0]["latest_value"] == 10


def test_the_scorecard_page_shows_numbers_and_filters_by_category(cast, metrics, client):
    client.force_login(cast.bea)
    base = f"/partnerships/{cast.partnership.pk}/performance/"
    page = client.get(base).content.decode()
    for text in ("Scorecard", "Otif", "Create an action"):
        assert text in page
    partial = client.get(base + "?category=market", headers={"HX-Request": "true"}).content.decode()
    assert "Nps" in partial
    assert "Otif" not in partial
    assert "<html" not in partial


def test_the_metric_page_draws_the_series_with_threshold_lines(cast, metrics, client):
    client.force_login(cast.oscar)
    page = client.get(
        f"/partnerships/{cast.partnership.pk}/performance/metrics/{metrics['otif'].pk}/"
    ).content.decode()
    assert 'img class="chart"' in page
    assert "Target 95" in page or "target 95" in page
    assert "2026-03-01" in page
    assert "Record a value" not in page  # observers only read


def test_recording_a_value_on_the_page(cast, metrics, client):
    client.force_login(cast.amos)
    url = f"/partnerships/{cast.partnership.pk}/performance/metrics/{metrics['otif'].pk}/"
    assert client.post(url, {"period": "2026-04", "value": "1,5"}).status_code == 200
    assert client.post(url, {"period": "2026-04", "value": "93"}).status_code == 302
    assert metrics["otif"].observations.get(period=date(2026, 4, 1)).value == 93


def test_the_scorecard_api_returns_statuses(cast, metrics, client):
    client.force_login(cast.alice)
    data = client.get(
        f"/api/v1/partnerships/{cast.partnership.pk}/scorecard?category=market"
    ).json()
    assert [(m["metric"]["code"], m["status"]) for m in data["metrics"]] == [("nps", "red")]


def test_an_action_is_created_from_an_off_target_metric(cast, metrics, client):
    from accord.accountability.models import ReviewAction

    client.force_login(cast.alice)
    url = f"/partnerships/{cast.partnership.pk}/performance/metrics/{metrics['nps'].pk}/action/"
    owner = cast.partnership.participants.get(user=cast.amos)
    response = client.post(
        url, {"title": "Win back promoters", "owner": owner.pk, "due_on": "2026-12-31"}
    )
    assert response.status_code == 302
    action = ReviewAction.objects.get()
    assert (action.title, action.metric_id) == ("Win back promoters", metrics["nps"].pk)
