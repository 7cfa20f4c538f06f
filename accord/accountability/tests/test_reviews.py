"""Review cadences, generated meetings, self-assembling agendas, minutes and actions."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from accord.accountability import selectors, services
from accord.accountability.models import Review
from accord.accountability.tests.helpers import action, commitment, review
from accord.notifications.models import Notification
from accord.performance.models import Metric, Observation


def _participants(cast, *users):
    return [cast.partnership.participants.get(user=u) for u in users]


def _cadence(cast, **fields):
    values = dict(
        partnership=cast.partnership,
        user=cast.alice,
        name="Joint operating committee",
        frequency="monthly",
        kind="operational",
        starts_on=date(2026, 1, 31),
        time_of_day=time(9),
        participants=_participants(cast, cast.alice, cast.bob),
    )
    values.update(fields)
    return services.cadence_create(**values)


@time_machine.travel("2026-02-10 08:00Z", tick=False)
def test_a_monthly_cadence_generates_its_meetings_on_the_same_day_or_the_months_last(cast):
    cadence = _cadence(cast)
    days = [r.scheduled_at.date() for r in cadence.reviews.all()]
    assert days == [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)]
    assert all(r.scheduled_at.time() == time(9) for r in cadence.reviews.all())


def test_the_scheduling_pass_adds_later_meetings_and_is_idempotent(cast):
    with time_machine.travel("2026-02-10 08:00Z", tick=False):
        cadence = _cadence(cast, frequency="weekly", starts_on=date(2026, 2, 11))
    before = cadence.reviews.count()
    with time_machine.travel("2026-03-10 08:00Z", tick=False):
        call_command("accord_tick", only=["accountability.schedule_reviews"])
        after = cadence.reviews.count()
        call_command("accord_tick", only=["accountability.schedule_reviews"])
    assert after == before + 4
    assert cadence.reviews.count() == after


def test_a_joint_review_needs_participants_from_each_party(cast):
    with pytest.raises(ValidationError) as error:
        _cadence(cast, participants=_participants(cast, cast.alice, cast.amos))
    assert "missing: Birch Bio" in error.value.messages[0]


def test_ending_a_cadence_cancels_its_later_meetings(cast):
    with time_machine.travel("2026-02-10 08:00Z", tick=False):
        cadence = _cadence(cast)
        services.cadence_end(cadence=cadence, user=cast.alice, ended_on=date(2026, 3, 31))
    states = {r.scheduled_at.date(): r.status for r in cadence.reviews.all()}
    assert states[date(2026, 3, 31)] == "scheduled"
    assert states[date(2026, 4, 30)] == states[date(2026, 5, 31)] == "cancelled"


def _metric(cast, value):
    metric = Metric.objects.create(
        partnership=cast.partnership,
        owner_org=cast.org_a,
        code="otif",
        name="On-time in full",
        category="operational",
        unit="%",
        direction="higher",
        target=95,
        amber_threshold=90,
        red_threshold=80,
        owner_party=cast.party_a,
    )
    Observation.objects.create(metric=metric, period=date(2026, 5, 1), value=value)
    return metric


@time_machine.travel("2026-06-01 08:00Z", tick=False)
def test_the_agenda_assembles_commitments_due_metrics_off_target_and_open_actions(cast):
    with time_machine.travel("2026-02-10 08:00Z", tick=False):
        cadence = _cadence(cast)
    meeting = cadence.reviews.get(scheduled_at__date=date(2026, 5, 31))
    due = commitment(cast, title="Assay locked", due_on=date(2026, 6, 15))
    commitment(cast, title="Far away", due_on=date(2026, 9, 1))
    commitment(
        cast,
        title="Already done",
        due_on=date(2026, 6, 10),
        status="done",
        done_on=date(2026, 5, 20),
    )
    slipped = commitment(cast, title="Slipped", due_on=date(2026, 5, 10), status="missed")
    open_action = action(cast, title="Send budget")
    action(cast, title="Closed", done_on=date(2026, 5, 1))
    metric = _metric(cast, 85)  # amber
    agenda = selectors.review_agenda(review=meeting, viewer=cast.bob)
    assert agenda.window == (date(2026, 4, 30), date(2026, 6, 30))
    assert [c.pk for c in agenda.commitments] == [slipped.pk, due.pk]
    assert [a.pk for a in agenda.actions] == [open_action.pk]
    assert [(m.id, m.status, m.value) for m in agenda.metrics] == [(metric.pk, "amber", 85.0)]


@time_machine.travel("2026-06-01 08:00Z", tick=False)
def test_minutes_record_attendance_decisions_metrics_and_keep_the_agenda_as_it_stood(cast, client):
    meeting = review(cast, when=datetime(2026, 5, 31, 9, tzinfo=UTC))
    metric = _metric(cast, 70)
    item = commitment(cast, title="Assay locked", due_on=date(2026, 6, 15))
    alice, bob = _participants(cast, cast.alice, cast.bob)
    client.force_login(cast.bea)
    response = client.post(
        f"/partnerships/{cast.partnership.pk}/accountability/reviews/{meeting.pk}/minutes/",
        {
            "attendees": [alice.pk, bob.pk],
            "decisions": "Fund the second site\nRe-baseline the assay plan",
            "notes": "Good meeting.",
            "metrics_reviewed": [metric.pk],
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Review.Status.HELD
    assert meeting.held_at is not None
    assert set(meeting.attendees.all()) == {alice, bob}
    assert meeting.decision_list() == ["Fund the second site", "Re-baseline the assay plan"]
    assert list(metric.reviews.all()) == [meeting]
    assert [c["title"] for c in meeting.agenda_snapshot["commitments"]] == ["Assay locked"]
    item.title = "Renamed later"
    item.save()
    page = client.get(f"/partnerships/{cast.partnership.pk}/accountability/reviews/{meeting.pk}/")
    assert "Agenda as it stood at the meeting" in page.content.decode()
    assert "Assay locked" in page.content.decode()


def test_review_action_create_is_the_interface_for_the_scorecard(cast):
    metric = _metric(cast, 70)
    created = services.review_action_create(
        partnership=cast.partnership,
        user=cast.alice,
        title="Recover OTIF",
        owner_party=cast.party_b,
        owner=cast.bea,
        due_on=date(2026, 7, 1),
        metric=metric,
    )
    assert created.metric == metric
    assert created.review is None
    assert created.visibility == "joint"
    note = Notification.objects.get(kind="accountability.action_assigned")
    assert note.recipient == cast.bea


def test_an_action_owner_must_come_from_the_owner_party(cast):
    with pytest.raises(ValidationError) as error:
        services.review_action_create(
            partnership=cast.partnership,
            user=cast.alice,
            title="Mismatch",
            owner_party=cast.party_b,
            owner=cast.amos,
            due_on=date(2026, 7, 1),
        )
    assert services.OWNER_NOT_IN_PARTY in str(error.value)


def test_loop_closure_is_measured_per_cadence(cast):
    today = date(2026, 6, 15)
    with time_machine.travel("2026-01-10 08:00Z", tick=False):
        weekly = _cadence(cast, frequency="weekly", starts_on=date(2026, 1, 12))
    meeting = weekly.reviews.first()
    action(cast, review=meeting, due_on=date(2026, 5, 1), done_on=date(2026, 4, 30))
    action(cast, review=meeting, due_on=date(2026, 5, 1), done_on=date(2026, 5, 9))
    action(cast, review=meeting, due_on=date(2026, 7, 1))  # not yet judged
    action(cast, due_on=date(2026, 5, 1))  # outside reviews, overdue
    rows = {
        r["cadence"]: r for r in selectors.loop_closure(partnership=cast.partnership, today=today)
    }
    assert (rows["weekly"]["closed"], rows["weekly"]["judged"], rows["weekly"]["rate"]) == (
        1,
        2,
        0.5,
    )
    assert rows["monthly"]["rate"] is None
    assert (rows["outside_reviews"]["closed"], rows["outside_reviews"]["judged"]) == (0, 1)


@time_machine.travel(datetime(2026, 5, 4, 9, tzinfo=UTC), tick=False)
def test_the_schedule_page_lists_cadences_and_upcoming_meetings(cast, client):
    today = date(2026, 5, 4)  # the app's today (UTC), not the machine's local date
    _cadence(
        cast,
        starts_on=today + timedelta(days=3),
        name="Quarterly steering",
        frequency="quarterly",
        kind="strategic",
    )
    client.force_login(cast.oscar)
    body = client.get(
        f"/partnerships/{cast.partnership.pk}/accountability/reviews/"
    ).content.decode()
    assert "Quarterly steering" in body
    assert "Strategic" in body
    assert "Loop closure" in body
