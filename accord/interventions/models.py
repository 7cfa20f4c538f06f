"""Objectives as records, and the intervention that agrees on the shortfalls.

An Objective is PartnershipScoped (joint, or internal to the party that owns it). Status is never
stored: accord.domain.objectives derives it from the linked metrics and commitments.

An Intervention runs in the open (its opening, reveal, plan and closing are joint), but each
party's Submission and its items are private to that party until `revealed_at` is set: every read
goes through accord.interventions.selectors, which applies that one rule.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.accountability.models import Commitment
from accord.partnerships.models import Partnership, PartnershipScoped, Party
from accord.performance.models import Metric


class Objective(PartnershipScoped):
    class Scope(models.TextChoices):
        JOINT = "joint", _("Joint — all parties pursue it together")
        PARTY = "party", _("Owned by one party")
        SHARED = "shared", _("Shared — each party carries its part")

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.JOINT)
    owner_party = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For an objective owned by one party."),
    )
    metrics = models.ManyToManyField(Metric, blank=True, related_name="+")
    commitments = models.ManyToManyField(Commitment, blank=True, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope="party", owner_party__isnull=False)
                | (~Q(scope="party") & Q(owner_party__isnull=True)),
                name="objective_owner_party_iff_party_scope",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Intervention(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="interventions"
    )
    reason = models.TextField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    revealed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The rebuild plan (agreed when every party has a PlanAgreement row).
    plan_cadence = models.TextField(
        blank=True, help_text=_("How often the parties will talk, and in which forum.")
    )
    plan_issue_rule = models.TextField(
        blank=True,
        help_text=_("How future issues are raised early, e.g. a feedback-forum rule or a review."),
    )
    plan_commitments = models.ManyToManyField(Commitment, blank=True, related_name="+")
    followup_round = models.ForeignKey(
        "trust.SurveyRound", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(closed_at__isnull=True),
                name="intervention_one_open_per_partnership",
            )
        ]

    def __str__(self) -> str:
        return f"Intervention in {self.partnership}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Submission(PartnershipScoped):
    """One party's private answers. Invisible to every other party until the reveal.

    PartnershipScoped so that every generic reader of records (the organization export above
    all) applies the one visibility rule: `internal` to the party's organization until the
    reveal turns every submission of the intervention `joint` at once. Items follow their
    submission."""

    class Logic(models.TextChoices):
        YES = "yes", _("Yes — the partnership still makes strategic sense for us")
        NO = "no", _("No — we no longer see the strategic logic")

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="submissions"
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    strategic_logic = models.CharField(max_length=3, choices=Logic.choices, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reveal_agreed_at = models.DateTimeField(null=True, blank=True)
    contribution = models.TextField(
        blank=True, help_text=_("After the reveal: how our side contributed to the shortfalls.")
    )
    plan_agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["party__joined_at", "party_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "party"], name="submission_once_per_party"
            )
        ]

    def __str__(self) -> str:
        return f"Submission of {self.party}"


class Item(models.Model):
    class Kind(models.TextChoices):
        UNMET_OBJECTIVE = "unmet_objective", _("Unmet objective")
        DIFFICULTY = "difficulty", _("Difficulty working with the other party")
        PIVOTAL_EVENT = "pivotal_event", _("Pivotal event")
        OMISSION = "omission", _("Sin of omission we perceived")
        PRESSURE = "pressure", _("Pressure or change on our side")

    class Effect(models.IntegerChoices):
        LOWERED = -1, _("Lowered our trust")
        NONE = 0, _("No effect on trust")
        RAISED = 1, _("Raised our trust")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    occurred_on = models.DateField(null=True, blank=True)
    trust_effect = models.SmallIntegerField(choices=Effect.choices, null=True, blank=True)
    acknowledged_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the other party acknowledged this shortfall: it is then agreed."),
    )

    class Meta:
        ordering = ["kind", "occurred_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="pivotal_event")
                | Q(occurred_on__isnull=False, trust_effect__isnull=False),
                name="intervention_event_has_date_and_effect",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]
