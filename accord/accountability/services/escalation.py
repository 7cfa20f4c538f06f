"""Escalating a missed commitment or an overdue review action into the conflict ladder."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accord.accountability.models import (
    Commitment,
    Consequence,
    ReviewAction,
)
from accord.accountability.services._common import _audit, _name, _org_name
from accord.partnerships.models import Partnership

ESCALATION_NOT_ELIGIBLE = (
    "This commitment cannot be escalated: it must be missed twice — missed, re-planned and missed "
    "again, or a second miss by the same party on the same workstream."
)
ACTION_NOT_ELIGIBLE = "This action can be escalated once it is {days} days past due and still open."
ALREADY_ESCALATED = "This has already been escalated into the conflict ladder."
CONFLICTS_UNAVAILABLE = "The conflict ladder is not available in this installation."
ESCALATION_CONFLICT_TYPE = "timing"  # conflicts.ConflictType: a missed date is a timing conflict


def _raise_issue(
    *,
    partnership: Partnership,
    user: Any,
    title: str,
    description: str,
    visibility: str,
    source: Any,
) -> Any:
    try:
        from accord.conflicts.services import issue_raise
    except ImportError:
        raise ValidationError(CONFLICTS_UNAVAILABLE) from None
    return issue_raise(
        partnership=partnership,
        user=user,
        title=title[:200],
        description=description,
        conflict_type=ESCALATION_CONFLICT_TYPE,
        visibility=visibility,
        source=source,
    )


@transaction.atomic
def commitment_escalate(*, commitment: Commitment, user: Any) -> Any:
    """Raise a conflict issue at the first tier of the ladder for a commitment missed twice;
    returns the issue. The basis (which rule applies) goes into the issue's description."""
    from accord.accountability.selectors import escalation_basis

    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.escalated_at is not None:
        raise ValidationError(ALREADY_ESCALATED)
    basis = escalation_basis(commitment=commitment)
    if basis is None:
        raise ValidationError(ESCALATION_NOT_ELIGIBLE)
    party = _org_name(commitment.owner_party)
    issue = _raise_issue(
        partnership=commitment.partnership,
        user=user,
        title=f"Repeated miss: {commitment.title} ({party})",
        description=f"{basis}\n\nAcceptance criteria: {commitment.acceptance_criteria or '—'}",
        visibility=commitment.visibility,
        source=commitment,
    )
    commitment.escalated_at = timezone.now()
    commitment.escalated_issue_id = issue.pk
    commitment.save(update_fields=["escalated_at", "escalated_issue_id", "updated_at"])
    Consequence.objects.create(
        commitment=commitment,
        kind=Consequence.Kind.ESCALATION,
        description=f"Escalated to the conflict ladder: {basis}",
        agreed_on=timezone.localdate(),
        recorded_by=user,
    )
    _audit(
        commitment,
        actor=user,
        action="accountability.commitment_escalate",
        summary=f"{_name(user)} escalated “{commitment.title}” into the conflict ladder: {basis}",
        changes={"issue": issue.pk},
    )
    return issue


@transaction.atomic
def review_action_escalate(*, action: ReviewAction, user: Any) -> Any:
    from accord.accountability.selectors import action_overdue_days, settings_for

    action = ReviewAction.objects.select_for_update().get(pk=action.pk)
    if action.escalated_at is not None:
        raise ValidationError(ALREADY_ESCALATED)
    window = settings_for(action.partnership).action_overdue_window_days
    overdue = action_overdue_days(action)
    if action.done_on is not None or overdue <= window:
        raise ValidationError(ACTION_NOT_ELIGIBLE.format(days=window))
    owner = _name(action.owner) if action.owner else _org_name(action.owner_party)
    basis = (
        f"The review action “{action.title}” owned by {owner} ({_org_name(action.owner_party)}) "
        f"was due {action.due_on:%d %b %Y} and is {overdue} days overdue; the agreed window is "
        f"{window} days."
    )
    issue = _raise_issue(
        partnership=action.partnership,
        user=user,
        title=f"Overdue action: {action.title}",
        description=basis,
        visibility=action.visibility,
        source=action,
    )
    action.escalated_at = timezone.now()
    action.escalated_issue_id = issue.pk
    action.save(update_fields=["escalated_at", "escalated_issue_id", "updated_at"])
    _audit(
        action,
        actor=user,
        action="accountability.action_escalate",
        summary=f"{_name(user)} escalated the overdue action “{action.title}” into the conflict "
        "ladder",
        changes={"issue": issue.pk},
    )
    return issue
