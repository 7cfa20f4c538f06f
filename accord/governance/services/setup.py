"""Governance setup and settings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accord.domain import decision_rights as dr
from accord.governance.models import (
    DecisionDomain,
    GovernanceSettings,
)
from accord.governance.services._common import _actor_name, _require_party, _settings
from accord.governance.services.messages import ALREADY_SET_UP, CONSULTATION_DAYS_RANGE
from accord.partnerships.audit import record_event
from accord.partnerships.models import Partnership


@transaction.atomic
def governance_setup(*, partnership: Partnership, user: Any) -> GovernanceSettings:
    """Create the settings and the starter domains. Every domain starts in consensus: until the
    parties agree otherwise, nobody decides for the others."""
    party = _require_party(user, partnership)
    if GovernanceSettings.objects.filter(partnership=partnership).exists():
        raise ValidationError(ALREADY_SET_UP)
    found = GovernanceSettings.objects.create(partnership=partnership, set_up_by=user)
    DecisionDomain.objects.bulk_create(
        [
            DecisionDomain(
                partnership=partnership,
                owner_org_id=party.organization_id,
                created_by=user,
                key=template.key,
                label=template.label,
                description=template.description,
                position=i,
            )
            for i, template in enumerate(dr.STARTER_DOMAINS)
        ]
    )
    record_event(
        partnership=partnership,
        actor=user,
        action="governance.setup",
        summary=f"{_actor_name(user)} set up governance with {len(dr.STARTER_DOMAINS)} starter "
        "decision domains, all in consensus until the parties agree otherwise",
        target=found,
    )
    return found


@transaction.atomic
def settings_update(
    *,
    partnership: Partnership,
    user: Any,
    hide_stances_until_closed: bool,
    consultation_days: int,
) -> GovernanceSettings:
    found = _settings(partnership)
    if not 1 <= consultation_days <= 90:
        raise ValidationError({"consultation_days": CONSULTATION_DAYS_RANGE})
    changes = {
        field: [getattr(found, field), value]
        for field, value in (
            ("hide_stances_until_closed", hide_stances_until_closed),
            ("consultation_days", consultation_days),
        )
        if getattr(found, field) != value
    }
    if not changes:
        return found
    found.hide_stances_until_closed = hide_stances_until_closed
    found.consultation_days = consultation_days
    found.save()
    record_event(
        partnership=partnership,
        actor=user,
        action="governance.settings",
        summary=f"{_actor_name(user)} changed the governance settings",
        target=found,
        changes=changes,
    )
    return found
