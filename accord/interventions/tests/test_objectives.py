"""Objectives as records: the free text becomes records, the status follows the linked evidence,
and bad input stores nothing."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accord.accountability.services.commitments import commitment_create, commitment_set_status
from accord.interventions import services
from accord.interventions.models import Objective
from accord.interventions.services._text import NO_HTML
from accord.interventions.services.objectives import JOINT_LINKS_ONLY, UNKNOWN_PARTY
from accord.performance.models import Observation
from accord.performance.tests.helpers import make_metric
from accord.testing.factories import PartnershipFactory, PartyFactory

MIGRATION = importlib.import_module(
    "accord.interventions.migrations.0002_objectives_from_free_text"
)


def test_each_line_of_the_old_free_text_becomes_a_joint_objective(cast):
    cast.partnership.objectives = "Registry live\n\n  First publication  \n"
    cast.partnership.save()
    MIGRATION.forwards(apps, None)
    made = Objective.objects.filter(partnership=cast.partnership)
    assert sorted(made.values_list("title", "scope", "visibility")) == [
        ("First publication", "joint", "joint"),
        ("Registry live", "joint", "joint"),
    ]
    assert set(made.values_list("owner_org", flat=True)) == {cast.org_a.pk}


def test_the_overview_shows_each_objective_with_the_status_its_links_give(cast, client):
    today = timezone.localdate()
    red = make_metric(cast, code="otif")
    Observation.objects.create(metric=red, period=today - timedelta(days=3), value=50.0)
    done = commitment_create(
        partnership=cast.partnership,
        user=cast.alice,
        title="Hand over the cell line",
        owner_party=cast.party_a,
        due_on=today + timedelta(days=5),
    )
    commitment_set_status(commitment=done, user=cast.alice, status="done")
    services.objective_create(
        partnership=cast.partnership, user=cast.alice, title="Deliver reliably", metric_ids=[red.pk]
    )
    services.objective_create(
        partnership=cast.partnership,
        user=cast.bob,
        title="Transfer know-how",
        commitment_ids=[done.pk],
    )
    services.objective_create(partnership=cast.partnership, user=cast.bob, title="Grow together")
    client.force_login(cast.bob)
    page = client.get(reverse("partnership_detail", args=[cast.partnership.pk])).content.decode()
    api = client.get(f"/api/v1/partnerships/{cast.partnership.pk}/objectives").json()
    assert {o["title"]: o["status"] for o in api} == {
        "Deliver reliably": "unmet",
        "Transfer know-how": "met",
        "Grow together": "no_evidence",
    }
    assert 'class="badge obj-unmet"' in page
    assert 'class="badge obj-met"' in page


def test_a_joint_objective_cannot_rest_on_evidence_one_party_cannot_see(cast):
    internal = make_metric(cast, code="margin", internal=True)
    with pytest.raises(ValidationError) as error:
        services.objective_create(
            partnership=cast.partnership, user=cast.alice, title="Margin", metric_ids=[internal.pk]
        )
    assert error.value.message_dict["metrics"] == [JOINT_LINKS_ONLY]
    assert not Objective.objects.exists()


def test_the_other_party_never_sees_an_internal_objective(cast, client):
    objective = services.objective_create(
        partnership=cast.partnership,
        user=cast.alice,
        title="Keep our own margin",
        scope="party",
        owner_party_id=cast.party_a.pk,
        visibility="internal",
    )
    client.force_login(cast.bob)
    base = f"/api/v1/partnerships/{cast.partnership.pk}/objectives"
    assert client.get(f"{base}/{objective.pk}").status_code == 404
    assert client.get(base).json() == []


def test_html_in_a_title_is_a_form_error_and_stores_nothing(cast, client):
    client.force_login(cast.alice)
    response = client.post(
        reverse("objectives:list", args=[cast.partnership.pk]),
        {"title": "<script>alert(1)</script>", "scope": "joint", "visibility": "joint"},
    )
    assert response.status_code == 400
    assert NO_HTML in response.content.decode()
    assert not Objective.objects.exists()


def test_an_owner_party_from_another_partnership_is_refused_with_a_400(cast, client):
    elsewhere = PartyFactory(partnership=PartnershipFactory(), organization=cast.org_a)
    client.force_login(cast.alice)
    response = client.post(
        f"/api/v1/partnerships/{cast.partnership.pk}/objectives",
        {"title": "Ours", "scope": "party", "owner_party_id": elsewhere.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert UNKNOWN_PARTY in response.json()["detail"]
    assert not Objective.objects.exists()
