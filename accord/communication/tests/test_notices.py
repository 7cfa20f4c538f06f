"""Change notices: lead time against the period in force when given, dates as calendar dates,
late notices, reports of unannounced changes, and the signed acknowledgement link."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accord.accountability import links
from accord.communication import services
from accord.communication.models import ChangeNotice, NoticeAcknowledgement
from accord.notifications.models import Notification

pytestmark = pytest.mark.django_db


def give(cast, effective_on, reason="", user=None):
    return services.notice_give(
        partnership=cast.partnership,
        user=user or cast.bea,
        category="staffing",
        summary="Our project lead moves to another programme.",
        effective_on=effective_on,
        reason=reason,
    )


@time_machine.travel(datetime(2026, 3, 1, 23, 30, tzinfo=UTC), tick=False)
def test_the_given_date_is_the_calendar_date_in_utc_whatever_the_giver_s_clock(cast):
    # 23:30 UTC on 1 March is already 2 March in Tokyo and still 1 March in New York; notices
    # are dated by the server's calendar (UTC), so both parties read the same lead time.
    notice = give(cast, date(2026, 3, 31))
    assert (notice.given_on, notice.lead_days, notice.is_short) == (date(2026, 3, 1), 30, False)


@time_machine.travel(datetime(2026, 3, 10, 9, tzinfo=UTC), tick=False)
def test_a_notice_given_after_its_effective_date_is_short_with_negative_lead(cast):
    with pytest.raises(ValidationError) as refused:
        give(cast, date(2026, 3, 7))
    assert "reason" in refused.value.message_dict
    assert not ChangeNotice.objects.exists()
    notice = give(cast, date(2026, 3, 7), reason="The move was decided over the weekend.")
    assert (notice.lead_days, notice.is_short) == (-3, True)


@time_machine.travel(datetime(2026, 3, 10, 9, tzinfo=UTC), tick=False)
def test_a_notice_is_judged_by_the_period_in_force_when_it_was_given(cast, client):
    cast.partnership.notice_lead_days = 30
    cast.partnership.save()
    notice = give(cast, date(2026, 3, 30), reason="Budget round closed early.")
    cast.partnership.notice_lead_days = 14
    cast.partnership.save()
    notice.refresh_from_db()
    assert (notice.agreed_days, notice.lead_days, notice.is_short) == (30, 20, True)
    client.force_login(cast.alice)
    listed = json.loads(
        client.get(f"/api/v1/partnerships/{cast.partnership.pk}/communication/notices").content
    )
    assert [(n["agreed_days"], n["is_short"]) for n in listed] == [(30, True)]
    later = give(cast, date(2026, 3, 30))  # the same 20 days now meet the new 14-day period
    assert (later.agreed_days, later.is_short) == (14, False)


def test_reports_name_a_party_of_this_partnership_and_only_it_may_answer(cast, client):
    client.force_login(cast.bea)
    url = f"/api/v1/partnerships/{cast.partnership.pk}/communication/reports"
    body = {"category": "budget", "summary": "Budget cut", "effective_on": "2020-01-01"}
    unknown = client.post(
        url, {**body, "changing_party_id": cast.party_a.pk + 999}, "application/json"
    )
    assert unknown.status_code == 400
    assert json.loads(unknown.content)["detail"] == f"changing_party_id: {services.UNKNOWN_PARTY}"
    future = client.post(
        url,
        {**body, "changing_party_id": cast.party_a.pk, "effective_on": "2999-01-01"},
        "application/json",
    )
    assert future.status_code == 400
    assert not ChangeNotice.objects.exists()
    made = client.post(url, {**body, "changing_party_id": cast.party_a.pk}, "application/json")
    assert made.status_code == 201
    report = ChangeNotice.objects.get()
    assert (report.kind, report.is_short, report.lead_days) == ("report", True, None)

    answer = f"{url}/{report.pk}/answer"
    assert client.post(answer, {"answer": "We did not."}, "application/json").status_code == 400
    client.force_login(cast.alice)
    answered = client.post(answer, {"answer": "We told your lead on 3 Jan."}, "application/json")
    assert answered.status_code == 200
    assert json.loads(answered.content)["answer"] == "We told your lead on 3 Jan."


def test_notice_dates_out_of_order_are_refused(cast, client):
    client.force_login(cast.alice)
    base = f"/api/v1/partnerships/{cast.partnership.pk}/communication"
    for path in ("notices", "signals"):
        response = client.get(f"{base}/{path}?start=2026-05-01&end=2026-04-01")
        assert response.status_code == 400
        assert json.loads(response.content) == {
            "detail": "The start date must not be after the end date.",
            "code": "invalid",
        }


def ack_path(cast, notice, holder):
    return services.notice_acknowledge_path(notice, holder)


def test_the_notice_e_mails_a_link_that_acknowledges_once_and_only_that_notice(cast, client):
    notice = give(cast, timezone.localdate() + timedelta(days=90))
    alert = Notification.objects.get(kind="communication.notice", recipient=cast.alice)
    assert alert.url.startswith(f"/partnerships/{cast.partnership.pk}/communication/acknowledge/")
    page = client.get(alert.url)
    assert page.status_code == 200
    assert not NoticeAcknowledgement.objects.exists()  # opening the link does nothing
    done = client.post(alert.url)
    assert done.status_code == 200
    ack = NoticeAcknowledgement.objects.get()
    assert (ack.notice_id, ack.party_id, ack.user_id) == (notice.pk, cast.party_a.pk, cast.alice.pk)
    again = client.post(alert.url)
    assert again.status_code == 410
    assert NoticeAcknowledgement.objects.count() == 1


def test_an_acknowledgement_link_expires(cast, client):
    notice = give(cast, timezone.localdate() + timedelta(days=90))
    path = ack_path(cast, notice, cast.amos)
    with time_machine.travel(datetime.now(tz=UTC) + timedelta(days=links.MAX_AGE_DAYS, hours=1)):
        response = client.post(path)
    assert response.status_code == 410
    assert not NoticeAcknowledgement.objects.exists()


def test_an_acknowledgement_link_grants_nothing_else(cast, client):
    notice = give(cast, timezone.localdate() + timedelta(days=90))
    token = links.make_token(links.NOTICE_ACKNOWLEDGE, notice.pk, cast.amos)
    # Not a commitment update, not a monitoring answer: another purpose fails the signature.
    for name in ("accountability:link_commitment", "accountability:link_monitoring"):
        response = client.get(reverse(name, kwargs={"pk": cast.partnership.pk, "token": token}))
        assert response.status_code == 400
    # Not a sign-in either: the partnership's pages still ask to log in.
    client.post(
        reverse(
            "communication:link_acknowledge", kwargs={"pk": cast.partnership.pk, "token": token}
        )
    )
    assert (
        client.get(reverse("communication:notices", args=[cast.partnership.pk])).status_code == 302
    )
    # And a commitment-update token does not acknowledge a notice.
    other = links.make_token(links.COMMITMENT_UPDATE, notice.pk, cast.amos)
    response = client.post(
        reverse(
            "communication:link_acknowledge", kwargs={"pk": cast.partnership.pk, "token": other}
        )
    )
    assert response.status_code == 400
    assert NoticeAcknowledgement.objects.count() == 1


def test_the_giving_party_cannot_acknowledge_its_own_notice(cast):
    notice = give(cast, timezone.localdate() + timedelta(days=90))
    with pytest.raises(ValidationError, match="Your own party"):
        services.notice_acknowledge(notice=notice, user=cast.bob)


def test_notice_kept_is_shown_per_party_and_quarter(cast, client):
    from accord.communication.selectors import notice_history

    with time_machine.travel(datetime(2026, 2, 10, 9, tzinfo=UTC), tick=False):
        give(cast, date(2026, 2, 15), reason="Sudden reorganisation.")  # short, Q1
    with time_machine.travel(datetime(2026, 5, 4, 9, tzinfo=UTC), tick=False):
        give(cast, date(2026, 7, 1))  # in time, Q2
        history = notice_history(partnership=cast.partnership, viewer=cast.alice)
        client.force_login(cast.alice)
        page = client.get(reverse("communication:notices", args=[cast.partnership.pk]))
    assert [q.label for q in history] == ["Q2 2026", "Q1 2026", "Q4 2025", "Q3 2025"]
    birch = {q.label: next(r for r in q.records if r.party == cast.party_b) for q in history}
    assert (birch["Q2 2026"].given, birch["Q2 2026"].kept) == (1, 1)
    assert (birch["Q1 2026"].given, birch["Q1 2026"].kept, birch["Q1 2026"].short) == (1, 0, 1)
    assert (birch["Q4 2025"].given, birch["Q4 2025"].unannounced) == (0, 0)
    assert "0 of 1 in time" in page.content.decode()
