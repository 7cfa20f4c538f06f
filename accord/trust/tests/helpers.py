"""Rounds with answers, for the tests: people are added to each party until it has enough."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accord.partnerships.models import Participant
from accord.testing.factories import ParticipantFactory
from accord.trust import services
from accord.trust.models import Instrument, Invitee, SurveyRound


def instrument(kind: str = "trust") -> Instrument:
    services.ensure_builtin_instruments()
    return Instrument.objects.get(partnership__isnull=True, kind=kind)


def staff(cast, org, count: int) -> None:
    """Make sure ``org`` has at least ``count`` invitable people in the partnership."""
    have = Participant.objects.filter(
        partnership=cast.partnership, organization=org, role__in=services.INVITED_ROLES
    ).count()
    for _ in range(count - have):
        ParticipantFactory(
            partnership=cast.partnership, organization=org, role=Participant.Role.MEMBER
        )


def open_round(cast, kind: str = "trust", title: str = "Q1 survey", **fields) -> SurveyRound:
    now = timezone.now()
    return services.round_create(
        user=cast.alice,
        partnership=cast.partnership,
        instrument=instrument(kind),
        title=title,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=7),
        **fields,
    )


def answer_all(survey: SurveyRound, invitee: Invitee, value) -> None:
    """``value`` is an int or a function (rated party, item) -> int."""
    items = list(survey.instrument.items.all())
    answers = {
        party.pk: {item.key: value(party, item) if callable(value) else value for item in items}
        for party in services.rated_parties(invitee)
    }
    services.response_submit(invitee=invitee, answers=answers)


def answered_round(
    cast, counts: dict, value=5, kind: str = "trust", close: bool = True, title="Q1"
):
    """A round in which ``counts[org]`` people of each organization answered."""
    for org, n in counts.items():
        staff(cast, org, n)
    survey = open_round(cast, kind=kind, title=title)
    for org, n in counts.items():
        invitees = list(Invitee.objects.filter(round=survey, party__organization=org))[:n]
        for invitee in invitees:
            answer_all(survey, invitee, value)
    if close:
        services.round_close(user=cast.alice, survey=survey)
        survey.refresh_from_db()
    return survey
