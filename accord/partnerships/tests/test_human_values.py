"""People read dates and values as people write them; the export keeps the exact record."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
from django.db import transaction
from django.urls import reverse

from accord.partnerships.audit import record_event
from accord.partnerships.templatetags.human import human_key, human_value

CLOSED = datetime(2026, 12, 13, 11, 33, 11, 4598, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2026-12-13 11:33:11.004598+00:00", "13 Dec 2026, 11:33"),
        ("2026-12-13T11:33:11Z", "13 Dec 2026, 11:33"),
        ("2026-03-01", "1 Mar 2026"),
        (CLOSED, "13 Dec 2026, 11:33"),
        (date(2026, 3, 1), "1 Mar 2026"),
        (True, "yes"),
        (None, "—"),
        (1234567, "1,234,567"),
        (0.30000000000000004, "0.3"),
        (["EUR", "USD"], "EUR, USD"),
        ({"due_on": "2026-03-01"}, "Due on: 1 Mar 2026"),
        ("on track", "on track"),
    ],
)
def test_recorded_values_read_as_people_write_them(value, shown, settings):
    settings.TIME_ZONE = "UTC"
    assert human_value(value) == shown


def test_field_names_read_as_words():
    assert human_key("closes_at") == "Closes at"


@pytest.fixture
def closed_round_event(cast):
    with transaction.atomic():
        return record_event(
            action="trust.round_closed",
            summary="Closed the trust round",
            actor=cast.alice,
            partnership=cast.partnership,
            changes={"closes_at": [CLOSED.replace(day=20), CLOSED], "reminders_sent": 2},
        )


def test_the_activity_page_shows_human_dates_and_values(cast, client, closed_round_event, settings):
    settings.TIME_ZONE = "UTC"
    client.force_login(cast.bob)
    html = client.get(
        reverse("partnership_activity", kwargs={"pk": cast.partnership.pk})
    ).content.decode()
    assert "<dt>Closes at</dt><dd>20 Dec 2026, 11:33 → 13 Dec 2026, 11:33</dd>" in html
    assert "11:33:11.004598" not in html


def test_the_activity_export_keeps_exact_values_and_hashes(cast, client, closed_round_event):
    client.force_login(cast.bob)
    response = client.get(
        reverse("partnership_activity_export", kwargs={"pk": cast.partnership.pk})
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {r["action"]: r for r in csv.DictReader(io.StringIO(text))}
    row = rows["trust.round_closed"]
    assert json.loads(row["changes"])["closes_at"][1] == "2026-12-13 11:33:11.004598+00:00"
    assert row["hash"] == closed_round_event.hash
    assert datetime.fromisoformat(row["created_at"]) == closed_round_event.created_at
