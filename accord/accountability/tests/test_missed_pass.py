"""A commitment past due and not done becomes missed by itself, once."""

from datetime import date

import time_machine
from django.core.management import call_command

from accord.accountability.models import Commitment, CommitmentStatusChange
from accord.accountability.passes import mark_missed
from accord.accountability.tests.helpers import commitment
from accord.notifications.models import Notification
from accord.partnerships.audit import AuditEvent


def test_it_marks_overdue_open_commitments_missed_as_of_the_day_after_their_due_date(cast):
    overdue = commitment(cast, due_on=date(2026, 5, 31), status="at_risk")
    due_today = commitment(cast, due_on=date(2026, 6, 1))
    done = commitment(cast, due_on=date(2026, 5, 1), status="done", done_on=date(2026, 4, 30))
    with time_machine.travel("2026-06-01 09:00Z", tick=False):
        call_command("accord_tick", only=["accountability.mark_missed"])
    overdue.refresh_from_db()
    due_today.refresh_from_db()
    done.refresh_from_db()
    assert overdue.status == "missed"
    assert overdue.missed_on == date(2026, 6, 1)
    assert due_today.status == "planned"  # still has the day
    assert done.status == "done"
    change = CommitmentStatusChange.objects.get(commitment=overdue)
    assert (change.from_status, change.to_status, change.automatic) == ("at_risk", "missed", True)


def test_a_second_run_changes_nothing(cast):
    commitment(cast, due_on=date(2026, 5, 1))
    with time_machine.travel("2026-06-01 09:00Z", tick=False):
        from django.utils import timezone

        now = timezone.now()
        assert mark_missed(now) == "1 commitment past due marked missed"
        events = AuditEvent.objects.count()
        notes = Notification.objects.count()
        assert mark_missed(now) == "0 commitments past due marked missed"
    assert AuditEvent.objects.count() == events
    assert Notification.objects.count() == notes
    assert CommitmentStatusChange.objects.count() == 1


def test_the_command_takes_the_moment_to_pretend_it_is(cast, capsys):
    item = commitment(cast, due_on=date(2026, 11, 30))
    call_command("accord_tick", only=["accountability.mark_missed"], now=_aware("2026-12-01T09:00"))
    item.refresh_from_db()
    assert item.status == "missed"
    assert "1 commitment past due marked missed" in capsys.readouterr().out


def _aware(value):
    from accord.partnerships.management.commands.accord_tick import aware

    return aware(value)


def test_it_tells_the_owner_and_alliance_managers_of_both_sides(cast):
    commitment(cast, due_on=date(2026, 5, 1), title="Ship batch 7")
    with time_machine.travel("2026-06-01 09:00Z", tick=False):
        call_command("accord_tick", only=["accountability.mark_missed"])
    told = set(
        Notification.objects.filter(kind="accountability.commitment_missed").values_list(
            "recipient__first_name", flat=True
        )
    )
    assert told == {"Amos", "Alice", "Bob"}


def test_an_internal_miss_is_told_only_inside_its_organization(cast):
    commitment(cast, due_on=date(2026, 5, 1), visibility="internal")
    with time_machine.travel("2026-06-01 09:00Z", tick=False):
        call_command("accord_tick", only=["accountability.mark_missed"])
    told = set(Notification.objects.values_list("recipient__first_name", flat=True))
    assert "Bob" not in told
    assert "Alice" in told
    event = AuditEvent.objects.get(action="accountability.commitment_missed")
    assert event.visibility == "internal"
    assert event.owner_org_id == cast.org_a.pk
    assert not AuditEvent.objects.visible_to(cast.bob).filter(pk=event.pk).exists()


def test_a_missed_commitment_may_still_be_marked_done_late_and_stays_a_miss_on_time(cast):
    from accord.accountability import services

    item = commitment(cast, due_on=date(2026, 5, 1))
    with time_machine.travel("2026-06-01 09:00Z", tick=False):
        services.mark_missed(today=date(2026, 6, 1))
        item.refresh_from_db()
        services.commitment_set_status(commitment=item, user=cast.amos, status="done")
    item.refresh_from_db()
    assert item.status == Commitment.Status.DONE
    assert item.was_on_time() is False
