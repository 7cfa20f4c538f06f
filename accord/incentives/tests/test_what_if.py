"""The what-if panel: each mechanism moves δ* or cooperation the right way, errors are messages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accord.incentives.tests.helpers import make_model

pytestmark = pytest.mark.django_db


def what_if(client, cast, model, **params):
    """The page as a browser without JavaScript gets it (the test client keeps its context)."""
    url = reverse("incentives:analysis", kwargs={"pk": cast.partnership.pk, "model_id": model.pk})
    return client.get(url, params)


def test_htmx_gets_only_the_comparison_partial(cast, client):
    model = make_model(cast)
    client.force_login(cast.alice)
    url = reverse("incentives:analysis", kwargs={"pk": cast.partnership.pk, "model_id": model.pk})
    response = client.get(url, {"joint_bonus": "1"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "Collective rewards" in body
    assert "joint bonus of 1" in body
    assert "<html" not in body
    assert "Partner strategies under noise" not in body


@pytest.mark.parametrize(
    "setting", [{"withholding_penalty": "1"}, {"hostage_bond": "1"}, {"joint_bonus": "1"}]
)
def test_a_payoff_mechanism_lowers_delta_star(cast, client, setting):
    model = make_model(cast)
    client.force_login(cast.oscar)
    response = what_if(client, cast, model, **setting)
    as_is, moved = response.context["whatif"].rows
    assert moved.delta_star[0] < as_is.delta_star[0]
    assert moved.delta_star[1] < as_is.delta_star[1]
    assert "δ* falls from 0.50" in response.content.decode()


def test_a_longer_horizon_raises_the_shadow_of_the_future(cast, client):
    model = make_model(cast, horizon_days=182)  # two reviews: δ = 0.5, δ* = 0.5
    client.force_login(cast.bob)
    as_is, longer = what_if(client, cast, model, extra_reviews="8").context["whatif"].rows
    assert longer.shadow > as_is.shadow
    assert longer.delta_star == as_is.delta_star


def test_transparency_lowers_noise_and_raises_tit_for_tat_cooperation(cast, client):
    model = make_model(cast, noise=0.2)
    client.force_login(cast.alice)
    as_is, clearer = what_if(client, cast, model, noise_reduction="80").context["whatif"].rows
    assert clearer.noise == pytest.approx(0.04)
    assert clearer.pair_cooperation > as_is.pair_cooperation


def test_all_mechanisms_together_come_last(cast, client):
    model = make_model(cast)
    client.force_login(cast.alice)
    params = {"joint_bonus": "1", "hostage_bond": "1", "first_strategy": "generous_tit_for_tat"}
    rows = what_if(client, cast, model, **params).context["whatif"].rows
    assert [r.label for r in rows] == [
        "as it stands",
        "balanced hostages",
        "collective rewards",
        "all together",
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"joint_bonus": "-1"},
        {"hostage_bond": "nan"},
        {"extra_reviews": "100000"},
        {"noise_reduction": "101"},
        {"first_strategy": "nice_guy"},
    ],
)
def test_bad_what_if_input_is_a_message_not_an_error_page(cast, client, params):
    model = make_model(cast)
    client.force_login(cast.alice)
    response = what_if(client, cast, model, **params)
    assert response.status_code == 200
    assert response.context["whatif"] is None
    assert 'role="alert"' in response.content.decode()


def test_the_page_works_without_javascript(cast, client):
    model = make_model(cast)
    client.force_login(cast.alice)
    url = reverse("incentives:analysis", kwargs={"pk": cast.partnership.pk, "model_id": model.pk})
    page = client.get(url, {"joint_bonus": "2"})
    body = page.content.decode()
    assert "Partner strategies under noise" in body
    assert "Collective rewards" in body
    assert page.context["whatif"].rows[1].label == "collective rewards"
