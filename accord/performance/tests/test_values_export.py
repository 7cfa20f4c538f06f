"""Metric values exported and imported back into the same partnership change nothing: the
(metric code, period) key matches every value — recorded by form or imported — and the report
says "0 new, N unchanged" (issue 11, item 8)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.imports.engine import ImportReport
from accord.imports.services import import_file
from accord.partnerships.models import Visibility
from accord.performance.models import Metric, Observation
from accord.performance.services import metric_create, observation_record
from accord.testing.personas import Cast

IMPORTED = "metric,period,value,note\notif,2026-03,88.25,carrier strike\notif,2026-Q2,91,\n"


def _metric(cast: Cast, user: Any, code: str, visibility: str) -> Metric:
    return metric_create(
        partnership=cast.partnership,
        user=user,
        code=code,
        name=code.replace("-", " ").title(),
        category="operational",
        unit="%",
        direction="higher",
        target=95,
        amber_threshold=90,
        red_threshold=80,
        owner_party=cast.party_a if user == cast.alice else cast.party_b,
        visibility=visibility,
    )


def _import(cast: Cast, data: bytes, name: str, user: Any = None) -> ImportReport:
    return import_file(
        partnership=cast.partnership,
        user=user or cast.alice,
        kind="observations",
        stream=io.BytesIO(data),
        filename=name,
    )


def _export(cast: Cast, fmt: str) -> bytes:
    client = Client()
    client.force_login(cast.alice)
    url = reverse("performance:observations_export", args=[cast.partnership.pk])
    response = client.get(url, {"format": fmt})
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def values(cast: Cast) -> None:
    """Values recorded by form on a joint metric and on Alder's internal one, values imported,
    and Birch's internal metric that Alice never sees."""
    otif = _metric(cast, cast.alice, "otif", Visibility.JOINT)
    margin = _metric(cast, cast.alice, "margin", Visibility.INTERNAL)
    hidden = _metric(cast, cast.bob, "birch-cost", Visibility.INTERNAL)
    observation_record(metric=otif, user=cast.alice, period=date(2026, 1, 1), value=93.5)
    observation_record(
        metric=otif, user=cast.bob, period=date(2026, 2, 1), value=1 / 3, note="=odd, but true"
    )
    observation_record(metric=margin, user=cast.alice, period=date(2026, 1, 1), value=12.0)
    observation_record(metric=hidden, user=cast.bob, period=date(2026, 1, 1), value=7.0)
    assert _import(cast, IMPORTED.encode(), "values.csv").ok


def _stored() -> list[tuple[Any, ...]]:
    return list(Observation.objects.order_by("metric_id", "period").values_list())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimporting_the_values_export_changes_nothing(cast: Cast, values: None, fmt: str) -> None:
    before = _stored()

    report = _import(cast, _export(cast, fmt), f"export.{fmt}")

    assert report.ok, report.errors
    assert report.counts == {"new": 0, "updated": 0, "unchanged": 5}
    assert _stored() == before


def test_the_export_holds_only_metrics_the_reader_can_see(cast: Cast, values: None) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(cast, "csv").decode("utf-8-sig"))))

    assert [(row["metric"], row["period"]) for row in rows] == [
        ("margin", "2026-01-01"),
        ("otif", "2026-01-01"),
        ("otif", "2026-02-01"),
        ("otif", "2026-03-01"),
        ("otif", "2026-04-01"),
    ]


def test_a_changed_value_is_updated_and_a_new_period_added(cast: Cast, values: None) -> None:
    exported = _export(cast, "csv").decode("utf-8-sig")
    edited = exported.replace("otif,2026-01-01,93.5,", "otif,2026-01-01,94.0,")
    edited += "otif,2026-05-01,97,\n"

    report = _import(cast, edited.encode(), "edited.csv")

    assert report.counts == {"new": 1, "updated": 1, "unchanged": 4}
    otif = Metric.objects.get(code="otif")
    assert Observation.objects.get(metric=otif, period=date(2026, 1, 1)).value == 94.0
