"""Permission predicates beyond the access layer's needs: which side may do what to a record.

The access layer decides who may read and contribute to a partnership; these rules add the
two-sided part: only the owning side reports on its own commitment, only the other side asks for
a status check, either side's alliance managers agree consequences and escalate.
"""

from __future__ import annotations

from typing import Any

from accord.partnerships.access import Need, can, user_organization
from accord.partnerships.models import Partnership, Party


def party_of(user: Any, partnership: Partnership) -> Party | None:
    org = user_organization(user)
    if org is None:
        return None
    return partnership.parties.filter(organization=org).select_related("organization").first()


def on_owner_side(user: Any, record: Any) -> bool:
    org = user_organization(user)
    return org is not None and record.owner_party.organization_id == org.pk


def can_report(user: Any, record: Any) -> bool:
    """Status, evidence and answers come from the owning party's contributors."""
    return can(user, record.partnership, Need.CONTRIBUTE) and on_owner_side(user, record)


def can_request_monitoring(user: Any, commitment: Any) -> bool:
    """Status checks and evidence requests come from another party, on joint commitments."""
    return (
        commitment.visibility == "joint"
        and can(user, commitment.partnership, Need.CONTRIBUTE)
        and not on_owner_side(user, commitment)
        and party_of(user, commitment.partnership) is not None
    )


def can_manage(user: Any, partnership: Partnership) -> bool:
    return can(user, partnership, Need.MANAGE)


def can_replan(user: Any, commitment: Any) -> bool:
    return can_report(user, commitment) or can_manage(user, commitment.partnership)
