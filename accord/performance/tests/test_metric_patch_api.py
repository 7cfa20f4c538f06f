"""PATCH …/metrics/{id}: the schema and the handler agree — fields are optional, none is nullable,
and a null is refused as invalid input without changing anything."""

import pytest

from accord.api.services import token_create
from accord.performance import services


@pytest.fixture
def metric(cast):
    return services.metric_create(
        partnership=cast.partnership,
        user=cast.alice,
        code="otd",
        name="On-time delivery",
        category="operational",
        unit="%",
        direction="higher",
        target=95,
        amber_threshold=90,
        red_threshold=80,
        owner_party=cast.party_a,
    )


@pytest.fixture
def patch(cast, client, metric):
    _token, raw = token_create(user=cast.alice, name="patch", days=1)
    url = f"/api/v1/partnerships/{cast.partnership.pk}/metrics/{metric.pk}"

    def send(body):
        return client.patch(
            url, body, content_type="application/json", headers={"Authorization": f"Bearer {raw}"}
        )

    return send


def test_only_the_fields_sent_change(metric, patch):
    response = patch({"target": 97.5})
    assert response.status_code == 200, response.content
    assert (response.json()["target"], response.json()["name"]) == (97.5, "On-time delivery")
    metric.refresh_from_db()
    assert (metric.target, metric.code) == (97.5, "otd")


@pytest.mark.parametrize("field", ["name", "target", "category", "owner_party_id", "visibility"])
def test_a_null_is_invalid_input_and_changes_nothing(metric, patch, field):
    response = patch({field: None, "unit": "pct"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"][0]["loc"][-1] == field
    metric.refresh_from_db()
    assert (metric.unit, metric.name, metric.target) == ("%", "On-time delivery", 95)


def test_the_schema_declares_no_field_nullable_and_none_required(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["MetricPatch"]
    assert not schema.get("required")
    for name, field in schema["properties"].items():
        assert "anyOf" not in field, name
        assert field["type"] != "null", name
        assert "default" not in field, name
