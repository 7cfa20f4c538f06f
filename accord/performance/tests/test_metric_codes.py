"""Choosing a metric code never reveals another party's internal metric (issue 10, item 6b).

Joint codes are unique across the partnership, internal codes per owning organization; only
metrics the chooser can see may refuse a code, and imports resolve a code among the metrics the
importer can see (its own internal metric first).
"""

from __future__ import annotations

import json

import pytest
from django.db import IntegrityError, transaction

from accord.api.services import token_create
from accord.performance.models import Metric, Observation
from accord.performance.services import CODE_TAKEN
from accord.performance.tests.helpers import import_csv, make_metric


def _metric_body(cast, code: str, *, party, visibility: str = "joint") -> dict:
    return {
        "code": code,
        "name": f"Metric {code}",
        "category": "financial",
        "direction": "higher",
        "target": 10,
        "amber_threshold": 8,
        "red_threshold": 5,
        "owner_party_id": party.pk,
        "visibility": visibility,
    }


def _call(client, user, method: str, url: str, body: dict):
    _token, raw = token_create(user=user, name="codes", days=1)
    return getattr(client, method)(
        url,
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )


def _create(client, cast, user, code: str, **kwargs):
    party = kwargs.pop("party", cast.party_a if user == cast.alice else cast.party_b)
    url = f"/api/v1/partnerships/{cast.partnership.pk}/metrics"
    return _call(client, user, "post", url, _metric_body(cast, code, party=party, **kwargs))


def test_a_joint_code_may_equal_another_partys_internal_code(cast, client):
    make_metric(cast, code="margin", internal=True, org="b")
    response = _create(client, cast, cast.alice, "margin")
    assert response.status_code == 201, response.content
    assert Metric.objects.filter(code="margin").count() == 2


def test_internal_codes_are_unique_per_owning_organization(cast, client):
    make_metric(cast, code="cash", internal=True, org="b")
    mine = _create(client, cast, cast.alice, "cash", visibility="internal")
    assert mine.status_code == 201, mine.content
    again = _create(client, cast, cast.alice, "cash", visibility="internal")
    assert again.status_code == 400
    assert again.json()["detail"] == "code: " + CODE_TAKEN.format(code="cash")


def test_a_code_is_refused_only_for_metrics_the_chooser_can_see(cast, client):
    make_metric(cast, code="otif")  # joint, Alder's
    make_metric(cast, code="burn", internal=True)  # Alder's internal
    for user, code, kwargs in (
        (cast.bob, "otif", {"visibility": "internal"}),  # the joint one is visible to Birch
        (cast.alice, "burn", {}),  # Alder's own internal one is visible to Alder
    ):
        refused = _create(client, cast, user, code, **kwargs)
        assert refused.status_code == 400, (user, code)
        assert refused.json()["detail"] == "code: " + CODE_TAKEN.format(code=code)


def test_renaming_a_joint_metric_to_another_partys_internal_code_is_not_refused(cast, client):
    joint = make_metric(cast, code="otif")
    make_metric(cast, code="burn", internal=True)
    url = f"/api/v1/partnerships/{cast.partnership.pk}/metrics/{joint.pk}"
    response = _call(client, cast.bob, "patch", url, {"code": "burn"})
    assert response.status_code == 200, response.content
    assert Metric.objects.get(pk=joint.pk).code == "burn"


def test_adopting_a_catalog_metric_ignores_another_partys_internal_copy(cast, client):
    make_metric(cast, code="on-time-delivery", internal=True, org="b")
    url = f"/api/v1/partnerships/{cast.partnership.pk}/metrics/adopt"
    body = {"key": "on-time-delivery", "owner_party_id": cast.party_a.pk, "visibility": "joint"}
    response = _call(client, cast.alice, "post", url, body)
    assert response.status_code == 201, response.content


def test_each_importer_resolves_a_shared_code_to_what_it_can_see(cast):
    joint = make_metric(cast, code="margin")
    birchs = make_metric(cast, code="margin", internal=True, org="b")
    assert import_csv(cast, "metric,period,value\nmargin,2026-01,5\n", user=cast.alice).ok
    assert import_csv(cast, "metric,period,value\nmargin,2026-01,7\n", user=cast.bob).ok
    assert list(Observation.objects.order_by("value").values_list("metric_id", "value")) == [
        (joint.pk, 5.0),
        (birchs.pk, 7.0),
    ]


def test_the_database_keeps_joint_codes_unique_across_the_partnership(cast):
    make_metric(cast, code="otif")
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_metric(cast, code="otif", org="b")
