"""An import's audit events follow the rows they describe (issue 10, item 1).

Importing internal rows must not tell the other party that they exist: not their count, not the
file's name. Each test reads the trail the way the other party does — through the API — and
compares whole summaries, not substrings.
"""

from __future__ import annotations

from io import BytesIO

import pytest

from accord.api.services import token_create
from accord.economics.tests.helpers import days_ago, rates
from accord.imports.services import import_file
from accord.partnerships.audit import AuditEvent
from accord.performance.services import observations_ingest
from accord.performance.tests.helpers import make_metric

HEADER = (
    "source,beneficiary,amount,currency,status,period_start,period_end,description,visibility\n"
)


def _row(visibility: str, amount: int) -> str:
    period = f"{days_ago(90)},{days_ago(1)}"
    return f"scale,Alder Pharma,{amount},EUR,realized,{period},Savings,{visibility}\n"


def _import(cast, text: str, name: str) -> None:
    report = import_file(
        partnership=cast.partnership,
        user=cast.alice,
        kind="value-entries",
        stream=BytesIO(text.encode()),
        filename=name,
    )
    assert report.ok, report.as_dict()


def _summaries_read_by(client, user, cast) -> list[str]:
    _token, raw = token_create(user=user, name="read", days=1)
    response = client.get(
        f"/api/v1/partnerships/{cast.partnership.pk}/audit-events?limit=100",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200
    return [e["summary"] for e in response.json()["items"]]


@pytest.fixture
def quiet_trail(cast):
    rates(cast)
    return set(AuditEvent.objects.values_list("pk", flat=True))


def test_an_all_internal_import_writes_only_an_internal_event(cast, client, quiet_trail):
    _import(
        cast, HEADER + _row("internal", 10) + _row("internal", 20), "q3-internal-valuations.csv"
    )
    new = AuditEvent.objects.exclude(pk__in=quiet_trail)
    assert [(e.visibility, e.owner_org_id, e.summary) for e in new] == [
        (
            "internal",
            cast.org_a.pk,
            "Imported 2 internal rows of value entries from q3-internal-valuations.csv",
        )
    ]
    assert _summaries_read_by(client, cast.bob, cast) == []
    assert _summaries_read_by(client, cast.alice, cast) == [
        "Imported 2 internal rows of value entries from q3-internal-valuations.csv"
    ]


def test_a_mixed_import_counts_only_joint_rows_in_the_joint_event(cast, client, quiet_trail):
    rows = _row("joint", 10) + _row("internal", 20) + _row("internal", 30)
    _import(cast, HEADER + rows, "q3-internal-valuations.csv")
    assert _summaries_read_by(client, cast.bob, cast) == ["Imported 1 joint rows of value entries"]
    assert sorted(_summaries_read_by(client, cast.alice, cast)) == [
        "Imported 1 joint rows of value entries",
        "Imported 2 internal rows of value entries (and 1 joint rows) from "
        "q3-internal-valuations.csv",
    ]


def test_an_all_joint_import_names_its_file_to_every_party(cast, client, quiet_trail):
    _import(cast, HEADER + _row("joint", 10), "shared-savings.csv")
    assert _summaries_read_by(client, cast.bob, cast) == [
        "Imported 1 joint rows of value entries from shared-savings.csv"
    ]


def test_observations_of_an_internal_metric_stay_out_of_the_joint_trail(cast, client):
    make_metric(cast, code="margin", internal=True)
    make_metric(cast, code="otif")
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    text = "metric,period,value\nmargin,2026-01,12\nmargin,2026-02,13\n"
    report = import_file(
        partnership=cast.partnership,
        user=cast.alice,
        kind="observations",
        stream=BytesIO(text.encode()),
        filename="margins-internal.csv",
    )
    assert report.ok
    assert [(e.visibility, e.summary) for e in AuditEvent.objects.exclude(pk__in=before)] == [
        ("internal", "Imported 2 internal rows of Metric observations from margins-internal.csv")
    ]
    assert _summaries_read_by(client, cast.bob, cast) == []


def test_api_ingest_splits_its_events_by_the_metrics_visibility(cast, client):
    make_metric(cast, code="margin", internal=True)
    make_metric(cast, code="otif")
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    rows = [
        {"metric": "otif", "period": "2026-01", "value": 95},
        {"metric": "margin", "period": "2026-01", "value": 12},
        {"metric": "margin", "period": "2026-02", "value": 13},
    ]
    assert observations_ingest(partnership=cast.partnership, user=cast.alice, rows=rows).ok
    events = AuditEvent.objects.exclude(pk__in=before).order_by("visibility")
    assert [(e.visibility, e.summary) for e in events] == [
        ("internal", "Imported 2 internal rows of observations (and 1 joint rows) by API"),
        ("joint", "Imported 1 joint rows of observations"),
    ]
