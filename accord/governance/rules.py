"""Who may act for a party in governance. The access layer has already checked the partnership."""

from __future__ import annotations

from typing import Any

from accord.partnerships.access import user_organization
from accord.partnerships.models import Participant, Partnership, Party

APPROVER_ROLES = (Participant.Role.ALLIANCE_MANAGER, Participant.Role.SPONSOR)


def user_party(user: Any, partnership: Partnership) -> Party | None:
    """The party the user's organization is in this partnership (None for a facilitator)."""
    org = user_organization(user)
    if org is None:
        return None
    return Party.objects.filter(partnership=partnership, organization=org).first()


def is_approver(user: Any, party: Party) -> bool:
    """A party's authorized approver: its alliance manager or executive sponsor."""
    return Participant.objects.filter(
        partnership_id=party.partnership_id,
        organization_id=party.organization_id,
        user=user,
        role__in=APPROVER_ROLES,
    ).exists()


def party_leads(party: Party) -> list[Any]:
    """The people told about things their party must act on: its approvers."""
    return [
        p.user
        for p in Participant.objects.filter(
            partnership_id=party.partnership_id,
            organization_id=party.organization_id,
            role__in=APPROVER_ROLES,
        ).select_related("user")
    ]


def party_people(partnership: Partnership, *, exclude: Any = None) -> list[Any]:
    """Everyone of the parties who reads the partnership's records (not the facilitator)."""
    people = Participant.objects.filter(partnership=partnership).exclude(
        role=Participant.Role.FACILITATOR
    )
    return [p.user for p in people.select_related("user") if exclude is None or p.user != exclude]
