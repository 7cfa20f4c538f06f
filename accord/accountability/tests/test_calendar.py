"""The review schedule exported as .ics, checked by parsing it back with icalendar."""

from datetime import UTC, date, datetime, time

import time_machine
from icalendar import Calendar

from accord.accountability import services
from accord.accountability.tests.helpers import review


def _participants(cast):
    return [
        cast.partnership.participants.get(user=cast.alice),
        cast.partnership.participants.get(user=cast.bob),
    ]


def _calendar(client, cast, user):
    client.force_login(user)
    response = client.get(
        f"/partnerships/{cast.partnership.pk}/accountability/reviews/calendar.ics"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    return Calendar.from_ical(response.content)


@time_machine.travel("2026-06-01 08:00Z", tick=False)
def test_the_calendar_holds_each_generated_meeting_with_its_time_and_a_stable_uid(cast, client):
    services.cadence_create(
        partnership=cast.partnership,
        user=cast.alice,
        name="Weekly delivery review",
        frequency="weekly",
        kind="operational",
        starts_on=date(2026, 6, 3),  # a Wednesday
        time_of_day=time(14, 30),
        duration_minutes=45,
        location="https://meet.example/jdc",
        participants=_participants(cast),
    )
    cal = _calendar(client, cast, cast.bob)
    events = cal.walk("VEVENT")
    assert len(events) == 9  # 3 Jun … 29 Jul, within the weekly horizon of 63 days
    first = events[0]
    assert first.decoded("dtstart") == datetime(2026, 6, 3, 14, 30, tzinfo=UTC)
    assert first.decoded("dtend") == datetime(2026, 6, 3, 15, 15, tzinfo=UTC)
    assert str(first["summary"]).startswith("Weekly delivery review")
    assert str(first["location"]) == "https://meet.example/jdc"
    assert {e.decoded("dtstart").weekday() for e in events} == {2}
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert _calendar(client, cast, cast.alice).walk("VEVENT")[0]["uid"] == uids[0]


@time_machine.travel("2026-06-01 08:00Z", tick=False)
def test_a_cancelled_meeting_is_exported_as_cancelled(cast, client):
    item = review(cast, when=datetime(2026, 6, 10, 9, tzinfo=UTC))
    services.review_cancel(review=item, user=cast.alice)
    (event,) = _calendar(client, cast, cast.alice).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"


@time_machine.travel("2026-06-01 08:00Z", tick=False)
def test_an_internal_review_is_not_in_the_partners_calendar(cast, client):
    review(cast, when=datetime(2026, 6, 10, 9, tzinfo=UTC), visibility="internal", title="Prep")
    review(cast, when=datetime(2026, 6, 11, 9, tzinfo=UTC), title="Joint")
    mine = [str(e["summary"]) for e in _calendar(client, cast, cast.alice).walk("VEVENT")]
    theirs = [str(e["summary"]) for e in _calendar(client, cast, cast.bob).walk("VEVENT")]
    assert len(mine) == 2
    assert len(theirs) == 1
    assert theirs[0].startswith("Joint")
