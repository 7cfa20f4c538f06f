"""Writes after the reveal: the other party acknowledges a shortfall (now agreed by both) and
each party records how it contributed. Both are joint: the lists are no longer private."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accord.interventions.models import Intervention, Item, Submission
from accord.interventions.services._text import plain
from accord.interventions.services.interventions import (
    ALREADY_ACKNOWLEDGED,
    NOT_REVEALED,
    OWN_ITEM,
    TEXT_REQUIRED,
    TEXT_TOO_LONG,
    _acting_party,
    _joint_event,
    _locked,
    _submission,
)


def _revealed(intervention: Intervention) -> Intervention:
    intervention = _locked(intervention)
    if not intervention.revealed_at:
        raise ValidationError(NOT_REVEALED)
    return intervention


@transaction.atomic
def item_acknowledge(*, item: Item, user: Any) -> Item:
    """The other party acknowledges a shortfall: both sides now agree on it."""
    intervention = _revealed(item.submission.intervention)
    party = _acting_party(user, intervention)
    item = Item.objects.select_for_update().select_related("submission__party").get(pk=item.pk)
    if item.submission.party_id == party.pk:
        raise ValidationError(OWN_ITEM)
    if item.acknowledged_at:
        raise ValidationError(ALREADY_ACKNOWLEDGED)
    item.acknowledged_at = timezone.now()
    item.save(update_fields=["acknowledged_at"])
    _joint_event(
        intervention,
        user=user,
        action="interventions.agree_shortfall",
        summary=f"{party.organization} acknowledged “{item.text}” — an agreed shortfall"[:500],
    )
    return item


@transaction.atomic
def contribution_save(*, intervention: Intervention, user: Any, contribution: str) -> Submission:
    """After the reveal, each party says how it contributed to the shortfalls (joint)."""
    intervention = _revealed(intervention)
    party = _acting_party(user, intervention)
    contribution = plain(contribution, "contribution")
    if not contribution:
        raise ValidationError({"contribution": TEXT_REQUIRED})
    if len(contribution) > 5000:
        raise ValidationError({"contribution": TEXT_TOO_LONG})
    submission = _submission(intervention, party)
    submission.contribution = contribution
    submission.save(update_fields=["contribution"])
    _joint_event(
        intervention,
        user=user,
        action="interventions.contribution",
        summary=f"{party.organization} recorded how it contributed: {contribution}"[:500],
    )
    return submission
