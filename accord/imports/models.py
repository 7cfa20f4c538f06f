from __future__ import annotations

import json
import os
import threading
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone

from accord.partnerships.models import PartnershipScoped


class ImportJob(PartnershipScoped):
    """One uploaded file and what became of it. Internal to the uploader's organization."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Imported"
        REJECTED = "rejected", "Rejected — nothing imported"
        FAILED = "failed", "Failed — nothing imported"

    kind = models.CharField(max_length=40)
    original_name = models.CharField(max_length=255)
    file = models.FileField(upload_to="imports/%Y/%m/")
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_processed = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} import {self.original_name}"

    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REJECTED, self.Status.FAILED)

    def mark(self, **fields: object) -> None:
        """Progress updates bypass the import's transaction: they are written as they happen."""
        ImportJob.objects.filter(pk=self.pk).update(**fields)
        for name, value in fields.items():
            setattr(self, name, value)

    def start(self) -> None:
        self.mark(status=self.Status.RUNNING, started_at=timezone.now())

    def _progress_file(self) -> Path:
        return Path(settings.MEDIA_ROOT) / "imports" / "progress" / f"{self.pk}.txt"

    def report_progress(self, rows: int, *, beat: datetime | None = None) -> None:
        """Progress and the worker's heartbeat go to a file beside the upload, not the database:
        the import's own transaction is still open, and on SQLite no other connection may write
        until it ends. The file is the job's lease (see accord/imports/lease.py)."""
        path = self._progress_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
        moment = beat or timezone.now()
        partial.write_text(json.dumps({"rows": rows, "beat": moment.isoformat()}))
        os.replace(partial, path)

    def _read_progress(self) -> dict[str, object]:
        try:
            data = json.loads(self._progress_file().read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def clear_progress(self) -> None:
        self._progress_file().unlink(missing_ok=True)

    def rows_checked(self) -> int:
        """Rows looked at so far: live while running, final once finished."""
        if self.status == self.Status.RUNNING:
            rows = self._read_progress().get("rows")
            return rows if isinstance(rows, int) else self.rows_processed
        return self.rows_processed

    def last_beat(self) -> datetime | None:
        """When the worker running this job last showed it was alive (its start, at least)."""
        beat = self._read_progress().get("beat")
        try:
            moment = datetime.fromisoformat(beat) if isinstance(beat, str) else None
        except ValueError:
            moment = None
        candidates = [m for m in (moment, self.started_at) if m is not None]
        return max(candidates) if candidates else None

    def lease_expired(self, now: datetime, lease: timedelta) -> bool:
        beat = self.last_beat()
        return self.status == self.Status.RUNNING and (beat is None or beat + lease < now)
