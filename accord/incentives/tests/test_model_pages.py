"""The incentive model form: create, edit, validation, ledger fill, the audit trail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accord.incentives import services
from accord.incentives.models import IncentiveModel
from accord.incentives.tests.helpers import form_data, make_model
from accord.partnerships.audit import AuditEvent

pytestmark = pytest.mark.django_db


def create_url(cast):
    return reverse("incentives:model_create", kwargs={"pk": cast.partnership.pk})


def test_the_overview_invites_an_alliance_manager_to_set_up_the_joint_model(cast, client):
    client.force_login(cast.alice)
    page = client.get(reverse("incentives:overview", kwargs={"pk": cast.partnership.pk}))
    assert page.status_code == 200
    assert "Set up the joint model" in page.content.decode()


def test_an_alliance_manager_saves_the_joint_model_and_sees_its_analysis(cast, client):
    client.force_login(cast.alice)
    data = form_data(visibility="joint", first_party=cast.party_a.pk, second_party=cast.party_b.pk)
    response = client.post(create_url(cast), data)
    model = IncentiveModel.objects.get()
    assert response.status_code == 302
    assert response.url == reverse(
        "incentives:analysis", kwargs={"pk": cast.partnership.pk, "model_id": model.pk}
    )
    assert (model.noise, model.first_temptation, model.visibility) == (0.05, 5.0, "joint")
    event = AuditEvent.objects.get(action="incentives.model_create")
    assert event.visibility == "joint"
    assert "joint incentive model" in event.summary
    page = client.get(response.url).content.decode()
    assert "prisoner&#x27;s dilemma" in page or "prisoner's dilemma" in page
    assert "δ* = (T − R)/(T − P)" in page


def test_the_pair_is_stored_in_party_order_with_the_payoffs_swapped_too(cast, client):
    client.force_login(cast.bob)
    data = form_data(visibility="joint", first_party=cast.party_b.pk, second_party=cast.party_a.pk)
    data["first_temptation"] = "9"  # Birch's temptation
    client.post(create_url(cast), data)
    model = IncentiveModel.objects.get()
    assert (model.first_party, model.second_party) == (cast.party_a, cast.party_b)
    assert (model.first_temptation, model.second_temptation) == (5.0, 9.0)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_reward", "three"),
        ("first_reward", "nan"),
        ("second_sucker", "inf"),
        ("first_temptation", "1e300"),
        ("horizon_days", "0"),
        ("horizon_days", "-30"),
        ("review_interval_days", "0"),
        ("noise_percent", "60"),
        ("noise_percent", "-1"),
    ],
)
def test_bad_numbers_re_render_the_form_with_a_message(cast, client, field, value):
    client.force_login(cast.alice)
    data = form_data(visibility="joint", first_party=cast.party_a.pk, second_party=cast.party_b.pk)
    data[field] = value
    response = client.post(create_url(cast), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not IncentiveModel.objects.exists()


def test_too_many_reviews_are_refused_with_the_reason(cast, client):
    client.force_login(cast.alice)
    data = form_data(
        visibility="joint",
        first_party=cast.party_a.pk,
        second_party=cast.party_b.pk,
        horizon_days="3650",
        review_interval_days="7",
    )
    response = client.post(create_url(cast), data)
    assert "lengthen the review interval" in response.context["form"].errors["horizon_days"][0]


def test_the_end_date_horizon_needs_an_end_date(cast, client):
    client.force_login(cast.alice)
    data = form_data(
        visibility="joint",
        first_party=cast.party_a.pk,
        second_party=cast.party_b.pk,
        horizon_source="end_date",
    )
    response = client.post(create_url(cast), data)
    assert response.context["form"].errors["horizon_source"] == [services.NO_END_DATE]


def test_a_second_joint_model_for_the_same_pair_is_refused(cast, client):
    make_model(cast)
    client.force_login(cast.bob)
    data = form_data(visibility="joint", first_party=cast.party_a.pk, second_party=cast.party_b.pk)
    response = client.post(create_url(cast), data)
    assert "already have a joint incentive model" in response.content.decode()
    assert IncentiveModel.objects.count() == 1


def test_a_team_member_may_only_start_an_internal_scenario(cast, client):
    client.force_login(cast.amos)
    page = client.get(create_url(cast))
    assert [v for v, _ in page.context["form"].fields["visibility"].choices] == ["internal"]
    data = form_data(visibility="joint", first_party=cast.party_a.pk, second_party=cast.party_b.pk)
    response = client.post(create_url(cast), data)
    assert "visibility" in response.context["form"].errors


def test_an_edit_by_the_partner_is_saved_and_audited(cast, client):
    model = make_model(cast)
    client.force_login(cast.bob)
    url = reverse("incentives:model_edit", kwargs={"pk": cast.partnership.pk, "model_id": model.pk})
    response = client.post(url, form_data(noise_percent="12", version=str(model.version)))
    assert response.status_code == 302
    model.refresh_from_db()
    assert (model.noise, model.version) == (0.12, 2)
    event = AuditEvent.objects.get(action="incentives.model_update")
    assert event.changes["noise"] == [0.05, 0.12]


def test_an_edit_over_a_newer_version_is_refused_not_lost(cast, client):
    model = make_model(cast)
    services.incentive_model_update(user=cast.alice, model=model, noise=0.2)
    client.force_login(cast.bob)
    url = reverse("incentives:model_edit", kwargs={"pk": cast.partnership.pk, "model_id": model.pk})
    response = client.post(url, form_data(noise_percent="1", version="1"))
    assert services.STALE_VERSION in response.content.decode().replace("&#x27;", "'")
    model.refresh_from_db()
    assert model.noise == 0.2


def test_filling_from_empty_ledgers_says_so_and_saves_nothing(cast, client):
    cast.partnership.start_date = cast.partnership.end_date = None
    cast.partnership.save()
    client.force_login(cast.alice)
    data = form_data(visibility="joint", first_party=cast.party_a.pk, second_party=cast.party_b.pk)
    response = client.post(create_url(cast), {**data, "fill_from_ledgers": "1"})
    assert response.status_code == 200
    assert response.context["derived"].available is False
    assert not IncentiveModel.objects.exists()


def test_an_internal_scenario_can_be_deleted_by_its_organization(cast, client):
    model = make_model(cast, visibility="internal", owner=cast.org_a)
    client.force_login(cast.amos)
    url = reverse(
        "incentives:model_delete", kwargs={"pk": cast.partnership.pk, "model_id": model.pk}
    )
    assert client.post(url).status_code == 302
    assert not IncentiveModel.objects.exists()
    assert AuditEvent.objects.get(action="incentives.model_delete").visibility == "internal"
