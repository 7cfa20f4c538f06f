"""Balanced oversight: flagged when one party makes more than 75% of monitoring requests."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accord.accountability import selectors, services
from accord.accountability.tests.helpers import commitment, request

TODAY = date(2026, 6, 15)


def _requests(cast, by_b, by_a):
    on_a = commitment(cast)
    on_b = commitment(cast, party="b")
    for i in range(by_b):
        request(cast, on_a, by="b", on=TODAY - timedelta(days=i))
    for i in range(by_a):
        request(cast, on_b, by="a", on=TODAY - timedelta(days=i))


def test_it_flags_a_partnership_where_one_party_makes_more_than_three_quarters(cast):
    _requests(cast, by_b=4, by_a=1)  # 80%
    data = selectors.oversight(partnership=cast.partnership, today=TODAY)
    assert data.flagged
    assert data.sentence.startswith("Birch Bio made 4 of 5 monitoring requests (80%)")
    assert [(p.pk, n) for p, n, _share in data.rows] == [(cast.party_a.pk, 1), (cast.party_b.pk, 4)]


def test_exactly_three_quarters_is_not_flagged(cast):
    _requests(cast, by_b=3, by_a=1)
    data = selectors.oversight(partnership=cast.partnership, today=TODAY)
    assert not data.flagged
    assert "no party made more than 75%" in data.sentence


def test_requests_older_than_the_quarter_do_not_count(cast):
    on_a = commitment(cast)
    for i in range(5):
        request(cast, on_a, by="b", on=TODAY - timedelta(days=100 + i))
    data = selectors.oversight(partnership=cast.partnership, today=TODAY)
    assert data.total == 0
    assert not data.flagged


def test_a_party_cannot_send_a_monitoring_request_about_its_own_commitment(cast):
    own = commitment(cast)
    with pytest.raises(ValidationError) as error:
        services.monitoring_request_create(commitment=own, user=cast.alice, kind="status_check")
    assert services.MONITORING_OWN_COMMITMENT in error.value.messages


def test_a_request_goes_to_the_owner_and_is_answered_once(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    own = commitment(cast, title="Ship batch 7")
    with django_capture_on_commit_callbacks(execute=True):
        item = services.monitoring_request_create(
            commitment=own, user=cast.bob, kind="evidence_request", question="COA please"
        )
    assert item.requesting_party == cast.party_b
    assert any("amos" in m.to[0] for m in mailoutbox)  # with a link to answer without signing in
    services.monitoring_request_answer(request=item, user=cast.amos, answer="Attached")
    with pytest.raises(ValidationError) as error:
        services.monitoring_request_answer(request=item, user=cast.amos, answer="Again")
    assert services.MONITORING_ANSWERED in error.value.messages


def test_the_page_shows_the_flag_and_the_counts(cast, client):
    _requests(cast, by_b=5, by_a=0)
    client.force_login(cast.oscar)
    with time_machine.travel("2026-06-15 12:00Z", tick=False):
        response = client.get(f"/partnerships/{cast.partnership.pk}/accountability/oversight/")
    body = response.content.decode()
    assert "Flagged: oversight rests on one side" in body
    assert "made 5 of 5 monitoring requests" in body
