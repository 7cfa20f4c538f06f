"""Relationship metrics fed from the evidence registry: computed at the scoring pass from
published evidence only, marked as fed, and never editable by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accord.health import services as health
from accord.health.sources import trust_evidence
from accord.performance import services
from accord.performance.feeds import FED_METRIC, FEED_NOT_RELATIONSHIP
from accord.performance.models import Observation
from accord.performance.tests.helpers import import_csv, make_metric
from accord.trust.tests.helpers import answered_round


def score(cast) -> None:
    """The scoring pass of the day after the round closed (the trust source counts rounds
    closed before the day it scores)."""
    health.score_partnerships([cast.partnership.pk], today=date.today() + timedelta(days=1))


def trust_in_b(cast):
    """Goodwill trust that Alder places in Birch, owned (reported) by Birch."""
    return make_metric(
        cast,
        code="goodwill-in-b",
        org="b",
        category="relationship",
        unit="1–7",
        target=6.0,
        amber_threshold=5.0,
        red_threshold=4.0,
        feed="trust_goodwill",
    )


def test_a_fed_trust_metric_gets_its_values_from_a_published_round(cast):
    metric = trust_in_b(cast)
    answered_round(cast, {cast.org_a: 3, cast.org_b: 3}, value=6)
    score(cast)
    tomorrow = date.today() + timedelta(days=1)
    published = [
        r
        for r in trust_evidence([cast.partnership.pk], start=date(2000, 1, 1), end=tomorrow)
        if r.signal == "trust_goodwill" and r.to_party_id == cast.party_b.pk
    ]
    assert [r.weight for r in published] == [3.0]  # Alder's three respondents about Birch
    values = list(Observation.objects.filter(metric=metric).values_list("value", "note"))
    assert values == [(pytest.approx(published[0].value), "fed from the evidence registry")]


def test_a_round_below_the_anonymity_threshold_feeds_nothing(cast):
    metric = trust_in_b(cast)
    answered_round(cast, {cast.org_a: 2, cast.org_b: 3}, value=6)
    score(cast)
    assert not Observation.objects.filter(metric=metric).exists()


def test_values_of_a_fed_metric_cannot_be_typed_by_hand(cast, client):
    metric = trust_in_b(cast)
    with pytest.raises(ValidationError) as error:
        services.observation_record(
            metric=metric, user=cast.bob, period=metric.created_at.date(), value=5
        )
    assert error.value.message_dict == {"value": [FED_METRIC]}
    client.force_login(cast.bob)
    response = client.post(
        f"/api/v1/partnerships/{cast.partnership.pk}/metrics/{metric.pk}/observations",
        {"period": "2026-05", "value": 5},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert FED_METRIC in response.json()["detail"]
    assert not Observation.objects.filter(metric=metric).exists()


def test_an_import_row_for_a_fed_metric_is_refused(cast):
    trust_in_b(cast)
    report = import_csv(cast, "metric,period,value\ngoodwill-in-b,2026-05,5\n", user=cast.bob)
    assert [(e.column, e.reason) for e in report.errors] == [("metric", FED_METRIC)]
    assert not Observation.objects.exists()


def test_only_relationship_metrics_can_be_fed(cast):
    with pytest.raises(ValidationError) as error:
        services.metric_create(
            partnership=cast.partnership,
            user=cast.alice,
            code="otif",
            name="OTIF",
            category="operational",
            direction="higher",
            target=95,
            amber_threshold=90,
            red_threshold=80,
            owner_party=cast.party_a,
            feed="notice_kept",
        )
    assert error.value.message_dict == {"feed": [FEED_NOT_RELATIONSHIP]}


def test_the_metric_page_says_it_is_fed_and_offers_no_value_form(cast, client):
    metric = trust_in_b(cast)
    client.force_login(cast.bob)
    page = client.get(
        reverse(
            "performance:metric_detail",
            kwargs={"pk": cast.partnership.pk, "metric_id": metric.pk},
        )
    )
    html = page.content.decode()
    assert "Fed from the evidence registry" in html
    assert "Save value" not in html
