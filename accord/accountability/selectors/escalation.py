"""Whether a missed commitment or an overdue review action may be escalated, and why."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from accord.accountability.models import (
    Commitment,
    ReviewAction,
)
from accord.accountability.selectors._common import settings_for
from accord.partnerships.models import Visibility


def escalation_basis(
    *, commitment: Commitment, today: date | None = None, window: int | None = None
) -> str | None:
    """Why a commitment may be escalated into the conflict ladder, or None.

    "Missed twice" means either (1) it is a re-plan of a missed commitment and was missed again,
    or (2) its owner party missed another commitment on the same workstream whose due date lies
    within the partnership's repeat-miss window (90 days, a quarter, by default). Only records at
    least as visible as this one are looked at, so the sentence never names a record someone
    cannot see. ``window`` is the partnership's repeat-miss window when the caller has read it
    already (a page judging many commitments reads it once).
    """
    if commitment.status != Commitment.Status.MISSED or commitment.escalated_at is not None:
        return None
    party = commitment.owner_party.organization.name
    previous = commitment.replanned_from
    if previous is not None and previous.was_on_time() is False:
        return (
            f"Missed, re-planned and missed again: {party} first committed to “{previous.title}” "
            f"for {previous.due_on:%d %b %Y}, re-planned it to {commitment.due_on:%d %b %Y}, "
            "and missed that date too."
        )
    if not commitment.workstream:
        return None
    if window is None:
        window = settings_for(commitment.partnership).repeat_miss_window_days
    others = Commitment.objects.filter(
        partnership_id=commitment.partnership_id,
        owner_party_id=commitment.owner_party_id,
        workstream__iexact=commitment.workstream,
        status=Commitment.Status.MISSED,
        due_on__gte=commitment.due_on - timedelta(days=window),
        due_on__lte=commitment.due_on + timedelta(days=window),
    ).exclude(pk=commitment.pk)
    if commitment.visibility == Visibility.JOINT:
        others = others.filter(visibility=Visibility.JOINT)
    else:
        others = others.filter(Q(visibility=Visibility.JOINT) | Q(owner_org=commitment.owner_org))
    other = others.exclude(replanned_as=commitment).order_by("-due_on").first()
    if other is None:
        return None
    return (
        f"Second miss by {party} on the “{commitment.workstream}” workstream within {window} "
        f"days: “{other.title}” (due {other.due_on:%d %b %Y}) and “{commitment.title}” "
        f"(due {commitment.due_on:%d %b %Y})."
    )


def action_overdue_days(action: ReviewAction, today: date | None = None) -> int:
    if action.done_on is not None:
        return 0
    return max(0, ((today or timezone.localdate()) - action.due_on).days)


def action_escalable(action: ReviewAction, window: int, today: date | None = None) -> bool:
    return action.escalated_at is None and action_overdue_days(action, today) > window
