"""communication_evidence: long-format rows per ISO week and direction, only joint messages,
no row where there is no evidence, and the trust stage's longest-gap evidence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from accord.communication import services
from accord.communication.evidence import EvidenceRow, communication_evidence
from accord.communication.models import Message
from accord.trust.evidence import collect_evidence

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def post(thread, user, when):
    with time_machine.travel(when, tick=False):
        return services.message_post(thread=thread, user=user, body="Update.")


@pytest.fixture
def started(cast):
    cast.partnership.start_date = MONDAY
    cast.partnership.save()
    cast.party_a.joined_at = cast.party_b.joined_at = at(MONDAY - timedelta(days=30))
    cast.party_a.save()
    cast.party_b.save()
    with time_machine.travel(at(MONDAY), tick=False):
        thread = services.thread_start(
            partnership=cast.partnership, user=cast.alice, title="Weekly", body="Kick-off."
        )
    return thread


@time_machine.travel(datetime(2026, 3, 25, 12, tzinfo=UTC), tick=False)
def test_rows_are_per_week_and_direction_and_internal_talk_is_not_counted(cast, started):
    post(started, cast.bob, at(MONDAY, 16))  # B answers A after 6 hours
    post(started, cast.alice, at(MONDAY + timedelta(days=8)))
    services.thread_start(
        partnership=cast.partnership,
        user=cast.alice,
        title="Our side only",
        body="Internal.",
        visibility="internal",
    )
    rows = communication_evidence([cast.partnership.pk], start=MONDAY, end=date(2026, 3, 22))
    a, b = cast.party_a.pk, cast.party_b.pk

    def value(signal, frm, week):
        found = [
            r.value
            for r in rows
            if (r.signal, r.from_party_id, r.period_start) == (signal, frm, week)
        ]
        return found[0] if found else None

    week2, week3 = MONDAY + timedelta(days=7), MONDAY + timedelta(days=14)
    assert [value("messages", a, w) for w in (MONDAY, week2, week3)] == [1.0, 1.0, 0.0]
    assert [value("messages", b, w) for w in (MONDAY, week2, week3)] == [1.0, 0.0, 0.0]
    assert value("reply_hours_median", b, MONDAY) == 6.0
    assert value("reply_hours_median", a, MONDAY) is None  # no reply: no row, not a zero
    # A last wrote on 10 March at 10:00; by the end of week 3 (23 March 00:00) that is 12d 14h.
    assert value("longest_silence_days", a, week3) == pytest.approx(12 + 14 / 24, abs=1e-4)
    assert Message.objects.filter(visibility="internal").count() == 1
    assert all(isinstance(r, EvidenceRow) for r in rows)
    assert {r.partnership_id for r in rows} == {cast.partnership.pk}


@time_machine.travel(datetime(2026, 3, 25, 12, tzinfo=UTC), tick=False)
def test_no_rows_before_the_partnership_started(cast, started):
    rows = communication_evidence(
        [cast.partnership.pk], start=MONDAY - timedelta(days=14), end=MONDAY + timedelta(days=1)
    )
    assert {r.period_start for r in rows} == {MONDAY}


def test_start_after_end_is_refused(cast):
    with pytest.raises(ValueError, match="start date"):
        communication_evidence([cast.partnership.pk], start=MONDAY, end=MONDAY - timedelta(days=1))


def test_the_trust_stage_reads_the_longest_silence(cast, started):
    # Only A has written (2 March, 10:00). B has been silent since the start (2 March, 00:00):
    # by 22 March, 10:00 that is 20 days 10 hours, which counts as 21 whole days.
    with time_machine.travel(at(MONDAY + timedelta(days=20)), tick=False):
        assert collect_evidence(cast.partnership).evidence.longest_communication_gap_days == 21
        assert collect_evidence(cast.partnership).sources["longest_communication_gap_days"] == (
            "communication.messages"
        )


def test_no_joint_message_is_no_evidence_for_the_trust_stage(cast):
    assert collect_evidence(cast.partnership).evidence.longest_communication_gap_days is None
