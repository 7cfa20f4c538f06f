"""Answering a round of an own instrument: whom it asks about (its directions), and storing
one person's answers without the person, exactly as trust answers are stored (answer_storage):
no user, no time, rows rewritten in a random order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accord.domain.instruments.definition import Definition
from accord.partnerships.models import Party
from accord.trust import answer_storage
from accord.trust.definitions import definition_of
from accord.trust.models import Invitee, SurveyRound
from accord.trust.services import (
    ALREADY_ANSWERED,
    ANSWER_MISSING,
    ANSWER_UNKNOWN,
    check_can_answer,
)

WHOLE = 0  # the target id of "the partnership as a whole"
ANSWER_OFF_OWN_SCALE = "Answers must be whole numbers from 1 to {points}{na}."


@dataclass(frozen=True)
class Target:
    """Whom a block of statements is about: a party (``pk`` its id) or the whole partnership
    (``pk`` 0). ``own`` marks the respondent's own party."""

    pk: int
    name: str
    own: bool = False

    @property
    def whole(self) -> bool:
        return self.pk == WHOLE


def targets(invitee: Invitee, definition: Definition) -> list[Target]:
    """Own party first (self-ratings), then each other party, then the partnership."""
    parties = Party.objects.filter(partnership=invitee.round.partnership_id).select_related(
        "organization"
    )
    out: list[Target] = []
    if "self" in definition.directions:
        out.append(Target(invitee.party_id, invitee.party.organization.name, own=True))
    if "other" in definition.directions:
        out += [Target(p.pk, p.organization.name) for p in parties if p.pk != invitee.party_id]
    if "partnership" in definition.directions:
        out.append(Target(WHOLE, invitee.round.partnership.name))
    return out


def wording(text: str, target: Target, partnership_name: str) -> str:
    """The statement as the respondent reads it, placeholders filled in."""
    return text.replace("{partner}", target.name).replace("{partnership}", partnership_name)


@transaction.atomic
def instrument_response_submit(
    *,
    invitee: Invitee,
    answers: Mapping[int, Mapping[str, int]],
    now: datetime | None = None,
) -> int:
    """Store one person's answers (target id → item key → value, 0 for "not applicable" where
    the scale offers it). Every statement about every target must be answered. Locks as
    ``services.response_submit`` does, so two tabs store one set of answers."""
    SurveyRound.objects.select_for_update().filter(pk=invitee.round_id).exists()
    locked = Invitee.objects.select_for_update().get(pk=invitee.pk)
    invitee.responded = locked.responded
    check_can_answer(invitee, now)
    definition = definition_of(invitee.round.instrument)
    keys = {item.key for item in definition.items}
    allowed = {t.pk for t in targets(invitee, definition)}
    if set(answers) - allowed or any(set(a) - keys for a in answers.values()):
        raise ValidationError(ANSWER_UNKNOWN)
    missing = sum(len(keys - set(answers.get(pk, {}))) for pk in allowed)
    if missing:
        raise ValidationError(ANSWER_MISSING.format(count=missing))
    lowest = 0 if definition.scale.not_applicable else 1
    points = definition.scale.points
    for per_target in answers.values():
        for value in per_target.values():
            if isinstance(value, bool) or not isinstance(value, int):
                value = -1
            if not lowest <= value <= points:
                na = " (0: does not apply)" if lowest == 0 else ""
                raise ValidationError(ANSWER_OFF_OWN_SCALE.format(points=points, na=na))
    rows = [(invitee.party_id, pk or None, dict(per_target)) for pk, per_target in answers.items()]
    answer_storage.store_shuffled(invitee.round_id, rows)  # type: ignore[arg-type]
    updated = Invitee.objects.filter(pk=invitee.pk, responded=False).update(
        responded=True, token_hash=None
    )
    if updated != 1:  # pragma: no cover - the lock above makes this unreachable
        raise IntegrityError(ALREADY_ANSWERED)
    invitee.responded = True
    return sum(len(per_target) for per_target in answers.values())
