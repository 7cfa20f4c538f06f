"""Decision rights and decisions.

A partnership's decision-rights matrix is a set of `DecisionDomain`s, each with a mode
(independent, consultative, consensus, delegated) and the party or `JointBody` that decides.
Each party scores itself per domain (`DomainScore`) for the recommender. Decisions are
`Proposal`s (Loomio naming) with `Stance`s, `InputRequest`s for consultative decisions and an
`Outcome`; their lifecycle is kept as timestamps. `CharterSignoff` records each party's sign-off of
one exact version of the governance charter.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.domain.decision_rights import DecisionMode
from accord.partnerships.models import Participant, Partnership, PartnershipScoped, Party

DEFAULT_CONSULTATION_DAYS = 7


class Mode(models.TextChoices):
    INDEPENDENT = DecisionMode.INDEPENDENT.value, _("Independent")
    CONSULTATIVE = DecisionMode.CONSULTATIVE.value, _("Consultative")
    CONSENSUS = DecisionMode.CONSENSUS.value, _("Consensus")
    DELEGATED = DecisionMode.DELEGATED.value, _("Delegated")


MODE_HELP = {
    Mode.INDEPENDENT: _("The owner party decides; the other parties are notified."),
    Mode.CONSULTATIVE: _(
        "The owner party decides after every other party has given input, or once the "
        "consultation window has passed."
    ),
    Mode.CONSENSUS: _(
        "Every party's approver (alliance manager or sponsor) must approve; one objection blocks."
    ),
    Mode.DELEGATED: _("The joint body decides by majority once its quorum has voted."),
}


class GovernanceSettings(models.Model):
    """One per partnership, created when governance is set up."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="governance_settings"
    )
    hide_stances_until_closed = models.BooleanField(
        default=False,
        help_text=_(
            "Each party sees only its own stances until the proposal is decided or withdrawn, "
            "so nobody anchors on the other side's vote."
        ),
    )
    consultation_days = models.PositiveSmallIntegerField(
        default=DEFAULT_CONSULTATION_DAYS,
        help_text=_("Default consultation window for consultative decisions, in days."),
    )
    set_up_at = models.DateTimeField(default=timezone.now)
    set_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(consultation_days__gte=1) & Q(consultation_days__lte=90),
                name="governance_consultation_days_1_to_90",
            )
        ]

    def __str__(self) -> str:
        return f"Governance settings of {self.partnership}"


class JointBody(PartnershipScoped):
    """A named group with members from several parties that decides delegated domains."""

    name = models.CharField(max_length=120)
    mandate = models.TextField(blank=True)
    quorum = models.PositiveSmallIntegerField(
        default=2, help_text=_("Votes for or against needed before the body can decide.")
    )
    members = models.ManyToManyField(Participant, through="JointBodyMember", related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="joint_body_name_unique"),
            models.CheckConstraint(condition=Q(quorum__gte=1), name="joint_body_quorum_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class JointBodyMember(models.Model):
    body = models.ForeignKey(JointBody, on_delete=models.CASCADE, related_name="memberships")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["participant__organization__name", "participant__user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "participant"], name="joint_body_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant} on {self.body}"


class DecisionDomain(PartnershipScoped):
    """A row of the decision-rights matrix."""

    class Basis(models.TextChoices):
        DEFAULT = "default", _("Default (consensus until agreed)")
        RECOMMENDED = "recommended", _("Recommendation accepted")
        OVERRIDDEN = "overridden", _("Recommendation overridden")

    key = models.SlugField(max_length=80)
    label = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    mode = models.CharField(max_length=20, choices=Mode.choices, default=Mode.CONSENSUS)
    owner_party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    joint_body = models.ForeignKey(
        JointBody, null=True, blank=True, on_delete=models.PROTECT, related_name="domains"
    )
    frequent_operational_choices = models.BooleanField(
        default=False, help_text=_("Many small, recurring operational decisions.")
    )
    has_joint_team = models.BooleanField(
        default=False, help_text=_("A joint team with people from each party works in this area.")
    )
    basis = models.CharField(max_length=20, choices=Basis.choices, default=Basis.DEFAULT)
    recommended_mode = models.CharField(max_length=20, choices=Mode.choices, blank=True)
    recommended_rule = models.CharField(max_length=40, blank=True)
    recommended_reasoning = models.TextField(blank=True)
    override_reason = models.TextField(blank=True)
    rights_set_at = models.DateTimeField(null=True, blank=True)
    rights_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "key"], name="decision_domain_key"),
            models.CheckConstraint(
                condition=(
                    Q(mode__in=["independent", "consultative"], owner_party__isnull=False)
                    & Q(joint_body__isnull=True)
                )
                | Q(mode="consensus", owner_party__isnull=True, joint_body__isnull=True)
                | Q(mode="delegated", owner_party__isnull=True, joint_body__isnull=False),
                name="decision_domain_mode_has_its_decider",
            ),
            models.CheckConstraint(
                condition=~Q(basis="overridden") | ~Q(override_reason=""),
                name="decision_domain_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def decider_label(self) -> str:
        if self.mode == Mode.DELEGATED and self.joint_body is not None:
            return self.joint_body.name
        if self.owner_party is not None:
            return self.owner_party.organization.name
        return str(_("All parties"))

    def mode_help(self) -> str:
        return str(MODE_HELP[Mode(self.mode)])


class DomainScore(models.Model):
    """One party's self-assessment for one domain, on 0–5 scales."""

    domain = models.ForeignKey(DecisionDomain, on_delete=models.CASCADE, related_name="scores")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    expertise = models.FloatField()
    resources = models.FloatField()
    risk_exposure = models.FloatField()
    strategic_importance = models.FloatField()
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["domain", "party"], name="domain_score_once_per_party"),
            models.CheckConstraint(
                condition=Q(expertise__gte=0, expertise__lte=5)
                & Q(resources__gte=0, resources__lte=5)
                & Q(risk_exposure__gte=0, risk_exposure__lte=5)
                & Q(strategic_importance__gte=0, strategic_importance__lte=5),
                name="domain_score_0_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} on {self.domain}"


class Proposal(PartnershipScoped):
    """A decision to take in one domain. Mode, owner and joint body are copied from the domain
    when the proposal is made, so changing the matrix never changes the rules of a live vote."""

    domain = models.ForeignKey(DecisionDomain, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    proposer_party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=20, choices=Mode.choices)
    owner_party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    joint_body = models.ForeignKey(
        JointBody, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consultation_closes_at = models.DateTimeField(null=True, blank=True)
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "closed_at"], name="proposal_open_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True) | Q(withdrawn_at__isnull=True),
                name="proposal_decided_or_withdrawn_not_both",
            ),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True) | Q(decided_at__gte=models.F("proposed_at")),
                name="proposal_decided_after_proposed",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True)
                | Q(decided_at__isnull=False)
                | Q(withdrawn_at__isnull=False),
                name="proposal_closed_by_decision_or_withdrawal",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def status(self) -> str:
        """open, decided or withdrawn; whether an open proposal is blocked depends on stances."""
        if self.decided_at is not None:
            return "decided"
        if self.withdrawn_at is not None:
            return "withdrawn"
        return "open"

    def cycle_days(self) -> float | None:
        if self.decided_at is None:
            return None
        return (self.decided_at - self.proposed_at).total_seconds() / 86_400


class Stance(models.Model):
    """A person's position on a proposal; they may change it while the proposal is open."""

    class Choice(models.TextChoices):
        APPROVE = "approve", _("Approve")
        OBJECT = "object", _("Object")
        ABSTAIN = "abstain", _("Abstain")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="stances")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=10, choices=Choice.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="stance_once_per_person"),
            models.CheckConstraint(
                condition=~Q(choice="object") | ~Q(reason=""), name="stance_objection_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.choice} on {self.proposal}"


class InputRequest(models.Model):
    """A consultative proposal's request for one other party's input, and its answer."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="input_requests")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "party"], name="input_request_once"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="input_request_answer_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"Input from {self.party} on {self.proposal}"


class Outcome(models.Model):
    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="outcome")
    statement = models.TextField()
    review_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rule = models.CharField(max_length=200, help_text=_("Why the decision was allowed."))
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.statement[:80]


class CharterSignoff(models.Model):
    """A party's sign-off of one version of the charter, identified by the hash of its text."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)
    charter_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-signed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "charter_hash"], name="charter_signoff_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.party} signed {self.charter_hash[:10]}"
