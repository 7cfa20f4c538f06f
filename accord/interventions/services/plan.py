"""Writes for the rebuild plan: its cadence and issue rule, commitments created through
accountability, a follow-up trust round scheduled through trust, and each party's agreement.

Any change to the plan withdraws every agreement given so far: a party agrees to a plan as it
stands, never to one changed after it said yes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accord.accountability.models import Commitment
from accord.accountability.services.commitments import commitment_create
from accord.interventions.models import Intervention
from accord.interventions.services._text import plain
from accord.interventions.services.after_reveal import _revealed
from accord.interventions.services.interventions import (
    _acting_party,
    _joint_event,
    _submission,
)
from accord.partnerships.access import Need
from accord.trust.models import Instrument
from accord.trust.services import ensure_builtin_instruments, round_create

CADENCE_REQUIRED = "Say how often the parties will talk, and where."
RULE_REQUIRED = "Say how future issues will be raised early."
TEXT_TOO_LONG = "Keep it under 2,000 characters."
DUE_IN_PAST = "A plan commitment must fall due today or later."
UNKNOWN_PARTY = "That party is not part of this partnership."
PLAN_INCOMPLETE = (
    "The plan needs a communication cadence, a rule for raising issues early, at least one "
    "commitment and a follow-up trust round before a party can agree to it."
)
ALREADY_AGREED = "Your party has already agreed to this plan."


def _text(value: str, field: str, required: str) -> str:
    value = plain(value, field)
    if not value:
        raise ValidationError({field: required})
    if len(value) > 2000:
        raise ValidationError({field: TEXT_TOO_LONG})
    return value


def _reset_agreements(intervention: Intervention) -> None:
    intervention.submissions.update(plan_agreed_at=None)


@transaction.atomic
def plan_update(
    *, intervention: Intervention, user: Any, cadence: str, issue_rule: str
) -> Intervention:
    intervention = _revealed(intervention)
    party = _acting_party(user, intervention)
    intervention.plan_cadence = _text(cadence, "cadence", CADENCE_REQUIRED)
    intervention.plan_issue_rule = _text(issue_rule, "issue_rule", RULE_REQUIRED)
    intervention.save(update_fields=["plan_cadence", "plan_issue_rule"])
    _reset_agreements(intervention)
    _joint_event(
        intervention,
        user=user,
        action="interventions.plan_update",
        summary=f"{party.organization} set the plan's cadence and early-issue rule",
    )
    return intervention


@transaction.atomic
def plan_commitment_add(
    *,
    intervention: Intervention,
    user: Any,
    title: str,
    owner_party_id: int,
    due_on: date,
    description: str = "",
) -> Commitment:
    """A plan commitment is an ordinary joint commitment (accountability's service writes it, so
    it appears, is tracked and escalates there), linked to the plan."""
    intervention = _revealed(intervention)
    _acting_party(user, intervention)
    owner_party = intervention.partnership.parties.filter(pk=owner_party_id).first()
    if owner_party is None:
        raise ValidationError({"owner_party": UNKNOWN_PARTY})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": DUE_IN_PAST})
    commitment = commitment_create(
        partnership=intervention.partnership,
        user=user,
        title=plain(title, "title"),
        owner_party=owner_party,
        due_on=due_on,
        description=description,
        workstream="Rebuild plan",
    )
    intervention.plan_commitments.add(commitment)
    _reset_agreements(intervention)
    _joint_event(
        intervention,
        user=user,
        action="interventions.plan_commitment",
        summary=f"Added “{commitment.title}” to the rebuild plan",
    )
    return commitment


@transaction.atomic
def plan_followup_round(
    *, intervention: Intervention, user: Any, opens_at: datetime, closes_at: datetime
) -> Intervention:
    """Schedule the follow-up trust round through trust's own service (its checks apply: closes
    after it opens, not in the past, not too long)."""
    intervention = _revealed(intervention)
    _acting_party(user, intervention, Need.MANAGE)
    ensure_builtin_instruments()
    instrument = (
        Instrument.objects.filter(partnership__isnull=True, kind=Instrument.Kind.TRUST)
        .order_by("-version", "pk")
        .first()
    )
    if instrument is None:  # pragma: no cover - the built-in instruments always exist
        raise ValidationError("No trust questionnaire is available.")
    survey = round_create(
        user=user,
        partnership=intervention.partnership,
        instrument=instrument,
        title="Follow-up trust round after the intervention",
        opens_at=opens_at,
        closes_at=closes_at,
    )
    intervention.followup_round = survey
    intervention.save(update_fields=["followup_round"])
    _reset_agreements(intervention)
    _joint_event(
        intervention,
        user=user,
        action="interventions.plan_round",
        summary=f"Scheduled the follow-up trust round for {opens_at:%d %b %Y}",
    )
    return intervention


def plan_complete(intervention: Intervention) -> bool:
    return bool(
        intervention.plan_cadence
        and intervention.plan_issue_rule
        and intervention.followup_round_id
        and intervention.plan_commitments.exists()
    )


@transaction.atomic
def plan_agree(*, intervention: Intervention, user: Any) -> Intervention:
    """A party's alliance manager agrees to the plan as it stands."""
    intervention = _revealed(intervention)
    party = _acting_party(user, intervention, Need.MANAGE)
    if not plan_complete(intervention):
        raise ValidationError(PLAN_INCOMPLETE)
    submission = _submission(intervention, party)
    if submission.plan_agreed_at:
        raise ValidationError(ALREADY_AGREED)
    submission.plan_agreed_at = timezone.now()
    submission.save(update_fields=["plan_agreed_at"])
    _joint_event(
        intervention,
        user=user,
        action="interventions.plan_agree",
        summary=f"{party.organization} agreed to the rebuild plan",
    )
    return intervention
