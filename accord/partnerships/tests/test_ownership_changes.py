"""Only the owning organization may change a record's visibility or owner (issue 10, item 3).

Every model with a visibility and an owner is covered: metrics (co-edited by both sides, so the
rule is enforced by `access.check_ownership_change`), ledger entries (only their owner edits them
at all), and commitments, incentive models and conflict issues (whose visibility and owner are
fixed at creation: a PATCH naming them changes nothing).
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accord.accountability.models import Commitment
from accord.accountability.tests.authz import a_commitment
from accord.api.services import token_create
from accord.economics import services as economics
from accord.economics.tests.helpers import investment, value
from accord.incentives.models import IncentiveModel
from accord.incentives.tests.helpers import make_model
from accord.partnerships.access import OWNER_ONLY
from accord.performance.models import Metric
from accord.performance.tests.helpers import make_metric


def _api(client, user, method, url, body):
    _token, raw = token_create(user=user, name="probe", days=1)
    return getattr(client, method)(
        url,
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )


def _metric_url(cast, metric):
    return f"/api/v1/partnerships/{cast.partnership.pk}/metrics/{metric.pk}"


def test_another_party_cannot_make_a_joint_metric_internal_or_take_it_over(cast, client):
    metric = make_metric(cast, code="otif")
    response = _api(
        client,
        cast.bob,
        "patch",
        _metric_url(cast, metric),
        {"visibility": "internal", "owner_party_id": cast.party_b.pk},
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "rejected"
    assert {(e["loc"][0], e["msg"]) for e in body["errors"]} == {
        ("visibility", OWNER_ONLY),
        ("owner_party", OWNER_ONLY),
    }
    metric.refresh_from_db()
    assert (metric.visibility, metric.owner_party_id, metric.owner_org_id) == (
        "joint",
        cast.party_a.pk,
        cast.org_a.pk,
    )


def test_another_party_cannot_hand_a_joint_metric_to_itself_alone(cast, client):
    metric = make_metric(cast, code="otif")
    response = _api(
        client, cast.bob, "patch", _metric_url(cast, metric), {"owner_party_id": cast.party_b.pk}
    )
    assert response.status_code == 400
    assert Metric.objects.get(pk=metric.pk).owner_party_id == cast.party_a.pk


def test_another_party_may_still_co_edit_a_joint_metrics_content(cast, client):
    metric = make_metric(cast, code="otif")
    response = _api(client, cast.bob, "patch", _metric_url(cast, metric), {"target": 97.0})
    assert response.status_code == 200, response.content
    assert Metric.objects.get(pk=metric.pk).target == 97.0


def test_the_owning_organization_may_change_its_metrics_visibility(cast, client):
    metric = make_metric(cast, code="otif")
    response = _api(
        client, cast.alice, "patch", _metric_url(cast, metric), {"visibility": "internal"}
    )
    assert response.status_code == 200, response.content
    assert Metric.objects.get(pk=metric.pk).visibility == "internal"


def test_another_partys_internal_metric_is_not_found_not_refused(cast, client):
    metric = make_metric(cast, code="secret", internal=True)
    response = _api(client, cast.bob, "patch", _metric_url(cast, metric), {"visibility": "joint"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_the_metric_page_locks_visibility_and_owner_for_another_party(cast, client):
    metric = make_metric(cast, code="otif")
    client.force_login(cast.bob)
    url = reverse(
        "performance:metric_edit", kwargs={"pk": cast.partnership.pk, "metric_id": metric.pk}
    )
    form = client.get(url).context["form"]
    assert form.fields["visibility"].disabled
    assert form.fields["owner_party"].disabled
    posted = {
        name: form.initial.get(name, "")
        for name in form.fields
        if form.initial.get(name) is not None
    }
    posted.update(visibility="internal", owner_party=cast.party_b.pk, name="Renamed by Birch")
    client.post(url, posted)
    metric.refresh_from_db()
    assert (metric.visibility, metric.owner_party_id) == ("joint", cast.party_a.pk)
    assert metric.name == "Renamed by Birch"


@pytest.mark.parametrize("make", [value, investment], ids=["value_entry", "investment"])
def test_another_party_cannot_change_a_ledger_entrys_visibility(cast, client, make):
    entry = make(cast)
    kind = "value-entries" if make is value else "investments"
    url = f"/api/v1/partnerships/{cast.partnership.pk}/economics/{kind}/{entry.pk}"
    response = _api(client, cast.bob, "patch", url, {"visibility": "internal"})
    assert response.status_code == 404
    update = economics.value_entry_update if make is value else economics.investment_update
    with pytest.raises(ValidationError) as refused:
        update(entry=entry, user=cast.bob, visibility="internal")
    assert refused.value.message_dict == {"visibility": [OWNER_ONLY]}
    entry.refresh_from_db()
    assert entry.visibility == "joint"


def test_a_commitments_visibility_and_owner_party_cannot_be_patched_by_anyone(cast, client):
    commitment = a_commitment(cast)
    url = f"/api/v1/partnerships/{cast.partnership.pk}/commitments/{commitment.pk}"
    for user in (cast.alice, cast.bob):
        _api(client, user, "patch", url, {"visibility": "internal", "owner_party": cast.party_b.pk})
    commitment = Commitment.objects.get(pk=commitment.pk)
    assert (commitment.visibility, commitment.owner_party_id, commitment.owner_org_id) == (
        "joint",
        cast.party_a.pk,
        cast.org_a.pk,
    )


def test_an_incentive_models_visibility_cannot_be_patched_by_another_party(cast, client):
    model = make_model(cast)
    url = f"/api/v1/partnerships/{cast.partnership.pk}/incentive-models/{model.pk}"
    _api(client, cast.bob, "patch", url, {"visibility": "internal", "owner_org": cast.org_b.pk})
    model = IncentiveModel.objects.get(pk=model.pk)
    assert (model.visibility, model.owner_org_id) == ("joint", cast.org_a.pk)
