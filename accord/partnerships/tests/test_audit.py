import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from accord.partnerships.audit import (
    GENESIS_HASH,
    AuditEvent,
    AuditImmutableError,
    record_event,
    verify_chain,
)
from accord.partnerships.services import partnership_update


def three_changes(cast):
    for days in (31, 32, 33):
        partnership_update(user=cast.alice, partnership=cast.partnership, notice_lead_days=days)
    return list(AuditEvent.objects.filter(partnership=cast.partnership).order_by("seq"))


def test_each_change_appends_one_event_linked_to_the_previous(cast):
    events = three_changes(cast)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS_HASH
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert events[2].changes == {"notice_lead_days": [32, 33]}
    assert verify_chain(partnership_id=cast.partnership.pk) is None


def test_it_catches_a_row_tampered_with_in_the_database(cast):
    events = three_changes(cast)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE partnerships_auditevent SET summary = %s WHERE id = %s",
            ["Nothing happened", events[1].pk],
        )
    broken = verify_chain(partnership_id=cast.partnership.pk)
    assert broken is not None
    assert broken.seq == 2
    assert "no longer match" in broken.reason


def test_it_catches_a_deleted_row(cast):
    events = three_changes(cast)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM partnerships_auditevent WHERE id = %s", [events[0].pk])
    broken = verify_chain(partnership_id=cast.partnership.pk)
    assert broken is not None
    assert broken.seq == 1


def test_the_verify_command_names_the_first_broken_link(cast, capsys):
    events = three_changes(cast)
    call_command("audit_verify")
    assert "intact" in capsys.readouterr().out
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE partnerships_auditevent SET changes = %s WHERE id = %s",
            ['{"notice_lead_days": [1, 2]}', events[2].pk],
        )
    with pytest.raises(CommandError, match="1 of"):
        call_command("audit_verify")
    assert f"event #3 (id {events[2].pk})" in capsys.readouterr().err


def test_application_code_cannot_change_or_delete_events(cast):
    event = three_changes(cast)[0]
    event.summary = "rewritten"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused(cast):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record_event(partnership=cast.partnership, action="x", summary="x")


def test_an_event_rolls_back_with_its_change(cast):
    before = AuditEvent.objects.count()

    def change_then_fail():
        with transaction.atomic():
            partnership_update(user=cast.alice, partnership=cast.partnership, notice_lead_days=9)
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        change_then_fail()
    assert AuditEvent.objects.count() == before
