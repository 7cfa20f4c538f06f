"""The API follows the same rules as the pages: 400 for a refused rule, 422 for bad input."""

from __future__ import annotations

from accord.domain import decision_rights as dr
from accord.governance.tests.helpers import domain, govern, propose


def base(cast):
    return f"/api/v1/partnerships/{cast.partnership.pk}/governance"


def test_a_decision_by_the_wrong_party_is_a_400_with_the_rule(cast, client):
    proposal = propose(cast, "independent", owner=cast.party_a)
    client.force_login(cast.bob)
    response = client.post(
        f"{base(cast)}/proposals/{proposal.pk}/decide",
        {"statement": "Birch decides."},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == dr.DECIDE_NOT_OWNER


def test_invalid_input_is_a_422(cast, client):
    govern(cast)
    client.force_login(cast.alice)
    url = f"{base(cast)}/domains/{domain(cast).pk}/scores"
    response = client.put(
        url,
        {"expertise": 7, "resources": 1, "risk_exposure": 1, "strategic_importance": 1},
        content_type="application/json",
    )
    assert response.status_code == 422
    response = client.post(
        f"{base(cast)}/proposals/1/stances", {"choice": "maybe"}, content_type="application/json"
    )
    assert response.status_code == 422


def test_a_proposal_runs_through_the_api(cast, client):
    govern(cast)
    client.force_login(cast.alice)
    created = client.post(
        f"{base(cast)}/proposals",
        {"domain_id": domain(cast).pk, "title": "Approve the Q3 budget"},
        content_type="application/json",
    )
    assert created.status_code == 201
    proposal = created.json()
    assert proposal["mode"] == "consensus"
    assert proposal["my_check"]["reason"] == dr.DECIDE_AWAITING_APPROVAL
    url = f"{base(cast)}/proposals/{proposal['id']}/stances"
    client.post(url, {"choice": "approve"}, content_type="application/json")
    client.force_login(cast.bob)
    done = client.post(url, {"choice": "approve"}, content_type="application/json").json()
    assert done["state"] == "decided"
    assert done["outcome"]["rule"] == dr.DECIDE_ALL_APPROVED
    listed = client.get(f"{base(cast)}/proposals?state=decided").json()
    assert [p["id"] for p in listed["items"]] == [proposal["id"]]
