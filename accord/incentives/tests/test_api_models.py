"""The analysis and the what-if answer with typed models: nothing the handler computes is lost on
the way out, and the schema names the model instead of a free-form object."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import time_machine

from accord.domain import games
from accord.incentives import api, selectors
from accord.incentives.tests.helpers import make_model
from accord.incentives.tests.test_api import base, call

pytestmark = pytest.mark.django_db
TODAY = datetime(2026, 3, 2, 12, tzinfo=UTC)


def as_json(value):
    return json.loads(json.dumps(value))


@time_machine.travel(TODAY, tick=False)
def test_the_analysis_answer_carries_everything_the_handler_computes(cast, client):
    model = make_model(cast, second_temptation=9.0)
    response = call(client, cast.alice, "GET", f"{base(cast)}/{model.pk}/analysis")
    assert response.status_code == 200
    computed = api._analysis_json(selectors.analyse(model, today=TODAY.date()))
    assert response.json() == as_json(computed)


@time_machine.travel(TODAY, tick=False)
def test_the_what_if_answer_carries_every_outcome_field(cast, client):
    model = make_model(cast)
    response = call(
        client, cast.bob, "POST", f"{base(cast)}/{model.pk}/what-if", {"joint_bonus": 1.5}
    )
    assert response.status_code == 200
    result = selectors.what_if(
        model,
        games.Mechanisms(
            extra_reviews=0,
            noise_reduction=0,
            withholding_penalty=0,
            hostage_bond=0,
            joint_bonus=1.5,
        ),
        pair=(games.Strategy.TIT_FOR_TAT, games.Strategy.TIT_FOR_TAT),
        today=TODAY.date(),
    )
    body = response.json()
    assert body["pair"] == ["tit_for_tat", "tit_for_tat"]
    assert [o["label"] for o in body["outcomes"]] == [r.label for r in result.rows]
    assert [o["delta_star"] for o in body["outcomes"]] == [list(r.delta_star) for r in result.rows]
    assert [o["sustainable_cooperation"] for o in body["outcomes"]] == [
        r.sustainable_cooperation for r in result.rows
    ]
    assert set(body["outcomes"][0]) == {
        "label",
        "delta_star",
        "shadow",
        "expected_reviews",
        "noise",
        "self_enforcing",
        "pair_cooperation",
        "most_cooperative_stable_pair",
        "sustainable_cooperation",
        "sentences",
    }


def test_the_schema_names_the_models(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    analysis = paths["/api/v1/partnerships/{partnership_id}/incentive-models/{model_id}/analysis"]
    what_if = paths["/api/v1/partnerships/{partnership_id}/incentive-models/{model_id}/what-if"]
    ok = {"$ref": "#/components/schemas/AnalysisOut"}
    assert analysis["get"]["responses"]["200"]["content"]["application/json"]["schema"] == ok
    ok = {"$ref": "#/components/schemas/WhatIfOut"}
    assert what_if["post"]["responses"]["200"]["content"]["application/json"]["schema"] == ok
