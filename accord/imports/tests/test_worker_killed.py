"""A real `db_worker` process killed in the middle of an import: the job does not stay "running"
once the sweep has run, it says what happened, and not one row of the file is kept.

Runs on both databases. The worker is a separate process, so it needs committed data it can
see: on PostgreSQL the test database itself; on SQLite (whose test database lives in memory) a
file copy of it, copied back afterwards so the assertions read what the worker and the sweep
left behind.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accord.imports.lease import IMPORT_TASK_PATH, WORKER_LOST, lease_length
from accord.imports.models import ImportJob
from accord.imports.services import import_job_create
from accord.partnerships.audit import AuditEvent
from accord.performance.models import Observation
from accord.performance.tests.helpers import make_metric
from accord.testing.personas import build_cast

METRICS = 20
DAYS = 10_000  # 20 × 10,000 = 200,000 rows: seconds of work left when the worker is killed
KILL_AFTER_ROWS = 10_000  # two batches written inside the import's transaction
TIMEOUT = 60.0


def big_csv() -> bytes:
    first = date(2000, 1, 1)
    days = [(first + timedelta(days=i)).isoformat() for i in range(DAYS)]
    lines = ["metric,period,value,note"]
    for m in range(METRICS):
        lines.extend(f"m{m},{day},{i % 100}.5,n" for i, day in enumerate(days))
    return ("\n".join(lines) + "\n").encode()


def database_url(tmp_path: Path) -> str:
    """A URL the worker process can open that holds this test's committed data."""
    if connection.vendor == "sqlite":
        path = tmp_path / "worker.sqlite3"
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    conf = connection.settings_dict
    user = conf["USER"] or "postgres"
    password = f":{conf['PASSWORD']}" if conf["PASSWORD"] else ""
    host = conf["HOST"] or "127.0.0.1"
    port = conf["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{conf['NAME']}"


def copy_back(url: str) -> None:
    if connection.vendor == "sqlite":
        source = sqlite3.connect(url.removeprefix("sqlite:///"))
        source.backup(connection.connection)
        source.close()


def manage(*args: str, env: dict[str, str], log: Path | None = None) -> subprocess.Popen[bytes]:
    """Run manage.py; a long-running one logs to a file (a full pipe would stall it)."""
    output = log.open("wb") if log is not None else subprocess.PIPE
    return subprocess.Popen(  # noqa: S603 — fixed arguments, our own manage.py
        [sys.executable, str(Path(django_settings.BASE_DIR) / "manage.py"), *args],
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT if log is not None else subprocess.PIPE,
    )


def wait_for(predicate, what: str, worker: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not predicate():
        if worker.poll() is not None:
            pytest.fail(f"the worker exited before {what}: {log.read_text()[-2000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting until {what}")
        time.sleep(0.01)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_leaves_a_failed_job_and_no_rows(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cast = build_cast()
    for m in range(METRICS):
        make_metric(cast, code=f"m{m}")
    job = import_job_create(
        partnership=cast.partnership,
        user=cast.alice,
        kind="observations",
        upload=SimpleUploadedFile("big.csv", big_csv()),
    )
    assert DBTaskResult.objects.filter(status="READY", task_path=IMPORT_TASK_PATH).count() == 1
    url = database_url(tmp_path)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    log = tmp_path / "worker.log"
    worker = manage(
        "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1", env=env, log=log
    )
    try:
        # The worker's progress file (its lease) says how far it got; the job row cannot.
        written = lambda: int(job._read_progress().get("rows") or 0) >= KILL_AFTER_ROWS  # noqa: E731
        wait_for(written, "rows were written", worker, log)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=TIMEOUT)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == -signal.SIGKILL

    copy_back(url)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING  # what users saw for 41 minutes before

    later = timezone.now() + lease_length() + timedelta(seconds=1)
    tick = manage("accord_tick", "--only", "imports.sweep", "--now", later.isoformat(), env=env)
    out, err = tick.communicate(timeout=TIMEOUT)
    assert tick.returncode == 0, err.decode()
    assert out.decode().splitlines() == [
        "imports.sweep: 1 import job(s) whose worker stopped marked failed, 1 task record(s) closed"
    ]

    copy_back(url)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.report["failure"] == WORKER_LOST
    assert job.finished_at is not None
    assert Observation.objects.count() == 0
    assert not AuditEvent.objects.filter(action="import.observations").exists()
    task = DBTaskResult.objects.get(task_path=IMPORT_TASK_PATH)
    assert task.status == "FAILED"
