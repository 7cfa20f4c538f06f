"""Escalation into the conflict ladder: a commitment missed twice, or an action overdue past the
partnership's window, becomes a conflict issue with one click; consequences are recorded."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from accord.accountability import selectors, services
from accord.accountability.models import Consequence
from accord.accountability.tests.helpers import action, commitment
from accord.conflicts.models import Issue


def _missed_replan_missed(cast):
    first = commitment(cast, status="missed", due_on=date(2026, 3, 1), title="Lock the assay")
    second = commitment(
        cast,
        status="missed",
        due_on=date(2026, 4, 15),
        title="Lock the assay",
        replanned_from=first,
    )
    return first, second


def test_a_commitment_missed_replanned_and_missed_again_escalates_into_a_conflict_issue(
    cast, client
):
    _first, second = _missed_replan_missed(cast)
    client.force_login(cast.alice)
    url = f"/partnerships/{cast.partnership.pk}/accountability/commitments/{second.pk}/escalate/"
    response = client.post(url)
    issue = Issue.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/conflicts/issues/{issue.pk}/")
    assert issue.source == second
    assert issue.tier == "operational_leads"
    assert "Missed, re-planned and missed again" in issue.description
    second.refresh_from_db()
    assert second.escalated_issue_id == issue.pk
    assert second.escalated_at is not None
    assert second.consequences.get().kind == Consequence.Kind.ESCALATION


def test_two_misses_by_the_same_party_on_the_same_workstream_qualify(cast):
    commitment(cast, status="missed", due_on=date(2026, 2, 1), workstream="CMC transfer")
    later = commitment(cast, status="missed", due_on=date(2026, 5, 1), workstream="cmc transfer")
    basis = selectors.escalation_basis(commitment=later)
    assert basis is not None
    assert basis.startswith("Second miss by Alder Pharma")


def test_misses_on_other_workstreams_or_by_the_other_party_do_not(cast):
    commitment(cast, status="missed", due_on=date(2026, 2, 1), workstream="Regulatory")
    commitment(cast, party="b", status="missed", due_on=date(2026, 2, 1), workstream="CMC")
    lone = commitment(cast, status="missed", due_on=date(2026, 5, 1), workstream="CMC")
    assert selectors.escalation_basis(commitment=lone) is None
    with pytest.raises(ValidationError) as error:
        services.commitment_escalate(commitment=lone, user=cast.alice)
    assert services.ESCALATION_NOT_ELIGIBLE in error.value.messages
    assert not Issue.objects.exists()


def test_a_commitment_escalates_only_once(cast):
    _first, second = _missed_replan_missed(cast)
    services.commitment_escalate(commitment=second, user=cast.bob)
    with pytest.raises(ValidationError) as error:
        services.commitment_escalate(commitment=second, user=cast.bob)
    assert services.ALREADY_ESCALATED in error.value.messages
    assert Issue.objects.count() == 1


def test_an_internal_commitment_escalates_into_an_internal_issue(cast):
    first = commitment(cast, status="missed", due_on=date(2026, 3, 1), visibility="internal")
    second = commitment(
        cast, status="missed", due_on=date(2026, 4, 1), visibility="internal", replanned_from=first
    )
    issue = services.commitment_escalate(commitment=second, user=cast.alice)
    assert issue.visibility == "internal"
    assert not Issue.objects.visible_to(cast.bob).filter(pk=issue.pk).exists()


# The boundary is one day wide: a clock crossing midnight during the test would move it.
@time_machine.travel(datetime(2026, 5, 4, 23, 59, 59, tzinfo=UTC), tick=False)
def test_an_action_overdue_past_the_window_escalates_and_one_within_it_does_not(cast):
    today = timezone.localdate()
    within = action(cast, due_on=today - timedelta(days=14))
    beyond = action(cast, due_on=today - timedelta(days=15))
    with pytest.raises(ValidationError):
        services.review_action_escalate(action=within, user=cast.alice)
    issue = services.review_action_escalate(action=beyond, user=cast.alice)
    assert issue.source == beyond
    assert "15 days overdue" in issue.description


def test_the_action_window_is_a_partnership_setting(cast):
    services.settings_update(
        partnership=cast.partnership, user=cast.alice, action_overdue_window_days=30
    )
    overdue = action(cast, due_on=timezone.localdate() - timedelta(days=20))
    with pytest.raises(ValidationError) as error:
        services.review_action_escalate(action=overdue, user=cast.alice)
    assert "30 days past due" in error.value.messages[0]


def test_consequences_are_recorded_against_the_commitment(cast):
    missed = commitment(cast, status="missed", due_on=date(2026, 3, 1))
    services.consequence_record(
        commitment=missed,
        user=cast.bob,
        kind="fee_reduction",
        description="5% off the Q2 development fee",
    )
    assert missed.consequences.get().get_kind_display() == "Fee reduction or service credit"


def test_a_replan_keeps_the_miss_and_points_back_at_it(cast):
    missed = commitment(cast, status="missed", due_on=date(2026, 3, 1))
    new = services.commitment_replan(
        commitment=missed, user=cast.amos, due_on=timezone.localdate() + timedelta(days=30)
    )
    missed.refresh_from_db()
    assert missed.status == "missed"
    assert new.replanned_from == missed
    assert new.status == "planned"
    with pytest.raises(ValidationError) as error:
        services.commitment_replan(
            commitment=missed, user=cast.amos, due_on=timezone.localdate() + timedelta(days=40)
        )
    assert services.REPLAN_ALREADY in error.value.messages
