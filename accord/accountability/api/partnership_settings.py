"""The partnership's accountability settings."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema

from accord.accountability import selectors, services
from accord.accountability.api._common import Id
from accord.accountability.api._router import router
from accord.partnerships.access import Need, access_partnership


class AccountabilitySettingsOut(Schema):
    action_overdue_window_days: int
    repeat_miss_window_days: int
    due_soon_days: int


class SettingsPatch(Schema):
    action_overdue_window_days: int = Field(None, ge=1, le=365)  # type: ignore[assignment]
    repeat_miss_window_days: int = Field(None, ge=1, le=730)  # type: ignore[assignment]
    due_soon_days: int = Field(None, ge=0, le=60)  # type: ignore[assignment]


@router.get(
    "/partnerships/{partnership_id}/accountability-settings", response=AccountabilitySettingsOut
)
def get_settings(request: HttpRequest, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    return selectors.settings_for(partnership)


@router.patch(
    "/partnerships/{partnership_id}/accountability-settings", response=AccountabilitySettingsOut
)
def update_settings(request: HttpRequest, payload: SettingsPatch, partnership_id: int = Id) -> Any:
    partnership = access_partnership(request.user, partnership_id, Need.MANAGE)
    values = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return services.settings_update(partnership=partnership, user=request.user, **values)
