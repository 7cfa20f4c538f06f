"""Answering a survey: who may answer, and storing an answer with no event and no name
(see models.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accord.partnerships.models import Party
from accord.trust import answer_storage, links
from accord.trust.models import (
    Instrument,
    Invitee,
    SurveyRound,
)
from accord.trust.services.messages import (
    ALREADY_ANSWERED,
    ANSWER_MISSING,
    ANSWER_OFF_SCALE,
    ANSWER_UNKNOWN,
    ROUND_IS_CLOSED,
    ROUND_NOT_OPEN_YET,
)


def invitee_from_token(token: str, *, partnership_id: int | None = None) -> Invitee:
    """The invitee an e-mailed code was issued to (accord.trust.links)."""
    return links.invitee_for_code(token, partnership_id=partnership_id)


def check_can_answer(invitee: Invitee, now: datetime | None = None) -> None:
    state = invitee.round.state(now)
    if invitee.round.closed_at is not None:  # closed early, possibly a hair after `now`
        state = SurveyRound.State.CLOSED
    if state == SurveyRound.State.SCHEDULED:
        raise ValidationError(ROUND_NOT_OPEN_YET)
    if state == SurveyRound.State.CLOSED:
        raise ValidationError(ROUND_IS_CLOSED)
    if invitee.responded:
        raise ValidationError(ALREADY_ANSWERED)


def rated_parties(invitee: Invitee) -> list[Party]:
    """Trust is asked about every other party; culture about one's own party too, first."""
    parties = list(
        Party.objects.filter(partnership=invitee.round.partnership_id).select_related(
            "organization"
        )
    )
    others = [p for p in parties if p.pk != invitee.party_id]
    if invitee.round.kind == Instrument.Kind.CULTURE:
        return [invitee.party, *others]
    return others


@transaction.atomic
def response_submit(
    *,
    invitee: Invitee,
    answers: Mapping[int, Mapping[str, int]],
    now: datetime | None = None,
) -> int:
    """Store one person's answers, about each rated party, without the person.

    ``answers`` maps rated party id → item key → value. Every statement must be answered. The
    invitee row is locked, so two tabs submitting at once store one set of answers; the round
    row is locked first, so rewrites of the round's answers (``answer_storage``) queue."""
    # The locked round, not the one read before the lock: a close may have committed meanwhile.
    invitee.round = SurveyRound.objects.select_for_update().get(pk=invitee.round_id)
    locked = Invitee.objects.select_for_update().get(pk=invitee.pk)
    invitee.responded = locked.responded
    check_can_answer(invitee, now)
    items = {item.key: item for item in invitee.round.instrument.items.all()}
    parties = {party.pk: party for party in rated_parties(invitee)}
    if set(answers) - set(parties) or any(set(a) - set(items) for a in answers.values()):
        raise ValidationError(ANSWER_UNKNOWN)
    points = invitee.round.instrument.scale_points
    missing = sum(len(set(items) - set(answers.get(party, {}))) for party in parties)
    if missing:
        raise ValidationError(ANSWER_MISSING.format(count=missing))
    for per_party in answers.values():
        for value in per_party.values():
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= points:
                raise ValidationError(ANSWER_OFF_SCALE.format(points=points))
    new_rows = [
        (invitee.party_id, party_id, dict(per_party)) for party_id, per_party in answers.items()
    ]
    answer_storage.store_shuffled(invitee.round_id, new_rows)
    stored = sum(len(per_party) for per_party in answers.values())
    updated = Invitee.objects.filter(pk=invitee.pk, responded=False).update(
        responded=True, token_hash=None
    )
    if updated != 1:  # pragma: no cover - the lock above makes this unreachable
        raise IntegrityError(ALREADY_ANSWERED)
    invitee.responded = True
    return stored
