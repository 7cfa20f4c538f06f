"""The tenant root: organizations, their people, partnerships and who takes part in them."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_ESCALATION_WINDOWS = {
    "operational_leads": 10,
    "alliance_managers": 10,
    "executive_sponsors": 20,
    "neutral_facilitation": 30,
}
ESCALATION_TIER_LABELS = {
    "operational_leads": _("Operational leads"),
    "alliance_managers": _("Alliance managers"),
    "executive_sponsors": _("Executive sponsors"),
    "neutral_facilitation": _("Neutral facilitation"),
}
MINIMUM_ANONYMITY_K = 3


def default_escalation_windows() -> dict[str, int]:
    return dict(DEFAULT_ESCALATION_WINDOWS)


def hash_secret(raw: str) -> str:
    """Tokens are stored as SHA-256: they are long random strings, so no slow hash is needed."""
    return hashlib.sha256(raw.encode()).hexdigest()


def new_secret(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


class Organization(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """Every person belongs to exactly one organization (DESIGN: "Who uses it")."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        MEMBER = "member", _("Member")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    unit = models.CharField(
        max_length=120, blank=True, help_text=_("Department or business unit, e.g. 'Oncology R&D'.")
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


class PartnershipQuerySet(models.QuerySet["Partnership"]):
    def visible_to(self, user: object) -> PartnershipQuerySet:
        """Partnerships a user takes part in, plus all of their organization's for its admins."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        # Two indexed INs, not an OR across joins (see access.reader_partnerships).
        takes_part = Participant.objects.filter(user=user).order_by().values("partnership")
        participant = Q(pk__in=takes_part)
        admin_of = Party.objects.filter(
            organization__memberships__user=user,
            organization__memberships__role=Membership.Role.ADMIN,
        )
        return self.filter(participant | Q(pk__in=admin_of.order_by().values("partnership")))


class Partnership(models.Model):
    class Stage(models.TextChoices):
        TRANSACTIONAL = "transactional", _("Transactional")
        COOPERATIVE = "cooperative", _("Cooperative")
        COORDINATED = "coordinated", _("Coordinated")
        COLLABORATIVE = "collaborative", _("Collaborative")
        TRANSFORMATIONAL = "transformational", _("Transformational")

    class Status(models.TextChoices):
        FORMING = "forming", _("Forming")
        ACTIVE = "active", _("Active")
        INTERVENTION = "intervention", _("Intervention")
        DISSOLVING = "dissolving", _("Dissolving")
        DISSOLVED = "dissolved", _("Dissolved")

    name = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    objectives = models.TextField(blank=True, help_text=_("One objective per line."))
    continuum_stage = models.CharField(
        max_length=20, choices=Stage.choices, default=Stage.COOPERATIVE
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.FORMING)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    anonymity_k = models.PositiveSmallIntegerField(
        default=MINIMUM_ANONYMITY_K,
        help_text=_("Survey aggregates are shown only for at least this many respondents."),
    )
    notice_lead_days = models.PositiveSmallIntegerField(
        default=30, help_text=_("Agreed advance notice for changes, in days.")
    )
    escalation_windows = models.JSONField(default=default_escalation_windows)
    restrict_participant_lists = models.BooleanField(
        default=False,
        help_text=_("Each party sees only its own participants (for alliances among competitors)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymity_k__gte=MINIMUM_ANONYMITY_K), name="partnership_k_at_least_3"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="partnership_start_before_end",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def objective_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]

    def escalation_ladder(self) -> list[tuple[str, int | None]]:
        """(tier label, days) from the bottom of the ladder up. Read in this fixed order, not the
        JSON object's: PostgreSQL's jsonb does not keep key order."""
        return [
            (label, self.escalation_windows.get(tier))
            for tier, label in ESCALATION_TIER_LABELS.items()
        ]


class Party(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="parties")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="parties")
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organization"], name="party_once_per_partnership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} in {self.partnership}"


class Participant(models.Model):
    class Role(models.TextChoices):
        SPONSOR = "sponsor", _("Executive sponsor")
        ALLIANCE_MANAGER = "alliance_manager", _("Alliance manager")
        MEMBER = "member", _("Team member")
        OBSERVER = "observer", _("Observer")
        FACILITATOR = "facilitator", _("Neutral facilitator")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="participants"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organization__name", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user"], name="participant_once_per_partnership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Visibility(models.TextChoices):
    JOINT = "joint", _("Joint — all parties")
    INTERNAL = "internal", _("Internal — my organization only")


class ScopedQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: object) -> ScopedQuerySet:
        """The one rule for partnership-scoped records: joint ones for everyone who may read the
        partnership's records, internal ones only for the owning organization."""
        from accord.partnerships.access import record_reader_filter

        return self.filter(record_reader_filter(user))


class PartnershipScoped(models.Model):
    """Every partnership-scoped record: a partnership, an owning organization, a visibility."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    owner_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.JOINT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class Invitation(models.Model):
    """A single-use, expiring link. The raw token is only ever in the e-mail; we keep its hash."""

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("Join an organization")
        PARTY = "party", _("Join a partnership as a partner organization")
        PARTICIPANT = "participant", _("Take part in a partnership")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    email = models.EmailField()
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
        help_text=_("The organization the invitee joins or belongs to; empty for a new one."),
    )
    organization_name = models.CharField(
        max_length=200, blank=True, help_text=_("For a partner organization that has no account.")
    )
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    membership_role = models.CharField(
        max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    participant_role = models.CharField(max_length=20, choices=Participant.Role.choices, blank=True)
    message = models.TextField(blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="organization", organization__isnull=False)
                | Q(kind="party", partnership__isnull=False)
                | Q(kind="participant", partnership__isnull=False),
                name="invitation_has_its_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.email}"

    def state(self, now: object | None = None) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if (now or timezone.now()) >= self.expires_at:
            return "expired"
        return "pending"

    def invited_organization_name(self) -> str:
        return self.organization.name if self.organization else self.organization_name


from accord.partnerships.audit import AuditEvent  # noqa: E402  (the model lives beside its chain logic)

__all__ = ["AuditEvent"]
