"""The development-stage rules a partnership sets for itself."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accord.partnerships.audit import record_event
from accord.partnerships.models import Partnership
from accord.trust.models import (
    StageSettings,
)
from accord.trust.services.messages import (
    BAD_STAGE_RULES,
)


@transaction.atomic
def stage_rules_update(
    *, user: Any, partnership: Partnership, values: dict[str, Any]
) -> StageSettings:
    from accord.domain.trust import StageRules, TrustError

    try:
        StageRules(**values)
    except (TrustError, TypeError) as error:
        raise ValidationError(BAD_STAGE_RULES.format(error=error)) from None
    settings_row, _ = StageSettings.objects.get_or_create(partnership=partnership)
    changes = {
        k: [settings_row.values.get(k), v]
        for k, v in values.items()
        if settings_row.values.get(k) != v
    }
    settings_row.values = values
    settings_row.save()
    if changes:
        record_event(
            partnership=partnership,
            actor=user,
            action="trust.stage_rules",
            summary=f"Changed the development-stage rules: {', '.join(changes)}",
            target=partnership,
            changes=changes,
        )
    return settings_row
