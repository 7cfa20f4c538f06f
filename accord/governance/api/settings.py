"""Governance API: setup and settings."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Schema, Status

from accord.governance import selectors, services
from accord.governance.api._common import BASE, Id
from accord.governance.api._router import router
from accord.governance.models import GovernanceSettings
from accord.partnerships.access import NOT_FOUND, Need, access_partnership
from accord.partnerships.models import Partnership


class GovernanceSettingsOut(Schema):
    hide_stances_until_closed: bool
    consultation_days: int
    set_up_at: datetime


class SettingsIn(Schema):
    hide_stances_until_closed: bool = None  # type: ignore[assignment]
    consultation_days: int = Field(None, ge=1, le=90)  # type: ignore[assignment]


def _settings(partnership: Partnership) -> GovernanceSettings:
    found = selectors.governance_settings(partnership=partnership)
    if found is None:
        raise ValidationError(services.NOT_SET_UP)
    return found


@router.post(
    f"{BASE}/setup",
    response={201: GovernanceSettingsOut},
    operation_id="accord_governance_api_setup",
)
def setup(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    return Status(201, services.governance_setup(partnership=partnership, user=request.user))


@router.get(
    f"{BASE}/settings",
    response=GovernanceSettingsOut,
    operation_id="accord_governance_api_get_settings",
)
def get_settings(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    found = selectors.governance_settings(partnership=partnership)
    if found is None:
        raise Http404(NOT_FOUND)
    return found


@router.patch(
    f"{BASE}/settings",
    response=GovernanceSettingsOut,
    operation_id="accord_governance_api_update_settings",
)
def update_settings(request: HttpRequest, payload: SettingsIn, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    found = _settings(partnership)
    hide = payload.hide_stances_until_closed
    days = payload.consultation_days
    return services.settings_update(
        partnership=partnership,
        user=request.user,
        hide_stances_until_closed=found.hide_stances_until_closed if hide is None else hide,
        consultation_days=found.consultation_days if days is None else days,
    )
