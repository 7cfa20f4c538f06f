"""Closing a survey round acts on the open round the person saw: closed meanwhile (by another
manager, or by the pass when its time came), the close is refused as stale, and two managers
closing at once close it once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from accord.partnerships.audit import AuditEvent, verify_chain
from accord.partnerships.stale import StaleStateError
from accord.testing.personas import build_cast
from accord.testing.races import at_once, post_as
from accord.trust import services
from accord.trust.models import Invitee, SurveyRound
from accord.trust.services import ROUND_ALREADY_CLOSED, ROUND_CLOSED_MEANWHILE, ROUND_IS_CLOSED
from accord.trust.tests.helpers import open_round

ROUNDS = 4


def close_url(survey):
    return f"/api/v1/partnerships/{survey.partnership_id}/surveys/rounds/{survey.pk}/close"


def test_closing_a_round_closed_meanwhile_is_refused_as_stale(cast):
    survey = open_round(cast)
    seen = SurveyRound.objects.get(pk=survey.pk)
    services.round_close(user=cast.bob, survey=survey)
    with pytest.raises(StaleStateError) as raised:
        services.round_close(user=cast.alice, survey=seen)
    assert raised.value.messages == [ROUND_CLOSED_MEANWHILE]
    assert AuditEvent.objects.filter(action="trust.round_close").count() == 1


def test_a_close_that_waited_for_the_lock_sees_the_earlier_close_even_a_moment_behind_it(cast):
    """Two requests read the clock, then queue on the row lock; the first to commit sets
    `closes_at` to its own moment, which can be a hair after the second's `now`. The second is
    still refused: the round was closed, whatever the two clocks say."""
    survey = open_round(cast)
    seen = SurveyRound.objects.get(pk=survey.pk)
    first = timezone.now()
    services.round_close(user=cast.bob, survey=survey, now=first)
    with pytest.raises(StaleStateError):
        services.round_close(user=cast.alice, survey=seen, now=first - timedelta(milliseconds=3))
    assert AuditEvent.objects.filter(action="trust.round_close").count() == 1
    assert SurveyRound.objects.get(pk=survey.pk).closes_at == first


def test_an_answer_sent_as_the_round_closes_is_refused_even_a_moment_behind_it(cast):
    """The answer's request read the round while open; the close committed first, at a moment
    a hair after the answer's `now`. The answer is refused: results were already revealed."""
    survey = open_round(cast)
    invitee = Invitee.objects.filter(round=survey).select_related("round").first()
    first = timezone.now()
    services.round_close(user=cast.bob, survey=survey, now=first)
    with pytest.raises(ValidationError) as raised:
        services.response_submit(invitee=invitee, answers={}, now=first - timedelta(milliseconds=3))
    assert raised.value.messages == [ROUND_IS_CLOSED]


def test_closing_a_round_known_to_be_closed_is_a_plain_rejection(cast, client):
    survey = open_round(cast)
    services.round_close(user=cast.bob, survey=survey)
    client.force_login(cast.alice)
    response = client.post(close_url(survey), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == ROUND_ALREADY_CLOSED


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are a PostgreSQL feature")
@pytest.mark.django_db(transaction=True)
def test_two_managers_closing_a_round_at_once_close_it_once():
    cast = build_cast()
    for i in range(ROUNDS):
        survey = open_round(cast, title=f"Race {i}")
        responses = at_once(
            post_as(cast.alice, close_url(survey), {}, json=True),
            post_as(cast.bob, close_url(survey), {}, json=True),
        )
        codes = sorted(r.status_code for r in responses)
        # The loser is refused either way: 409 if it read the round while it was still open
        # (the row lock decides), 400 if the winner had already committed when it read it.
        assert codes in ([200, 409], [200, 400]), f"round {i}"
        if codes == [200, 409]:
            stale = next(r for r in responses if r.status_code == 409).json()
            assert stale == {"detail": ROUND_CLOSED_MEANWHILE, "code": "stale"}
        closes = AuditEvent.objects.filter(action="trust.round_close", target_id=str(survey.pk))
        assert closes.count() == 1
    assert verify_chain(partnership_id=cast.partnership.pk) is None
