"""The escalation pass, run by the worker on the scheduler's cron (and by `accord_tick`)."""

from __future__ import annotations

from datetime import datetime

from accord.conflicts.services import escalate_due
from accord.partnerships.periodic import periodic_pass


@periodic_pass("conflicts.escalate")
def escalate(now: datetime) -> str:
    moved = escalate_due(now)
    return f"{moved} issue(s) moved up the ladder" if moved else "no issue was due to escalate"
