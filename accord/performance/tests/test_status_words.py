"""Status words true to their rule: "On target" only when the target is met, "Within tolerance"
short of it but inside the amber threshold, "Off target" past amber, and "Stale" once the last
value is older than the metric's cadence allows — on the page, in the API and in the export."""

import csv
import io
from datetime import date

import numpy as np
import pytest
from django.urls import reverse

from accord.domain import metric_standing
from accord.domain.performance import Metrics
from accord.performance import selectors

from .helpers import make_metric, observe

DECEMBER = date(2026, 12, 6)


def words(direction, target, amber, red, values):
    n = len(values)
    metrics = Metrics(
        partnership=np.zeros(n, dtype=np.int64),
        category=np.array(["financial"] * n),
        direction=np.array([direction] * n),
        target=np.full(n, target),
        amber=np.full(n, amber),
        red=np.full(n, red),
    )
    return metric_standing.standing(metrics, np.array(values, dtype=np.float64)).tolist()


def test_budget_variance_above_its_target_is_never_on_target():
    # 5.94% against ≤ 5%: inside an amber threshold at 6%, past one at 5.5%
    assert words("lower", 5, 6, 8, [5.94]) == ["within_tolerance"]
    assert words("lower", 5, 5.5, 8, [5.94]) == ["off_target"]
    assert words("lower", 5, 6, 8, [5.0, 4.2, 7.0, 8.1]) == [
        "on_target",
        "on_target",
        "off_target",
        "far_off_target",
    ]


def test_a_pipeline_of_three_point_three_one_of_four_misses_its_target():
    assert words("higher", 4, 3, 2, [3.31]) == ["within_tolerance"]
    assert words("higher", 4, 3.5, 2, [3.31]) == ["off_target"]
    assert words("higher", 4, 3, 2, [4.0, np.nan, 1.9]) == [
        "on_target",
        "no_evidence",
        "far_off_target",
    ]


@pytest.mark.parametrize(
    ("cadence", "latest", "stale_from"),
    [
        ("monthly", "2026-07-01", "2026-09-01"),
        ("quarterly", "2026-01-01", "2026-07-01"),
        ("weekly", "2026-11-30", "2026-12-14"),
        ("daily", "2026-12-04", "2026-12-06"),
    ],
)
def test_a_value_goes_stale_after_its_period_and_one_more_to_report_it(cadence, latest, stale_from):
    days = np.array([latest], dtype="datetime64[D]")
    kinds = np.array([cadence])
    assert str(metric_standing.stale_from(days, kinds)[0]) == stale_from
    limit = date.fromisoformat(stale_from)
    before = limit.replace(day=limit.day - 1) if limit.day > 1 else None
    assert metric_standing.is_stale(days, kinds, today=limit).tolist() == [True]
    if before:
        assert metric_standing.is_stale(days, kinds, today=before).tolist() == [False]


@pytest.fixture
def card_metrics(cast):
    budget = make_metric(
        cast,
        code="budget-variance",
        direction="lower",
        category="financial",
        target=5,
        amber_threshold=6,
        red_threshold=8,
    )
    pipeline = make_metric(
        cast, code="pipeline", unit="", target=4, amber_threshold=3, red_threshold=2
    )
    july = make_metric(cast, code="july-only", target=90, amber_threshold=80, red_threshold=70)
    observe(budget, ("2026-11-01", 5.94))
    observe(pipeline, ("2026-11-01", 3.31))
    observe(july, ("2026-07-01", 95))  # met its target in July, silent since
    return {"budget": budget, "pipeline": pipeline, "july": july}


def test_the_scorecard_says_within_tolerance_and_stale(cast, card_metrics):
    card = selectors.scorecard(partnership=cast.partnership, viewer=cast.alice, today=DECEMBER)
    rows = {r.metric.code: r for r in card.rows}
    assert {code: (r.status, r.standing, r.word) for code, r in rows.items()} == {
        "budget-variance": ("green", "within_tolerance", "within_tolerance"),
        "pipeline": ("green", "within_tolerance", "within_tolerance"),
        "july-only": ("green", "on_target", "stale"),
    }
    assert rows["july-only"].stale_since == date(2026, 9, 1)
    assert card.counts()["on_target"] == 0
    assert card.counts()["stale"] == 1


@pytest.mark.django_db
def test_the_pages_show_the_words_and_explain_them(cast, card_metrics, client, time_machine):
    time_machine.move_to("2026-12-06 10:00:00+00:00")
    client.force_login(cast.alice)
    page = client.get(reverse("performance:overview", kwargs={"pk": cast.partnership.pk}))
    html = page.content.decode()
    assert html.count("Within tolerance") >= 3  # two rows, the counts and the legend
    assert "It misses the target but has not crossed the amber threshold." in html
    assert "since 1 Sep 2026" in html
    detail = client.get(
        reverse(
            "performance:metric_detail",
            kwargs={"pk": cast.partnership.pk, "metric_id": card_metrics["july"].pk},
        )
    ).content.decode()
    assert "too old to describe the present since 1 Sep 2026" in detail
    assert '<time datetime="2026-07-01">Jul 2026</time>' in detail


def test_the_api_and_the_export_carry_staleness(cast, card_metrics, client, time_machine):
    time_machine.move_to("2026-12-06 10:00:00+00:00")
    client.force_login(cast.bob)
    data = client.get(f"/api/v1/partnerships/{cast.partnership.pk}/scorecard").json()
    july = next(m for m in data["metrics"] if m["metric"]["code"] == "july-only")
    assert (july["standing"], july["stale"], july["stale_since"]) == (
        "on_target",
        True,
        "2026-09-01",
    )
    response = client.get(
        reverse("performance:scorecard_export", kwargs={"pk": cast.partnership.pk})
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    exported = {r["metric"]: r for r in rows}
    assert exported["july-only"]["status"] == "stale"
    assert exported["july-only"]["stale_since"] == "2026-09-01"
    assert exported["budget-variance"]["status"] == "within_tolerance"
    assert exported["budget-variance"]["latest_value"] == "5.94"
