"""The portfolio's CSV and XLSX exports and its API: the same rows and filters as the page."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accord.api.services import token_create
from accord.portfolio.exports import COLUMNS
from accord.portfolio.tests.helpers import add_partnership

EXPORT = reverse("portfolio:export")


@pytest.fixture
def portfolio(cast):
    add_partnership(cast, "Ash", overall=82.0, trend=2.4, stage="expansion")
    add_partnership(cast, "=Beech", overall=61.0, trend=-3.0, alerts=2)
    for i in range(30):
        add_partnership(cast, f"Z{i:02}")
    return cast


def test_the_csv_holds_every_filtered_row_not_only_the_first_page(portfolio, client):
    client.force_login(portfolio.alice)
    response = client.get(EXPORT, {"format": "csv", "sort": "-health"})
    assert response["Content-Disposition"] == 'attachment; filename="portfolio-alder.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == 33
    assert list(table[0]) == COLUMNS
    ash, beech = table[0], table[1]
    assert (ash["partnership"], ash["health"], ash["health_band"], ash["trust_stage"]) == (
        "Ash",
        "82.0",
        "Good",
        "Expansion",
    )
    assert ash["trust"] == "77.0"
    assert ash["behaviour"] == ""
    assert ash["health_computed_at"] == "2026-11-24T03:00:00+00:00"
    assert (beech["partnership"], beech["active_alerts"], beech["partners"]) == (
        "'=Beech",  # a spreadsheet must not run it as a formula
        "2",
        "Birch Bio",
    )
    assert beech["trend_words"] == "down 3 since the previous week"


def test_the_xlsx_keeps_numbers_as_numbers_and_applies_the_filters(portfolio, client):
    client.force_login(portfolio.alice)
    response = client.get(EXPORT, {"format": "xlsx", "band": "good"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert list(values[0]) == COLUMNS
    assert len(values) == 2
    row = dict(zip(COLUMNS, values[1], strict=True))
    assert row["partnership"] == "Ash"
    assert row["health"] == 82.0
    assert row["trend"] == 2.4


def test_an_unknown_export_format_is_not_found(portfolio, client):
    client.force_login(portfolio.alice)
    assert client.get(EXPORT, {"format": "pdf"}).status_code == 404


def _api(client, user, **params):
    _token, raw = token_create(user=user, name="t", days=1)
    return client.get("/api/v1/portfolio", params, headers={"Authorization": f"Bearer {raw}"})


def test_the_api_pages_filters_and_sorts_like_the_page(portfolio, client):
    body = _api(client, portfolio.alice, sort="-health", limit=2, offset=0).json()
    assert body["count"] == 33
    assert [i["name"] for i in body["items"]] == ["Ash", "=Beech"]
    ash = body["items"][0]
    assert ash["health"] == 82.0
    assert ash["health_band"] == "good"
    assert ash["subscores"]["trust"] == 77.0
    assert ash["subscores"]["behaviour"] is None
    assert ash["trust_stage"] == "expansion"
    assert ash["partners"] == ["Birch Bio"]
    assert ash["health_computed_at"].startswith("2026-11-24T03:00:00")
    body = _api(client, portfolio.alice, alerts="yes").json()
    assert [i["name"] for i in body["items"]] == ["=Beech"]
    assert body["items"][0]["active_alerts"] == 2
    assert _api(client, portfolio.alice, offset=40).json() == {"items": [], "count": 33}


def test_the_api_refuses_an_unknown_filter_value_in_the_error_shape(portfolio, client):
    response = _api(client, portfolio.alice, band="splendid")
    assert response.status_code == 422
    assert set(response.json()) >= {"detail", "code"}


def test_the_api_shows_another_organization_only_its_own_partnerships(portfolio, client):
    body = _api(client, portfolio.olga).json()
    assert body == {"items": [], "count": 0}
