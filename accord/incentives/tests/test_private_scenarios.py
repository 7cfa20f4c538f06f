"""An organization's internal scenarios never reach another party: pages, API, audit."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accord.api.services import token_create
from accord.incentives import services
from accord.incentives.tests.helpers import make_model
from accord.partnerships.audit import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def private(cast):
    make_model(cast)
    return services.incentive_model_create(
        user=cast.amos,
        partnership=cast.partnership,
        visibility="internal",
        first_party=cast.party_a,
        second_party=cast.party_b,
        name="Alder's worst case",
        first_temptation=9,
        first_reward=3,
        first_punishment=1,
        first_sucker=0,
        second_temptation=9,
        second_reward=3,
        second_punishment=1,
        second_sucker=0,
        horizon_source="typed",
        horizon_days=365,
        review_interval_days=91,
        noise=0.2,
    )


def test_the_owning_organization_sees_its_scenario_on_the_overview(cast, client, private):
    client.force_login(cast.ava)
    page = client.get(reverse("incentives:overview", kwargs={"pk": cast.partnership.pk}))
    assert "Alder&#x27;s worst case" in page.content.decode()


def test_the_partner_sees_neither_the_scenario_nor_its_audit_event(cast, client, private):
    client.force_login(cast.bob)
    page = client.get(reverse("incentives:overview", kwargs={"pk": cast.partnership.pk}))
    assert "worst case" not in page.content.decode()
    url = reverse("incentives:analysis", kwargs={"pk": cast.partnership.pk, "model_id": private.pk})
    assert client.get(url).status_code == 404
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 404
    visible = AuditEvent.objects.visible_to(cast.bob).filter(partnership=cast.partnership)
    assert not visible.filter(action="incentives.model_create", target_id=str(private.pk)).exists()
    assert AuditEvent.objects.visible_to(cast.alice).filter(target_id=str(private.pk)).exists()


def test_the_partner_cannot_reach_the_scenario_through_the_api(cast, client, private):
    _token, secret = token_create(user=cast.bea, name="t", days=1)
    auth = {"Authorization": f"Bearer {secret}"}
    root = f"/api/v1/partnerships/{cast.partnership.pk}/incentive-models"
    listed = client.get(root, headers=auth).json()
    assert [m["name"] for m in listed["items"]] == ["Alder–Birch"]
    for method, path in (
        ("get", f"{root}/{private.pk}"),
        ("get", f"{root}/{private.pk}/analysis"),
        ("post", f"{root}/{private.pk}/what-if"),
        ("patch", f"{root}/{private.pk}"),
        ("delete", f"{root}/{private.pk}"),
    ):
        body = None if method == "get" else json.dumps({})
        response = getattr(client, method)(
            path, data=body, content_type="application/json", headers=auth
        )
        assert response.status_code == 404, (method, path)


def test_a_colleague_of_the_same_organization_may_edit_the_scenario(cast, client, private):
    client.force_login(cast.alice)
    url = reverse(
        "incentives:model_edit", kwargs={"pk": cast.partnership.pk, "model_id": private.pk}
    )
    assert client.get(url).status_code == 200
