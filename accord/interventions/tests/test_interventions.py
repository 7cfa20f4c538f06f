"""The intervention's steps: status, reveal rules, the exit offer, the timeline, the plan, the
signed link, and bad input that stores nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accord.accountability import links
from accord.accountability.models import Commitment
from accord.interventions import services
from accord.interventions.models import Item
from accord.interventions.services import interventions as messages
from accord.interventions.tests.helpers import (
    A_PRIVATE,
    complete_plan,
    fill,
    open_intervention,
    revealed,
)
from accord.partnerships.audit import AuditEvent
from accord.partnerships.models import Participant, Partnership
from accord.trust.models import SurveyRound


def _detail(cast, intervention):
    return reverse(
        "interventions:detail",
        kwargs={"pk": cast.partnership.pk, "intervention_id": intervention.pk},
    )


def test_opening_moves_the_partnership_to_intervention_and_closing_back_to_active(cast):
    intervention = open_intervention(cast)
    assert Partnership.objects.get(pk=cast.partnership.pk).status == "intervention"
    services.intervention_close(intervention=intervention, user=cast.fiona)
    assert Partnership.objects.get(pk=cast.partnership.pk).status == "active"
    joint = AuditEvent.objects.filter(partnership=cast.partnership, visibility="joint")
    assert {"interventions.open", "interventions.close"} <= set(
        joint.values_list("action", flat=True)
    )


def test_without_a_facilitator_both_alliance_managers_must_agree_to_reveal(cast):
    Participant.objects.filter(user=cast.fiona).delete()
    intervention = fill(cast, open_intervention(cast))
    services.intervention_reveal(intervention=intervention, user=cast.alice)
    intervention.refresh_from_db()
    assert intervention.revealed_at is None
    services.intervention_reveal(intervention=intervention, user=cast.bob)
    intervention.refresh_from_db()
    assert intervention.revealed_at is not None


def test_nothing_is_revealed_before_every_party_has_submitted(cast):
    intervention = fill(cast, open_intervention(cast), submit=False)
    with pytest.raises(ValidationError, match=messages.NOT_ALL_SUBMITTED):
        services.intervention_reveal(intervention=intervention, user=cast.fiona)


def test_a_party_that_sees_no_strategic_logic_is_offered_the_exit_procedure(cast, client):
    intervention = open_intervention(cast)
    services.submission_set_logic(intervention=intervention, user=cast.bob, strategic_logic="no")
    exit_url = reverse("conflicts:exit_plan", args=[cast.partnership.pk])
    client.force_login(cast.bob)
    assert exit_url in client.get(_detail(cast, intervention)).content.decode()
    client.force_login(cast.alice)  # Birch's answer is private until the reveal
    assert exit_url not in client.get(_detail(cast, intervention)).content.decode()


def test_the_timeline_sets_both_accounts_beside_the_records_and_marks_divergence(cast, client):
    today = timezone.localdate()
    missed = Commitment.objects.create(
        partnership=cast.partnership,
        owner_org=cast.org_b,
        title="Deliver the batch record",
        owner_party=cast.party_b,
        due_on=today - timedelta(days=22),
        status=Commitment.Status.MISSED,
    )
    intervention = revealed(cast)  # Alder: lowered trust; Birch: raised, same day
    client.force_login(cast.bob)
    page = client.get(_detail(cast, intervention)).content.decode()
    assert f"Missed commitment: {missed.title}" in page
    assert page.count("the other side read it the opposite way") == 2


def test_the_agreed_plan_creates_commitments_in_accountability_and_a_follow_up_round(cast, client):
    intervention = complete_plan(cast, revealed(cast))
    commitment = intervention.plan_commitments.get()
    client.force_login(cast.bob)
    listing = client.get(reverse("accountability:commitments", args=[cast.partnership.pk]))
    assert commitment.title in listing.content.decode()
    assert intervention.followup_round.partnership_id == cast.partnership.pk
    services.plan_agree(intervention=intervention, user=cast.alice)
    services.plan_update(
        intervention=intervention, user=cast.bob, cadence="Two calls a week", issue_rule="Forum"
    )
    # A changed plan is agreed again by everyone: Alder's earlier yes no longer counts.
    assert not intervention.submissions.filter(plan_agreed_at__isnull=False).exists()


def test_shortfalls_become_agreed_when_the_other_party_acknowledges_them(cast):
    intervention = revealed(cast)
    alder_entry = Item.objects.get(text=A_PRIVATE)
    with pytest.raises(ValidationError, match=messages.OWN_ITEM):
        services.item_acknowledge(item=alder_entry, user=cast.alice)
    services.item_acknowledge(item=alder_entry, user=cast.bob)
    assert Item.objects.get(pk=alder_entry.pk).acknowledged_at is not None
    assert intervention.submissions.count() == 2


@pytest.mark.parametrize(
    ("entry", "error"),
    [
        (
            {
                "kind": "pivotal_event",
                "text": "Kick-off",
                "trust_effect": -1,
                "occurred_on": timezone.localdate() + timedelta(days=3),
            },
            messages.EVENT_IN_FUTURE,
        ),
        ({"kind": "pivotal_event", "text": "Kick-off"}, messages.EVENT_NEEDS_DATE),
        ({"kind": "difficulty", "text": "<b>late</b> again"}, "HTML tags are not accepted"),
        ({"kind": "unmet_objective", "objective_id": 10**9}, messages.UNKNOWN_OBJECTIVE),
    ],
)
def test_bad_entries_are_refused_with_a_400_and_store_nothing(cast, client, entry, error):
    intervention = open_intervention(cast)
    client.force_login(cast.alice)
    response = client.post(
        f"/api/v1/partnerships/{cast.partnership.pk}/interventions/{intervention.pk}/items",
        {k: str(v) if hasattr(v, "isoformat") else v for k, v in entry.items()},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert error in response.json()["detail"]
    assert not Item.objects.exists()


def test_a_follow_up_round_that_closes_before_it_opens_is_a_form_error(cast, client):
    intervention = revealed(cast)
    client.force_login(cast.alice)
    day = timezone.localdate() + timedelta(days=30)
    response = client.post(
        reverse(
            "interventions:plan_round",
            kwargs={"pk": cast.partnership.pk, "intervention_id": intervention.pk},
        ),
        {"opens_on": day.isoformat(), "closes_on": (day - timedelta(days=5)).isoformat()},
    )
    assert response.status_code == 400
    assert not SurveyRound.objects.exists()


def test_a_plan_commitment_for_an_unknown_party_stores_nothing(cast, client):
    intervention = revealed(cast)
    client.force_login(cast.alice)
    response = client.post(
        f"/api/v1/partnerships/{cast.partnership.pk}/interventions/{intervention.pk}/plan/commitments",
        {"title": "Weekly note", "owner_party_id": 10**9, "due_on": "2999-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Commitment.objects.exists()


def test_the_signed_link_submits_the_lists_once(cast, client):
    intervention = open_intervention(cast)
    token = links.make_token(links.INTERVENTION_LISTS, intervention.pk, cast.bob)
    url = reverse("interventions:link_lists", kwargs={"pk": cast.partnership.pk, "token": token})
    form = {"strategic_logic": "yes", "difficulty": "Slow answers\nLate samples"}
    assert client.post(url, form).status_code == 200
    mine = intervention.submissions.get(party=cast.party_b)
    assert mine.submitted_at is not None
    assert sorted(mine.items.values_list("text", flat=True)) == ["Late samples", "Slow answers"]
    assert client.post(url, form).status_code == 410
    other = links.make_token(links.CONFLICT_RESPONSE, intervention.pk, cast.bob)
    wrong = reverse("interventions:link_lists", kwargs={"pk": cast.partnership.pk, "token": other})
    assert client.get(wrong).status_code == 400


def test_opening_sends_each_alliance_manager_a_link_for_their_own_party(cast):
    from accord.notifications.models import Notification

    open_intervention(cast)
    for user in (cast.alice, cast.bob):
        note = Notification.objects.get(recipient=user, kind="interventions.submit_lists")
        assert "/interventions/lists/" in note.url
