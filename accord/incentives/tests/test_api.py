"""The incentive API: models, the analysis and the what-if as JSON; bad input is a 4xx."""

from __future__ import annotations

import json

import pytest

from accord.api.services import token_create
from accord.incentives.models import IncentiveModel
from accord.incentives.selectors import MIN_PAGE_ROUNDS
from accord.incentives.tests.authz import new_model
from accord.incentives.tests.helpers import make_model

pytestmark = pytest.mark.django_db


def call(client, user, method, path, body=None, raw=None):
    _token, secret = token_create(user=user, name="test", days=1)
    send = getattr(client, method.lower())
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    return send(
        f"/api/v1{path}",
        data=data,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )


def base(cast):
    return f"/partnerships/{cast.partnership.pk}/incentive-models"


def test_an_alliance_manager_creates_the_joint_model_and_the_partner_reads_it(cast, client):
    created = call(client, cast.alice, "POST", base(cast), new_model(cast))
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["visibility"], body["first_party_name"], body["version"]) == (
        "joint",
        "Alder Pharma",
        1,
    )
    read = call(client, cast.bob, "GET", f"{base(cast)}/{body['id']}")
    assert read.json()["first_temptation"] == 5


@pytest.mark.parametrize(
    "raw",
    [
        '"first_reward": NaN',
        '"first_reward": Infinity',
        '"first_reward": "three"',
        '"first_reward": 1e300',
        '"horizon_days": 0',
        '"horizon_days": -5',
        '"noise": 0.51',
        '"noise": -0.01',
        '"review_interval_days": 0',
    ],
)
def test_bad_numbers_are_a_422_in_the_error_format(cast, client, raw):
    key = raw.split(":")[0].strip('"')
    good = {k: v for k, v in new_model(cast).items() if k != key}
    text = json.dumps(good)[:-1] + ", " + raw + "}"
    response = call(client, cast.alice, "POST", base(cast), raw=text)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid"
    assert key in response.json()["detail"]
    assert not IncentiveModel.objects.exists()


def test_a_horizon_from_a_missing_end_date_is_a_400_with_the_reason(cast, client):
    body = {**new_model(cast), "horizon_source": "end_date"}
    response = call(client, cast.alice, "POST", base(cast), body)
    assert response.status_code == 400
    assert response.json()["code"] == "rejected"
    assert "no end date" in response.json()["detail"]


def test_a_party_of_another_partnership_is_refused(cast, client):
    body = {**new_model(cast), "second_party": 10**6}
    response = call(client, cast.alice, "POST", base(cast), body)
    assert response.status_code == 400
    assert "second_party" in response.json()["detail"]


def test_a_patch_with_a_stale_version_changes_nothing(cast, client):
    model = make_model(cast)
    call(client, cast.bob, "PATCH", f"{base(cast)}/{model.pk}", {"noise": 0.1, "version": 1})
    stale = call(
        client, cast.alice, "PATCH", f"{base(cast)}/{model.pk}", {"noise": 0, "version": 1}
    )
    assert stale.status_code == 400
    model.refresh_from_db()
    assert (model.noise, model.version) == (0.1, 2)


def test_a_patch_cannot_null_a_payoff(cast, client):
    model = make_model(cast)
    response = call(client, cast.alice, "PATCH", f"{base(cast)}/{model.pk}", {"first_reward": None})
    assert response.status_code in (400, 422)
    model.refresh_from_db()
    assert model.first_reward == 3.0


def test_the_analysis_reports_delta_star_per_party_and_the_exact_expectation(cast, client):
    model = make_model(cast, second_temptation=9.0)
    response = call(client, cast.oscar, "GET", f"{base(cast)}/{model.pk}/analysis")
    assert response.status_code == 200
    body = response.json()
    alder, birch = body["parties"]
    assert alder["delta_star"] == pytest.approx((5 - 3) / (5 - 1))
    assert birch["delta_star"] == pytest.approx((9 - 3) / (9 - 1))
    assert body["horizon"]["expected_reviews"] == pytest.approx(10)
    assert body["horizon"]["shadow"] == pytest.approx(0.9)
    simulation = body["simulation"]
    assert simulation["rounds"] == MIN_PAGE_ROUNDS  # ten reviews are too few to show echoes
    assert simulation["beyond_horizon"] is True
    assert len(simulation["same_strategy"]) == 8
    row = simulation["same_strategy"][0]
    assert row["strategy"] == "tit_for_tat"
    assert 0 <= row["expected_cooperation"][0] <= 1
    assert len(simulation["expected_payoff_matrix"]) == 8


def test_a_delta_star_of_infinity_is_sent_as_null(cast, client):
    # tempted (T > R), yet mutual withholding pays at least as much as temptation (T ≤ P): ∞
    model = make_model(cast, first_temptation=2.0, first_reward=1.0, first_punishment=3.0)
    body = call(client, cast.alice, "GET", f"{base(cast)}/{model.pk}/analysis").json()
    assert body["parties"][0]["delta_star"] is None
    assert body["parties"][0]["is_dilemma"] is False


def test_a_what_if_with_a_joint_bonus_lowers_delta_star(cast, client):
    model = make_model(cast)
    response = call(
        client, cast.bob, "POST", f"{base(cast)}/{model.pk}/what-if", {"joint_bonus": 1.5}
    )
    assert response.status_code == 200
    as_is, bonus = response.json()["outcomes"]
    assert bonus["delta_star"][0] < as_is["delta_star"][0]
    assert any("joint bonus" in s for s in bonus["sentences"])


def test_a_what_if_out_of_range_is_a_422(cast, client):
    model = make_model(cast)
    response = call(
        client, cast.alice, "POST", f"{base(cast)}/{model.pk}/what-if", {"noise_reduction": 2}
    )
    assert response.status_code == 422


def test_payoffs_from_empty_ledgers_are_not_available(cast, client):
    path = f"/partnerships/{cast.partnership.pk}/incentive-payoffs-from-ledgers"
    body = call(client, cast.alice, "GET", path).json()
    assert body["available"] is False
    assert body["message"]
