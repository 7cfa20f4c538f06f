"""Proposals: creating, consulting the other parties, and withdrawing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accord.governance.models import (
    DecisionDomain,
    InputRequest,
    Mode,
    Proposal,
)
from accord.governance.rules import is_approver, party_leads, party_people, user_party
from accord.governance.services._common import (
    _actor_name,
    _lock_open,
    _proposal_url,
    _require_party,
    _settings,
)
from accord.governance.services.messages import (
    CONSULTATION_DAYS_RANGE,
    DOMAIN_ARCHIVED,
    INPUT_ALREADY_REQUESTED,
    INPUT_ANSWER_REQUIRED,
    INPUT_NOT_OWNER,
    INPUT_NOT_REQUESTED,
    INPUT_WRONG_MODE,
    TITLE_REQUIRED,
    WITHDRAW_NOT_PROPOSER,
)
from accord.notifications.services import notify
from accord.partnerships.audit import record_event
from accord.partnerships.models import Partnership


def _create_input_requests(proposal: Proposal, user: Any, days: int, now: datetime) -> int:
    others = [
        p
        for p in proposal.partnership.parties.select_related("organization")
        if p.pk != proposal.owner_party_id
    ]
    asked = set(proposal.input_requests.values_list("party_id", flat=True))
    new = [p for p in others if p.pk not in asked]
    if not new:
        raise ValidationError(INPUT_ALREADY_REQUESTED)
    InputRequest.objects.bulk_create(
        [InputRequest(proposal=proposal, party=p, requested_by=user, requested_at=now) for p in new]
    )
    proposal.consultation_closes_at = now + timedelta(days=days)
    proposal.save(update_fields=["consultation_closes_at", "updated_at"])
    from accord.communication.action_links import consultation_path

    for party in new:
        for lead in party_leads(party):  # each lead gets their own signed, single-use link
            notify(
                recipients=[lead],
                kind="governance.input_requested",
                summary=f"{proposal.owner_party.organization.name} asks for "
                f"{party.organization.name}'s input on “{proposal.title}” by "
                f"{proposal.consultation_closes_at:%d %b %Y}",
                partnership=proposal.partnership,
                url=consultation_path(proposal, lead),
            )
    return len(new)


@transaction.atomic
def proposal_create(
    *,
    partnership: Partnership,
    user: Any,
    domain: DecisionDomain,
    title: str,
    description: str = "",
    consultation_days: int | None = None,
) -> Proposal:
    """Open a decision in a domain under the domain's current mode. When the owner party proposes
    a consultative decision, input is requested from every other party at once."""
    found = _settings(partnership)
    party = _require_party(user, partnership)
    if domain.partnership_id != partnership.pk or domain.archived_at is not None:
        raise ValidationError({"domain": DOMAIN_ARCHIVED})
    title = title.strip()
    if not title:
        raise ValidationError({"title": TITLE_REQUIRED})
    days = consultation_days if consultation_days is not None else found.consultation_days
    if not 1 <= days <= 90:
        raise ValidationError({"consultation_days": CONSULTATION_DAYS_RANGE})
    now = timezone.now()
    proposal = Proposal.objects.create(
        partnership=partnership,
        owner_org_id=party.organization_id,
        created_by=user,
        domain=domain,
        title=title,
        description=description.strip(),
        proposer_party=party,
        mode=domain.mode,
        owner_party=domain.owner_party,
        joint_body=domain.joint_body,
        proposed_at=now,
    )
    record_event(
        partnership=partnership,
        actor=user,
        action="governance.proposal_create",
        summary=f"{_actor_name(user)} proposed “{title}” in {domain.label} "
        f"({Mode(domain.mode).label.lower()})",
        target=proposal,
        changes={"mode": domain.mode, "domain": domain.label},
    )
    url = _proposal_url(proposal)
    if domain.mode == Mode.CONSULTATIVE and domain.owner_party_id == party.pk:
        _create_input_requests(proposal, user, days, now)
    elif domain.mode in (Mode.INDEPENDENT, Mode.CONSULTATIVE) and domain.owner_party:
        if domain.owner_party_id != party.pk:
            notify(
                recipients=party_leads(domain.owner_party),
                kind="governance.decision_needed",
                summary=f"{party.organization.name} proposes “{title}” in {domain.label}; "
                f"{domain.owner_party.organization.name} decides",
                partnership=partnership,
                url=url,
            )
    elif domain.mode == Mode.CONSENSUS:
        from accord.communication.action_links import stance_path

        approvers = [u for p in partnership.parties.all() for u in party_leads(p) if u != user]
        for approver in approvers:  # each gets their own signed, single-use link
            notify(
                recipients=[approver],
                kind="governance.approval_needed",
                summary=f"Your approval is needed: “{title}” in {domain.label} (consensus)",
                partnership=partnership,
                url=stance_path(proposal, approver),
            )
    elif domain.mode == Mode.DELEGATED and domain.joint_body:
        members = [m.participant.user for m in domain.joint_body.memberships.all()]
        notify(
            recipients=[u for u in members if u != user],
            kind="governance.vote_needed",
            summary=f"{domain.joint_body.name} votes on “{title}” in {domain.label}",
            partnership=partnership,
            url=url,
        )
    return proposal


@transaction.atomic
def proposal_request_input(*, proposal: Proposal, user: Any, days: int | None = None) -> int:
    """The owner party asks every other party for input and starts the consultation window."""
    proposal = _lock_open(proposal)
    if proposal.mode != Mode.CONSULTATIVE:
        raise ValidationError(INPUT_WRONG_MODE)
    if user_party(user, proposal.partnership) != proposal.owner_party:
        raise ValidationError(INPUT_NOT_OWNER)
    days = days if days is not None else _settings(proposal.partnership).consultation_days
    if not 1 <= days <= 90:
        raise ValidationError({"days": CONSULTATION_DAYS_RANGE})
    count = _create_input_requests(proposal, user, days, timezone.now())
    record_event(
        partnership=proposal.partnership,
        actor=user,
        action="governance.input_request",
        summary=f"{_actor_name(user)} asked {count} other part{'y' if count == 1 else 'ies'} for "
        f"input on “{proposal.title}”, open for {days} days",
        target=proposal,
    )
    return count


@transaction.atomic
def input_answer(*, proposal: Proposal, user: Any, answer: str) -> InputRequest:
    proposal = _lock_open(proposal)
    if proposal.mode != Mode.CONSULTATIVE:
        raise ValidationError(INPUT_WRONG_MODE)
    party = _require_party(user, proposal.partnership)
    request = proposal.input_requests.filter(party=party).first()
    if request is None:
        raise ValidationError(INPUT_NOT_REQUESTED)
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": INPUT_ANSWER_REQUIRED})
    request.answer, request.answered_by, request.answered_at = answer, user, timezone.now()
    request.save()
    record_event(
        partnership=proposal.partnership,
        actor=user,
        action="governance.input_answer",
        summary=f"{_actor_name(user)} gave {party.organization.name}'s input on “{proposal.title}”",
        target=proposal,
    )
    if proposal.owner_party:
        notify(
            recipients=party_leads(proposal.owner_party),
            kind="governance.input_given",
            summary=f"{party.organization.name} gave its input on “{proposal.title}”",
            partnership=proposal.partnership,
            url=_proposal_url(proposal),
        )
    return request


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, user: Any) -> Proposal:
    proposal = _lock_open(proposal)
    party = user_party(user, proposal.partnership)
    allowed = proposal.created_by_id == user.pk or (
        party is not None and party == proposal.proposer_party and is_approver(user, party)
    )
    if not allowed:
        raise ValidationError(WITHDRAW_NOT_PROPOSER)
    now = timezone.now()
    proposal.withdrawn_at = now
    proposal.closed_at = now
    proposal.save(update_fields=["withdrawn_at", "closed_at", "updated_at"])
    record_event(
        partnership=proposal.partnership,
        actor=user,
        action="governance.proposal_withdraw",
        summary=f"{_actor_name(user)} withdrew “{proposal.title}”",
        target=proposal,
    )
    notify(
        recipients=party_people(proposal.partnership, exclude=user),
        kind="governance.withdrawn",
        summary=f"“{proposal.title}” was withdrawn",
        partnership=proposal.partnership,
        url=_proposal_url(proposal),
        email=False,
    )
    return proposal
