"""Per-partnership accountability settings (escalation windows, reminder lead time)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accord.accountability.models import (
    AccountabilitySettings,
)
from accord.accountability.services._common import _name
from accord.partnerships.audit import record_event
from accord.partnerships.models import Partnership

SETTINGS_RANGE = "{field} must be between {low} and {high} days."


SETTINGS_LIMITS = {
    "action_overdue_window_days": ("Action escalation window", 1, 365),
    "repeat_miss_window_days": ("Repeat-miss window", 1, 730),
    "due_soon_days": ("Reminder lead time", 0, 60),
}


@transaction.atomic
def settings_update(
    *, partnership: Partnership, user: Any, **values: Any
) -> AccountabilitySettings:
    errors = {}
    for field, value in values.items():
        label, low, high = SETTINGS_LIMITS[field]
        if not isinstance(value, int) or not low <= value <= high:
            errors[field] = SETTINGS_RANGE.format(field=label, low=low, high=high)
    if errors:
        raise ValidationError(errors)
    row, _created = AccountabilitySettings.objects.select_for_update().get_or_create(
        partnership=partnership
    )
    changes = {f: [getattr(row, f), v] for f, v in values.items() if getattr(row, f) != v}
    if not changes:
        return row
    for field, value in values.items():
        setattr(row, field, value)
    row.save()
    record_event(
        partnership=partnership,
        actor=user,
        action="accountability.settings_update",
        summary=f"{_name(user)} changed the accountability settings",
        target=row,
        changes=changes,
    )
    return row
