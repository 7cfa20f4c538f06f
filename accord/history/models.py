"""Evidence a partnership brings from before it joined Accord, one row per imported line.

Rows are never shown one by one: the "history" evidence source (sources.py) turns them into
weekly evidence like any native record, and survey answers only as aggregates over at least the
partnership's k respondents.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accord.partnerships.models import Organization, Partnership, Party, Visibility


class HistoryEntry(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="history_entries"
    )
    period = models.DateField(help_text="The month's first day, or the day given.")
    from_party = models.ForeignKey(
        Party, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    to_party = models.ForeignKey(
        Party, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    signal = models.CharField(max_length=40)
    value = models.FloatField()
    # Who brought the row: the importer's organization, for the audit trail and the rule that
    # survey answers come only from the rater's own organization.
    owner_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    # Behaviour rows are joint evidence; survey answers are internal to the importing
    # organization, so the generic scoping of every export (backups per organization) never
    # hands one organization the other's individual answers. Pages read only the aggregates.
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["partnership", "period"], name="history_partnership_period"),
        ]

    def __str__(self) -> str:
        return f"{self.signal} {self.period:%Y-%m-%d}"
