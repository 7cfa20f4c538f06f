"""Ladder configuration: each side's tier owners and the tiers' time windows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accord.conflicts.models import (
    TIER_ORDER,
    TierKey,
    TierOwner,
)
from accord.conflicts.services._common import _name, _require_manager
from accord.conflicts.services.messages import (
    BAD_TIER,
    ORG_NOT_A_PARTY,
    OWN_SIDE_ONLY,
    OWNER_NOT_ON_SIDE,
)
from accord.partnerships import services as partnership_services
from accord.partnerships.access import user_organization
from accord.partnerships.audit import record_event
from accord.partnerships.models import Participant, Partnership


@transaction.atomic
def tier_owners_set(
    *, partnership: Partnership, user: Any, tier: str, organization: Any, users: Iterable[Any]
) -> list[TierOwner]:
    """Set who owns one tier for one party. An empty list returns that side to the default
    from participant roles. Each party's managers choose their own side's owners."""
    _require_manager(user, partnership)
    if tier not in TierKey.values:
        raise ValidationError({"tier": BAD_TIER})
    if not partnership.parties.filter(organization=organization).exists():
        raise ValidationError(ORG_NOT_A_PARTY)
    own = user_organization(user)
    if own is None or own.pk != organization.pk:
        raise ValidationError(OWN_SIDE_ONLY)
    people = list(users)
    allowed = set(
        Participant.objects.filter(partnership=partnership, organization=organization)
        .exclude(role__in=[Participant.Role.FACILITATOR, Participant.Role.OBSERVER])
        .values_list("user_id", flat=True)
    )
    for person in people:
        if person.pk not in allowed:
            raise ValidationError(OWNER_NOT_ON_SIDE.format(name=_name(person), org=organization))
    before = sorted(
        TierOwner.objects.filter(
            partnership=partnership, tier=tier, organization=organization
        ).values_list("user_id", flat=True)
    )
    TierOwner.objects.filter(partnership=partnership, tier=tier, organization=organization).delete()
    rows = TierOwner.objects.bulk_create(
        [
            TierOwner(partnership=partnership, tier=tier, organization=organization, user=person)
            for person in people
        ]
    )
    names = ", ".join(_name(p) for p in people) or "the default from participant roles"
    record_event(
        partnership=partnership,
        actor=user,
        action="conflicts.tier_owners",
        summary=f"{_name(user)} set {organization}'s owners of "
        f"{TierKey(tier).label.lower()}: {names}",
        target=partnership,
        changes={"tier": tier, "users": [before, sorted(p.pk for p in people)]},
    )
    return rows


def ladder_windows_set(*, partnership: Partnership, user: Any, windows: dict[str, int]) -> None:
    """The windows live on the partnership's settings; change them through its service."""
    _require_manager(user, partnership)
    partnership_services.partnership_update(
        user=user, partnership=partnership, escalation_windows=dict(windows)
    )


TIER_KEYS = TIER_ORDER
