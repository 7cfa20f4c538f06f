from accord.incentives.tests.helpers import make_model
from accord.testing.authz import api, web

LOGIN = 302

READERS = dict(owner=200, partner=200, observer=200, facilitator=404, outsider=404)
CONTRIBUTORS = dict(owner=200, partner=200, observer=404, facilitator=404, outsider=404)
MANAGERS = CONTRIBUTORS


def pk(cast):
    return {"pk": cast.partnership.pk}


def pid(cast):
    return {"partnership_id": cast.partnership.pk}


def joint(cast):
    return {"pk": cast.partnership.pk, "model_id": make_model(cast).pk}


def api_joint(cast):
    return {"partnership_id": cast.partnership.pk, "model_id": make_model(cast).pk}


def new_model(cast):
    return {
        "name": "Alder–Birch",
        "visibility": "joint",
        "first_party": cast.party_a.pk,
        "second_party": cast.party_b.pk,
        "first_temptation": 5,
        "first_reward": 3,
        "first_punishment": 1,
        "first_sucker": 0,
        "second_temptation": 5,
        "second_reward": 3,
        "second_punishment": 1,
        "second_sucker": 0,
        "horizon_days": 730,
        "review_interval_days": 91,
        "noise": 0.05,
    }


EXPECTATIONS = [
    web("incentives:overview", params=pk, anonymous=LOGIN, **READERS),
    web("incentives:model_create", params=pk, anonymous=LOGIN, **CONTRIBUTORS),
    web("incentives:analysis", params=joint, anonymous=LOGIN, **READERS),
    web("incentives:model_edit", params=joint, anonymous=LOGIN, **MANAGERS),
    web(
        "incentives:model_delete",
        method="POST",
        params=joint,
        anonymous=LOGIN,
        **{**MANAGERS, "owner": 302, "partner": 302},
    ),
    api("GET", "/partnerships/{partnership_id}/incentive-models", params=pid, **READERS),
    api(
        "POST",
        "/partnerships/{partnership_id}/incentive-models",
        params=pid,
        body=new_model,
        **{**MANAGERS, "owner": 201, "partner": 201},
    ),
    api(
        "GET",
        "/partnerships/{partnership_id}/incentive-models/{model_id}",
        params=api_joint,
        **READERS,
    ),
    api(
        "PATCH",
        "/partnerships/{partnership_id}/incentive-models/{model_id}",
        params=api_joint,
        body=lambda c: {"noise": 0.1},
        **MANAGERS,
    ),
    api(
        "DELETE",
        "/partnerships/{partnership_id}/incentive-models/{model_id}",
        params=api_joint,
        **{**MANAGERS, "owner": 204, "partner": 204},
    ),
    api(
        "GET",
        "/partnerships/{partnership_id}/incentive-models/{model_id}/analysis",
        params=api_joint,
        **READERS,
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/incentive-models/{model_id}/what-if",
        params=api_joint,
        body=lambda c: {"joint_bonus": 1},
        **READERS,
    ),
    api(
        "GET",
        "/partnerships/{partnership_id}/incentive-payoffs-from-ledgers",
        params=pid,
        **READERS,
    ),
]
