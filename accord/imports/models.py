from __future__ import annotations

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
        return self.status in (self.Status.DONE, self.Status.REJECTED)

    def mark(self, **fields: object) -> None:
        """Progress updates bypass the import's transaction: they are written as they happen."""
        ImportJob.objects.filter(pk=self.pk).update(**fields)
        for name, value in fields.items():
            setattr(self, name, value)

    def start(self) -> None:
        self.mark(status=self.Status.RUNNING, started_at=timezone.now())
