"""Accountability: commitments and their evidence, review cadences and meetings, review actions,
consequences and monitoring requests.

Lifecycle is kept as dates (`done_on`, `missed_on`, `held_at`, `answered_at`, `escalated_at`);
derived state (on-time rates, oversight balance, loop closure, whether a miss may be escalated)
is computed by selectors from these rows, never stored.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.partnerships.models import Participant, Partnership, PartnershipScoped, Party

DEFAULT_ACTION_OVERDUE_WINDOW_DAYS = 14
DEFAULT_DUE_SOON_DAYS = 3
DEFAULT_REPEAT_MISS_WINDOW_DAYS = 90


class AccountabilitySettings(models.Model):
    """Per-partnership rules for accountability; a partnership without a row uses the defaults."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="accountability_settings"
    )
    action_overdue_window_days = models.PositiveSmallIntegerField(
        default=DEFAULT_ACTION_OVERDUE_WINDOW_DAYS,
        help_text=_("A review action this many days past due may be escalated."),
    )
    repeat_miss_window_days = models.PositiveSmallIntegerField(
        default=DEFAULT_REPEAT_MISS_WINDOW_DAYS,
        help_text=_(
            "Two misses by the same party on the same workstream within this many days may be "
            "escalated."
        ),
    )
    due_soon_days = models.PositiveSmallIntegerField(
        default=DEFAULT_DUE_SOON_DAYS,
        help_text=_("Owners are reminded this many days before a commitment is due."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "accountability settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(action_overdue_window_days__gte=1, action_overdue_window_days__lte=365),
                name="acc_settings_overdue_window_range",
            ),
            models.CheckConstraint(
                condition=Q(repeat_miss_window_days__gte=1, repeat_miss_window_days__lte=730),
                name="acc_settings_repeat_window_range",
            ),
            models.CheckConstraint(
                condition=Q(due_soon_days__lte=60), name="acc_settings_due_soon_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Accountability settings of {self.partnership}"


class Commitment(PartnershipScoped):
    """A promise one party made: what, by whom, by when, and how everyone will know it is done."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        DONE = "done", _("Done")
        MISSED = "missed", _("Missed")

    OPEN_STATUSES = (Status.PLANNED, Status.ON_TRACK, Status.AT_RISK)

    title = models.CharField(_("what"), max_length=200)
    description = models.TextField(blank=True)
    workstream = models.CharField(
        max_length=120,
        blank=True,
        help_text=_("e.g. 'CMC transfer' or 'Regulatory'; repeated misses are judged per stream."),
    )
    owner_party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The person who answers for it."),
    )
    due_on = models.DateField()
    acceptance_criteria = models.TextField(
        blank=True, help_text=_("How both sides will know it is done.")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    done_on = models.DateField(null=True, blank=True)
    missed_on = models.DateField(null=True, blank=True)
    replanned_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replanned_as",
        help_text=_("The missed commitment this one re-plans."),
    )
    due_soon_notified_on = models.DateField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_issue_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["partnership", "due_on"], name="acc_commitment_due"),
            models.Index(fields=["status", "due_on"], name="acc_commitment_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False),
                name="acc_commitment_done_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status="done") | Q(done_on__isnull=True),
                name="acc_commitment_date_only_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def was_on_time(self) -> bool | None:
        """True if done by its due date, False if missed or late, None while still open."""
        if self.done_on is not None:
            return self.done_on <= self.due_on
        if self.status == self.Status.MISSED:
            return False
        return None


class CommitmentStatusChange(models.Model):
    """The history of a commitment's status: who changed it, when, why, and how (page or link)."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=10, choices=Commitment.Status.choices)
    to_status = models.CharField(max_length=10, choices=Commitment.Status.choices)
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    via_link = models.BooleanField(default=False)
    automatic = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    """A random name per file: the original name is kept in a column, never trusted as a path."""
    suffix = PurePath(filename).suffix.lower()
    return f"accountability/evidence/c{instance.commitment_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """What shows a commitment was met: a note, a link, a file, or any of them together."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="evidence")
    note = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to=evidence_upload_to, max_length=300, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    via_link = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=~Q(note="") | ~Q(url="") | ~Q(file=""), name="acc_evidence_not_empty"
            )
        ]

    def __str__(self) -> str:
        return self.original_name or self.url or self.note[:60]

    def kind(self) -> str:
        return "file" if self.file else "link" if self.url else "note"


class Consequence(models.Model):
    """An agreed remedy for a missed commitment ("re-plan with weekly check-ins", "fee
    reduction"). Recorded, not enforced: the contract is the enforcement."""

    class Kind(models.TextChoices):
        REPLAN_WITH_CHECKINS = "replan_checkins", _("Re-plan with closer check-ins")
        FEE_REDUCTION = "fee_reduction", _("Fee reduction or service credit")
        ADDED_RESOURCES = "added_resources", _("Added resources")
        SCOPE_CHANGE = "scope_change", _("Scope change")
        ESCALATION = "escalation", _("Escalated to the conflict ladder")
        OTHER = "other", _("Other")

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="consequences"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField()
    agreed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-agreed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"


class MonitoringRequest(PartnershipScoped):
    """One party asking another about a commitment: a status check or a request for evidence.

    The requesting party is the requester's; the request goes to the commitment's owner party.
    Always joint: a request the other side cannot see is not a request.
    """

    class Kind(models.TextChoices):
        STATUS_CHECK = "status_check", _("Status check")
        EVIDENCE_REQUEST = "evidence_request", _("Evidence request")

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="monitoring_requests"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    requesting_party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    question = models.TextField(blank=True)
    requested_on = models.DateField(default=timezone.localdate)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_on", "-pk"]
        indexes = [
            models.Index(fields=["partnership", "requested_on"], name="acc_monitoring_requested")
        ]


class ReviewCadence(PartnershipScoped):
    """A recurring review: how often, what kind, who attends. Meetings are generated from it."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily (working days)")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")

    class Kind(models.TextChoices):
        OPERATIONAL = "operational", _("Operational")
        STRATEGIC = "strategic", _("Strategic")

    name = models.CharField(max_length=200)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.OPERATIONAL)
    starts_on = models.DateField()
    time_of_day = models.TimeField(help_text=_("Start time, UTC."))
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    location = models.CharField(max_length=300, blank=True, help_text=_("A room or a call link."))
    participants = models.ManyToManyField(Participant, related_name="+", blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["frequency", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=600),
                name="acc_cadence_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("starts_on")),
                name="acc_cadence_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Review(PartnershipScoped):
    """One review meeting: scheduled from a cadence (or one-off), then held with minutes."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    cadence = models.ForeignKey(
        ReviewCadence, null=True, blank=True, on_delete=models.CASCADE, related_name="reviews"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=12, choices=ReviewCadence.Kind.choices, default=ReviewCadence.Kind.OPERATIONAL
    )
    scheduled_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    location = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    held_at = models.DateTimeField(null=True, blank=True)
    attendees = models.ManyToManyField(Participant, related_name="+", blank=True)
    decisions = models.TextField(blank=True, help_text=_("One decision per line."))
    notes = models.TextField(blank=True)
    agenda_snapshot = models.JSONField(default=dict, blank=True)
    metrics_reviewed = models.ManyToManyField(
        "performance.Metric", related_name="reviews", blank=True
    )

    class Meta:
        ordering = ["scheduled_at", "pk"]
        indexes = [models.Index(fields=["partnership", "scheduled_at"], name="acc_review_when")]
        constraints = [
            models.UniqueConstraint(
                fields=["cadence", "scheduled_at"],
                condition=Q(cadence__isnull=False),
                name="acc_review_once_per_slot",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(held_at__isnull=False),
                name="acc_review_held_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.scheduled_at:%d %b %Y}"

    def decision_list(self) -> list[str]:
        return [line.strip() for line in self.decisions.splitlines() if line.strip()]


class ReviewAction(PartnershipScoped):
    """An action agreed in a review (or raised from an off-target metric): owner, due date."""

    review = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    metric = models.ForeignKey(
        "performance.Metric",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_actions",
    )
    title = models.CharField(max_length=200)
    owner_party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_issue_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["partnership", "due_on"], name="acc_action_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.done_on is None


class LinkRedemption(models.Model):
    """A signed link that has been used. Its hash is unique, so each link works once."""

    token_hash = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=40)
    redeemed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.purpose} link used {self.redeemed_at:%Y-%m-%d}"
