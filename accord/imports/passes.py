"""The import sweep, run with the other periodic passes (the scheduler's cron, `accord_tick`)."""

from __future__ import annotations

from datetime import datetime

from accord.imports.lease import sweep_lost_jobs
from accord.partnerships.periodic import periodic_pass


@periodic_pass("imports.sweep")
def sweep(now: datetime) -> str:
    jobs, tasks = sweep_lost_jobs(now)
    return f"{jobs} import job(s) whose worker stopped marked failed, {tasks} task record(s) closed"
