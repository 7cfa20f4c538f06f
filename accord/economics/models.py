"""The two ledgers of a partnership's economics and the rate table they are converted with.

Amounts are stored as entered (Decimal, in the entry's own currency or unit) and converted only
when indices are computed, with the partnership's own rate table (accord.domain.economics).
Visibility follows the house rule: a joint entry is seen by every party, an internal one only by
its owning organization — a party's private valuation of what it gets out of the partnership.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accord.domain import economics as domain
from accord.partnerships.models import Partnership, PartnershipScoped, Party

AMOUNT_DIGITS = 20
AMOUNT_PLACES = 4
SHARE_DIGITS = 5
SHARE_PLACES = 4
DEFAULT_BASE_CURRENCY = "EUR"


class LedgerSettings(models.Model):
    """The partnership's base currency. One per partnership, created on first edit; absent means
    the default base currency."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="ledger_settings"
    )
    base_currency = models.CharField(max_length=3, default=DEFAULT_BASE_CURRENCY)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.partnership} in {self.base_currency}"


class Rate(models.Model):
    """Value of one `unit` (a currency, FTE_MONTH or EXEC_HOUR) in the base currency. Shared by
    all parties: both must convert with the same figures for the indices to mean the same."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    unit = models.CharField(max_length=12)
    per_unit = models.DecimalField(max_digits=24, decimal_places=8)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Removed from the table while entries the remover cannot see still use it: "
        "those keep converting with it, new entries cannot choose it.",
    )

    class Meta:
        ordering = ["unit"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "unit"], name="rate_once_per_unit"),
            models.CheckConstraint(condition=Q(per_unit__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 {self.unit} = {self.per_unit}"


class Evidence(models.Model):
    """Fields both ledgers share: a description, evidence, and an import key for re-imports."""

    description = models.CharField(max_length=200, blank=True)
    reference = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("Your own reference, e.g. an invoice or contract number."),
    )
    evidence_note = models.TextField(blank=True)
    evidence_link = models.URLField(max_length=500, blank=True)
    # Set by imports only: the reference if given, else a hash of the row, so importing the same
    # file again updates instead of duplicating.
    import_key = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        abstract = True


class ValueEntry(PartnershipScoped, Evidence):
    """A benefit one party draws from the partnership."""

    class Source(models.TextChoices):
        COMPLEMENTARY_CAPABILITIES = (
            domain.ValueSource.COMPLEMENTARY_CAPABILITIES,
            _("Complementary capabilities"),
        )
        SCALE = domain.ValueSource.SCALE, _("Scale")
        RISK_SHARING = domain.ValueSource.RISK_SHARING, _("Risk sharing")
        NETWORK_EFFECTS = domain.ValueSource.NETWORK_EFFECTS, _("Network effects")
        KNOWLEDGE_EXCHANGE = domain.ValueSource.KNOWLEDGE_EXCHANGE, _("Knowledge exchange")

    class Status(models.TextChoices):
        EXPECTED = domain.ValueStatus.EXPECTED, _("Expected")
        REALIZED = domain.ValueStatus.REALIZED, _("Realized")

    source = models.CharField(max_length=30, choices=Source.choices)
    beneficiary = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    amount = models.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, choices=Status.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    evidence_file = models.FileField(upload_to="economics/evidence/%Y/%m/", blank=True)

    class Meta:
        ordering = ["-period_start", "-pk"]
        indexes = [models.Index(fields=["partnership", "period_start"], name="value_by_period")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="value_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="value_period_in_order"
            ),
            models.UniqueConstraint(
                fields=["partnership", "owner_org", "import_key"],
                condition=~Q(import_key=""),
                name="value_import_key_once",
            ),
        ]

    def __str__(self) -> str:
        return self.description or self.get_source_display()


class InvestmentEntry(PartnershipScoped, Evidence):
    """A contribution of one party; `actual_on` is empty until it is made."""

    class Kind(models.TextChoices):
        FINANCIAL = domain.InvestmentKind.FINANCIAL, _("Financial")
        HUMAN = domain.InvestmentKind.HUMAN, _("Human (FTE-months)")
        TECHNOLOGICAL = domain.InvestmentKind.TECHNOLOGICAL, _("Technological")
        ATTENTIONAL = domain.InvestmentKind.ATTENTIONAL, _("Attentional (executive hours)")

    contributor = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    amount = models.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES)
    unit = models.CharField(max_length=12)
    planned_on = models.DateField()
    actual_on = models.DateField(null=True, blank=True)
    specificity = models.DecimalField(max_digits=SHARE_DIGITS, decimal_places=SHARE_PLACES)
    recoverability = models.DecimalField(max_digits=SHARE_DIGITS, decimal_places=SHARE_PLACES)

    class Meta:
        ordering = ["-planned_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "planned_on"], name="investment_by_plan")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="investment_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(specificity__gte=0, specificity__lte=1),
                name="investment_specificity_share",
            ),
            models.CheckConstraint(
                condition=Q(recoverability__gte=0, recoverability__lte=1),
                name="investment_recoverability_share",
            ),
            models.UniqueConstraint(
                fields=["partnership", "owner_org", "import_key"],
                condition=~Q(import_key=""),
                name="investment_import_key_once",
            ),
        ]

    def __str__(self) -> str:
        return self.description or self.get_kind_display()

    @property
    def slip_days(self) -> int | None:
        """Actual − planned, in days: positive late, negative early; None until it is made."""
        return (self.actual_on - self.planned_on).days if self.actual_on else None

    @property
    def hostage_share(self) -> float:
        """The share of the amount lost if the partnership dissolved: specificity × (1 −
        recoverability)."""
        return float(self.specificity) * (1.0 - float(self.recoverability))
