"""Conflict resolution: issues that climb a graduated ladder, principles, and the exit plan.

The ladder's tiers are fixed keys (operational leads → alliance managers → executive sponsors →
neutral facilitation → exit procedure). Their windows live on the partnership
(`Partnership.escalation_windows`, edited on its settings page) so there is one place to change
them; who owns each tier on each side is stored here as `TierOwner` rows, falling back to the
participants' roles when a side has none configured.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.partnerships.models import Organization, Partnership, PartnershipScoped


class TierKey(models.TextChoices):
    OPERATIONAL_LEADS = "operational_leads", _("Operational leads")
    ALLIANCE_MANAGERS = "alliance_managers", _("Alliance managers")
    EXECUTIVE_SPONSORS = "executive_sponsors", _("Executive sponsors")
    NEUTRAL_FACILITATION = "neutral_facilitation", _("Neutral facilitation")
    EXIT_PROCEDURE = "exit_procedure", _("Exit procedure")


TIER_ORDER: list[str] = [str(key) for key in TierKey.values]


def tier_order(key: str) -> int:
    """1-based position of a tier on the ladder."""
    return TIER_ORDER.index(key) + 1


class ConflictType(models.TextChoices):
    SCOPE = "scope", _("Scope")
    RESOURCES = "resources", _("Resources")
    IP = "ip", _("Intellectual property")
    QUALITY = "quality", _("Quality")
    TIMING = "timing", _("Timing")
    RELATIONSHIP = "relationship", _("Relationship")
    COMMERCIAL = "commercial", _("Commercial")
    OTHER = "other", _("Other")


class Principle(models.Model):
    """A rule the parties agreed in advance for settling one type of conflict.

    `conflict_type` "any" applies to every type."""

    ANY = "any"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="conflict_principles"
    )
    conflict_type = models.CharField(
        max_length=20,
        choices=[(ANY, _("Any type")), *ConflictType.choices],
    )
    title = models.CharField(max_length=200)
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "conflict_type", "title"],
                name="conflicts_principle_title_unique",
            )
        ]

    def __str__(self) -> str:
        return self.title


class TierOwner(models.Model):
    """A person who owns one tier of the ladder for their organization in one partnership."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="conflict_tier_owners"
    )
    tier = models.CharField(max_length=30, choices=TierKey.choices)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["tier", "organization__name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "tier", "user"], name="conflicts_tier_owner_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} owns {self.get_tier_display()} for {self.organization}"


class Issue(PartnershipScoped):
    """A conflict on its way up the ladder.

    State is lifecycle timestamps: open while `resolved_at` and `withdrawn_at` are empty.
    `tier_entered_at` is when the issue reached its current tier; the escalation pass compares it
    with the tier's window and moves it under a row lock, so a second run finds nothing due."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(max_length=200)
    description = models.TextField()
    conflict_type = models.CharField(max_length=20, choices=ConflictType.choices)
    tier = models.CharField(
        max_length=30, choices=TierKey.choices, default=TierKey.OPERATIONAL_LEADS
    )
    tier_entered_at = models.DateTimeField(default=timezone.now)
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_id = models.CharField(max_length=40, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    principle = models.ForeignKey(
        Principle, null=True, blank=True, on_delete=models.SET_NULL, related_name="issues"
    )
    principle_title = models.CharField(
        max_length=200, blank=True, help_text=_("The principle's title when it was applied.")
    )
    resolution = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["tier", "tier_entered_at"],
                condition=Q(resolved_at__isnull=True, withdrawn_at__isnull=True),
                name="conflicts_issue_open_due",
            ),
            models.Index(fields=["partnership", "created_at"], name="conflicts_issue_by_pship"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(withdrawn_at__isnull=True),
                name="conflicts_issue_resolved_or_withdrawn",
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | ~Q(resolution=""),
                name="conflicts_issue_resolution_has_statement",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def state(self) -> str:
        if self.resolved_at:
            return self.State.RESOLVED
        if self.withdrawn_at:
            return self.State.WITHDRAWN
        return self.State.OPEN

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def tier_number(self) -> int:
        return tier_order(self.tier)

    @property
    def closed_at(self) -> object:
        return self.resolved_at or self.withdrawn_at


class TierChange(models.Model):
    """One climb of an issue up the ladder. Raising is not stored here: the issue's own
    `created_at` and `created_by` say when and by whom it entered the first tier."""

    class Reason(models.TextChoices):
        WINDOW_PASSED = "window_passed", _("Window passed")
        MANUAL = "manual", _("Escalated by hand")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="tier_changes")
    from_tier = models.CharField(max_length=30, choices=TierKey.choices)
    to_tier = models.CharField(max_length=30, choices=TierKey.choices)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_tier or '—'} → {self.to_tier}"


class Comment(models.Model):
    """A tier owner's comment or proposed resolution on an issue."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        PROPOSAL = "proposal", _("Proposed resolution")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    body = models.TextField()
    tier = models.CharField(max_length=30, choices=TierKey.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class ExitPlan(models.Model):
    """The dissolution plan. One per partnership; starting it moves the partnership to
    "dissolving"."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="exit_plan"
    )
    issue = models.ForeignKey(
        Issue, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Exit plan for {self.partnership}"


class ExitStep(models.Model):
    class Area(models.TextChoices):
        ASSETS = "assets", _("Assets")
        IP = "ip", _("Intellectual property")
        DATA = "data", _("Data")
        INVESTMENTS = "investments", _("Recoverable investments")
        WIND_DOWN = "wind_down", _("Wind-down commitments")
        COMMUNICATION = "communication", _("Communication to stakeholders")

    plan = models.ForeignKey(ExitPlan, on_delete=models.CASCADE, related_name="steps")
    area = models.CharField(max_length=20, choices=Area.choices)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
