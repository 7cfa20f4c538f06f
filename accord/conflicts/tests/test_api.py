"""The conflicts API: the whole flow, and bad input answered with 4xx."""

import json

import pytest

from accord.api.services import token_create
from accord.conflicts.models import Issue, Principle


@pytest.fixture
def call(client):
    def send(user, method, path, body=None):
        _token, raw = token_create(user=user, name="t", days=1)
        return getattr(client, method)(
            f"/api/v1{path}",
            data=json.dumps(body) if body is not None else None,
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"},
        )

    return send


def base(cast):
    return f"/partnerships/{cast.partnership.pk}/conflicts"


def test_raise_comment_escalate_and_resolve_through_the_api(cast, call):
    created = call(
        cast.amos,
        "post",
        f"{base(cast)}/issues",
        {
            "title": "FTE shortfall",
            "description": "Two of five FTEs unfilled.",
            "conflict_type": "resources",
        },
    )
    assert created.status_code == 201, created.content
    issue = created.json()
    assert issue["tier"] == "operational_leads"
    assert issue["tier_number"] == 1
    assert issue["escalates_at"] is not None
    path = f"{base(cast)}/issues/{issue['id']}"
    assert (
        call(cast.bea, "post", f"{path}/comments", {"body": "We hire by May."}).status_code == 201
    )
    escalated = call(cast.amos, "post", f"{path}/escalate", {"note": "No dates given."})
    assert escalated.json()["tier"] == "alliance_managers"
    assert [t["reason"] for t in escalated.json()["escalations"]] == ["manual"]
    principle = Principle.objects.get(
        partnership=cast.partnership, title="Contribute what was committed, or say so early"
    )
    resolved = call(
        cast.bob,
        "post",
        f"{path}/resolve",
        {"principle_id": principle.pk, "resolution": "Birch seconds two scientists until May."},
    )
    assert resolved.status_code == 200
    assert resolved.json()["state"] == "resolved"
    assert resolved.json()["principle_title"] == principle.title
    signals = call(cast.alice, "get", f"{base(cast)}/signals").json()
    assert signals["resolved"] == 1
    assert signals["escalation_rate"] == 1.0


@pytest.mark.parametrize(
    "body",
    [
        {"title": "", "description": "x", "conflict_type": "scope"},
        {"title": "x", "description": "x", "conflict_type": "gossip"},
        {"title": "x", "description": "x", "conflict_type": "scope", "visibility": "public"},
        {"title": "x" * 201, "description": "x", "conflict_type": "scope"},
        {"description": "x", "conflict_type": "scope"},
    ],
)
def test_bad_issue_input_is_a_422(cast, call, body):
    assert call(cast.alice, "post", f"{base(cast)}/issues", body).status_code == 422
    assert not Issue.objects.exists()


def test_a_blank_title_is_refused_by_the_service_with_400(cast, call):
    body = {"title": "   ", "description": "x", "conflict_type": "scope"}
    response = call(cast.alice, "post", f"{base(cast)}/issues", body)
    assert response.status_code == 400
    assert response.json()["code"] == "rejected"


def test_resolving_with_an_unknown_principle_is_a_400(cast, call):
    issue = call(
        cast.amos,
        "post",
        f"{base(cast)}/issues",
        {"title": "t", "description": "d", "conflict_type": "ip"},
    ).json()
    response = call(
        cast.alice,
        "post",
        f"{base(cast)}/issues/{issue['id']}/resolve",
        {"principle_id": 2**40, "resolution": "x"},
    )
    assert response.status_code == 400


def test_escalating_past_the_top_is_a_400(cast, call):
    issue = call(
        cast.amos,
        "post",
        f"{base(cast)}/issues",
        {"title": "t", "description": "d", "conflict_type": "ip"},
    ).json()
    path = f"{base(cast)}/issues/{issue['id']}/escalate"
    for _ in range(4):
        assert call(cast.alice, "post", path, {"note": "up"}).status_code == 200
    assert call(cast.alice, "post", path, {"note": "up"}).status_code == 400


def test_an_out_of_range_id_is_a_422_not_a_500(cast, call):
    assert call(cast.alice, "get", f"{base(cast)}/issues/{2**60}").status_code == 422
    assert call(cast.alice, "get", f"{base(cast)}/issues/0").status_code == 422


def test_windows_out_of_range_are_a_422(cast, call):
    body = {
        "operational_leads": 0,
        "alliance_managers": 5,
        "executive_sponsors": 5,
        "neutral_facilitation": 5,
    }
    assert call(cast.alice, "put", f"{base(cast)}/ladder/windows", body).status_code == 422


def test_owners_from_the_other_side_are_a_400(cast, call):
    body = {"tier": "operational_leads", "user_ids": [cast.bea.pk]}
    assert call(cast.alice, "put", f"{base(cast)}/ladder/owners", body).status_code == 400


def test_the_ladder_lists_owners_per_side(cast, call):
    tiers = call(cast.bob, "get", f"{base(cast)}/ladder").json()
    assert tiers[0]["owners"] == [["Alder Pharma", ["Amos Alder"]], ["Birch Bio", ["Bea Birch"]]]
    assert tiers[-1]["window_days"] is None


def test_principles_filter_by_type(cast, call):
    rows = call(cast.bob, "get", f"{base(cast)}/principles?conflict_type=quality").json()
    assert {r["title"] for r in rows} >= {
        "Measure against the acceptance criteria",
        "Facts before positions",
    }
    assert call(cast.bob, "get", f"{base(cast)}/principles?conflict_type=nope").status_code == 422


def test_exit_plan_through_the_api(cast, call):
    assert call(cast.alice, "get", f"{base(cast)}/exit-plan").status_code == 404
    assert call(cast.alice, "post", f"{base(cast)}/exit-plan", {"reason": ""}).status_code == 422
    plan = call(cast.alice, "post", f"{base(cast)}/exit-plan", {"reason": "Refocus."}).json()
    assert plan["partnership_status"] == "dissolving"
    assert plan["steps_total"] == 6
    assert plan["steps_done"] == 0
    step = plan["steps"][0]
    bad_owner = call(
        cast.alice,
        "patch",
        f"{base(cast)}/exit-plan/steps/{step['id']}",
        {"owner_id": cast.olga.pk},
    )
    assert bad_owner.status_code == 400
    ok = call(
        cast.alice, "patch", f"{base(cast)}/exit-plan/steps/{step['id']}", {"owner_id": cast.bea.pk}
    )
    assert ok.json()["owner"] == "Bea Birch"
    done = call(cast.bea, "patch", f"{base(cast)}/exit-plan/steps/{step['id']}", {"done": True})
    assert done.json()["done"] is True
    assert call(cast.alice, "post", f"{base(cast)}/exit-plan/complete").status_code == 400
