"""Periodic passes: what happens because time passed. Each is idempotent (a second run at the same
moment changes nothing) and returns a one-line summary. Run by the worker, or:

    manage.py accord_tick --only accountability.mark_missed --now 2026-12-01T09:00
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from accord.accountability import services
from accord.partnerships.periodic import periodic_pass


def _today(now: datetime) -> object:
    return timezone.localdate(now) if timezone.is_aware(now) else now.date()


@periodic_pass("accountability.mark_missed")
def mark_missed(now: datetime) -> str:
    count = services.mark_missed(today=_today(now))  # type: ignore[arg-type]
    return f"{count} commitment{'s' if count != 1 else ''} past due marked missed"


@periodic_pass("accountability.remind_due_soon")
def remind_due_soon(now: datetime) -> str:
    count = services.remind_due_soon(today=_today(now))  # type: ignore[arg-type]
    return f"{count} owner{'s' if count != 1 else ''} reminded of a commitment due soon"


@periodic_pass("accountability.schedule_reviews")
def schedule_reviews(now: datetime) -> str:
    count = services.schedule_reviews(today=_today(now))  # type: ignore[arg-type]
    return f"{count} review meeting{'s' if count != 1 else ''} scheduled from cadences"
