"""Metrics, their observations and the starter catalog partnerships adopt metrics from."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accord.partnerships.models import PartnershipScoped, Party


class Category(models.TextChoices):
    FINANCIAL = "financial", _("Financial")
    OPERATIONAL = "operational", _("Operational")
    INNOVATION = "innovation", _("Innovation")
    MARKET = "market", _("Market")
    RELATIONSHIP = "relationship", _("Relationship")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


FEED_CHOICES = [
    ("trust_competence", _("Competence trust placed in the owner party (1–7)")),
    ("trust_contractual", _("Contractual trust placed in the owner party (1–7)")),
    ("trust_goodwill", _("Goodwill trust placed in the owner party (1–7)")),
    ("conflict_frequency", _("Conflict frequency: escalations raised in the period")),
    ("notice_kept", _("Notice kept: % of the owner party's change notices with the agreed notice")),
    ("responsiveness", _("Responsiveness: the owner party's median reply time (hours)")),
]


class Cadence(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


# Higher is better: red ≤ amber ≤ target; lower is better: red ≥ amber ≥ target (the domain's rule).
THRESHOLDS_IN_ORDER = Q(
    direction=Direction.HIGHER,
    red_threshold__lte=F("amber_threshold"),
    amber_threshold__lte=F("target"),
) | Q(
    direction=Direction.LOWER,
    red_threshold__gte=F("amber_threshold"),
    amber_threshold__gte=F("target"),
)


class CatalogMetric(models.Model):
    """A starter metric definition any partnership can adopt (seeded by a data migration,
    editable in the admin). Not partnership-scoped: it holds no partnership data."""

    key = models.SlugField(max_length=40, unique=True)
    category = models.CharField(max_length=20, choices=Category.choices)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=30, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    target = models.FloatField()
    amber_threshold = models.FloatField()
    red_threshold = models.FloatField()
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY)

    class Meta:
        ordering = ["category", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gt=0), name="catalog_target_positive"),
            models.CheckConstraint(condition=THRESHOLDS_IN_ORDER, name="catalog_thresholds_order"),
        ]

    def __str__(self) -> str:
        return self.name


class Metric(PartnershipScoped):
    """A metric a partnership tracks. Internal metrics (visibility) stay with their owner_org,
    and so do their observations."""

    code = models.SlugField(
        max_length=40, help_text=_("Short identifier used in import files, e.g. 'otif'.")
    )
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=Category.choices)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=30, blank=True, help_text=_("e.g. '%', 'EUR k', 'days'."))
    direction = models.CharField(max_length=10, choices=Direction.choices)
    target = models.FloatField()
    amber_threshold = models.FloatField(
        help_text=_("Where green turns amber (at or beyond it, the metric is green).")
    )
    red_threshold = models.FloatField(help_text=_("Where amber turns red."))
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY)
    owner_party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", help_text=_("Who reports it.")
    )
    catalog_key = models.SlugField(max_length=40, blank=True)
    feed = models.CharField(
        max_length=30,
        blank=True,
        choices=FEED_CHOICES,
        help_text=_(
            "Relationship metrics only: computed from the health evidence registry at each "
            "scoring pass instead of typed by hand. Leave empty to report values yourself."
        ),
    )

    class Meta:
        ordering = ["category", "name"]
        constraints = [
            # Joint codes are unique across the partnership; internal codes per owning
            # organization, so choosing a code never reveals another party's internal metric.
            models.UniqueConstraint(
                fields=["partnership", "code"],
                condition=Q(visibility="joint"),
                name="metric_joint_code_once_per_partnership",
            ),
            models.UniqueConstraint(
                fields=["partnership", "owner_org", "code"],
                condition=Q(visibility="internal"),
                name="metric_internal_code_once_per_owner",
            ),
            models.CheckConstraint(condition=Q(target__gt=0), name="metric_target_positive"),
            models.CheckConstraint(condition=THRESHOLDS_IN_ORDER, name="metric_thresholds_order"),
        ]
        indexes = [models.Index(fields=["partnership", "category"], name="metric_by_category")]

    def __str__(self) -> str:
        return self.name


class Observation(models.Model):
    """One value of a metric for one period.

    Table design for bulk loads: the natural key (metric, period) *is* the primary key, so one
    B-tree serves the key, the uniqueness rule and the lookup by metric (the FK's own index is
    switched off: the key's leading column covers it). No surrogate bigint id, no second unique
    index, no third FK index — each costs a bulk load 1.2–1.6× on its own (TESTING.md).
    Visibility follows the metric, so the row stays narrow.
    """

    pk = models.CompositePrimaryKey("metric_id", "period")
    metric = models.ForeignKey(
        Metric, on_delete=models.CASCADE, related_name="observations", db_index=False
    )
    period = models.DateField(
        help_text=_("First day of the period: a day, a month's 1st or a quarter's first day.")
    )
    value = models.FloatField()
    note = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["metric_id", "period"]

    def __str__(self) -> str:
        return f"{self.metric_id} {self.period}: {self.value}"
