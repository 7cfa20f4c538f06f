"""The scorecard tab keeps its summary and metric table as HTML (``kept_scorecard``): after each
kind of change made through the app the next request shows it, and one organization's or role's
rendering is never served to another."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accord.accountability.services.reviews import (
    review_action_complete,
    review_action_create,
    review_create,
    review_record_minutes,
)
from accord.performance import services
from accord.performance.models import Observation
from accord.performance.tests.helpers import make_metric

pytestmark = pytest.mark.django_db


def scores(client, cast, user=None) -> str:
    """The metric table's section and the summary cards as ``user`` sees them, tags dropped."""
    client.force_login(user or cast.alice)
    response = client.get(reverse("performance:overview", kwargs={"pk": cast.partnership.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index('<div class="grid perf-summary">') : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def row(client, cast, name, user=None) -> str:
    """One metric's row of the table, tags dropped ("" when it is not shown)."""
    client.force_login(user or cast.alice)
    response = client.get(reverse("performance:overview", kwargs={"pk": cast.partnership.pk}))
    for tr in re.findall(r"<tr>(.*?)</tr>", response.content.decode(), re.DOTALL):
        if f">{name}</a>" in tr:
            return " ".join(re.sub(r"<[^>]+>", " ", tr).split())
    return ""


def this_month():
    return timezone.localdate().replace(day=1)


def months_ago(n: int):
    day = this_month()
    for _ in range(n):
        day = (day - timedelta(days=1)).replace(day=1)
    return day


def record(cast, metric, period, value):
    return services.observation_record(metric=metric, user=cast.alice, period=period, value=value)


def test_a_recorded_replaced_and_deleted_value_shows_at_once(cast, client):
    metric = make_metric(cast, code="otif", name="On time in full")
    assert "No values yet" in row(client, cast, "On time in full")
    record(cast, metric, months_ago(1), 91.0)
    record(cast, metric, this_month(), 96.0)
    assert row(client, cast, "On time in full").startswith("On time in full Operational")
    assert "On target 96 %" in row(client, cast, "On time in full")
    record(cast, metric, this_month(), 85.0)  # replaced in place: the same row
    assert "Off target 85 %" in row(client, cast, "On time in full")
    services.observation_delete(
        observation=Observation.objects.get(metric=metric, period=this_month()), user=cast.alice
    )
    assert "Within tolerance 91 %" in row(client, cast, "On time in full")


def test_two_values_swapped_between_months_show_the_new_latest(cast, client):
    metric = make_metric(cast, code="otif")
    record(cast, metric, months_ago(1), 80.0)
    record(cast, metric, this_month(), 97.0)
    assert "On target 97 %" in row(client, cast, "Otif")
    # Same count, same sum, same latest period: only the weighted sums move.
    Observation.objects.filter(metric=metric, period=months_ago(1)).update(value=97.0)
    Observation.objects.filter(metric=metric, period=this_month()).update(value=80.0)
    assert "Otif Operational · higher is better · Alder Pharma Off target 80 %" in row(
        client, cast, "Otif"
    )


def test_a_changed_target_and_name_show_at_once(cast, client):
    metric = make_metric(cast, code="otif", name="On time in full")
    record(cast, metric, this_month(), 96.0)
    assert "≥ 95 %" in scores(client, cast)
    services.metric_update(metric=metric, user=cast.alice, name="Delivered in full", target=99.0)
    page = scores(client, cast)
    assert "≥ 99 %" in page
    assert "Delivered in full" in page
    assert "On time in full" not in page


def test_a_review_that_looked_at_a_metric_and_closed_actions_show_at_once(cast, client):
    metric = make_metric(cast, code="otif")
    record(cast, metric, this_month(), 96.0)
    assert "not yet" in scores(client, cast)
    meeting = review_create(
        partnership=cast.partnership,
        user=cast.alice,
        title="Steering review",
        scheduled_at=datetime.now(UTC) - timedelta(days=20),
    )
    review_record_minutes(review=meeting, user=cast.alice, attendees=[], metrics_reviewed=[metric])
    page = scores(client, cast)
    assert "1 review last: Steering review" in page

    action = review_action_create(
        partnership=cast.partnership,
        user=cast.alice,
        title="Fix the lead times",
        owner_party=cast.party_a,
        owner=None,
        due_on=timezone.localdate() - timedelta(days=3),
        review=meeting,
    )
    assert "Outside reviews 0% (0/1)" in scores(client, cast)
    review_action_complete(action=action, user=cast.alice, done_on=action.due_on)
    assert "Outside reviews 100% (1/1)" in scores(client, cast)


def test_another_organizations_internal_metric_stays_its_own(cast, client):
    make_metric(cast, code="margin", name="Birch margin", internal=True, org="b")
    assert "Birch margin" not in scores(client, cast, cast.alice)
    assert "Birch margin" in scores(client, cast, cast.bob)
    assert "Birch margin" not in scores(client, cast, cast.alice)


def test_a_reader_is_not_served_the_contributors_buttons(cast, client):
    metric = make_metric(cast, code="otif")
    record(cast, metric, this_month(), 70.0)  # far off target
    assert "Create an action" in scores(client, cast, cast.alice)
    assert "Create an action" not in scores(client, cast, cast.oscar)
    assert "Create an action" in scores(client, cast, cast.alice)


def test_a_value_grows_stale_as_the_days_pass(cast, client):
    metric = make_metric(cast, code="otif")
    record(cast, metric, this_month(), 96.0)
    assert "On target" in row(client, cast, "Otif")
    with time_machine.travel(timezone.now() + timedelta(days=100)):
        assert re.search(r"Stale since \d+ \w+ \d{4}", row(client, cast, "Otif"))
