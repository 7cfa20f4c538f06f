"""Stored health results: one row per partnership and week, the alerts with their lifecycle, and
each partnership's weights. Pages and the portfolio read these; nothing is scored on request."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.domain.health import DEFAULT_WEIGHTS
from accord.partnerships.models import Partnership


def default_weights() -> dict[str, float]:
    return {str(group): weight for group, weight in DEFAULT_WEIGHTS.items()}


class HealthSettings(models.Model):
    """Per partnership: the weight of each sub-score in the overall index, and when new
    evidence last asked for a re-score (the debounce)."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="health_settings"
    )
    weights = models.JSONField(default=default_weights)
    rescore_requested_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Health settings of partnership {self.partnership_id}"


class HealthScore(models.Model):
    """The health of one partnership in one ISO week (``period_start`` is its Monday).

    Sub-scores are None when there is no evidence yet. ``latest`` marks the newest row of a
    partnership so a portfolio reads one indexed row per partnership."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    overall = models.FloatField(null=True)
    trust = models.FloatField(null=True)
    behaviour = models.FloatField(null=True)
    economics = models.FloatField(null=True)
    governance = models.FloatField(null=True)
    performance = models.FloatField(null=True)
    communication = models.FloatField(null=True)
    trend = models.FloatField(null=True)
    state = models.CharField(max_length=20, blank=True)
    own_views = models.JSONField(default=dict)  # party id → {"trust": …, "behaviour": …}
    movements = models.JSONField(default=list)  # sentences: what moved it since last week
    latest = models.BooleanField(default=False)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "period_start"], name="health_score_once_per_week"
            )
        ]
        indexes = [
            models.Index(fields=["partnership", "-period_start"], name="health_score_history"),
            models.Index(
                fields=["partnership"],
                condition=models.Q(latest=True),
                name="health_score_latest",
            ),
        ]

    def __str__(self) -> str:
        return f"Health of partnership {self.partnership_id}, week of {self.period_start}"


class Alert(models.Model):
    """An early warning the detector raised, and what people did about it."""

    class Kind(models.TextChoices):
        CIRCLE = "circle", _("Vicious circle")
        ONE_SIDED = "one_sided", _("One-sided decline")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")
        CLEARED = "cleared", _("Cleared by recovery")

    ACTIVE = (State.OPEN, State.ACKNOWLEDGED)

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    summary = models.CharField(max_length=500)
    evidence = models.JSONField(default=list)  # the chain: sentences with links
    next_step = models.CharField(max_length=300, blank=True)
    raised_for = models.DateField(help_text=_("Monday of the week whose review raised it."))
    opened_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "state"], name="health_alert_state")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_state_display()})"
