"""Helpers shared by the governance services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse

from accord.governance.models import (
    GovernanceSettings,
    Proposal,
)
from accord.governance.rules import user_party
from accord.governance.services.messages import (
    CLOSED_MEANWHILE,
    NOT_A_PARTY_MEMBER,
    NOT_SET_UP,
    PROPOSAL_DECIDED,
    PROPOSAL_WITHDRAWN,
)
from accord.partnerships.models import Partnership, Party
from accord.partnerships.stale import StaleStateError


def _actor_name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def _settings(partnership: Partnership) -> GovernanceSettings:
    found = GovernanceSettings.objects.filter(partnership=partnership).first()
    if found is None:
        raise ValidationError(NOT_SET_UP)
    return found


def _require_party(user: Any, partnership: Partnership) -> Party:
    party = user_party(user, partnership)
    if party is None:
        raise ValidationError(NOT_A_PARTY_MEMBER)
    return party


def _proposal_url(proposal: Proposal) -> str:
    return reverse(
        "governance:proposal_detail",
        kwargs={"pk": proposal.partnership_id, "proposal_id": proposal.pk},
    )


def _lock(proposal: Proposal) -> Proposal:
    """Lock the proposal's row and return it fresh; every write to a proposal starts here."""
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("partnership", "domain", "owner_party__organization", "joint_body")
        .get(pk=proposal.pk)
    )


def _require_open(proposal: Proposal) -> None:
    if proposal.decided_at is not None:
        raise ValidationError(PROPOSAL_DECIDED)
    if proposal.withdrawn_at is not None:
        raise ValidationError(PROPOSAL_WITHDRAWN)


def _lock_open(proposal: Proposal) -> Proposal:
    """`_lock`, refusing a closed proposal: as stale (409) if the person still saw it open —
    it was decided or withdrawn while they looked — and as a plain rejection otherwise."""
    seen_open = proposal.decided_at is None and proposal.withdrawn_at is None
    locked = _lock(proposal)
    if seen_open:
        if locked.decided_at is not None:
            raise StaleStateError(f"{PROPOSAL_DECIDED} {CLOSED_MEANWHILE}")
        if locked.withdrawn_at is not None:
            raise StaleStateError(f"{PROPOSAL_WITHDRAWN} {CLOSED_MEANWHILE}")
    _require_open(locked)
    return locked
