from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from accord.api.pagination import Pagination
from accord.notifications.services import notifications_mark_read

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    summary: str
    url: str
    partnership_id: int | None
    created_at: datetime
    read_at: datetime | None


class MarkReadIn(Schema):
    ids: list[Annotated[int, Field(ge=1, le=2**53)]] | None = Field(
        None, max_length=1000, description="Omit to mark all read."
    )


class MarkedOut(Schema):
    marked: int


@router.get("/notifications", response=list[NotificationOut])
@paginate(Pagination)
def list_notifications(request: HttpRequest, unread: bool = False) -> Any:
    notifications = request.user.notifications.all()  # type: ignore[union-attr]
    return notifications.filter(read_at__isnull=True) if unread else notifications


@router.post("/notifications/read", response=MarkedOut)
def mark_read(request: HttpRequest, payload: MarkReadIn) -> Any:
    return {"marked": notifications_mark_read(user=request.user, ids=payload.ids)}
