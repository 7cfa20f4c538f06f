"""Shared set-ups for governance tests: governance, a joint body, domains in each mode."""

from __future__ import annotations

from typing import Any

from accord.governance import services
from accord.governance.models import DecisionDomain, GovernanceSettings, JointBody, Proposal
from accord.partnerships.models import Participant
from accord.testing.personas import Cast


def govern(cast: Cast, *, hide: bool = False) -> None:
    services.governance_setup(partnership=cast.partnership, user=cast.alice)
    if hide:
        services.settings_update(
            partnership=cast.partnership,
            user=cast.alice,
            hide_stances_until_closed=True,
            consultation_days=7,
        )


def participant(cast: Cast, user: Any) -> Participant:
    return Participant.objects.get(partnership=cast.partnership, user=user)


def steering_committee(cast: Cast, quorum: int = 2) -> JointBody:
    """Alice and Amos of Alder, Bob and Bea of Birch."""
    return services.joint_body_create(
        partnership=cast.partnership,
        user=cast.alice,
        name="Joint Steering Committee",
        mandate="Operational choices within the agreed budget.",
        quorum=quorum,
        members=[participant(cast, u) for u in (cast.alice, cast.amos, cast.bob, cast.bea)],
    )


def domain(cast: Cast, key: str = "budget") -> DecisionDomain:
    return DecisionDomain.objects.get(partnership=cast.partnership, key=key)


def set_mode(cast: Cast, mode: str, *, key: str = "budget", owner: Any = None) -> DecisionDomain:
    """Put a domain in a mode through the override service (owner: a Party)."""
    d = domain(cast, key)
    body = None
    if mode == "delegated":
        body = JointBody.objects.filter(partnership=cast.partnership).first() or (
            steering_committee(cast)
        )
    return services.domain_rights_override(
        domain=d,
        user=cast.alice,
        mode=mode,
        owner_party=owner if mode in ("independent", "consultative") else None,
        joint_body=body,
        reason="Agreed in the kick-off workshop.",
    )


def propose(
    cast: Cast,
    mode: str,
    *,
    by: Any = None,
    owner: Any = None,
    hide: bool = False,
    key: str = "budget",
) -> Proposal:
    """Govern, put the domain in the mode, and propose in it."""
    if not GovernanceSettings.objects.filter(partnership=cast.partnership).exists():
        govern(cast, hide=hide)
    set_mode(cast, mode, key=key, owner=owner or cast.party_a)
    return services.proposal_create(
        partnership=cast.partnership,
        user=by or cast.alice,
        domain=domain(cast, key),
        title="Move 200k from discovery to CMC",
        description="The CMC scale-up is the bottleneck.",
    )
