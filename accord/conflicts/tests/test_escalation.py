"""The escalation pass, with a frozen clock."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from accord.conflicts import services
from accord.conflicts.models import Issue, TierChange, TierKey
from accord.conflicts.passes import escalate
from accord.notifications.models import Notification
from accord.partnerships.audit import AuditEvent, verify_chain
from accord.partnerships.models import Participant
from accord.partnerships.periodic import PASSES

RAISED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def issue(cast):
    with time_machine.travel(RAISED, tick=False):
        return services.issue_raise(
            partnership=cast.partnership,
            user=cast.amos,
            title="Batch release delayed",
            description="Release of batch 14 slipped by two weeks without notice.",
            conflict_type="timing",
        )


def tier(issue):
    issue.refresh_from_db()
    return issue.tier


def test_the_pass_is_registered_for_the_worker():
    assert PASSES["conflicts.escalate"] is escalate


def test_it_does_not_escalate_before_the_window_passes(issue):
    # operational leads have 10 days by default
    assert escalate(RAISED + timedelta(days=10) - timedelta(seconds=1)) == (
        "no issue was due to escalate"
    )
    assert tier(issue) == TierKey.OPERATIONAL_LEADS


def test_it_escalates_exactly_when_the_window_passes(issue):
    summary = escalate(RAISED + timedelta(days=10))
    assert summary == "1 issue(s) moved up the ladder"
    assert tier(issue) == TierKey.ALLIANCE_MANAGERS
    assert issue.tier_entered_at == RAISED + timedelta(days=10)
    change = issue.tier_changes.get(reason=TierChange.Reason.WINDOW_PASSED)
    assert (change.from_tier, change.to_tier) == (
        TierKey.OPERATIONAL_LEADS,
        TierKey.ALLIANCE_MANAGERS,
    )


def test_running_the_pass_twice_escalates_once(issue):
    moment = RAISED + timedelta(days=10, hours=3)
    escalate(moment)
    escalate(moment)
    escalate(moment + timedelta(days=9))  # the new tier's 10 days have not passed yet
    assert tier(issue) == TierKey.ALLIANCE_MANAGERS
    assert issue.tier_changes.filter(reason=TierChange.Reason.WINDOW_PASSED).count() == 1


def test_each_tier_gets_its_own_window_up_to_the_exit_procedure(issue, cast):
    moment = RAISED
    expected = [
        (10, TierKey.ALLIANCE_MANAGERS),
        (10, TierKey.EXECUTIVE_SPONSORS),
        (20, TierKey.NEUTRAL_FACILITATION),
        (30, TierKey.EXIT_PROCEDURE),
    ]
    for days, key in expected:
        escalate(moment + timedelta(days=days) - timedelta(minutes=1))
        assert tier(issue) != key
        moment += timedelta(days=days)
        escalate(moment)
        assert tier(issue) == key
    escalate(moment + timedelta(days=3650))
    assert tier(issue) == TierKey.EXIT_PROCEDURE  # the exit procedure never escalates


def test_the_windows_come_from_the_partnership_settings(issue, cast):
    cast.partnership.escalation_windows = {
        **cast.partnership.escalation_windows,
        "operational_leads": 3,
    }
    cast.partnership.save()
    escalate(RAISED + timedelta(days=3))
    assert tier(issue) == TierKey.ALLIANCE_MANAGERS


def test_it_notifies_the_new_tiers_owners_and_the_raiser(issue, cast, mailoutbox):
    Notification.objects.all().delete()
    escalate(RAISED + timedelta(days=10))
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    # alliance managers on both sides, and Amos who raised it
    assert told == {cast.alice.username, cast.bob.username, cast.amos.username}
    assert all("alliance managers" in n.summary for n in Notification.objects.all())


def test_it_notifies_by_email_too(issue, cast, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        escalate(RAISED + timedelta(days=10))
    recipients = {address for mail in mailoutbox for address in mail.to}
    assert cast.bob.email in recipients


def test_the_exit_tier_prompts_the_exit_procedure(issue, cast):
    Issue.objects.filter(pk=issue.pk).update(
        tier=TierKey.NEUTRAL_FACILITATION, tier_entered_at=RAISED
    )
    Notification.objects.all().delete()
    escalate(RAISED + timedelta(days=30))
    assert tier(issue) == TierKey.EXIT_PROCEDURE
    sponsor_note = Notification.objects.get(recipient=cast.ava)
    assert "exit procedure" in sponsor_note.summary


def test_each_tier_change_is_an_audit_event(issue, cast):
    escalate(RAISED + timedelta(days=10))
    event = AuditEvent.objects.filter(action="conflicts.issue_escalate").get()
    assert "window with the operational leads passed" in event.summary
    assert event.changes["tier"] == ["operational_leads", "alliance_managers"]
    assert verify_chain(partnership_id=cast.partnership.pk) is None


def test_a_resolved_issue_never_escalates(issue, cast):
    principle = cast.partnership.conflict_principles.filter(conflict_type="timing").first()
    services.issue_resolve(
        issue=issue, user=cast.amos, principle=principle, resolution="New date agreed."
    )
    escalate(RAISED + timedelta(days=100))
    assert tier(issue) == TierKey.OPERATIONAL_LEADS


def test_an_internal_issue_notifies_only_its_own_side(cast):
    with time_machine.travel(RAISED, tick=False):
        internal = services.issue_raise(
            partnership=cast.partnership,
            user=cast.amos,
            title="Our position on the budget",
            description="Agree internally before we raise it with Birch.",
            conflict_type="commercial",
            visibility="internal",
        )
    Notification.objects.all().delete()
    escalate(RAISED + timedelta(days=10))
    assert tier(internal) == TierKey.ALLIANCE_MANAGERS
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {cast.alice.pk, cast.amos.pk}


def test_the_tick_command_runs_the_pass_for_operators(issue, capsys):
    call_command("accord_tick", "--only", "conflicts.escalate", "--now", "2026-03-12T09:00:00")
    assert "conflicts.escalate: 1 issue(s) moved up the ladder" in capsys.readouterr().out
    assert tier(issue) == TierKey.ALLIANCE_MANAGERS


def test_a_manual_escalation_restarts_the_clock(issue, cast):
    with time_machine.travel(RAISED + timedelta(days=4), tick=False):
        services.issue_escalate(issue=issue, user=cast.amos, note="The leads are deadlocked.")
    escalate(RAISED + timedelta(days=10))
    assert tier(issue) == TierKey.ALLIANCE_MANAGERS  # 6 days into its new 10-day window
    escalate(RAISED + timedelta(days=14))
    assert tier(issue) == TierKey.EXECUTIVE_SPONSORS


def test_participants_without_a_role_on_a_side_fall_back_to_its_alliance_manager(issue, cast):
    # Birch has no sponsor: its alliance manager owns the sponsor tier for Birch
    Issue.objects.filter(pk=issue.pk).update(tier=TierKey.ALLIANCE_MANAGERS, tier_entered_at=RAISED)
    Notification.objects.all().delete()
    escalate(RAISED + timedelta(days=10))
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert {cast.ava.pk, cast.bob.pk} <= told
    assert not Participant.objects.filter(
        partnership=cast.partnership, organization=cast.org_b, role="sponsor"
    ).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_passes_at_once_escalate_once():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import close_old_connections

    from accord.testing.personas import build_cast

    cast = build_cast()
    with time_machine.travel(RAISED, tick=False):
        issue = services.issue_raise(
            partnership=cast.partnership,
            user=cast.amos,
            title="Race",
            description="Two workers at once.",
            conflict_type="timing",
        )
    moment = RAISED + timedelta(days=11)

    def run(_):
        try:
            return services.escalate_due(moment)
        finally:
            close_old_connections()

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(run, range(2)))
    assert sorted(results) == [0, 1]
    assert issue.tier_changes.filter(reason=TierChange.Reason.WINDOW_PASSED).count() == 1
