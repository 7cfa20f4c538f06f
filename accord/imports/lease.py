"""Jobs never hang: a running import holds a lease that its worker renews, and a periodic sweep
fails the jobs whose lease ran out.

The worker renews the lease by a heartbeat thread that rewrites the job's progress file every
`heartbeat` seconds while the import runs. The heartbeat lives in a file beside the upload, not
on the job row, because the import's own transaction holds SQLite's only write lock until it
ends; a file also needs no database round trip. If the worker process dies (SIGKILL, out of
memory, a lost machine) its thread dies with it, the beats stop, and once the lease has passed
the sweep marks the job failed with a message saying nothing was imported — which is true: the
rows, the audit event and the job's "done" commit in one transaction (see services.py), so a
job still "running" committed nothing.

Other tasks (the periodic passes) are idempotent and rerun on the next tick; the sweep marks
their task records failed once they have been "running" longer than `MAX_TASK_RUNTIME`, so the
queue never shows a task running forever.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction

from accord.imports.models import ImportJob

log = logging.getLogger(__name__)

WORKER_LOST = "The worker stopped while importing; nothing was imported — run the import again."
TASK_WORKER_LOST = "The worker running this task stopped before it finished."
MAX_TASK_RUNTIME = timedelta(minutes=30)
IMPORT_TASK_PATH = "accord.imports.services.run_import_job"


class WorkerLostError(RuntimeError):
    """Recorded on a task whose worker stopped: it has no traceback of its own."""


def lease_length() -> timedelta:
    return timedelta(seconds=getattr(settings, "ACCORD_JOB_LEASE_SECONDS", 60))


def heartbeat_interval() -> float:
    return lease_length().total_seconds() / 6


def failed_report(message: str) -> dict[str, Any]:
    return {"ok": False, "rows": 0, "imported": 0, "error_count": 1, "failure": message,
            "errors": []}  # fmt: skip


@contextmanager
def heartbeat(job: ImportJob, rows: Callable[[], int]) -> Iterator[None]:
    """Renew the job's lease every `heartbeat_interval()` seconds until the block ends."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(heartbeat_interval()):
            try:
                job.report_progress(rows())
            except OSError:  # a full disk must not kill the import; the sweep decides
                log.warning("import job %s: heartbeat not written", job.pk, exc_info=True)

    job.report_progress(rows())
    thread = threading.Thread(target=beat, name=f"import-{job.pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def fail_job(job: ImportJob, message: str, *, now: datetime) -> bool:
    """Mark a queued or running job failed, unless it finished meanwhile. The conditional
    UPDATE waits for a worker that is committing the same row and then sees its "done"."""
    changed = ImportJob.objects.filter(
        pk=job.pk, status__in=(ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
    ).update(
        status=ImportJob.Status.FAILED,
        report=failed_report(message),
        finished_at=now,
    )
    if changed:
        job.clear_progress()
    return bool(changed)


def _fail_task_records(*, now: datetime, import_jobs: set[int]) -> int:
    """Task records still "running" whose worker is gone: imports whose job was swept (or
    finished), and any other task running longer than MAX_TASK_RUNTIME."""
    from django_tasks_db.models import DBTaskResult

    failed = 0
    for result in DBTaskResult.objects.running().only(
        "id", "task_path", "args_kwargs", "started_at", "status"
    ):
        if result.task_path == IMPORT_TASK_PATH:
            args = (result.args_kwargs or {}).get("args") or [None]
            lost = (
                args[0] in import_jobs
                or ImportJob.objects.filter(pk=args[0], status=ImportJob.Status.FAILED).exists()
            )
        else:
            lost = result.started_at is not None and result.started_at + MAX_TASK_RUNTIME < now
        if lost:
            result.set_failed(WorkerLostError(TASK_WORKER_LOST))
            failed += 1
    return failed


def sweep_lost_jobs(now: datetime) -> tuple[int, int]:
    """Fail every running import whose lease expired; return (jobs, task records) failed."""
    lease = lease_length()
    swept: set[int] = set()
    for job in ImportJob.objects.filter(status=ImportJob.Status.RUNNING):
        if job.lease_expired(now, lease):
            with transaction.atomic():
                if fail_job(job, WORKER_LOST, now=now):
                    swept.add(job.pk)
                    log.warning("import job %s: lease expired, marked failed", job.pk)
    tasks = _fail_task_records(now=now, import_jobs=swept)
    return len(swept), tasks
