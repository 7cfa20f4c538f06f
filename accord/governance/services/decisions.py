"""Deciding proposals: who may decide, stances and recorded outcomes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accord.domain import decision_rights as dr
from accord.governance import selectors
from accord.governance.models import (
    JointBodyMember,
    Mode,
    Outcome,
    Proposal,
    Stance,
)
from accord.governance.rules import is_approver, party_people, user_party
from accord.governance.services._common import (
    _actor_name,
    _lock_open,
    _proposal_url,
    _require_party,
    _settings,
)
from accord.governance.services.messages import (
    DECIDE_NOT_AUTHORIZED,
    OBJECTION_NEEDS_REASON,
    REVIEW_BEFORE_DECISION,
    STANCE_NOT_APPROVER,
    STANCE_NOT_ON_BODY,
    STANCE_WRONG_MODE,
    STATEMENT_REQUIRED,
)
from accord.notifications.services import notify
from accord.partnerships.audit import record_event
from accord.partnerships.models import Party


def _on_body(user: Any, proposal: Proposal) -> bool:
    return bool(
        proposal.joint_body_id
        and JointBodyMember.objects.filter(
            body_id=proposal.joint_body_id, participant__user=user
        ).exists()
    )


def decision_check(
    proposal: Proposal, *, user: Any, now: datetime | None = None
) -> dr.DecisionCheck:
    """Ask the domain rules whether this person may record the decision now."""
    state = selectors.decision_state(proposal=proposal)
    party = user_party(user, proposal.partnership)
    return dr.may_decide(
        state,
        actor_party=party.pk if party else -1,
        now=now or timezone.now(),
        actor_on_joint_body=_on_body(user, proposal),
    )


def _decide(
    proposal: Proposal,
    user: Any,
    party: Party | None,
    check: dr.DecisionCheck,
    statement: str,
    review_on: date | None,
    now: datetime,
) -> Outcome:
    outcome = Outcome.objects.create(
        proposal=proposal,
        statement=statement,
        review_on=review_on,
        decided_by=user,
        decided_by_party=party,
        rule=check.reason,
        created_at=now,
    )
    proposal.decided_at = now
    proposal.closed_at = now
    proposal.save(update_fields=["decided_at", "closed_at", "updated_at"])
    days = (now - proposal.proposed_at).total_seconds() / 86_400
    record_event(
        partnership=proposal.partnership,
        actor=user,
        action="governance.proposal_decide",
        summary=f"“{proposal.title}” decided after {days:.1f} days: {statement}",
        target=proposal,
        changes={"rule": check.reason, "review_on": review_on, "cycle_days": round(days, 3)},
    )
    notify(
        recipients=party_people(proposal.partnership, exclude=user),
        kind="governance.decided",
        summary=f"Decided in {proposal.domain.label}: “{proposal.title}” — {statement}"[:500],
        partnership=proposal.partnership,
        url=_proposal_url(proposal),
    )
    return outcome


@transaction.atomic
def proposal_decide(
    *, proposal: Proposal, user: Any, statement: str, review_on: date | None = None
) -> Outcome:
    """Record the decision if the proposal's mode allows this person to take it now."""
    proposal = _lock_open(proposal)
    statement = statement.strip()
    if not statement:
        raise ValidationError({"statement": STATEMENT_REQUIRED})
    now = timezone.now()
    if review_on is not None and review_on < now.date():
        raise ValidationError({"review_on": REVIEW_BEFORE_DECISION})
    party = user_party(user, proposal.partnership)
    check = decision_check(proposal, user=user, now=now)
    if not check.allowed:
        raise ValidationError(check.reason)
    if proposal.mode != Mode.DELEGATED and (party is None or not is_approver(user, party)):
        raise ValidationError(DECIDE_NOT_AUTHORIZED)
    return _decide(proposal, user, party, check, statement, review_on, now)


@transaction.atomic
def stance_set(*, proposal: Proposal, user: Any, choice: str, reason: str = "") -> Stance:
    """Take or change a stance. In a consensus, the last approval decides the proposal at once."""
    proposal = _lock_open(proposal)
    if choice not in Stance.Choice.values:
        raise ValidationError({"choice": f"Choose one of: {', '.join(Stance.Choice.values)}."})
    reason = reason.strip()
    if choice == Stance.Choice.OBJECT and not reason:
        raise ValidationError({"reason": OBJECTION_NEEDS_REASON})
    party = _require_party(user, proposal.partnership)
    if proposal.mode == Mode.CONSENSUS:
        if not is_approver(user, party):
            raise ValidationError(STANCE_NOT_APPROVER)
    elif proposal.mode == Mode.DELEGATED:
        if not _on_body(user, proposal):
            raise ValidationError(STANCE_NOT_ON_BODY)
    else:
        raise ValidationError(STANCE_WRONG_MODE)
    now = timezone.now()
    stance, created = Stance.objects.get_or_create(
        proposal=proposal,
        user=user,
        defaults={"party": party, "choice": choice, "reason": reason, "created_at": now},
    )
    if not created:
        stance.choice, stance.reason, stance.updated_at = choice, reason, now
        stance.save()
    hidden = _settings(proposal.partnership).hide_stances_until_closed
    record_event(
        partnership=proposal.partnership,
        actor=user,
        action="governance.stance",
        summary=f"{_actor_name(user)} took a stance on “{proposal.title}”"
        if hidden
        else f"{_actor_name(user)} ({party.organization.name}) chose "
        f"“{stance.get_choice_display()}” on “{proposal.title}”",
        target=proposal,
        changes={} if hidden else {"choice": choice, "reason": reason},
    )
    if choice == Stance.Choice.OBJECT and proposal.created_by and proposal.created_by != user:
        notify(
            recipients=[proposal.created_by],
            kind="governance.objection",
            summary=f"{party.organization.name} objects to “{proposal.title}”; the consensus is "
            "blocked",
            partnership=proposal.partnership,
            url=_proposal_url(proposal),
        )
    if proposal.mode == Mode.CONSENSUS and choice == Stance.Choice.APPROVE:
        check = decision_check(proposal, user=user, now=now)
        if check.allowed:
            _decide(
                proposal,
                user,
                party,
                check,
                f"Approved by every party: {proposal.title}",
                None,
                now,
            )
    return stance
